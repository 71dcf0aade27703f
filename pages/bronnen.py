"""Bronnen en definities: what each KPI measures, where it comes from, how fresh it is."""

import streamlit as st

from ui import frame

frame.ensure()

import pandas as pd  # noqa: E402

from kpi import formatting as fmt  # noqa: E402
from kpi import provenance, repository, statuses  # noqa: E402
from ui import data  # noqa: E402
from ui.components import md  # noqa: E402

results = data.results()
st.title("Bronnen en definities")
for r in results:
    ind = r.indicator
    with st.container(border=True, key=f"bron_{ind.code}"):
        st.markdown(f"#### {md(ind.name)}")
        st.markdown(md(ind.definition))
        latest = fmt.peildatum(r.latest.peildatum, r.latest.precision) if r.latest else "nog geen meting"
        st.markdown(
            f"- **Bron:** {md(ind.source)}\n"
            f"- **Bijgewerkt:** {md(ind.frequency)}\n"
            f"- **Nieuwste cijfer:** {md(latest)}"
            + (" (illustratief, geen meting)" if r.latest and r.latest.illustrative else "") + "\n"
            f"- **Doel:** {md(r.target.source)}"
        )
        known = provenance.statements(r)
        if known:
            st.markdown("**Wat is bekend, wat niet, en wat is aangenomen**")
            st.markdown("\n".join(f"- *{md(kind)}:* {md(text)}" for kind, text in known))

st.subheader("Zo wordt de status bepaald")
st.markdown("Eerst telt: zodra er na het basisjaar een echte meting is, spelen illustratieve waarden (ook "
            "landelijke) geen rol meer in oordeel, trend, verandering en projectie; ze blijven grijs zichtbaar. "
            "Daarna gelden deze regels, in deze volgorde (de eerste die opgaat, beslist):")
# The rules are the code's own text (kpi/statuses.RULES), not stored user text: Markdown is meant.
st.markdown("\n".join(f"{i}. **{statuses.labelled(rule.status)}** – {rule.text}"
                       for i, rule in enumerate(statuses.RULES, start=1)))

st.subheader("Doelen en hun versies")
hist = repository.load_target_history(data.engine())
ind_names = {r.indicator.code: r.indicator.name for r in results}
st.dataframe(pd.DataFrame({
    "KPI": hist["indicator"].map(lambda c: ind_names.get(c, c)),
    "Versie": hist["version"],
    "Basis": [fmt.number(v, 1) if pd.notna(v) else "–" for v in hist["baseline_value"]],
    "Basisjaar": [str(int(v)) if pd.notna(v) else "–" for v in hist["baseline_year"]],
    "Doel": [fmt.number(v, 1) if pd.notna(v) else ("onder landelijk" if c == "onder_landelijk" else "–")
             for v, c in zip(hist["target_value"], hist["comparison"])],
    "Doeljaar": [str(int(v)) if pd.notna(v) else "–" for v in hist["target_year"]],
    "Horizon": [str(int(y)) if pd.notna(y) else (f"{int(h)} (aanname)" if pd.notna(h) else "–")
                for y, h in zip(hist["target_year"], hist["horizon_year"])],
    "Landelijk bij de start": [fmt.number(v, 1) if pd.notna(v) else "–" for v in hist["baseline_benchmark"]],
    "Geldig vanaf": [fmt.peildatum(pd.Timestamp(d), "dag") for d in hist["valid_from"]],
    "Reden": hist["reason"],
    "Bron": hist["source"],
}), hide_index=True, key="target_history")
