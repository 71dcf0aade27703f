"""Vergelijken: the chosen centre among its werkgroep (issue 21.4): per shared indicator the
small multiples with the median, the centre's place, an index or per-denominator view. The
choices are in the URL (?indicator=, ?weergave=, ?basisjaar=), so a link shows the same view."""

import streamlit as st

from kpi.benchmark import INDEX, VALUE, VIEWS
from kpi.benchmark.charts import CHART_CONFIG, MEDIAN_NAME
from ui import data
from ui.components import md


def render() -> None:
    st.title("Vergelijken met de werkgroep")
    area = data.settings().area
    indicators = data.benchmark_indicators()
    if not indicators:
        st.info(f"{md(area)} heeft nog niets om mee te vergelijken: het hoort bij geen werkgroep, of de "
                "centra van zijn werkgroep delen geen indicator. Een werkgroep is data (de kolom werkgroep "
                "van een gebied); `python -m kpi demo` voegt een voorbeeldwerkgroep met fictieve centra toe.",
                icon=":material/info:")
        return
    left, middle, right = st.columns([2, 2, 1])
    with left:
        code = st.selectbox("Indicator", list(indicators), format_func=indicators.get, key="indicator",
                            bind="query-params")
    with middle:
        view = st.selectbox("Weergave", list(VIEWS), format_func=VIEWS.get, key="weergave", bind="query-params")
    base_year = None
    if view == INDEX:
        years = sorted(int(y) for y in data.benchmark(code, VALUE, None).series["year"].unique())
        default = data.benchmark(code, INDEX, None).base_year  # the centre's own first year
        with right:
            base_year = st.selectbox("Basisjaar (= 100)", years, key="basisjaar", bind="query-params",
                                     index=years.index(default) if default in years else 0) if years else None
    b = data.benchmark(code, view, base_year)
    members = len(b.ranking)
    st.markdown(f"**{md(b.sentence())}**")
    st.caption(f"Maatstaf: {md(b.measure)}. Werkgroep: {md(b.group or 'geen')} ({members} centra). "
               f"De oranje stippellijn is de {MEDIAN_NAME} (alle centra, ook {md(area)}); per centrum telt het "
               "nieuwste cijfer van elk jaar.")
    if b.fictional:
        st.info(f"**Illustratief:** {', '.join(md(a) for a in sorted(b.fictional))} "
                f"{'is een fictief centrum' if len(b.fictional) == 1 else 'zijn fictieve centra'} met verzonnen "
                "cijfers (demo), geen echte plaatsen. Open rondjes zijn illustratieve waarden.",
                icon=":material/science:")
    if b.unavailable:
        st.info(md(b.unavailable), icon=":material/info:")
        return
    st.plotly_chart(data.benchmark_figure(b), config=CHART_CONFIG, key="benchmark_chart")
    st.markdown(f"#### Plaats in {b.rank_year}" if b.rank_year else "#### Plaats")
    st.table(data.benchmark_table(b), hide_index=True)
