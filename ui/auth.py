"""Editor role: viewing is open; importing, undoing and editing targets need an editor.

Two ways to be one. In production, named editors: with an [auth] section in
.streamlit/secrets.toml, users sign in through the municipality's identity provider (Streamlit's
OIDC login, st.login) and a signed-in user is an editor when listed by e-mail or group
(KPI_EDITOR_EMAILS / KPI_EDITOR_GROUPS or [editors] in secrets); their identity is recorded on
every batch, target revision and event, and the password login is off. Without [auth], the
embedded default: one editor password, hardened by kpi.login (weak or example passwords refused,
failed tries slowed down per client and refused per client and per account except from a known
browser, every try logged), with a bounded free-text name. The password is posted to ui.guard's
sign-in route, which sets a signed HttpOnly cookie: editor rights are that cookie, checked on every
run, so they survive F5, bookmarks and new tabs until it expires, and never live in the session
alone. Editor sessions are bound to their credential (ui.guard), so the upload endpoint and a
websocket reconnect can refuse a client that only knows the session id.
"""

from __future__ import annotations

import html
import logging
import uuid
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.errors import StreamlitAuthError

from kpi.importer import MAX_USER_LENGTH
from kpi.login import (
    EDITOR_COOKIE,
    identity,
    is_listed_editor,
    log_signed_in,
    weak_cookie_secret_reason,
    weak_password_reason,
)
from ui import guard
from ui.components import md
from ui.data import editor_lists, report_weak_password, settings

_SESSION = "auth_session"
_LOGGED = "auth_oidc_logged"
_FLASH = "auth_flash"
_TOASTED = "auth_flash_toasted"

# Login lines (kpi.auth, INFO and up) reach the server log also when nothing configured logging.
_log = logging.getLogger("kpi.auth")
_log.setLevel(logging.INFO)
if not _log.handlers and not logging.getLogger().handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _log.addHandler(_handler)


def _provider() -> str | None:
    """None for a flat [auth] section; else the name of its first provider subsection ([auth.NAME])."""
    section = st.secrets["auth"]
    if "client_id" in section:
        return None
    return next((name for name, value in section.items() if hasattr(value, "items")), None)


def signed_in() -> dict | None:
    """The signed-in user's ID-token claims when OIDC is on and someone is signed in, else None."""
    if not guard.oidc_enabled():
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


def _cookies() -> dict[str, str]:
    """The cookies of this session's connection (its websocket handshake); none in bare mode."""
    try:
        return dict(st.context.cookies)
    except Exception:
        return {}


def is_editor() -> bool:
    """True when this session is an editor: a listed signed-in user (OIDC) or a browser holding a
    valid signed editor cookie (password). With a refused cookie_secret nobody is: the identity
    cookie could be forged. The session is bound to that credential for uploads and reconnects."""
    cookies = _cookies()
    if guard.oidc_enabled():
        if cookie_secret_problem():
            return False
        claims = signed_in()
        editor = claims is not None and is_listed_editor(claims, *editor_lists())
        credential = guard.oidc_credential(cookies)
    else:
        credential = cookies.get(EDITOR_COOKIE)
        editor = bool(credential) and guard.editor_cookie(credential) is not None
    if editor and credential:
        guard.register_editor(credential)
    else:
        guard.unregister_editor()
    return editor


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
        if is_editor():  # binds this session to the identity cookie for uploads and reconnects
            st.caption(f"Ingelogd als redacteur: {md(who)}")
        else:
            st.info(f"U bent ingelogd als {md(who)}, maar u staat niet op de lijst van redacteuren: u kunt "
                    "het dashboard bekijken, niet bewerken. Vraag de beheerder van de monitor om u toe te voegen.")
        if st.button("Uitloggen", key="auth_logout"):
            guard.unregister_editor()
            st.logout()


