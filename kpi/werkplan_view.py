"""What the Werkplan page, the KPI page, meeting mode and the reports show of the werkplan:
pure functions over `kpi.werkplan` frames (no Streamlit), so screen and documents agree.

The status is always shown in words with a symbol and a colour (never colour alone):
`status_cell` gives the text for a table cell, `STATUS_FILL` the cell's background.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from kpi import werkplan

# A plain-text symbol per status for table cells, PDF and PPTX (material icons do not
# render there); the page's badges use ActionStatus.icon.
STATUS_SYMBOLS = {"gepland": "◷", "lopend": "▶", "afgerond": "✓", "vertraagd": "⚠", "gestopt": "✕"}
# Light backgrounds for the ActionStatus colours (readable with black text, also in print).
FILLS = {"gray": "#e5e7eb", "blue": "#dbeafe", "green": "#dcfce7", "orange": "#ffedd5", "red": "#fee2e2"}
STATUS_FILL = {s.label: FILLS[s.colour] for s in werkplan.ACTION_STATUSES}
LATE_FILL = FILLS["red"]

VIEWS = {"acties": "Acties per thema", "dekking": "Dekking KPI's × thema's", "rollen": "Rollen"}
# Illustratief early, so that a demo action is labelled where the eye is, not off to the right.
PAGE_COLUMNS = ["Code", "Actie", "Illustratief", "Status", "Te laat", "Deadline", "Rol", "Eigenaar", "Budget",
                "Besteed", "KPI's", "Toelichting"]

KPI_COLUMNS = ["Code", "Actie", "Illustratief", "Thema", "Status", "Te laat", "Deadline", "Rol", "Budget", "Besteed",
               "Toelichting"]


def status_cell(code: str) -> str:
    """'⚠ Vertraagd': symbol and word of an action status."""
    return f"{STATUS_SYMBOLS.get(code, '')} {werkplan.status_label(code)}".strip()


def with_status_symbols(table: pd.DataFrame) -> pd.DataFrame:
    """An `actions_table` whose Status column carries the symbol ('▶ Loopt')."""
    codes = {s.label: s.code for s in werkplan.ACTION_STATUSES}
    return table.assign(Status=[status_cell(codes.get(v, v)) for v in table["Status"]])


def status_fill(cell: str) -> str:
    """The background colour of a status cell ('▶ Loopt' or 'Loopt'), '' when unknown."""
    word = str(cell).split(" ", 1)[-1] if str(cell)[:1] in STATUS_SYMBOLS.values() else str(cell)
    return STATUS_FILL.get(word, "")


def parse_choice(text: object, allowed: Iterable) -> list:
    """The values of a URL parameter ('A,B' or a list) that are allowed, in the allowed order;
    years compare as text ('2026')."""
    if text is None:
        return []
    parts = text if isinstance(text, list) else str(text).split(",")
    wanted = {str(p).strip().casefold() for p in parts if str(p).strip()}
    return [a for a in allowed if str(a).casefold() in wanted]


def choice_text(values: Iterable) -> str:
    """The URL form of a filter ('A,B'); '' when nothing is chosen."""
    return ",".join(str(v) for v in values)


def theme_tables(actions: pd.DataFrame, themes: pd.DataFrame, today: dt.date,
                 kpi_names: Mapping[str, str] | None = None) -> list[tuple[str, pd.DataFrame]]:
    """Per theme that has actions (A-F): its label and its actions as a Dutch table, late
    first, status with symbol."""
    out = []
    for t in themes.itertuples():
        own = actions[actions["theme"] == t.letter]
        if own.empty:
            continue
        table = with_status_symbols(werkplan.actions_table(own, today, themes, kpi_names))
        out.append((f"{t.letter} {t.name}", table))
    return out


def status_counts(actions: pd.DataFrame) -> list[tuple[werkplan.ActionStatus, int]]:
    """How many actions have each status, in lifecycle order, only those that occur."""
    counts = actions["status"].value_counts()
    return [(s, int(counts[s.code])) for s in werkplan.ACTION_STATUSES if counts.get(s.code, 0)]


def budget_line(actions: pd.DataFrame) -> str:
    """'Budget € 250.000, besteed € 120.500 (48%)' over the actions with a budget; '' when none."""
    from kpi import formatting as fmt

    budget = actions["budget"].sum(min_count=1)
    if pd.isna(budget):
        return ""
    spent = actions["spent"].sum(min_count=1)
    spent = 0.0 if pd.isna(spent) else float(spent)
    share = f" ({fmt.percent(100 * spent / budget, 0)})" if budget else ""
    return f"Budget {fmt.euro(float(budget))}, besteed {fmt.euro(spent)}{share}"


# ---- meeting mode and reports ------------------------------------------------------------------

@dataclass(frozen=True)
class WerkplanBrief:
    """The werkplan step of a meeting and the werkplan pages of a report."""

    late: pd.DataFrame          # late actions as a Dutch table
    finished: pd.DataFrame      # actions finished since `since`, as a changes table
    since: dt.date
    themes: list[tuple[str, pd.DataFrame]]
    illustrative: bool


LATE_COLUMNS = ["Code", "Actie", "Thema", "Status", "Deadline", "Rol", "Illustratief"]


def brief(before: pd.DataFrame, after: pd.DataFrame, themes: pd.DataFrame, since: dt.date, today: dt.date,
          kpi_names: Mapping[str, str] | None = None) -> WerkplanBrief:
    """Late actions now, actions finished since `since` (`before` = actions as known at the
    end of that day, `after` = now: status changes to afgerond) and the per-theme tables."""
    table = with_status_symbols(werkplan.actions_table(after, today, themes, kpi_names))
    late = table.loc[table["Te laat"] == "ja", LATE_COLUMNS].reset_index(drop=True)
    # Finished: a known action whose status became afgerond. An action that first appears
    # already finished (a fresh database, an imported list) says nothing about when.
    changes = werkplan.action_changes(before, after)
    done = werkplan.changes_table(werkplan.finished(changes[changes["change"] == werkplan.CHANGE_STATUS]), themes)
    return WerkplanBrief(late, done, since, theme_tables(after, themes, today, kpi_names),
                         bool(after["illustrative"].any()))


def kpi_section(actions: pd.DataFrame, code: str, name: str, status: str, themes: pd.DataFrame,
                today: dt.date, kpi_names: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, str | None]:
    """'Wat doen we eraan' for one KPI: its linked actions (Dutch table) and the plain warning
    when the KPI is behind with no running action (else None)."""
    linked = werkplan.actions_for_kpi(actions, code)
    table = with_status_symbols(werkplan.actions_table(linked, today, themes, kpi_names))[KPI_COLUMNS]
    need = werkplan.kpi_actions(actions, {code: status}, today)["needs_action"].iloc[0]
    return table, (werkplan.no_action_warning(name, status) if need else None)
