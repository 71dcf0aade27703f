"""Bronnen en definities: what each KPI measures, where it comes from, how fresh it is."""

import streamlit as st

from kpi import formatting as fmt
from kpi import provenance, statuses
from kpi.tables import target_history_table, target_versions_table
from kpi.werkplan.tables import frame_html
from ui import data
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
            known = provenance.statements(r)
            if known:
                st.markdown("**Wat is bekend, wat niet, en wat is aangenomen**")
                st.markdown("\n".join(f"- *{md(kind)}:* {md(text)}" for kind, text in known))

    st.subheader("Zo wordt de status bepaald")
    st.markdown("Eerst telt: zodra er na het basisjaar een echte meting is, spelen illustratieve waarden (ook "
                "landelijke) geen rol meer in oordeel, trend, verandering en projectie; ze blijven grijs "
                "zichtbaar. Daarna gelden deze regels, in deze volgorde (de eerste die opgaat, beslist):")
    # The rules are the code's own text (kpi/statuses.RULES), not stored user text: Markdown is meant.
    st.markdown("\n".join(f"{i}. **{statuses.labelled(rule.status)}** – {rule.text}"
                          for i, rule in enumerate(statuses.RULES, start=1)))

    st.subheader("Doelen en hun versies")
    indicators = {r.indicator.code: r.indicator for r in results}
    # Wrapped text in a table of its own (a card per version on a phone): the reasons and sources are
    # long, and a canvas table cut them off; the values are escaped there.
    with st.container(key="target_history"):
        st.html(frame_html(target_versions_table(target_history_table(data.target_history(), indicators)),
                           numeric=["Versie"]))
