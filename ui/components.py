"""Shared rendering pieces: banner, KPI card, provenance table, safe text."""

from __future__ import annotations

import re

import streamlit as st

from kpi import formatting as fmt
from kpi import statuses, units
from kpi.charts import sparkline_svg
from kpi.metrics import BELOW_NATIONAL, KpiResult
from kpi.tables import AgreementGroup, SummaryLine
from kpi.text import (
    currency_text,
    horizon_label,
    relative_decimals,
    sparkline_text,
    summary_sentence,
    target_label,
    value_text,
)
from kpi.werkplan.tables import frame_html

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=\\:)|(?<=http)(?=\\:)|(?<=\bw)(?=ww\\\.)|(?<=\w)(?=@\w)")
WORD_JOINER = "\u2060"


def md(text: object) -> str:
    """Escape Markdown so stored text (sources, notes, names) shows literally, never as a link."""
    # Streamlit also links bare URLs (http://, www., a@b.nl), escaped or not; an invisible
    # word joiner inside them stops that and changes nothing on screen.
    return _AUTOLINK.sub(WORD_JOINER, _MD_SPECIAL.sub(r"\\\1", str(text)))


BANNER_KEY = "demo_banner"


def illustrative_banner(count: int, editor: bool = False) -> None:
    """One short line on every page while illustrative values are stored ("Demo: 38 illustratieve
    waarden"), the explanation behind it; how to remove them only for an editor (a viewer cannot
    run a command on the server)."""
    if not count:
        return
    how = ("Vervang ze door echte cijfers via *Importeren*, of verwijder ze allemaal met "
           "`.venv/bin/python -m kpi demo --remove` in de projectmap op de server."
           if editor else "Een redacteur vervangt ze door echte cijfers.")
    # A collapsed expander is one line on a phone too; a full st.warning filled most of its first screen.
    with st.container(key=BANNER_KEY):
        values = fmt.count(count, "illustratieve waarde", "illustratieve waarden")
        with st.expander(f"Demo: {values}", icon=":material/science:"):
            st.markdown(
                f"**Dit dashboard bevat {values} (demo), geen metingen.** "
                f"Ze zijn gemarkeerd met ‘illustratief’ en open rondjes in de grafieken. {how}"
            )


SUMMARY_KEY = "samenvatting"
STATUS_LIST_KEY = "statuslijst"  # the phone's short list: status and name per KPI


def summary_line_markdown(line: SummaryLine) -> str:
    """One KPI as one line of Markdown: status badge (word, icon, colour), name, value, peildatum, target."""
    row = line.status
    when = md(line.peildatum) + (", illustratief" if line.illustrative else "")
    target = f" · {md(line.target)}" if line.target else ""
    return (f":{row.badge_colour}-badge[{row.material_icon} {row.word}] {md(line.name)}: **{md(line.value)}** "
            f"({when}){target}")


def kpi_status_list(lines: list[SummaryLine], groups: list[AgreementGroup] | None = None) -> None:
    """A phone's first screen (issue 21): every KPI's status and name, one short line each, under
    its agreement; shown only on narrow screens (ui/styles.py), where the summary's lines with
    value, peildatum and target wrap to two or three rows each and seven no longer fit. The
    summary and the cards follow it with the details."""
    with st.container(key=STATUS_LIST_KEY):
        for group in groups or [None]:
            if group is not None:
                st.markdown(f"**{md(group.heading)}**" + (" · *afgesloten*" if group.closed else ""))
            for line in (group.lines if group is not None else lines):
                row = line.status
                with st.container(key=f"{STATUS_LIST_KEY}_{line.code}"):
                    st.markdown(f":{row.badge_colour}-badge[{row.material_icon} {row.word}] {md(line.name)}"
                                + (" (illustratief)" if line.illustrative else ""))


def kpi_summary(lines: list[SummaryLine], groups: list[AgreementGroup] | None = None) -> None:
    """The overview's first screen: every KPI on one line, so all of them fit a beamer;
    with `groups`, under the name of their agreement (newest first), one line about it below.
    On a phone the short status list (kpi_status_list) comes first."""
    with st.container(key=SUMMARY_KEY):
        for group in groups or [None]:
            if group is not None:
                with st.container(key=f"akkoord_{_key(group.heading)}"):
                    st.markdown(f"**{md(group.heading)}**" + (" · *afgesloten*" if group.closed else ""))
                    st.caption(md(group.about))
            for line in (group.lines if group is not None else lines):
                with st.container(key=f"{SUMMARY_KEY}_{line.code}"):
                    st.markdown(summary_line_markdown(line))


def _key(text: str) -> str:
    """A widget-key-safe form of a name ('Binnenstadakkoord Assen 2018' -> 'binnenstadakkoord_assen_2018')."""
    return "".join(c if c.isalnum() else "_" for c in text.casefold())


