"""KPI in detail (URL /kpi); the choice lives in the URL (?kpi=banen) so a link can be shared.
(Not kpi.py, which would shadow the `kpi` package.)"""

import streamlit as st

from kpi import formatting as fmt
from kpi.charts import CHART_CONFIG
from kpi.metrics import BELOW_NATIONAL, horizon_text
from kpi.tables import kpi_events_table
from kpi.text import chart_text, currency_text, summary_sentence, target_short, value_text
from ui import data
from ui.components import fitted_table, md, status_badge
from ui.werkplan_parts import kpi_section


def render() -> None:
    results = data.results()
    by_code = {r.indicator.code: r for r in results}
    if not by_code:
        st.info("Er zijn nog geen KPI's met een doel vastgelegd.")
        return
    requested = st.query_params.get("kpi")
    if requested not in by_code:
        if requested:
            st.warning(f"Onbekende KPI ‘{md(requested)}’; de eerste KPI wordt getoond.")
        requested = next(iter(by_code))
    code = st.selectbox("KPI", list(by_code), index=list(by_code).index(requested),
                        format_func=lambda c: by_code[c].indicator.name, key="kpi_choice")
    st.query_params["kpi"] = code
    r = by_code[code]
    ind = r.indicator

    st.title(md(ind.name))
    status_badge(r.status)
    # The notice on illustrative values is said once here, in the warning below (and in the banner).
    st.markdown(md(summary_sentence(r, demo_note=False)))
    st.caption(f"Waarom deze status: {md(r.status_reason)} · "
               f"{md(currency_text(r))}")

    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Nieuwste waarde", value_text(r))
    c2.metric("Peildatum", fmt.peildatum(r.latest.peildatum, r.latest.precision) if r.latest else "–")
    c3.metric("Doel" + (f" ({r.target.target_year})" if r.target.target_year else "")
              + (" – landelijk cijfer" if r.target.comparison == BELOW_NATIONAL else ""), target_short(r))
    c4.metric("Voortgang", fmt.percent_against(r.progress_pct))
    if r.illustrative:
        st.warning("Het oordeel over deze KPI rust op illustratieve waarden (demo), geen metingen.",
                   icon=":material/science:")
    elif r.shows_illustrative:
        st.caption("Illustratieve waarden staan grijs in grafiek en tabel en tellen niet mee: er zijn echte metingen.")
    if r.projected_at_target_year is not None:
        st.markdown(f"Bij het huidige tempo: {fmt.value(r.projected_at_target_year, ind.unit, ind.decimals)} "
                    f"in {r.target.horizon}.")
    if r.latest is not None and (r.target.target_value is not None or r.gap_pp is not None):
        st.markdown("Doel bereikt bij het huidige tempo: "
                    + (f"**{r.year_reached}**" if r.year_reached else "**niet in dit tempo**")
                    + f" (horizon: {md(horizon_text(r.target))}).")
    if r.reached is not None:
        st.markdown(f"Eerst gehaald: {fmt.peildatum(r.reached.peildatum, r.reached.precision)}"
                    + ("" if r.reached_on_time is None else (", op tijd." if r.reached_on_time else ", na het doeljaar.")))
    if r.baseline_gap_basis:
        st.caption(f"Afstand tot landelijk bij de start: {fmt.number(r.baseline_gap_pp, 1)} procentpunt, "
                   f"{md(r.baseline_gap_basis)}.")

    with st.container(key="kpi_chart_block", gap="small"):
        st.plotly_chart(data.figure(code), key="kpi_chart", config=CHART_CONFIG)
        # The chart's text alternative, right under it; the numbers are in the table below.
        st.caption(f"{md(chart_text(r, demo_note=False))} De cijfers staan in de tabel *Metingen* hieronder.")

    mine = data.events_for(code)
    if not mine.empty:
        st.subheader("Gebeurtenissen")
        st.dataframe(kpi_events_table(mine), hide_index=True, key="kpi_events")

    st.subheader("Metingen")
    table, total = data.measurements(code)
    fitted_table(table, "measurements", key="kpi_table")
    if len(table) < total:
        st.caption(f"{fmt.number(len(table))} van {fmt.number(total)} metingen getoond (de nieuwste); "
                   "de CSV-download bevat ze allemaal.")
    st.download_button("Download als CSV", data.kpi_csv(code), file_name=f"{code}.csv",
                       mime="text/csv", key="kpi_csv")

    st.subheader("Definitie en bron")
    st.markdown(md(ind.definition))
    st.caption(f"Bron: {md(ind.source)} · Frequentie: {md(ind.frequency)} · "
               f"Doel vastgelegd in: {md(r.target.source)}")

    # One demo notice besides the banner: the verdict's, or else the one on illustrative actions.
    kpi_section(code, ind.name, r.status, actions_note=not (r.illustrative or r.shows_illustrative))
