"""Overzicht: every KPI on one line (the first screen), grouped by agreement (newest first),
then one card per KPI under the same headings."""

import streamlit as st

from kpi import formatting as fmt
from kpi import statuses
from kpi.tables import agreement_groups, summary_lines
from kpi.text import ASSUMED_NOTE, newest_recorded_text
from ui import data, frame
from ui.components import kpi_card, kpi_status_list, kpi_summary, md


def render() -> None:
    results = data.results()
    groups = agreement_groups(results)
    st.title("Stand van de binnenstad")
    counts = statuses.counts([r.status for r in results])
    st.markdown(f"**{md(data.settings().area)}** · "
                + (" · ".join(f"**{n}** {s}" for s, n in counts) or "nog geen KPI's"))
    if not results:  # a centre whose targets are not read in yet (the demo's Brugdorp)
        st.info(f"{md(data.settings().area)} heeft nog geen KPI's met een doel. Een doelenbestand op "
                "*Importeren* legt ze vast; tot dan staan de cijfers van dit centrum onder *Vergelijken*.")
        return
    lines = summary_lines(results)
    kpi_status_list(lines, groups)  # on a phone: every KPI's status and name on the first screen
    kpi_summary(lines, groups)  # every KPI on the first screen of a laptop or beamer; the cards follow
    if any(r.target.horizon_assumed for r in results):
        st.caption(md(ASSUMED_NOTE))
    shaky = sum(r.illustrative for r in results)
    if shaky:
        st.caption(f"{fmt.number(shaky)} van de {fmt.number(len(results))} oordelen "
                   f"{'rust' if shaky == 1 else 'rusten'} op illustratieve waarden.")
    st.caption(f"{md(newest_recorded_text(results))}. "
               "Status van de doelen per akkoord volgens de regels onder *Bronnen en definities*; "
               "een afgesloten akkoord houdt zijn eindoordeel.")

    st.page_link(frame.page("vergadering"), label="Vergadermodus (voor de beamer)", icon=":material/co_present:")

    # Row by row, so that on a phone (where columns stack) the cards keep their order.
    detail = frame.page("kpi")
    for group in groups:
        st.subheader(group.heading + (" (afgesloten)" if group.closed else ""))
        st.caption(md(group.about + (f" · bron: {group.source}" if group.source else "")))
        for start in range(0, len(group.results), 3):
            for column, r in zip(st.columns(3, gap="medium"), group.results[start:start + 3]):
                with column:
                    kpi_card(r, detail)
