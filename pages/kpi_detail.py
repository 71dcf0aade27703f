"""One KPI in detail; the choice lives in the URL (?kpi=banen) so a link can be shared."""

import streamlit as st

from ui import frame

frame.ensure()

import pandas as pd  # noqa: E402

from kpi import formatting as fmt  # noqa: E402
from kpi.events import for_indicator  # noqa: E402
from kpi.export import csv_bytes  # noqa: E402
from kpi.text import summary_sentence, target_short  # noqa: E402
from ui import data  # noqa: E402
from ui.components import export_frame, md, provenance_table, status_badge  # noqa: E402

results = data.results()
by_code = {r.indicator.code: r for r in results}
if not by_code:
    st.info("Er zijn nog geen KPI's met een doel vastgelegd.")
    st.stop()
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
st.markdown(md(summary_sentence(r)))
st.caption(f"Waarom deze status: {md(r.status_reason)} · Laatst bijgewerkt: {fmt.timestamp(r.last_updated)} (UTC)")

c1, c2, c3, c4 = st.columns(4)
c1.metric("Nieuwste waarde", fmt.value(r.latest.value, ind.unit, ind.decimals) if r.latest else "–",
          help=("Illustratieve waarde – geen meting" if r.latest and r.latest.illustrative else None))
c2.metric("Peildatum", fmt.peildatum(r.latest.peildatum, r.latest.precision) if r.latest else "–")
c3.metric("Doel" + (f" ({r.target.target_year})" if r.target.target_year else "")
          + (" – landelijk cijfer" if r.target.comparison == "onder_landelijk" else ""), target_short(r))
c4.metric("Voortgang", fmt.percent(r.progress_pct))
if r.projected_at_target_year is not None:
    st.markdown(f"Bij het huidige tempo: {fmt.value(r.projected_at_target_year, ind.unit, ind.decimals)} in {r.target.target_year}.")
if r.latest is not None and (r.target.target_value is not None or r.gap_pp is not None):
    st.markdown("Doel bereikt bij het huidige tempo: "
                + (f"**{r.year_reached}**." if r.year_reached else "**niet in dit tempo**."))

st.plotly_chart(data.figure(code), key="kpi_chart", config={"displaylogo": False, "locale": "nl"})

events = data.events()
mine = for_indicator(events, code)
if not mine.empty:
    st.subheader("Gebeurtenissen")
    st.dataframe(mine.assign(Datum=[fmt.peildatum(pd.Timestamp(d), "dag") for d in mine["event_date"]])
                 [["Datum", "text"]].rename(columns={"text": "Gebeurtenis"}), hide_index=True, key="kpi_events")

st.subheader("Metingen")
table = provenance_table(r)
st.dataframe(table, hide_index=True, key="kpi_table")
st.download_button("Download als CSV", csv_bytes(export_frame(r)), file_name=f"{code}.csv",
                   mime="text/csv", key="kpi_csv")

st.subheader("Definitie en bron")
st.markdown(md(ind.definition))
st.caption(f"Bron: {md(ind.source)} · Frequentie: {md(ind.frequency)} · Doel vastgelegd in: {md(r.target.source)}")
