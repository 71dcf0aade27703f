"""Changing an action's status and note from the Werkplan page: a one-row action list.

There is no second write path: the row goes through `importer.prepare_rows` and
`importer.apply` under an action list's headers, so the page meets the same rules (a known
status, a source), skips an unchanged action, and becomes an import batch that
Importgeschiedenis can undo. Illustrative (demo) actions are not edited: a real import
would make them real, which they are not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import importer
from kpi.importer.parsing import none_if_missing

FORM_NAME = "formulier Werkplan"


def edit_row(action: Mapping, status: str, note: str) -> pd.DataFrame:
    """The action as it stands (a `load_actions` row) with a new status and note, as one row
    under the headers of an action list."""
    def day(value):
        value = none_if_missing(value)
        return None if value is None else pd.Timestamp(value).date()

    year = none_if_missing(action["year"])
    return pd.DataFrame([{
        "code": action["code"], "titel": action["title"], "thema": action["theme"],
        "eigenaar": action["owner"] or None, "rol": none_if_missing(action["role"]),
        "jaar": None if year is None else str(int(year)), "start": day(action["start"]),
        "deadline": day(action["due"]), "status": status, "budget": none_if_missing(action["budget"]),
        "besteed": none_if_missing(action["spent"]), "fonds": none_if_missing(action["fund"]),
        "kpis": ",".join(action["kpis"]) or None, "toelichting": note, "bron": action["source"],
    }], dtype=object)


def update_action(engine: Engine, action: Mapping, *, status: str, note: str, user: str,
                  today: dt.date | None = None) -> int | None:
    """Store the new status and note as the action's next version; the batch id, or None
    when nothing changes. Raises importer.ImportRefused with a Dutch message (the problems
    found, an illustrative action, or "intussen gewijzigd" when the action changed since
    `action` was read)."""
    if bool(action["illustrative"]):
        raise importer.ImportRefused(
            f"Actie {action['code']} is een illustratieve voorbeeldactie en kan hier niet worden gewijzigd. "
            "Importeer de echte actielijst (Importeren); er is niets opgeslagen."
        )
    preview = importer.prepare_rows(engine, FORM_NAME, edit_row(action, status, note),
                                    expected_versions={str(action["code"]): int(action["id"])}, today=today)
    if not preview.ok:
        raise importer.ImportRefused(" ".join(p.message for p in preview.problems))
    return importer.apply(engine, preview, user)
