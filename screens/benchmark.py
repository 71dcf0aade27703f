"""Vergelijken: the chosen centre among its werkgroep (issue 21.4): per shared indicator the
small multiples with the median, the centre's place, an index or per-denominator view. The
choices are in the URL (?indicator=, ?weergave=, ?basisjaar=), so a link shows the same view."""

import streamlit as st

from kpi.benchmark import INDEX, VALUE, VIEWS
from kpi.benchmark.charts import CHART_CONFIG, MEDIAN_NAME
from kpi.werkplan.tables import frame_html
from ui import data
from ui.components import md


def _to_url(param: str) -> None:
    st.query_params[param] = str(st.session_state[f"bm_{param}"])


def _url_choice(label: str, param: str, options: list, default, format_func=str):
    """A select box whose choice is ?param= (the URL read first, so a shared link shows the same
    view; a value the box does not offer falls back to `default`)."""
    asked = st.query_params.get(param)
    by_text = {str(o): o for o in options}
    value = by_text.get(str(asked), default) if asked is not None else default
    st.session_state[f"bm_{param}"] = value
    chosen = st.selectbox(label, options, key=f"bm_{param}", format_func=format_func,
                          on_change=_to_url, args=(param,))
    st.query_params[param] = str(chosen)
    return chosen


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
        code = _url_choice("Indicator", "indicator", list(indicators), next(iter(indicators)), indicators.get)
    with middle:
        view = _url_choice("Weergave", "weergave", list(VIEWS), VALUE, VIEWS.get)
    base_year = None
    if view == INDEX:
        years = sorted(int(y) for y in data.benchmark(code, VALUE, None).series["year"].unique())
        default = data.benchmark(code, INDEX, None).base_year  # the centre's own first year
        with right:
            base_year = _url_choice("Basisjaar (= 100)", "basisjaar", years,
                                    default if default in years else years[0]) if years else None
    b = data.benchmark(code, view, base_year)
    members = len(b.ranking)
    st.markdown(f"**{md(b.sentence())}**")
    # A viewer limited by KPI_VIEWER_AREAS compares with the centres they may see only: say so.
    limited = data.visible_areas() is not None
    st.caption(f"Maatstaf: {md(b.measure)}. Werkgroep: {md(b.group or 'geen')} ({members} centra"
               f"{' die u hier mag zien' if limited else ''}). De oranje stippellijn is de {MEDIAN_NAME} "
               f"({'van die centra' if limited else 'alle centra'}, ook {md(area)}); per centrum telt het "
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
    # A wrapping HTML table, one card per row on a phone (every value escaped by frame_html).
    st.html(frame_html(data.benchmark_table(b), numeric=("Plaats", "Waarde")))
