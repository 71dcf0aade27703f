"""The werkplan beside the goals: which actions move which KPI, who leads them, what is late.

`load_werkplan` reads through `kpi.werkplan.store`; everything else is pure pandas on the
frames it returns (actions, themes, roles, the role x theme matrix), without Streamlit, so
pages, CLI and reports share it. Display tables: `kpi.werkplan.tables`;
the werkplan part of meetings and briefings: `kpi.werkplan.brief`.

- An action is **te laat** (late) when its due date (deadline) has passed relative to a
  given `today` and its status is not ``afgerond`` or ``gestopt``, or when its owner marked it
  ``vertraagd`` (also without a due date): both belong in every late list.
- A KPI **needs an action** when its status is ``achter`` or ``risico`` and no linked action
  counts as running: real (not illustrative), ``lopend`` and not late.
- **Coverage**: KPIs x themes, the number of running actions linked to each KPI per theme.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Connection, Engine

from kpi.metrics import ACHTER, RISICO
from kpi.names import name_key
from kpi.werkplan import store


@dataclass(frozen=True)
class ActionStatus:
    """One action status: its code as stored, the word shown, icon, colour, sort order."""

    code: str
    label: str
    icon: str
    colour: str
    order: int
    closed: bool  # afgerond or gestopt: never late, no longer running


# In lifecycle order; `order` sorts a list (delayed work first). The CHECK constraint on
# actions.status in kpi/schema.py names the same codes (a test keeps them equal).
ACTION_STATUSES = (
    ActionStatus("gepland", "Gepland", ":material/schedule:", "gray", 2, False),
    ActionStatus("lopend", "Loopt", ":material/play_circle:", "blue", 1, False),
    ActionStatus("afgerond", "Afgerond", ":material/check_circle:", "green", 3, True),
    ActionStatus("vertraagd", "Vertraagd", ":material/warning:", "orange", 0, False),
    ActionStatus("gestopt", "Gestopt", ":material/cancel:", "gray", 4, True),
)
STATUS_BY_CODE = {s.code: s for s in ACTION_STATUSES}
LOPEND = "lopend"
VERTRAAGD = "vertraagd"
AFGEROND = "afgerond"
CLOSED = tuple(s.code for s in ACTION_STATUSES if s.closed)
BEHIND = (ACHTER, RISICO)

# Where an action's money comes from (fonds); "overig" for anything else.
FUNDS = {
    "binnenstadfonds": "Binnenstadfonds",
    "ondernemersfonds": "Ondernemersfonds",
    "gemeente": "Gemeente",
    "overig": "Overig",
}

CHANGE_NEW = "nieuw"
CHANGE_STATUS = "status gewijzigd"
CHANGE_REMOVED = "vervallen"


@dataclass(frozen=True)
class Werkplan:
    """The werkplan as known at one moment: themes, roles, matrix and actions."""

    themes: pd.DataFrame
    roles: pd.DataFrame
    matrix: pd.DataFrame
    actions: pd.DataFrame
    as_of: dt.datetime | None = None


def load_werkplan(engine: Engine | Connection, area: str, as_of: dt.datetime | None = None) -> Werkplan:
    """One centre's (gebied) themes, roles, role x theme matrix and actions current (or as known at `as_of`)."""
    return Werkplan(
        themes=store.load_themes(engine, area),
        roles=store.load_roles(engine, area),
        matrix=store.load_role_themes(engine, area),
        actions=store.load_actions(engine, area, as_of),
        as_of=as_of,
    )


# ---- vocabulary lookups ----------------------------------------------------------------

def resolve_theme(themes: pd.DataFrame, text: str) -> str | None:
    """The theme letter for 'A', 'a', 'compact & compleet' or 'A compact & compleet'; else None."""
    key = name_key(text)
    for row in themes.itertuples():
        if key in (name_key(row.letter), name_key(row.name), name_key(f"{row.letter} {row.name}")):
            return row.letter
    return None


def resolve_status(text: str) -> str | None:
    """The status code for 'lopend', 'Loopt', 'AFGEROND', ...; else None."""
    key = name_key(text)
    for s in ACTION_STATUSES:
        if key in (name_key(s.code), name_key(s.label)):
            return s.code
    return None


def status_label(code: str) -> str:
    """The status in words ('Loopt'); an unknown code as it is."""
    s = STATUS_BY_CODE.get(code)
    return s.label if s else str(code)


# ---- late, ordering, filters ----------------------------------------------------------

