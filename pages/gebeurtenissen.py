"""Gebeurtenissen (editors): dated events shown on the charts and in the reports."""

import datetime as dt

import streamlit as st

from ui import frame

frame.ensure()

import pandas as pd  # noqa: E402

from kpi import events as event_store  # noqa: E402
from kpi import formatting as fmt  # noqa: E402
from ui import auth, data  # noqa: E402

auth.require_editor()
st.title("Gebeurtenissen")
st.caption("Bijvoorbeeld de opening van een parkeergarage of een lockdown. Ze verschijnen als verticale lijn "
           "met tekst in de grafieken en in de rapporten.")
if msg := st.session_state.pop("events_flash", None):
    st.success(msg)

results = data.results()
names = {r.indicator.code: r.indicator.name for r in results}
with st.form("event_form", clear_on_submit=True):
    day = st.date_input("Datum", value=dt.date.today(), format="DD-MM-YYYY", key="event_date",
                        min_value=dt.date(2000, 1, 1))
    text = st.text_input("Korte omschrijving", max_chars=event_store.MAX_TEXT_LENGTH, key="event_text")
    code = st.selectbox("Bij KPI", [None, *names], key="event_kpi",
                        format_func=lambda c: "Alle KPI's" if c is None else names[c])
    user = st.text_input("Uw naam", max_chars=200, key="event_user")
    if st.form_submit_button("Toevoegen"):
        try:
            event_store.add_event(data.engine(), day, text, indicator=code, area=data.settings().area,
                                  user=user or "redacteur")
        except event_store.EventError as exc:
            st.error(str(exc))
        else:
            data.clear_after_change()
            st.session_state["events_flash"] = "De gebeurtenis is toegevoegd."
            st.rerun()

# Editors see every stored event, also those of other areas (not cached: the live list).
events = event_store.list_events(data.engine())
st.subheader("Vastgelegde gebeurtenissen")
if events.empty:
    st.caption("Er zijn nog geen gebeurtenissen vastgelegd.")
    st.stop()
st.dataframe(pd.DataFrame({
    "Datum": [fmt.peildatum(d, "dag") for d in events["event_date"]],
    "Gebeurtenis": events["text"],
    "KPI": [names.get(c, c) if c else "Alle KPI's" for c in events["indicator"]],
    "Gebied": [a or "Alle gebieden" for a in events["area"]],
    "Door": events["created_by"],
    "Vastgelegd (UTC)": [fmt.timestamp(pd.Timestamp(t)) for t in events["created_at"]],
}), hide_index=True, key="events_table")

st.subheader("Gebeurtenis verwijderen")
labels = {i: f"{fmt.peildatum(d, 'dag')}: {t}" for i, d, t in zip(events["id"], events["event_date"], events["text"])}
choice = st.selectbox("Gebeurtenis", list(labels), format_func=labels.get, key="event_delete_choice")
if st.button("Verwijderen", key="event_delete"):
    event_store.delete_event(data.engine(), int(choice), user=st.session_state.get("event_user") or "redacteur")
    data.clear_after_change()
    st.session_state["events_flash"] = "De gebeurtenis is verwijderd."
    st.rerun()
