"""Gebeurtenissen (editors): dated events shown on the charts and in the reports."""

import datetime as dt

import streamlit as st

from kpi import formatting as fmt
from kpi.tables import events_table
from ui import auth, data
from ui.components import flash, show_flash


def render() -> None:
    auth.require_editor()
    st.title("Gebeurtenissen")
    st.caption("Bijvoorbeeld de opening van een parkeergarage of een lockdown. Ze verschijnen als verticale lijn "
               "met tekst in de grafieken en in de rapporten.")
    show_flash()

    results = data.results()
    names = {r.indicator.code: r.indicator.name for r in results}
    with st.form("event_form", clear_on_submit=True):
        day = st.date_input("Datum", value=dt.date.today(), format="DD-MM-YYYY", key="event_date",
                            min_value=dt.date(2000, 1, 1))
        text = st.text_input("Korte omschrijving", max_chars=data.MAX_EVENT_TEXT, key="event_text")
        code = st.selectbox("Bij KPI", [None, *names], key="event_kpi",
                            format_func=lambda c: "Alle KPI's" if c is None else names[c])
        user = auth.name_field("Uw naam", key="event_user")
        if st.form_submit_button("Toevoegen"):
            try:
                data.add_event(day, text, indicator=code, user=user or "redacteur")
            except data.EventError as exc:
                st.error(str(exc))
            else:
                flash("De gebeurtenis is toegevoegd.")
                st.rerun()

    # Editors see every stored event, also those of other areas.
    events = data.all_events()
    st.subheader("Vastgelegde gebeurtenissen")
    if events.empty:
        st.caption("Er zijn nog geen gebeurtenissen vastgelegd.")
        return
    st.dataframe(events_table(events, names), hide_index=True, key="events_table")

    st.subheader("Gebeurtenis verwijderen")
    labels = {i: f"{fmt.peildatum(d, 'dag')}: {t}"
              for i, d, t in zip(events["id"], events["event_date"], events["text"])}
    choice = st.selectbox("Gebeurtenis", list(labels), format_func=labels.get, key="event_delete_choice")
    if st.button("Verwijderen", key="event_delete"):
        data.delete_event(int(choice), user=auth.editor_name() or st.session_state.get("event_user") or "redacteur")
        flash("De gebeurtenis is verwijderd.")
        st.rerun()
