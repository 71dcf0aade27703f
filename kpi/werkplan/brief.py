"""The werkplan step of a meeting and the werkplan pages of a briefing: late actions now, actions
finished lately, and the per-theme tables, as known at a moment. The tables come from
`kpi.werkplan.tables` (the screen's own), so documents and screen agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import formatting as fmt
from kpi import werkplan
from kpi.werkplan import store
from kpi.werkplan.tables import (
    ACTION_TABLE_COLUMNS,
    actions_table,
    changes_table,
    theme_tables,
    with_status_symbols,
)

# Looking back this far for "finished lately" in a briefing: the regiegroep meets about
# every four weeks.
LOOK_BACK = dt.timedelta(days=28)
NOTICE = ("Let op: het werkplan bevat illustratieve voorbeeldacties (demo), geen echte acties. "
          "Ze zijn gemarkeerd met ‘(illustratief)’.")


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
    table = with_status_symbols(actions_table(after, today, themes, kpi_names))
    late = table.loc[table["Te laat"] == "ja", LATE_COLUMNS].reset_index(drop=True)
    # Finished: a known action whose status became afgerond. An action that first appears
    # already finished (a fresh database, an imported list) says nothing about when.
    changes = werkplan.action_changes(before, after)
    done = changes_table(werkplan.finished(changes[changes["change"] == werkplan.CHANGE_STATUS]), themes)
    return WerkplanBrief(late, done, since, theme_tables(after, themes, today, kpi_names),
                         bool(after["illustrative"].any()))




def load_brief(engine: Engine, area: str, as_of: dt.datetime | None, today: dt.date,
               kpi_names: dict[str, str]) -> WerkplanBrief:
    """A centre's (gebied) werkplan as known at `as_of` (None: now) and what was finished in the four weeks before."""
    wp = werkplan.load_werkplan(engine, area, as_of)
    since = (as_of.date() if as_of else today) - LOOK_BACK
    moment, _ = fmt.compared_moment(fmt.end_of_day(since), store.installed_at(engine, area))
    before = store.load_actions(engine, area, moment)
    return brief(before, wp.actions, wp.themes, since, today, kpi_names)


def overview_lines(brief: WerkplanBrief) -> list[str]:
    """'Te laat (2): …' and 'Afgerond sinds …': the overview page of the werkplan in a briefing."""
    late = "; ".join(f"{r.Code} {r.Actie}{' (illustratief)' if r.Illustratief.startswith('ja') else ''} "
                     f"(deadline {r.Deadline})" for r in brief.late.itertuples()) or "geen"
    done = "; ".join(brief.finished["Actie"]) or "geen"
    return [f"Te laat ({len(brief.late)}): {late}.", f"Afgerond sinds {fmt.day(brief.since)} ({len(brief.finished)}): {done}."]


def werkplan_frame(brief: WerkplanBrief) -> pd.DataFrame:
    """Every action of the brief in one table (theme by theme, late first), as the werkplan
    page shows them; the XLSX export's Werkplan sheet."""
    tables = [table for _, table in brief.themes]
    if not tables:
        return pd.DataFrame(columns=ACTION_TABLE_COLUMNS)
    return pd.concat(tables, ignore_index=True)
