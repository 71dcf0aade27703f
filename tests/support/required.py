"""One rule for the parts a test needs from the machine (chromium, PostgreSQL, poppler).

Missing, such a part skips its tests only in a loose local run (`pytest` by hand, `make
test-fast`). `make test` sets KPI_REQUIRE_ALL, CI sets CI (and .ci/run the per-part variables):
there a missing part is a failure, so a skip can never hide it."""

import os

import pytest


def required(part: str) -> bool:
    """Whether a missing `part` (BROWSER, POSTGRES, TOOLS) must fail rather than skip."""
    return any(os.environ.get(name) for name in ("CI", "KPI_REQUIRE_ALL", f"KPI_REQUIRE_{part}"))


def skip_or_fail(part: str, reason: str) -> None:
    """Skip for a missing part, or fail where it is required."""
    if required(part):
        pytest.fail(f"required here ({part}): {reason}")
    pytest.skip(reason)
