"""Bronnen en definities: what each KPI measures, where it comes from, how fresh it is."""

import streamlit as st

from kpi import formatting as fmt
from kpi.tables import target_history_table
from ui import data, frame
from ui.components import md


def render() -> None:
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
    st.markdown(STATUS_RULES)

    st.subheader("Doelen en hun versies")
    names = {r.indicator.code: r.indicator.name for r in results}
    st.dataframe(target_history_table(data.target_history(), names), hide_index=True, key="target_history")


STATUS_RULES = """
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


if __name__ == "__main__":  # a cold first request can run this file on its own: build the frame
    frame.run()
