"""Overzicht: one card per Binnenstadakkoord KPI."""

import streamlit as st

from ui import frame

frame.ensure()

from kpi import formatting as fmt  # noqa: E402
from kpi import statuses  # noqa: E402
from ui import data  # noqa: E402
from ui.components import kpi_card, md  # noqa: E402

results = data.results()
st.title("Stand van de binnenstad")
st.markdown(f"**{md(data.settings().area)}** · doelen van het Binnenstadakkoord")
counts = statuses.counts([r.status for r in results])
shaky = sum(r.illustrative for r in results)
st.markdown(" · ".join(f"**{n}** {s}" for s, n in counts) or "Nog geen KPI's.")
if shaky:
    st.caption(f"{fmt.number(shaky)} van de {fmt.number(len(results))} oordelen rusten op illustratieve waarden.")
newest = max((r.latest.recorded_at for r in results if r.latest is not None), default=None)
st.caption(f"Laatst bijgewerkt: {fmt.timestamp(newest)} (UTC). Status volgens de regels onder *Bronnen en definities*.")

st.page_link(frame.page_path("vergadering.py"), label="Vergadermodus (voor de beamer)",
             icon=":material/co_present:")

# Row by row, so that on a phone (where columns stack) the cards keep their order.
for start in range(0, len(results), 3):
    for column, r in zip(st.columns(3, gap="medium"), results[start:start + 3]):
        with column:
            kpi_card(r, frame.page_path("kpi.py"))
