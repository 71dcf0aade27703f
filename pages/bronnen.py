"""Bronnen en definities: what each KPI measures, where it comes from, how fresh it is."""

import streamlit as st

from ui import frame

frame.ensure()

import pandas as pd  # noqa: E402

from kpi import formatting as fmt  # noqa: E402
from kpi import repository  # noqa: E402
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

st.subheader("Zo wordt de status bepaald")
st.markdown(
    """
1. **geen recente data** – er is geen meting, de nieuwste meting is ouder dan de maximale leeftijd van de
   indicator (standaard 3 jaar), of er is bij een relatief doel geen landelijk cijfer van dezelfde maatstaf
   en hetzelfde jaar.
2. **gehaald** – de nieuwste waarde haalt het doel (bij leegstand: strikt onder het landelijke cijfer van
   hetzelfde jaar en dezelfde maatstaf).
3. Met een doeljaar: **achter** als het doeljaar voorbij is zonder dat het doel gehaald is; **op koers** als
   de nieuwste waarde op of voor het benodigde pad ligt (rechte lijn van basiswaarde naar doel in het
   doeljaar); **risico** als ze achterloopt maar de trend het doel in het doeljaar haalt; anders **achter**.
4. Zonder doeljaar tellen twee signalen: de trend gaat richting het doel, en de waarde is beter dan de
   basiswaarde. Beide (of alleen de trend als er geen basiswaarde is): **op koers**; één van beide:
   **risico**; geen van beide: **achter**.
"""
)

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
    "Geldig vanaf": [fmt.peildatum(pd.Timestamp(d), "dag") for d in hist["valid_from"]],
    "Reden": hist["reason"],
    "Bron": hist["source"],
}), hide_index=True, key="target_history")