def late(actions: pd.DataFrame, today: dt.date) -> pd.Series:
    """True per action whose due date is before `today` and that is not afgerond/gestopt."""
    due = pd.to_datetime(actions["due"])
    overdue = (due < pd.Timestamp(today)).fillna(False).astype(bool) & ~actions["status"].isin(CLOSED)
    return overdue | (actions["status"] == VERTRAAGD)


def really_running(actions: pd.DataFrame, today: dt.date) -> pd.Series:
    """True per action that counts as work being done: real, lopend, and not past its deadline."""
    real = ~actions["illustrative"].astype(bool) if "illustrative" in actions else True
    return (actions["status"] == LOPEND) & real & ~late(actions, today)


def with_late(actions: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The actions with a boolean column `late`."""
    return actions.assign(late=late(actions, today).to_numpy())


def ordered(actions: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Late actions first, then by theme, status (vertraagd, lopend, gepland, afgerond,
    gestopt), due date (unknown last) and code (1.2 before 1.10); with the column `late`."""
    df = with_late(actions, today)
    keys = df.assign(
        _late=~df["late"],
        _status=df["status"].map(lambda s: STATUS_BY_CODE[s].order if s in STATUS_BY_CODE else 99),
        _due=pd.to_datetime(df["due"]),
        _code=df["code"].map(lambda c: re.sub(r"\d+", lambda m: m.group().zfill(10), str(c))),
    )
    keys = keys.sort_values(["_late", "theme", "_status", "_due", "_code"], kind="stable", na_position="last")
    return keys.drop(columns=["_late", "_status", "_due", "_code"]).reset_index(drop=True)


def _as_set(value) -> set | None:
    if value is None:
        return None
    if isinstance(value, (str, int)):
        return {value}
    return set(value)


def filter_actions(
    actions: pd.DataFrame,
    theme: str | Iterable[str] | None = None,
    role: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    year: int | Iterable[int] | None = None,
) -> pd.DataFrame:
    """The actions of the given theme letter(s), role(s), status(es) and werkplan year(s);
    None (or an empty selection) means no filter on that field."""
    mask = pd.Series(True, index=actions.index)
    for column, wanted in (("theme", theme), ("role", role), ("status", status)):
        values = _as_set(wanted)
        if values:
            mask &= actions[column].isin(values)
    years = _as_set(year)
    if years:
        mask &= actions["year"].isin({int(y) for y in years}).fillna(False).astype(bool)
    return actions.loc[mask].reset_index(drop=True)


def text_value(value) -> str:
    """A stored text field as text: '' for a missing one (None or NaN)."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def action_records(actions: pd.DataFrame, today: dt.date) -> list[dict]:
    """Machine-readable actions, late first (`python -m kpi acties --json`): code, title,
    theme (letter), role, owner, status (code), due (ISO date), kpis (codes), late,
    illustrative, source; None where not known."""
    return [
        {
            "code": r.code, "title": r.title, "theme": r.theme, "role": text_value(r.role) or None,
            "owner": text_value(r.owner) or None, "status": r.status,
            "due": None if pd.isna(r.due) else r.due.date().isoformat(),
            "kpis": list(r.kpis), "late": bool(r.late), "illustrative": bool(r.illustrative),
            "source": r.source,
        }
        for r in ordered(actions, today).itertuples()
    ]


# ---- per KPI ----------------------------------------------------------------------------

def kpi_names(indicators: pd.DataFrame) -> dict[str, str]:
    """Indicator code -> name, for the display tables."""
    return dict(zip(indicators["code"], indicators["name"]))


def kpi_statuses(results: Iterable) -> dict[str, str]:
    """KPI code -> status, in display order, from the evaluated KPIs (KpiResult)."""
    return {r.indicator.code: r.status for r in results}


def actions_for_kpi(actions: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The actions linked to one KPI (indicator code)."""
    mask = actions["kpis"].map(lambda kpis: indicator in kpis).astype(bool)
    return actions.loc[mask].reset_index(drop=True)


def kpi_actions(actions: pd.DataFrame, statuses: Mapping[str, str], today: dt.date) -> pd.DataFrame:
    """Per KPI (in the order of `statuses`: code -> KPI status) its linked, running and late
    actions, whether it is behind (achter or risico) and whether it then lacks a running action.

    Columns: indicator, status, linked, running, late, behind, needs_action.
    """
    flagged = with_late(actions, today)
    rows = []
    for code, status in statuses.items():
        linked = actions_for_kpi(flagged, code)
        running = int(really_running(linked, today).sum()) if not linked.empty else 0
        behind = status in BEHIND
        rows.append(dict(
            indicator=code, status=status, linked=len(linked), running=running,
            late=int(linked["late"].sum()), behind=behind, needs_action=behind and running == 0,
        ))
    return pd.DataFrame(rows, columns=["indicator", "status", "linked", "running", "late", "behind", "needs_action"])


def without_running_action(actions: pd.DataFrame, statuses: Mapping[str, str], today: dt.date) -> set[str]:
    """The KPI codes that are behind (achter or risico) with no real, running, not overdue action."""
    overview = kpi_actions(actions, statuses, today)
    return set(overview.loc[overview["needs_action"], "indicator"])


def no_action_warning(name: str, status: str) -> str:
    """The plain warning for a KPI that is behind with no running action."""
    return (f"{name} staat op ‘{status}’ en er loopt geen echte actie voor deze KPI "
            "(illustratieve acties en acties over hun deadline tellen niet mee).")


def coverage(actions: pd.DataFrame, indicators: Iterable[str], themes: Iterable[str]) -> pd.DataFrame:
    """KPIs (rows, in the given order) x theme letters (columns): the number of running
    (lopend) actions of that theme linked to that KPI."""
    indicators, themes = list(indicators), list(themes)
    out = pd.DataFrame(0, index=pd.Index(indicators, name="indicator"), columns=pd.Index(themes, name="theme"))
    running = actions[actions["status"] == LOPEND]
    for row in running.itertuples():
        for code in row.kpis:
            if code in out.index and row.theme in out.columns:
                out.loc[code, row.theme] += 1
    return out


# ---- per role ---------------------------------------------------------------------------

def role_overview(roles: pd.DataFrame, matrix: pd.DataFrame, actions: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Per role (kind 'rol', in display order): body, its themes from the matrix and the
    number of its actions, running and late. Columns: role, body, themes (tuple of letters),
    actions, running, late."""
    flagged = with_late(actions, today)
    rows = []
    for r in roles[roles["kind"] == "rol"].itertuples():
        own = flagged[flagged["role"] == r.name]
        rows.append(dict(
            role=r.name, body=r.body,
            themes=tuple(sorted(matrix.loc[matrix["role"] == r.name, "theme"])),
            actions=len(own), running=int((own["status"] == LOPEND).sum()), late=int(own["late"].sum()),
        ))
    return pd.DataFrame(rows, columns=["role", "body", "themes", "actions", "running", "late"])


def actions_of_role(actions: pd.DataFrame, role: str, today: dt.date) -> pd.DataFrame:
    """The actions a role leads, late first."""
    return ordered(actions[actions["role"] == role], today)


# ---- what changed -------------------------------------------------------------------------

def action_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Actions whose status differs between two loads (`load_actions` as of two moments):
    new actions (status_before None), status changes, and actions no longer current
    (status_after None). Columns: change, code, title, theme, status_before, status_after,
    note, illustrative, recorded_at (when the newer version was recorded; None if vervallen)."""
    cols = ["code", "title", "theme", "status", "note", "illustrative", "recorded_at"]
    both = before[cols].merge(after[cols], on="code", how="outer", suffixes=("_before", "_after"), indicator=True)
    rows = []
    for r in both.to_dict("records"):
        if r["_merge"] == "right_only":
            change, side = CHANGE_NEW, "after"
        elif r["_merge"] == "left_only":
            change, side = CHANGE_REMOVED, "before"
        elif r["status_before"] != r["status_after"]:
            change, side = CHANGE_STATUS, "after"
        else:
            continue
        rows.append(dict(
            change=change, code=r["code"], title=r[f"title_{side}"], theme=r[f"theme_{side}"],
            status_before=None if change == CHANGE_NEW else r["status_before"],
            status_after=None if change == CHANGE_REMOVED else r["status_after"],
            note=r[f"note_{side}"], illustrative=bool(r[f"illustrative_{side}"]),
            recorded_at=None if change == CHANGE_REMOVED else r["recorded_at_after"],
        ))
    out = pd.DataFrame(rows, columns=[
        "change", "code", "title", "theme", "status_before", "status_after", "note", "illustrative", "recorded_at"])
    for col in ("status_before", "status_after", "recorded_at"):  # missing is None, not NaN
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out.sort_values(["theme", "code"]).reset_index(drop=True)


def finished(changes: pd.DataFrame) -> pd.DataFrame:
    """The changes that finished an action (status now afgerond, not before)."""
    mask = (changes["status_after"] == AFGEROND) & (changes["status_before"] != AFGEROND)
    return changes.loc[mask].reset_index(drop=True)
