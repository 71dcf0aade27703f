"""Afmelden: the unsubscribe link in every digest (?token=...) leads here; no login needed,
the token is the proof. Unsubscribing is a one-row import through ui/data.py."""

import streamlit as st

from kpi.importer import ImportRefused
from ui import data, frame
from ui.components import md


def render() -> None:
    st.title("Afmelden voor de samenvatting")
    token = str(st.query_params.get("token", ""))
    if done := st.session_state.pop("unsubscribe_flash", None):
        st.success(f"{md(done)} is afgemeld en krijgt geen samenvattingen meer.")
        return
    found = data.subscriber_for_link(token) if token else None
    if found is None:
        st.warning("Deze afmeldlink is onbekend of niet meer geldig. Vraag het programmabureau om u af te melden.")
        return
    if not found["active"]:
        st.info(f"{md(found['email'])} is al afgemeld.")
        return
    st.markdown(f"U krijgt de samenvatting van de Binnenstadmonitor op **{md(found['email'])}**.")
    if st.button("Afmelden", type="primary", key="unsubscribe"):
        try:
            st.session_state["unsubscribe_flash"] = data.unsubscribe(token)
        except ImportRefused as exc:
            st.error(str(exc))
        else:
            st.rerun()


if __name__ == "__main__":  # a cold first request can run this file on its own: build the frame
    frame.run()
