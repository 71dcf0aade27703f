"""The importer's public values: a problem in a file, the preview of an import, a refusal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

OBSERVATIONS = "observaties"
TARGETS = "doelen"
ACTIONS = "acties"  # an action list of the werkplan (kpi.importer.actions)
SUBSCRIBERS = "abonnees"  # subscribers of the digest (kpi.importer.subscribers)
DUIDING = "duiding"  # the regiegroep's duiding per KPI and briefing period (kpi.importer.duiding)
THEMES = "themas"  # a centre's werkplan themes (kpi.importer.werkplan_basis)
ROLES = "rollen"  # a centre's roles and bodies with their themes (kpi.importer.werkplan_basis)
AREAS = "gebieden"  # centres and their peer groups (kpi.importer.areas)

# The importer speaks the file's Dutch only where it reads headers and writes messages
# (layouts, validation, Problem); validated rows, plans and previews use English names, like
# the repository. kpi.tables.preview_table gives the preview its Dutch headers for the screen.
# Columns of the preview frames (display values; `peildatum` is text such as "2017" or "1-1-2025").
PREVIEW_COLUMNS = ["area", "indicator", "peildatum", "value", "source", "note", "file", "row"]
CHANGED_COLUMNS = [*PREVIEW_COLUMNS, "old_value", "old_source", "old_illustrative", "old_note"]
# A targets preview adds the other fields of a target version; `peildatum` is then the
# date the version is valid from (geldig vanaf), `value` the target value, `note` the reason.
# horizon_year is the planningshorizon, baseline_benchmark the basis_landelijk of the file.
TARGET_EXTRA_COLUMNS = ["baseline_value", "baseline_year", "target_year", "comparison", "version", "horizon_year",
                        "baseline_benchmark", "agreement"]
TARGET_CHANGED_EXTRA = ["old_baseline_value", "old_baseline_year", "old_target_year", "old_comparison",
                        "old_version", "old_horizon_year", "old_baseline_benchmark", "old_agreement"]


class ImportRefused(Exception):
    """An import or undo that cannot be done; the message is Dutch and meant for the user."""


@dataclass(frozen=True)
class Problem:
    """One validation message: the file, the spreadsheet row and the column it is about."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", rij {self.row}"
        if self.column is not None:
            where += f", kolom '{self.column}'"
        return f"{where}: {self.message}"


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


@dataclass
class Preview:
    """What an import would do: new, changed and unchanged figures, or the problems found.

    `new_areas` lists areas the import would create (only with create_areas=True). The
    private `_plan` carries the validated rows to `apply`, which re-checks them against the
    database before writing.
    """

    files: list[str]
    kind: str
    problems: list[Problem]
    added: pd.DataFrame = field(default_factory=lambda: _empty(PREVIEW_COLUMNS))
    changed: pd.DataFrame = field(default_factory=lambda: _empty(CHANGED_COLUMNS))
    unchanged: pd.DataFrame = field(default_factory=lambda: _empty(PREVIEW_COLUMNS))
    new_areas: list[str] = field(default_factory=list)
    # Plausibility questions (kpi.importer.plausibility): saving needs the editor's confirmation.
    questions: list[Problem] = field(default_factory=list)
    # A targets file's new and changed agreements in words (issue 21; kpi.importer.plan.agreement_lines).
    agreements: list[str] = field(default_factory=list)
    _plan: Any = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong, so the import can be saved."""
        return not self.problems

    def summary(self) -> str:
        """Dutch one-liner: '3 nieuw, 1 gewijzigd, 10 ongewijzigd' (or the number of problems)."""
        if self.problems:
            n = len(self.problems)
            return f"{n} {'probleem' if n == 1 else 'problemen'} gevonden; er is niets opgeslagen"
        text = f"{len(self.added)} nieuw, {len(self.changed)} gewijzigd, {len(self.unchanged)} ongewijzigd"
        if self.agreements:
            n = len(self.agreements)
            text += f"; {n} {'akkoord' if n == 1 else 'akkoorden'} nieuw of gewijzigd"
        return text
