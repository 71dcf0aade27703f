"""Shared rendering pieces: banner, KPI card, provenance table, safe text."""

from __future__ import annotations

import re

import streamlit as st

from kpi import formatting as fmt
from kpi.charts import sparkline_svg
from kpi.metrics import BELOW_NATIONAL, KpiResult
from kpi.text import summary_sentence, target_label

STATUS_BADGE_COLOURS = {
    "gehaald": "green", "op koers": "blue", "risico": "orange", "achter": "red",
    "geen recente data": "gray",
}
STATUS_BADGE_ICONS = {
    "gehaald": ":material/check_circle:", "op koers": ":material/trending_up:",
    "risico": ":material/warning:", "achter": ":material/cancel:",
    "geen recente data": ":material/help:",
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=\\:)|(?<=http)(?=\\:)|(?<=\bw)(?=ww\\\.)|(?<=\w)(?=@\w)")
WORD_JOINER = "\u2060"


def md(text: object) -> str:
    """Escape Markdown so stored text (sources, notes, names) shows literally, never as a link."""
    # Streamlit also links bare URLs (http://, www., a@b.nl), escaped or not; an invisible
    # word joiner inside them stops that and changes nothing on screen.
    return _AUTOLINK.sub(WORD_JOINER, _MD_SPECIAL.sub(r"\\\1", str(text)))


def illustrative_banner(count: int) -> None:
    """A visible notice on every page while illustrative values are stored."""
    if count:
        st.warning(
            f"**Let op: dit dashboard bevat {fmt.number(count)} illustratieve waarden (demo), geen "
            "metingen.** Ze zijn gemarkeerd met ‘illustratief’ en open rondjes in de grafieken. "
            "Een redacteur vervangt ze door echte cijfers via *Importeren*, of verwijdert ze met "
            "`python -m kpi demo --remove`.",
            icon=":material/warning:",
        )


def status_badge(status: str) -> None:
    """Status in words, icon and colour (never colour alone)."""
    st.badge(status, icon=STATUS_BADGE_ICONS.get(status), color=STATUS_BADGE_COLOURS.get(status, "gray"))


def _metric_delta(r: KpiResult) -> tuple[str | None, str]:
    if r.change is None or r.previous is None:
        return None, "off"
    ind = r.indicator
    text = fmt.signed(r.change, ind.unit, ind.decimals).replace(fmt.MINUS, "-")
    text += f" t.o.v. {fmt.peildatum(r.previous.peildatum, r.previous.precision)}"
    return text, ("normal" if ind.direction == "hoger" else "inverse")


def kpi_card(r: KpiResult, detail_page) -> None:
    """One KPI: value, peildatum, target, progress, status, change, trend and a sentence."""
    ind = r.indicator
    with st.container(border=True, key=f"card_{ind.code}"):
        st.markdown(f"#### {md(ind.name)}")
        status_badge(r.status)
        if r.latest is None:
            st.metric("Nieuwste waarde", "–")
        else:
            delta, colour = _metric_delta(r)
            label = f"Peildatum {fmt.peildatum(r.latest.peildatum, r.latest.precision)}"
            st.metric(
                label, fmt.value(r.latest.value, ind.unit, ind.decimals), delta=delta,
                delta_color=colour, help=f"Bron: {md(r.latest.source)}",
            )
            if spark := sparkline_svg(r.series["value"]):
                st.image(spark, width="stretch", alt=f"Trendlijn van {len(r.series)} metingen")
            if r.latest.illustrative:
                st.badge("Illustratief – geen meting", icon=":material/science:", color="violet")
        st.markdown(f"**Doel:** {md(target_label(r))}")
        if r.progress_pct is not None:
            shown = min(max(r.progress_pct, 0.0), 100.0)
            base = (
                f"{fmt.number(r.gap_pp, 1)} procentpunt boven landelijk"
                if r.target.comparison == BELOW_NATIONAL and r.gap_pp is not None
                else ""
            )
            st.progress(shown / 100, text=f"Voortgang {fmt.percent(r.progress_pct)} van basis naar doel"
                        + (f" ({base})" if base else ""))
        elif r.target.comparison == BELOW_NATIONAL and r.gap_pp is not None:
            st.caption(f"Verschil met landelijk: {fmt.signed(r.gap_pp, 'procent', 1)}")
        st.caption(md(summary_sentence(r)))
        st.caption(f"Bijgewerkt: {fmt.timestamp(r.last_updated)} (UTC)")
        st.page_link(detail_page, label=f"Details {ind.name.lower()}", icon=":material/show_chart:",
                     query_params={"kpi": ind.code})
