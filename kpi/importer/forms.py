"""Forms that write: each turns a page's form into rows of a file kind and saves them through the
importer (`prepare_rows` and `apply`), so a page edit meets the same rules, skips what is
unchanged and becomes an import batch that Importgeschiedenis can undo. There is no second
write path.

- Doelen beheren: a target revision as one row of a targets file (range by unit, known
  comparison, a reason).
- Werkplan: an action's status and note as one row of an action list (a known status, a
  source). Illustrative (demo) actions are not edited: a real import would make them real,
  which they are not.
- Abonnees: a subscriber of the digest as one row of a subscriber list; the unsubscribe link
  in a digest as a row that sets actief to nee.
- KPI in detail: the regiegroep's duiding of one KPI for one period as one row of a duiding
  file (known KPI and area, a readable period, cause, effect, bijsturing and an author).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import EllipsisType

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import repository
from kpi.access import Access
from kpi.briefing.period import parse_period
from kpi.digest.subscribers import ALL_KPIS, by_token
from kpi.importer import ImportRefused, apply, prepare_rows
from kpi.importer.duiding import key_of
from kpi.importer.parsing import none_if_missing
from kpi.metrics import Target

TARGET_FORM = "formulier Doelen beheren"
ACTION_FORM = "formulier Werkplan"
SUBSCRIBER_FORM = "formulier Abonnees"
DUIDING_FORM = "formulier Duiding"
UNSUBSCRIBE_LINK = "afmeldlink"


# ---- Doelen beheren ---------------------------------------------------------------------------

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
                  access: Access | None = None, **fields) -> int | None:
    """Store the revision as the target's next version; the version number, or None when it
    equals the current target. Raises ImportRefused with a Dutch message (the
    problems found, or "intussen gewijzigd" when the form showed another version than the
    stored one)."""
    expected = None if based_on_version is None else {(fields["indicator"], fields["area"]): based_on_version}
    preview = prepare_rows(engine, TARGET_FORM, revision_row(**fields), expected_versions=expected,
                                    today=today)
    if not preview.ok:
        raise ImportRefused(" ".join(p.message for p in preview.problems))
    if apply(engine, preview, user, access=access) is None:
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


# ---- Werkplan ----------------------------------------------------------------------------------

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
        "gebied": action["area"],
    }], dtype=object)


def update_action(engine: Engine, action: Mapping, *, status: str, note: str, user: str,
                  today: dt.date | None = None, access: Access | None = None) -> int | None:
    """Store the new status and note as the action's next version; the batch id, or None
    when nothing changes. Raises ImportRefused with a Dutch message (the problems
    found, an illustrative action, or "intussen gewijzigd" when the action changed since
    `action` was read)."""
    if bool(action["illustrative"]):
        raise ImportRefused(
            f"Actie {action['code']} is een illustratieve voorbeeldactie en kan hier niet worden gewijzigd. "
            "Importeer de echte actielijst (Importeren); er is niets opgeslagen."
        )
    preview = prepare_rows(engine, ACTION_FORM, edit_row(action, status, note),
                                    expected_versions={str(action["code"]): int(action["id"])}, today=today)
    if not preview.ok:
        raise ImportRefused(" ".join(p.message for p in preview.problems))
    return apply(engine, preview, user, access=access)


# ---- Abonnees (the digest's subscribers) ------------------------------------------------------

def subscriber_row(*, email: str, name: str, areas: list[str], kpis: list[str] | str, werkplan: bool,
                   active: bool) -> pd.DataFrame:
    """The subscriber as one row under the headers of a subscriber list."""
    return pd.DataFrame([{
        "naam": name, "e-mail": email, "centra": ", ".join(areas),
        "kpis": ALL_KPIS if kpis == ALL_KPIS else ", ".join(kpis),
        "werkplan": "ja" if werkplan else "nee", "actief": "ja" if active else "nee",
    }], dtype=object)


def _apply_subscribers(engine: Engine, name: str, rows: pd.DataFrame, expected: dict[str, int] | None,
                       user: str, access: Access | None = None) -> int | None:
    preview = prepare_rows(engine, name, rows, expected_versions=expected)
    if not preview.ok:
        raise ImportRefused(" ".join(f"{p.column}: {p.message}" if p.column else p.message
                                     for p in preview.problems))
    return apply(engine, preview, user, access=access)


def save_subscriber(engine: Engine, *, user: str, based_on: int | None = None, access: Access | None = None,
                    **fields) -> int | None:
    """Store the form's subscriber as a one-row import; the batch id, or None when nothing
    changed. ImportRefused (Dutch) for a problem, or when the subscriber changed since the form
    showed version `based_on` (the id of the stored row)."""
    expected = None if based_on is None else {str(fields["email"]).strip().casefold(): int(based_on)}
    return _apply_subscribers(engine, SUBSCRIBER_FORM, subscriber_row(**fields), expected, user, access)


def unsubscribe(engine: Engine, token: str) -> str | None:
    """Unsubscribe the subscriber whose link carries `token` (a one-row import setting actief
    to nee); the address unsubscribed, or None when the token is unknown."""
    found = by_token(engine, token)
    if found is None:
        return None
    if found["active"]:
        rows = pd.DataFrame([{"e-mail": found["email"], "actief": "nee"}], dtype=object)
        _apply_subscribers(engine, UNSUBSCRIBE_LINK, rows, {found["email"]: int(found["id"])}, UNSUBSCRIBE_LINK)
    return str(found["email"])


# ---- KPI in detail: the regiegroep's duiding (issue 20) ---------------------------------------

def duiding_row(*, area: str, indicator: str, period: str, cause: str, effect: str, bijsturing: str,
                author: str, written_on: dt.date | None = None) -> pd.DataFrame:
    """The duiding as one row under the headers of a duiding file."""
    return pd.DataFrame([{
        "gebied": area, "indicator": indicator, "periode": period, "oorzaak": cause, "effect": effect,
        "bijsturing": bijsturing, "auteur": author, "datum": written_on,
    }], dtype=object)


def save_duiding(engine: Engine, *, user: str, based_on: int | None = None, today: dt.date | None = None,
                 access: Access | None = None, **fields) -> int | None:
    """Store the form's duiding as a one-row import; the batch id, or None when nothing changed.
    ImportRefused (Dutch, naming the field) for a problem, or when the duiding changed since the
    form showed version `based_on` (the id of the stored row; None: the form showed none)."""
    period = parse_period(fields.get("period")) or str(fields.get("period"))
    expected = {key_of(fields["area"], fields["indicator"], period): -1 if based_on is None else int(based_on)}
    preview = prepare_rows(engine, DUIDING_FORM, duiding_row(**fields), expected_versions=expected, today=today)
    if not preview.ok:
        raise ImportRefused(" ".join(f"{p.column}: {p.message}" if p.column else p.message
                                     for p in preview.problems))
    return apply(engine, preview, user, access=access)
