"""Editor role: viewing is open; importing, undoing and editing targets need the editor password.

The password is hardened by kpi.login: a weak or example password is refused, failed tries
are slowed down and locked out per session and per client address, and every try is logged.
Sessions that logged in are registered (ui.guard), so the upload endpoint can refuse the rest.
"""

from __future__ import annotations

import hmac
import logging
import time
import uuid

import streamlit as st

from kpi.login import LoginThrottle, log_attempt, weak_password_reason
from ui import guard
from ui.data import report_weak_password, settings

_KEY = "is_editor"
_SESSION = "auth_session"
# One record for the whole server process: failures of every session and client address.
THROTTLE = LoginThrottle()
_sleep = time.sleep  # a name of its own, so tests can record the delays instead of waiting

# Login lines (kpi.auth, INFO and up) reach the server log also when nothing configured logging.
_log = logging.getLogger("kpi.auth")
_log.setLevel(logging.INFO)
if not _log.handlers and not logging.getLogger().handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _log.addHandler(_handler)


def is_editor() -> bool:
    """True when this session logged in as editor."""
    return bool(st.session_state.get(_KEY, False))


def check_password(given: str, expected: str) -> bool:
    """Constant-time comparison; an unset, weak or example password never matches."""
    if not expected or weak_password_reason(expected):
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _client() -> str:
    """The client's address as the server sees it (behind a reverse proxy: the proxy's; see README)."""
    try:
        address = st.context.ip_address
    except Exception:  # no request context (bare mode)
        address = None
    # Streamlit gives None for 127.0.0.1 and ::1 (and AppTest a mock): a local connection.
    return address if isinstance(address, str) and address else "lokaal"


def _session() -> str:
    return st.session_state.setdefault(_SESSION, uuid.uuid4().hex[:12])


def _wait_text(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minuut" if minutes == 1 else f"{minutes} minuten"


def _try_login(given: str, expected: str) -> None:
    client, session = _client(), _session()
    keys = [f"sessie:{session}", f"client:{client}"]
    throttle = THROTTLE
    locked = throttle.locked_for(keys)
    if locked > 0:
        log_attempt(False, client, session, locked=True)
        st.error(f"Te veel mislukte pogingen. Probeer het over {_wait_text(locked)} opnieuw.")
        return
    if check_password(given, expected):
        throttle.succeeded(keys)
        log_attempt(True, client, session)
        st.session_state[_KEY] = True
        guard.register_editor()
        st.rerun()
    delay = throttle.failed(keys)
    log_attempt(False, client, session)
    _sleep(delay)  # this session's script thread only: other visitors are not slowed
    st.error("Onjuist wachtwoord.")


def login_box() -> None:
    """Sidebar login/logout for editors."""
    report_weak_password()
    with st.sidebar:
        if is_editor():
            st.caption("Ingelogd als redacteur.")
            if st.button("Uitloggen", key="auth_logout"):
                st.session_state[_KEY] = False
                guard.unregister_editor()
                st.rerun()
            return
        with st.expander("Inloggen als redacteur"):
            expected = settings().editor_password
            if not expected:
                st.caption(
                    "Er is geen redacteurswachtwoord ingesteld (KPI_EDITOR_PASSWORD of "
                    ".streamlit/secrets.toml); bewerken is uitgeschakeld."
                )
                return
            if reason := weak_password_reason(expected):
                st.error(reason)
                return
            with st.form("auth_form", border=False):
                pw = st.text_input("Wachtwoord", type="password", key="auth_password")
                if st.form_submit_button("Inloggen"):
                    _try_login(pw, expected)


def require_editor() -> None:
    """Stop the page for viewers, also when the page is opened by its URL."""
    if not is_editor():
        st.warning("Deze pagina is alleen voor redacteuren. Log in via de zijbalk.")
        st.stop()