def _return_path() -> str:
    """This page's path and query, to come back to after signing in or out. st.context.url has no
    query (Streamlit drops it), so the query comes from st.query_params: signing in on Brugdorp's
    leegstand comes back to Brugdorp's leegstand, not to the default centre's first KPI."""
    try:
        url = st.context.url or "/"
    except Exception:
        url = "/"
    query = urlencode([(key, value) for key in st.query_params for value in st.query_params.get_all(key)])
    return (urlsplit(url).path or "/") + (f"?{query}" if query else "")


def _post_form(action: str, button: str, fields: str = "") -> None:
    """A plain HTML form that posts to ui.guard's route (a full page load, so the server can set
    or clear the HttpOnly cookie), coming back to this page."""
    back = html.escape(_return_path(), quote=True)
    st.html(f'<form method="post" action="{action}" class="kpi-auth-form">'
            f'<input type="hidden" name="terug" value="{back}">{fields}'
            f'<button type="submit" class="kpi-auth-button">{button}</button></form>')


_FORM_STYLE = """<style>
.kpi-auth-form { display: flex; flex-direction: column; gap: .5rem; }
.kpi-auth-form label { display: flex; flex-direction: column; gap: .25rem; font-size: .9rem; }
.kpi-auth-form input[type=password] { font: inherit; padding: .45rem .6rem; border: 1px solid #6b7280;
  border-radius: .5rem; background: #fff; color: #1a1a1a; }
.kpi-auth-button { font: inherit; align-self: flex-start; padding: .35rem .9rem; border-radius: .5rem;
  border: 1px solid #6b7280; background: #fff; color: #1a1a1a; cursor: pointer; }
.kpi-auth-button:hover, .kpi-auth-button:focus-visible { border-color: #0072B2; color: #005a8c; }
</style>"""


def _flash() -> str | None:
    """The message the sign-in route left for this browser (wrong password, wait, signed out),
    kept for this session."""
    if _FLASH not in st.session_state:
        st.session_state[_FLASH] = guard.take_flash(_cookies().get(guard.FLASH_COOKIE))
    return st.session_state[_FLASH]


def _toast_once(message: str | None) -> None:
    """A sign-in or sign-out that worked is said in a toast, once: on a phone the page comes back
    with the sidebar closed (ui/guard.py SIDEBAR_COOKIE), so the sidebar's own text is not seen."""
    if message in (guard.SIGNED_IN, guard.SIGNED_OUT) and not st.session_state.get(_TOASTED):
        st.session_state[_TOASTED] = True
        st.toast(message)


def login_box() -> None:
    """Sidebar login/logout for editors."""
    if guard.oidc_enabled():
        _oidc_box()
        return
    report_weak_password()
    message = _flash()
    _toast_once(message)
    with st.sidebar:
        if is_editor():
            st.caption("Ingelogd als redacteur.")
            st.html(_FORM_STYLE)
            _post_form("_kpi/uitloggen", "Uitloggen")
            return
        with st.expander("Inloggen als redacteur", expanded=bool(message)):
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
            if not guard.ACTIVE:
                st.caption("Inloggen kan alleen als de app met `streamlit run server.py` is gestart (make run).")
                return
            st.html(_FORM_STYLE)
            _post_form("_kpi/inloggen", "Inloggen",
                       '<label>Wachtwoord<input type="password" name="wachtwoord" '
                       'autocomplete="current-password" required></label>')
            if message:
                (st.info if message == guard.SIGNED_OUT else st.error)(message)


def require_editor() -> None:
    """Stop the page for viewers, also when the page is opened by its URL."""
    if not is_editor():
        if (who := editor_name()) is not None:
            st.warning(f"Deze pagina is alleen voor redacteuren. U bent ingelogd als {md(who)}, maar u staat "
                       "niet op de lijst van redacteuren: u kunt alleen kijken.")
        else:
            st.warning("Deze pagina is alleen voor redacteuren. Log in via de zijbalk.")
        st.stop()