def status_badge(status: str) -> None:
    """Status in words, icon and colour (never colour alone)."""
    row = statuses.status(status)
    st.badge(status, icon=row.material_icon, color=row.badge_colour)


def _metric_delta(r: KpiResult) -> tuple[str | None, str, str]:
    """(text, colour, arrow) for st.metric: the change since the previous counting measurement."""
    if r.change is None or r.previous is None:
        return None, "off", "off"
    ind = r.indicator
    text = fmt.signed(r.change, ind.unit, ind.decimals).replace(fmt.MINUS, "-")
    text += f" t.o.v. {fmt.peildatum(r.previous.peildatum, r.previous.precision)}"
    if fmt.rounded(r.change, ind.decimals) == 0:
        return text, "off", "off"
    if units.unit(ind.unit).rank:  # '3 plaatsen gestegen': the words carry the direction, the arrow follows them
        return text, "normal", "up" if r.change < 0 else "down"
    return text, ("normal" if ind.direction == "hoger" else "inverse"), "auto"


def kpi_card(r: KpiResult, detail_page) -> None:
    """One KPI: value, peildatum, target, progress, status, change, trend and a sentence."""
    ind = r.indicator
    with st.container(border=True, key=f"card_{ind.code}"):
        st.markdown(f"#### {md(ind.name)}")
        status_badge(r.status)
        if r.latest is None:
            st.metric("Nieuwste waarde", "–")
        else:
            delta, colour, arrow = _metric_delta(r)
            label = f"Peildatum {fmt.peildatum(r.latest.peildatum, r.latest.precision)}"
            counted = r.series[r.series["counts"]]
            st.metric(
                label, value_text(r), delta=delta,
                delta_color=colour, delta_arrow=arrow, help=f"Bron: {md(r.latest.source)}",
            )
            if spark := sparkline_svg(counted["value"], dates=counted["peildatum"]):
                st.image(spark, width="stretch", alt=sparkline_text(r))
            if r.illustrative:
                st.badge("Illustratief – oordeel rust op demowaarden", icon=":material/science:", color="violet")
            elif r.shows_illustrative:
                st.caption("Illustratieve waarden staan er grijs bij en tellen niet mee.")
        st.markdown(f"**Doel:** {md(target_label(r))}")
        if r.target.horizon_assumed:
            st.caption(f"Horizon: {md(horizon_label(r))}")
        if r.progress_pct is not None:
            shown = min(max(r.progress_pct, 0.0), 100.0)
            base = (
                f"{fmt.signed(r.gap_pp, 'procent', relative_decimals(r))} t.o.v. landelijk"
                if r.target.comparison == BELOW_NATIONAL and r.gap_pp is not None
                else ""
            )
            st.progress(shown / 100, text=f"Voortgang {fmt.percent_against(r.progress_pct)} van basis naar doel"
                        + (f" ({base})" if base else ""))
        elif r.target.comparison == BELOW_NATIONAL and r.gap_pp is not None:
            st.caption(f"Verschil met landelijk: {fmt.signed(r.gap_pp, 'procent', relative_decimals(r))}")
        st.caption(md(summary_sentence(r)))
        st.caption(md(currency_text(r)))
        st.page_link(detail_page, label=f"Details {ind.name.lower()}", icon=":material/show_chart:",
                     query_params={"kpi": ind.code})


# ---- the message after a write -----------------------------------------------------------------

_FLASH_KEY = "flash"


def flash(message: str, kind: str = "success") -> None:
    """Say `message` at the top of the page's next run (a write ends with st.rerun, so that the
    page shows the stored state); `kind`: success, info, warning or error."""
    st.session_state[_FLASH_KEY] = (kind, message)


def show_flash() -> None:
    """Show (once) the message a write left for this run."""
    if pending := st.session_state.pop(_FLASH_KEY, None):
        kind, message = pending
        getattr(st, kind)(message)


# Longer tables scroll up and down in a box of their own, so the page below them stays near.
SCROLL_ROWS = 25


def wrapped_table(table, key: str, name: str, numeric=(), labelled: bool = False) -> None:
    """A display table whose text wraps inside its cells, the full width, one card per row on a
    phone: the werkplan's renderer (kpi.werkplan.tables.frame_html escapes every value). A long
    note, source or reason is read whole, without hovering, on every screen (issue 19). Over
    SCROLL_ROWS rows it scrolls in a box, a region called `name`; `labelled`: on a phone the
    card's first value also shows its column's name."""
    css = "wp-cards wp-labelled" if labelled else "wp-cards"
    scroll = name if len(table) > SCROLL_ROWS else None
    with st.container(key=key):
        st.html(frame_html(table, css=css, numeric=numeric, scroll_label=scroll))
