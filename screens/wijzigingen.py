"""Wat is er veranderd: new measurements, revised values and status changes since a date
(?sinds=2026-10-01), and the dashboard as it was known on that date."""

import datetime as dt

import streamlit as st

from kpi import changes, tables
from kpi import formatting as fmt
from kpi.periods import EARLIEST_DAY
from kpi.reports.model import known_at
from ui import data, frame
from ui.components import md, wrapped_table
from ui.werkplan_parts import changes_section


def _query_time() -> dt.time | None:
    """The time in ?tijd=14:05, or None (end of the day)."""
    try:
        return dt.time.fromisoformat(str(st.query_params.get("tijd", "")))
    except ValueError:
        return None


def _section(title: str, table, empty: str, key: str) -> None:
    """A heading and its table, wrapped so that a long source or reason is read whole (issue 19)."""
    st.subheader(title)
    if table.empty:
        st.caption(empty)
    else:
        wrapped_table(table, key=key, name=title)


def render() -> None:
    today = dt.date.today()
    default = fmt.since_date(st.query_params.get("sinds", ""), today)

    st.title("Wat is er veranderd?")
    day_col, time_col = st.columns([2, 1])
    since = day_col.date_input("Sinds (bijvoorbeeld de datum van de vorige vergadering)", value=default,
                               min_value=EARLIEST_DAY, max_value=today, format="DD-MM-YYYY",
                               key="changes_since")
    at_time = time_col.time_input("Tijdstip (leeg: einde van de dag)", value=_query_time(), step=60,
                                  key="changes_time", help="Twee imports op één dag zijn zo uit elkaar te houden.")
    st.query_params["sinds"] = since.isoformat()
    if at_time is not None:
        st.query_params["tijd"] = at_time.strftime("%H:%M")
    elif "tijd" in st.query_params:
        del st.query_params["tijd"]
    now = data.snapshot()
    moment, installed = changes.comparison_moment(fmt.known_at(since, at_time), now.observations)
    ch = changes.compare(data.snapshot(moment), now, data.settings(), since, today, installed=installed)

    st.markdown(f"**{md(changes.headline(ch))}**")
    st.caption(md(changes.comparison_text(ch, known_at(moment))))

    _section("Nieuwe metingen", tables.new_table(ch), "Geen nieuwe metingen.", "changes_new")
    _section("Herziene waarden", tables.revised_table(ch), "Geen herziene waarden.", "changes_revised")
    _section("Gewijzigde status", tables.status_changes_table(ch), "Geen statuswijzigingen.", "changes_status")
    if not ch.withdrawn.empty:
        _section("Ingetrokken waarden (import ongedaan gemaakt)", tables.withdrawn_table(ch), "",
                 "changes_withdrawn")
    if not ch.removed.empty:
        _section("Vervallen waarden", tables.removed_table(ch), "", "changes_removed")
    if not ch.targets.empty:
        _section("Gewijzigde doelen", tables.target_changes_table(ch), "", "changes_targets")
    changes_section(fmt.known_at(since, at_time))  # the moment the figures are compared at

    if installed is not None:
        st.subheader(f"Het dashboard bij de installatie op {fmt.day(fmt.local(installed))}")
    else:
        st.subheader(f"Het dashboard zoals bekend op {fmt.peildatum(since, 'dag')}"
                     + (f" {at_time:%H:%M}" if at_time is not None else ""))
    if ch.before:
        st.dataframe(tables.status_table(ch.before), hide_index=True, key="changes_as_known")
    else:
        st.caption("Op die datum waren er nog geen KPI's met een doel vastgelegd.")
    st.page_link(frame.page("rapporten"), label="Briefing van die datum maken", icon=":material/description:",
                 query_params={"stand": since.isoformat(), **({"tijd": f"{at_time:%H:%M}"} if at_time else {})})
