"""Overzicht: one card per Binnenstadakkoord KPI."""

import streamlit as st

from kpi import formatting as fmt
from kpi import statuses
from kpi.text import newest_recorded_text
from ui import data, frame
from ui.components import kpi_card, md


def render() -> None:
    results = data.results()
    st.title("Stand van de binnenstad")
    st.markdown(f"**{md(data.settings().area)}** · doelen van het Binnenstadakkoord")
    counts = statuses.counts([r.status for r in results])
    shaky = sum(r.illustrative for r in results)
    st.markdown(" · ".join(f"**{n}** {s}" for s, n in counts) or "Nog geen KPI's.")
    if shaky:
        st.caption(f"{fmt.number(shaky)} van de {fmt.number(len(results))} oordelen rusten op illustratieve waarden.")
    st.caption(f"{md(newest_recorded_text(results))}. "
               "Status volgens de regels onder *Bronnen en definities*.")

    st.page_link(frame.page("vergadering"), label="Vergadermodus (voor de beamer)", icon=":material/co_present:")

    # Row by row, so that on a phone (where columns stack) the cards keep their order.
    detail = frame.page("kpi")
    for start in range(0, len(results), 3):
        for column, r in zip(st.columns(3, gap="medium"), results[start:start + 3]):
            with column:
                kpi_card(r, detail)


if __name__ == "__main__":  # a cold first request can run this file on its own: build the frame
    frame.run()
