"""Editor role: viewing is open; importing, undoing and editing targets need the editor password."""

from __future__ import annotations

import hmac

import streamlit as st

from ui.data import settings

_KEY = "is_editor"


def is_editor() -> bool:
    """True when this session logged in as editor."""
    return bool(st.session_state.get(_KEY, False))


def check_password(given: str, expected: str) -> bool:
    """Constant-time comparison; an unset password never matches."""
    if not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def login_box() -> None:
    """Sidebar login/logout for editors."""
    with st.sidebar:
        if is_editor():
            st.caption("Ingelogd als redacteur.")
            if st.button("Uitloggen", key="auth_logout"):
                st.session_state[_KEY] = False
                st.rerun()
            return
        with st.expander("Inloggen als redacteur"):
            if not settings().editor_password:
                st.caption(
                    "Er is geen redacteurswachtwoord ingesteld (KPI_EDITOR_PASSWORD of "
                    ".streamlit/secrets.toml); bewerken is uitgeschakeld."
                )
                return
            with st.form("auth_form", border=False):
                pw = st.text_input("Wachtwoord", type="password", key="auth_password")
                if st.form_submit_button("Inloggen"):
                    if check_password(pw, settings().editor_password):
                        st.session_state[_KEY] = True
                        st.rerun()
                    else:
                        st.error("Onjuist wachtwoord.")


def require_editor() -> None:
    """Stop the page for viewers, also when the page is opened by its URL."""
    if not is_editor():
        st.warning("Deze pagina is alleen voor redacteuren. Log in via de zijbalk.")
        st.stop()
