"""Rendering pieces of the werkplan shared by the Werkplan page, the KPI page, meeting mode
and Wat is er veranderd (the data comes from ui/data.py, the tables from kpi.werkplan.tables)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from kpi import formatting as fmt
from kpi import werkplan
from kpi.werkplan import tables as wp_tables
from kpi.werkplan.brief import brief
from ui import data, frame
from ui.components import md


def styled(table: pd.DataFrame):
    """A Dutch actions table with the status cell coloured and late rows marked (words stay)."""
    style = table.style
    if "Status" in table:
        style = style.map(lambda v: f"background-color: {wp_tables.status_fill(v)}" if wp_tables.status_fill(v)
                          else "", subset=["Status"])
    if "Te laat" in table:
        style = style.map(lambda v: f"background-color: {wp_tables.LATE_FILL}; font-weight: bold" if v == "ja"
                          else "", subset=["Te laat"])
    return style


def actions_frame(table: pd.DataFrame, key: str) -> None:
    """One actions table on screen: wrapped, the full width, a card per action on a phone
    (kpi.werkplan.tables.actions_html escapes every user text)."""
    with st.container(key=key):
        st.html(wp_tables.actions_html(table))


def status_badges(actions: pd.DataFrame) -> None:
    """The number of actions per status: word, icon and colour."""
    # One line of Markdown badges (st.badge puts each on its own line); the words are ours.
    st.markdown(" ".join(f":{s.colour}-badge[{s.icon} {n} {s.label.lower()}]"
                         for s, n in wp_tables.status_counts(actions)))


def illustrative_note(actions: pd.DataFrame) -> None:
    """One plain line when illustrative (demo) actions are shown (kpi.werkplan.tables.illustrative_text)."""
    if text := wp_tables.illustrative_text(actions):
        st.badge(text, icon=":material/science:", color="violet")


def kpi_section(code: str, name: str, status: str, actions_note: bool = True) -> None:
    """'Wat doen we eraan' on a KPI's page: the linked actions and a warning when none runs;
    `actions_note=False` leaves the line on illustrative actions out (the rows stay marked)."""
    wp = data.werkplan()
    table, warning = wp_tables.kpi_section(wp.actions, code, name, status, wp.themes, dt.date.today(),
                                               data.kpi_names())
    st.subheader("Wat doen we eraan")
    if warning:
        st.warning(md(warning), icon=":material/warning:")
    if table.empty:
        st.caption("Er zijn geen acties uit het werkplan aan deze KPI gekoppeld.")
        return
    linked = werkplan.actions_for_kpi(wp.actions, code)
    status_badges(linked)
    if actions_note:
        illustrative_note(linked)
    actions_frame(table, key="kpi_actions")
    st.page_link(frame.page("werkplan"), query_params={"weergave": "acties"}, label="Het hele werkplan", icon=":material/checklist:")


def meeting_since() -> dt.date:
    """The last meeting's date from the URL (kpi.formatting.since_date), kept in the URL so the
    screen can be shared."""
    since = fmt.since_date(st.query_params.get("sinds", ""), dt.date.today())
    st.query_params["sinds"] = since.isoformat()
    return since


def meeting_step(since: dt.date) -> None:
    """The meeting's werkplan screen: late actions, and actions finished since `since` (the end of
    that day; a day before the installation is compared with the werkplan as installed)."""
    moment, _ = data.werkplan_as_of(fmt.end_of_day(since))
    wp, before = data.werkplan(), data.werkplan(moment)
    if wp.themes.empty:  # a centre without a werkplan of its own yet (issue 21.3): not "nothing late"
        st.info(f"Voor {md(data.settings().area)} is nog geen werkplan ingelezen.")
        return
    b = brief(before.actions, wp.actions, wp.themes, since, dt.date.today(), data.kpi_names())
    # On one 1280x720 screen: the late actions full width (a few rows, then the table scrolls),
    # the finished ones as one line.
    flag = " :violet[**· het werkplan bevat illustratieve voorbeeldacties (demo)**]" if b.illustrative else ""
    st.markdown(f"**Te laat ({len(b.late)})**{flag}")
    if b.late.empty:
        st.markdown("Er zijn geen acties te laat.")
    else:
        late = b.late.assign(Actie=[f"{a} (illustratief)" if i.startswith("ja") else a
                                    for a, i in zip(b.late["Actie"], b.late["Illustratief"])])
        late = late[["Code", "Actie", "Status", "Deadline", "Rol"]]
        st.dataframe(styled(late), hide_index=True, key="meeting_late", height="auto" if len(late) <= 4 else 300)
    done = "; ".join(f"{md(a)} (was {md(w)})" for a, w in zip(b.finished["Actie"], b.finished["Was"]))
    st.markdown(f"**Afgerond sinds {fmt.day(since)} ({len(b.finished)}):** {done or 'geen.'}")


def changes_section(known: dt.datetime) -> None:
    """'Wat is er veranderd': actions new or with another status since the moment `known` (the
    page's date and time, as for the figures); a moment before the installation is compared
    with the werkplan as installed, whose start actions are not new."""
    moment, installed = data.werkplan_as_of(known)
    wp, before = data.werkplan(), data.werkplan(moment)
    table = wp_tables.changes_table(werkplan.action_changes(before.actions, wp.actions), wp.themes)
    st.subheader("Acties van het werkplan")
    if installed is not None:
        st.caption(f"Vergeleken met het werkplan bij de installatie ({fmt.timestamp(installed)}): "
                   "de startacties zelf zijn niet nieuw.")
    if table.empty:
        st.caption("Geen gewijzigde acties.")
    else:
        with st.container(key="changes_actions"):  # wrapped, like the werkplan's other tables
            st.html(wp_tables.frame_html(table))
