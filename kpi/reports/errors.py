"""Why a report could not be made; every message is Dutch and fit to show to the user."""


class ReportError(RuntimeError):
    """A report cannot be made (missing browser or font, rendering failed)."""
