"""Wat is er veranderd: new measurements, revised values and status changes since a date
(?sinds=2026-10-01), and the dashboard as it was known on that date."""

import datetime as dt

import streamlit as st

from ui import frame

frame.ensure()

from kpi import changes  # noqa: E402
from kpi import formatting as fmt  # noqa: E402
from kpi.reports.model import status_table  # noqa: E402
from ui import data  # noqa: E402
from ui.components import md  # noqa: E402

today = dt.date.today()
try:
    default = dt.date.fromisoformat(str(st.query_params.get("sinds", "")))
except ValueError:
    default = today - dt.timedelta(days=28)
default = min(default, today)

st.title("Wat is er veranderd?")
since = st.date_input("Sinds (bijvoorbeeld de datum van de vorige vergadering)", value=default,
                      max_value=today, format="DD-MM-YYYY", key="changes_since")
st.query_params["sinds"] = since.isoformat()
ch = changes.compare(data.snapshot(changes.end_of_day(since)), data.snapshot(), data.settings(), since, today)

st.markdown(f"**{md(changes.headline(ch))}**")
st.caption("Vergeleken worden de gegevens zoals bekend aan het einde van die dag (UTC) met de gegevens nu.")


def _section(title: str, table, empty: str, key: str) -> None:
    st.subheader(title)
    if table.empty:
        st.caption(empty)
    else:
        st.dataframe(table, hide_index=True, key=key)


_section("Nieuwe metingen", changes.new_table(ch), "Geen nieuwe metingen.", "changes_new")
_section("Herziene waarden", changes.revised_table(ch), "Geen herziene waarden.", "changes_revised")
_section("Gewijzigde status", changes.status_table(ch), "Geen statuswijzigingen.", "changes_status")
if not ch.removed.empty:
    _section("Vervallen waarden", changes.removed_table(ch), "", "changes_removed")
if not ch.targets.empty:
    _section("Gewijzigde doelen", changes.target_table(ch), "", "changes_targets")

st.subheader(f"Het dashboard zoals bekend op {fmt.peildatum(since, 'dag')}")
if ch.before:
    st.dataframe(status_table(ch.before), hide_index=True, key="changes_as_known")
else:
    st.caption("Op die datum waren er nog geen KPI's met een doel vastgelegd.")
st.page_link(frame.page_path("rapporten.py"), label="Briefing van die datum maken", icon=":material/description:",
             query_params={"stand": since.isoformat()})
