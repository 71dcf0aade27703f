"""Editor role: viewing is open; importing, undoing and editing targets need an editor.

Two ways to be one. In production, named editors: with an [auth] section in
.streamlit/secrets.toml, users sign in through the municipality's identity provider (Streamlit's
OIDC login, st.login) and a signed-in user is an editor when listed by e-mail or group
(KPI_EDITOR_EMAILS / KPI_EDITOR_GROUPS or [editors] in secrets); their identity is recorded on
every batch, target revision and event, and the password login is off. Without [auth], the
embedded default: one editor password, hardened by kpi.login (weak or example passwords refused,
failed tries slowed down and locked out per session and per client address, every try logged),
with a bounded free-text name. Editor sessions are registered (ui.guard), so the upload endpoint
can refuse the rest.
"""

from __future__ import annotations

import hmac
import logging
import time
import uuid

import streamlit as st
from streamlit.errors import StreamlitAuthError

from kpi.importer import MAX_USER_LENGTH
from kpi.login import (
    LoginThrottle,
    identity,
    is_listed_editor,
    log_attempt,
    log_signed_in,
    weak_cookie_secret_reason,
    weak_password_reason,
)
from ui import guard
from ui.components import md
from ui.data import report_weak_password, settings

_KEY = "is_editor"
_SESSION = "auth_session"
_LOGGED = "auth_oidc_logged"
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


def oidc_enabled() -> bool:
    """True when .streamlit/secrets.toml configures OIDC login ([auth]): named editors only."""
    try:
        return bool(st.secrets.get("auth"))
    except Exception:  # no secrets.toml: Streamlit raises on access
        return False


def _provider() -> str | None:
    """None for a flat [auth] section; else the name of its first provider subsection ([auth.NAME])."""
    section = st.secrets["auth"]
    if "client_id" in section:
        return None
    return next((name for name, value in section.items() if hasattr(value, "items")), None)


def _entries(value: object) -> list[str]:
    """A list from secrets; a single string (`emails = "a@x.nl, b@x.nl"`) is split on commas, not
    into characters."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def editor_lists() -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """E-mail addresses, groups and the groups claim that make a signed-in user an editor:
    the environment's (KPI_EDITOR_*) together with [editors] in secrets."""
    s = settings()
    try:
        section = st.secrets.get("editors") or {}
    except Exception:
        section = {}
    emails = (*s.editor_emails, *_entries(section.get("emails")))
    groups = (*s.editor_groups, *_entries(section.get("groups")))
    claim = s.editor_group_claim if s.editor_group_claim != "groups" else str(section.get("group_claim", "groups"))
    return emails, groups, claim


def signed_in() -> dict | None:
    """The signed-in user's ID-token claims when OIDC is on and someone is signed in, else None."""
    if not oidc_enabled():
        return None
    claims = dict(st.user)
    return claims if claims.get("is_logged_in") else None


def cookie_secret_problem() -> str | None:
    """Why the OIDC cookie_secret is refused (example, known or short: anyone could sign an
    identity cookie with it), or None. Logged once per server start."""
    section = st.secrets["auth"]
    reason = weak_cookie_secret_reason(str(section.get("cookie_secret", "")))
    if reason:
        _report_cookie_secret(reason)
    return reason


@st.cache_resource(show_spinner=False)
def _report_cookie_secret(reason: str) -> None:
    _log.error(reason)


def is_editor() -> bool:
    """True when this session is an editor: a listed signed-in user (OIDC) or logged in by password.
    With a refused cookie_secret nobody is: the identity cookie could be forged."""
    if oidc_enabled():
        if cookie_secret_problem():
            return False
        claims = signed_in()
        return claims is not None and is_listed_editor(claims, *editor_lists())
    return bool(st.session_state.get(_KEY, False))


def editor_name() -> str | None:
    """The signed-in identity ("Naam (e-mail)") that OIDC records on every batch; None with the password."""
    claims = signed_in()
    return identity(claims) if claims is not None else None


def name_field(label: str, key: str, container=None) -> str:
    """The name recorded with a change: the signed-in identity when OIDC is on (shown, not editable),
    else a free-text field bounded to what the history can store."""
    where = container if container is not None else st
    if (who := editor_name()) is not None:
        where.text_input("Vastgelegd als", value=who, disabled=True, key=f"{key}_oidc",
                         help="Uw naam en e-mailadres bij de identiteitsprovider van de gemeente.")
        return who
    return where.text_input(label, max_chars=MAX_USER_LENGTH, key=key)


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


def _oidc_box() -> None:
    """Sidebar sign-in through the identity provider; listed users edit, everyone else views."""
    with st.sidebar:
        if reason := cookie_secret_problem():
            guard.unregister_editor()
            st.error(reason)
            return
        claims = signed_in()
        if claims is None:
            guard.unregister_editor()
            if st.button("Inloggen als redacteur", key="auth_oidc_login"):
                try:
                    st.login(_provider())
                except StreamlitAuthError as exc:  # an incomplete [auth] section: say so, no traceback
                    _log.error("Inloggen via OIDC niet mogelijk: %s", exc)
                    st.error("Inloggen is nu niet mogelijk: de koppeling met de identiteitsprovider is onvolledig "
                             "ingesteld ([auth] in .streamlit/secrets.toml). De fout is gelogd; meld het bij de "
                             "beheerder.")
            st.caption("Met uw account van de gemeente.")
            return
        who = identity(claims)
        editor = is_listed_editor(claims, *editor_lists())
        if not st.session_state.get(_LOGGED):
            st.session_state[_LOGGED] = True
            log_signed_in(who, editor, _client(), _session())
        if editor:
            guard.register_editor()
            st.caption(f"Ingelogd als redacteur: {md(who)}")
        else:
            guard.unregister_editor()
            st.info(f"U bent ingelogd als {md(who)}, maar u staat niet op de lijst van redacteuren: u kunt "
                    "het dashboard bekijken, niet bewerken. Vraag de beheerder van de monitor om u toe te voegen.")
        if st.button("Uitloggen", key="auth_logout"):
            guard.unregister_editor()
            st.logout()


def login_box() -> None:
    """Sidebar login/logout for editors."""
    if oidc_enabled():
        _oidc_box()
        return
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
        if (who := editor_name()) is not None:
            st.warning(f"Deze pagina is alleen voor redacteuren. U bent ingelogd als {md(who)}, maar u staat "
                       "niet op de lijst van redacteuren: u kunt alleen kijken.")
        else:
            st.warning("Deze pagina is alleen voor redacteuren. Log in via de zijbalk.")
        st.stop()
