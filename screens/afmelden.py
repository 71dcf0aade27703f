"""Afmelden: the unsubscribe link in every digest (?token=...) leads here; no login needed,
the token is the proof. Unsubscribing is a one-row import through ui/data.py. The page is in
the navigation for everyone but in no menu (ui.frame: PageSpec.unlisted)."""

import streamlit as st

from ui import data
from ui.components import md


def render() -> None:
    st.title("Afmelden voor de samenvatting")
    token = str(st.query_params.get("token", ""))
    found = data.subscriber_for_link(token) if token else None
    if found is None:
        st.warning("Deze afmeldlink is onbekend of niet meer geldig. Vraag het programmabureau om u af te melden.")
        return
    if not found["active"]:
        st.info(f"{md(found['email'])} is al afgemeld.")
        return
    # One box, replaced by the outcome: no rerun, which would only say "al afgemeld".
    box = st.empty()
    with box.container():
        st.markdown(f"U krijgt de samenvatting van de Binnenstadmonitor op **{md(found['email'])}**.")
        clicked = st.button("Afmelden", type="primary", key="unsubscribe")
    if clicked:
        try:
            done = data.unsubscribe(token)
        except data.ImportRefused as exc:
            st.error(str(exc))
        else:
            box.success(f"{md(done or found['email'])} is afgemeld en krijgt geen samenvattingen meer.")
