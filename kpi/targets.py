"""Revising a target from a form: one row in a targets file's columns, saved by the importer.

There is no second write path: the row goes through `importer.prepare_rows` and
`importer.apply`, so a form revision meets the same rules (range by unit, known
comparison, a reason), skips an unchanged target, and becomes an import batch that
Importgeschiedenis can undo.
"""

from __future__ import annotations

import datetime as dt
from types import EllipsisType

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import importer, repository
from kpi.metrics import Target

FORM_NAME = "formulier Doelen beheren"


def revision_row(*, indicator: str, area: str, baseline_value: float | None, baseline_year: int | None,
                 target_value: float | None, target_year: int | None, comparison: str, source: str,
                 valid_from: dt.date, reason: str, horizon_year: int | None | EllipsisType = ...,
                 baseline_benchmark: float | None | EllipsisType = ...) -> pd.DataFrame:
    """The revision as one row under the headers of a targets file (akkoord-doelen.csv + reden).

    `horizon_year` (planningshorizon) and `baseline_benchmark` (basis_landelijk) left at `...`
    keep the stored values, as a targets file without those columns does; None clears them.
    """
    row = {
        "indicator": indicator, "gebied": area, "basiswaarde": baseline_value,
        "basisjaar": None if baseline_year is None else str(int(baseline_year)),
        "doelwaarde": target_value, "doeljaar": None if target_year is None else str(int(target_year)),
        "vergelijking": comparison, "bron": source, "reden": reason, "geldig_vanaf": valid_from,
    }
    if horizon_year is not ...:
        row["planningshorizon"] = None if horizon_year is None else str(int(horizon_year))
    if baseline_benchmark is not ...:
        row["basis_landelijk"] = baseline_benchmark
    return pd.DataFrame([row], dtype=object)


def revise_target(engine: Engine, *, based_on_version: int | None, user: str, today: dt.date | None = None,
                  **fields) -> int | None:
    """Store the revision as the target's next version; the version number, or None when it
    equals the current target. Raises importer.ImportRefused with a Dutch message (the
    problems found, or "intussen gewijzigd" when the form showed another version than the
    stored one)."""
    expected = None if based_on_version is None else {(fields["indicator"], fields["area"]): based_on_version}
    preview = importer.prepare_rows(engine, FORM_NAME, revision_row(**fields), expected_versions=expected,
                                    today=today)
    if not preview.ok:
        raise importer.ImportRefused(" ".join(p.message for p in preview.problems))
    if importer.apply(engine, preview, user) is None:
        return None
    stored = pd.concat([preview.added, preview.changed])
    return int(stored["version"].iloc[0])


def form_versions(history: pd.DataFrame, indicator: str, area: str,
                  today: dt.date) -> tuple[Target | None, Target | None]:
    """The newest stored version of a target (the form starts from it, so that a revision
    builds on every stored version, a scheduled one too) and the version in force on `today`
    (None when every version is valid from a later date). `history` is
    repository.load_target_history."""
    mine = history[(history["indicator"] == indicator) & (history["area"] == area)]
    if mine.empty:
        return None, None
    newest = repository.newest_versions(mine)
    in_force = repository.targets_in_force(mine, today)
    return (Target.from_row(newest.iloc[0]),
            None if in_force.empty else Target.from_row(in_force.iloc[0]))
