"""Adding or changing one subscriber from the Abonnees page, and unsubscribing by the link in
a digest: both a one-row subscriber list through the importer (same rules, batch and undo)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import importer
from kpi.digest.subscribers import ALL_KPIS, by_token

FORM_NAME = "formulier Abonnees"
LINK_NAME = "afmeldlink"


def edit_row(*, email: str, name: str, areas: list[str], kpis: list[str] | str, werkplan: bool,
             active: bool) -> pd.DataFrame:
    """The subscriber as one row under the headers of a subscriber list."""
    return pd.DataFrame([{
        "naam": name, "e-mail": email, "centra": ", ".join(areas),
        "kpis": ALL_KPIS if kpis == ALL_KPIS else ", ".join(kpis),
        "werkplan": "ja" if werkplan else "nee", "actief": "ja" if active else "nee",
    }], dtype=object)


def _apply(engine: Engine, name: str, rows: pd.DataFrame, expected: dict[str, int] | None, user: str) -> int | None:
    preview = importer.prepare_rows(engine, name, rows, expected_versions=expected)
    if not preview.ok:
        raise importer.ImportRefused(" ".join(f"{p.column}: {p.message}" if p.column else p.message
                                              for p in preview.problems))
    return importer.apply(engine, preview, user)


def save_subscriber(engine: Engine, *, user: str, based_on: int | None = None, **fields) -> int | None:
    """Store the form's subscriber as a one-row import; the batch id, or None when nothing
    changed. ImportRefused (Dutch) for a problem, or when the subscriber changed since the form
    showed version `based_on` (the id of the stored row)."""
    expected = None if based_on is None else {str(fields["email"]).strip().casefold(): int(based_on)}
    return _apply(engine, FORM_NAME, edit_row(**fields), expected, user)


def unsubscribe(engine: Engine, token: str) -> str | None:
    """Unsubscribe the subscriber whose link carries `token` (a one-row import setting actief
    to nee); the address unsubscribed, or None when the token is unknown."""
    found = by_token(engine, token)
    if found is None:
        return None
    if found["active"]:
        rows = pd.DataFrame([{"e-mail": found["email"], "actief": "nee"}], dtype=object)
        _apply(engine, LINK_NAME, rows, {found["email"]: int(found["id"])}, LINK_NAME)
    return str(found["email"])
