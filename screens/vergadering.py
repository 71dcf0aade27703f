"""Vergadermodus for the projector: the summary, then one KPI per screen; ?stap=2 opens screen 2.

The arrow keys go back and forth (the buttons' shortcuts). Everything is the chosen centre's
(?gebied=, ui.data.settings); with more than one centre the screen names it, as the sidebar that
names it elsewhere is hidden on the projector."""

import streamlit as st

from kpi import formatting as fmt
from kpi import statuses
from kpi.charts import CHART_CONFIG
from kpi.reports.meeting import (
    duiding_beside,
    is_werkplan_step,
    parse_step,
    step_after_switch,
    step_count,
    step_label,
)
from kpi.text import chart_text, summary_sentence, target_label, value_text
from ui import data, frame
from ui.components import md
from ui.werkplan_parts import meeting_since, meeting_step


def _go(to: int) -> None:
    st.query_params["stap"] = str(to)


# (centre, its KPI codes, screen) of this session's last meeting run: when the centre changes
# within the meeting (the sidebar's Centrum box), ?stap= still holds the old centre's screen.
_POSITION = "_meeting_position"


def _step(area: str, codes: list[str]) -> int:
    """The screen of this run: ?stap=, or, right after a change of centre, the same screen in the
    other centre's meeting (kpi.reports.meeting.step_after_switch)."""
    asked = st.query_params.get("stap")
    step = parse_step(asked, step_count(len(codes), werkplan=True))
    last = st.session_state.get(_POSITION)
    if last is not None and last[0] != area and asked == str(last[2]):
        step = step_after_switch(last[2], last[1], codes)
    st.session_state[_POSITION] = (area, codes, step)
    return step


def _status(status: str) -> str:
    """Status as coloured Markdown with icon and word (never colour alone)."""
    row = statuses.status(status)
    return f":{row.badge_colour}[{row.material_icon} **{status}**]"


def render() -> None:
    results = data.results()
    area = data.settings().area
    count = step_count(len(results), werkplan=True)
    step = _step(area, [r.indicator.code for r in results])
    st.query_params["stap"] = str(step)
    on_werkplan = is_werkplan_step(step, count)

    r = results[step - 1] if 0 < step and not on_werkplan else None
    st.title(md(r.indicator.name) if r else "Werkplan" if on_werkplan else "Stand van de doelen")

    if on_werkplan:
        meeting_step(meeting_since())
    elif r is None:
        if not results:  # no empty table under the message
            st.info(f"{md(area)} heeft nog geen KPI's met een doel.")
        widths = [3.8, 2.8, 2.9, 3.0]  # the status column holds "geen recente data" on one line
        with st.container(key="meeting_summary", gap="small"):
            for col, label in zip(st.columns(widths) if results else (), ["KPI", "Waarde", "Status", "Doel"]):
                col.caption(label)
            for res in results:
                ind = res.indicator
                value = value_text(res)
                flag = " :violet[illustratief]" if res.illustrative else ""
                c1, c2, c3, c4 = st.columns(widths, vertical_alignment="center")
                c1.markdown(f"**{md(ind.name)}**")
                c2.markdown(f"**{md(value)}**{flag}")
                c3.markdown(_status(res.status))
                c4.markdown(md(target_label(res)))
    else:
        ind = r.indicator
        left, right = st.columns([2, 3], gap="medium")
        with left.container(key="meeting_figures", gap="small"):
            peil = fmt.peildatum(r.latest.peildatum, r.latest.precision) if r.latest else "–"
            st.metric(f"Peildatum {peil}", value_text(r))
            if r.illustrative:
                st.markdown(":violet[**Oordeel rust op illustratieve waarden – geen metingen**]")
            elif r.shows_illustrative:
                st.markdown(":violet[**Illustratieve waarden staan grijs in de grafiek en tellen niet mee**]")
            st.markdown(f"Doel: **{md(target_label(r))}**")
            st.markdown(f"Status: {_status(r.status)}")
            st.container(key="meeting_sentence").markdown(md(summary_sentence(r)))
        with right:
            # Beside a KPI behind or at risk: the regiegroep's duiding for the current period (issue 20).
            period = data.current_period()
            beside = duiding_beside(r.status, data.duiding(period), r.indicator.code, period)
            written = beside is not None and r.indicator.code in data.duiding(period)  # four lines under the chart
            # The page title names the KPI: the chart needs no title of its own on a projector. A
            # phone gets the KPI page's chart: the projector's large type in 340 px left the plot a
            # strip between a five-row legend and upright years.
            beamer = not frame.on_phone()
            st.plotly_chart(data.figure(r.indicator.code, meeting=beamer, with_duiding=written),
                            key="meeting_chart", config=CHART_CONFIG)
            # Text alternative for screen readers only (ui/styles.py A11Y_CSS): on the projector
            # the sentence and figures already stand beside the chart.
            st.container(key="meeting_chart_text").markdown(
                f"{md(chart_text(r))} De cijfers staan in de tabel op de pagina *KPI in detail*.")
            if beside is not None:
                with st.container(key="meeting_duiding", gap="small"):
                    for label, text in beside:
                        st.markdown(f"**{label}:** {md(text)}" if label else f"*{md(text)}*")

    # One row that sizes each part by its text: the position line (which names the centre when
    # there are more), the way out, and the buttons at the right. Fixed column shares broke
    # "KPI 3 | van 7" or "Volge…" at 1280x720; on a phone the row wraps.
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="meeting_nav"):
        centre = f"{md(area)} · " if len(data.centres()) > 1 else ""  # one centre: nothing to tell apart
        st.caption(centre + step_label(step, count, werkplan=True), width="content")
        with st.container(key="meeting_leave", width="content"):
            st.page_link(frame.page("overzicht"), label="Verlaat vergadermodus", icon=":material/close:")
        st.space("stretch")
        with st.container(horizontal=True, gap="small", width="content"):  # the pair wraps together
            st.button("Vorige", on_click=_go, args=(step - 1,), disabled=step == 0, key="meeting_prev",
                      shortcut="Left", width="content")
            st.button("Volgende", on_click=_go, args=(step + 1,), disabled=step == count - 1,
                      key="meeting_next", shortcut="Right", width="content")
