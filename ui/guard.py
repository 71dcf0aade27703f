"""What the app bounds itself at the HTTP layer, when started as `streamlit run server.py`:
signing in and out as editor (POST /_kpi/inloggen and /_kpi/uitloggen: the signed, HttpOnly,
SameSite=Strict editor cookie that a script cannot set), file uploads only from sessions bound
to an editor's credential that the upload request carries too, a bounded number and size of
uploads held per session (freed when the session's connection ends), no takeover of an editor's
session by a websocket reconnect that replays its id, no public /_stcore/metrics, and no
framing by other sites (Content-Security-Policy frame-ancestors and X-Frame-Options).
It also declares the page language Dutch: Streamlit's index.html says `<html lang="en">`,
which makes screen readers read Dutch text with English pronunciation (WCAG 3.1.1).

Streamlit accepts a PUT to /_stcore/upload_file/SESSION/FILE from any open session that
holds the XSRF cookie, whether or not the page shows a file uploader; only this middleware
(or a reverse-proxy rule, see README "Beveiliging") can refuse viewers' uploads.
"""

from __future__ import annotations

import asyncio
import html
import logging
import secrets
import threading
import time
import urllib.parse
from collections.abc import Mapping

import streamlit as st
from streamlit import config as st_config
from streamlit.user_info import AUTH_LOGIN_ENDPOINT, AUTH_LOGOUT_ENDPOINT

from kpi import login
from kpi.login import BROWSER_COOKIE, BROWSER_COOKIE_DAYS, EDITOR_COOKIE, fingerprint, sign, verified
from kpi.settings import Settings
from ui.page_table import page_paths

log = logging.getLogger("kpi.auth")

# Process state, shared by all sessions: which Streamlit session is bound to which credential
# (the fingerprint of the editor's HttpOnly cookie, never the cookie), signed-out cookie ids,
# and one-shot messages for the page after a sign-in form was posted.
_editor_sessions: dict[str, str] = {}
_flashes: dict[str, tuple[str, float]] = {}
_lock = threading.Lock()
# Failed sign-in tries and signed-out editor cookies: in memory until ui/data opens the database,
# then in the database, shared by every process on it (use_database).
THROTTLE = login.LoginThrottle()
_pause = asyncio.sleep  # a name of its own, so tests can record the delays instead of waiting
ACTIVE = False  # set when server.py puts this middleware in front of the app: sign-in routes exist

UPLOAD_PATH = "/_stcore/upload_file/"
METRICS_PATH = "/_stcore/metrics"
STREAM_PATH = "/_stcore/stream"
LOGIN_PATH = "/_kpi/inloggen"
LOGOUT_PATH = "/_kpi/uitloggen"
FLASH_COOKIE = "kpi_melding"
# The messages of a sign-in and a sign-out that worked (shown as a toast: the sidebar may be closed).
SIGNED_IN, SIGNED_OUT = "U bent ingelogd als redacteur.", "U bent uitgelogd."
OIDC_COOKIE = "_streamlit_user"  # Streamlit's signed identity cookie (HttpOnly), maybe in chunks
MAX_FORM_BYTES = 8192
HTML_LANG = (b'<html lang="en">', b'<html lang="nl">')
# After signing in or out the browser loads the page anew. To sign in on a phone the user opened
# the sidebar; Streamlit keeps that choice in localStorage, so the new page opened with the sidebar
# over it. This one-shot cookie (set by both routes, and on the way out to an OIDC provider) makes
# the next page forget the choice on a phone-sized screen, so Streamlit's own phone default
# applies: closed. A wrong password sets no cookie: its message is in the sidebar, which stays open.
SIDEBAR_COOKIE = "kpi_zijbalk"
# Signing in or out through OIDC (st.login/st.logout) leaves through the provider, where a person
# may take a while (a password, a second factor), and comes back at '/' by Streamlit's routes.
OIDC_PATHS = (AUTH_LOGIN_ENDPOINT, AUTH_LOGOUT_ENDPOINT)
OIDC_SIDEBAR_S = 600
SIDEBAR_SCRIPT = (
    b"<script>/* ui/guard.py: after signing in or out on a phone, the page and not the sidebar */"
    b"try{if(Math.min(window.screen.width,window.innerWidth)<=768){Object.keys(window.localStorage).forEach(function(k){"
    b"if(k.indexOf('stSidebarCollapsed-')===0){window.localStorage.removeItem(k)}})}}catch(e){}</script>"
)
MAX_INDEX_BYTES = 1024 * 1024  # Streamlit's index.html is about 8 kB; a larger page passes unchanged
# Streamlit answers any address with its page and then, for one that is no page of the app, shows
# an English "Page not found" dialog over the default page. The guard answers such an address (a
# mistyped or old bookmark) with this Dutch page and status 404 instead.
PAGE_PATHS = page_paths()
NOT_FOUND_PAGE = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Pagina niet gevonden · Binnenstadmonitor</title>"
    "<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;"
    "color:#1a1a1a;line-height:1.5}}a{{color:#005a8c}}</style></head>"
    "<body><main><h1>Pagina niet gevonden</h1><p>De Binnenstadmonitor heeft geen pagina ‘{name}’. "
    "Misschien is het adres verkeerd getypt of is de pagina verhuisd.</p>"
    '<p><a href="{home}">Naar het overzicht</a></p></main></body></html>'
)
FRAME_HEADERS = [
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"x-frame-options", b"SAMEORIGIN"),
]


def _settings() -> Settings:
    return Settings.from_env()


_process_key = secrets.token_bytes(32)


def _key() -> bytes:
    """The key that signs the editor cookie: KPI_SESSION_SECRET, else one random key per process."""
    secret = _settings().session_secret
    if secret and not login.weak_session_secret_reason(secret):
        return secret.encode("utf-8")
    return _process_key


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


# ---------------------------------------------------------------- credentials and sessions


def editor_cookie(value: str | None) -> dict | None:
    """The payload of a valid, unexpired, not signed-out editor cookie, else None."""
    payload = verified(_key(), EDITOR_COOKIE, value)
    if payload is None:
        return None
    return None if THROTTLE.state.is_revoked(str(payload.get("id"))) else payload


def use_database(engine) -> None:
    """Keep the sign-in state (failed tries, signed-out cookies) in this database, shared by all
    app processes on it; ui/data calls this whenever it hands out its engine."""
    state = THROTTLE.state
    if not (isinstance(state, login.DatabaseState) and state.engine is engine):
        THROTTLE.state = login.DatabaseState(engine, state if isinstance(state, login.MemoryState) else None)


def issue_editor_cookie(hours: float | None = None) -> str:
    """A new signed editor cookie value (also used by tests to stand for a signed-in browser)."""
    hours = _settings().editor_session_hours if hours is None else hours
    return sign(_key(), EDITOR_COOKIE, {"id": secrets.token_urlsafe(12), "exp": int(time.time() + hours * 3600)})


def oidc_credential(cookies: Mapping[str, str]) -> str | None:
    """Streamlit's identity cookie (all its chunks) as one string, or None."""
    parts = [f"{name}={cookies[name]}" for name in sorted(cookies) if name.startswith(OIDC_COOKIE)]
    return ";".join(parts) or None


def credentials(cookies: Mapping[str, str]) -> set[str]:
    """Fingerprints of the credentials a request carries: a valid editor cookie, an identity cookie."""
    found = set()
    if (value := cookies.get(EDITOR_COOKIE)) and editor_cookie(value) is not None:
        found.add(fingerprint(value))
    if (value := oidc_credential(cookies)) is not None:
        found.add(fingerprint(value))
    return found


def register_editor(credential: str) -> None:
    """Bind the current Streamlit session to this credential (its fingerprint): uploads and
    reconnects to it are accepted only from a request that carries the same credential."""
    if (sid := _session_id()) is not None:
        with _lock:
            _editor_sessions[sid] = fingerprint(credential)


def unregister_editor() -> None:
    """Refuse uploads from the current session again (signed out, expired, not an editor)."""
    if (sid := _session_id()) is not None:
        with _lock:
            _editor_sessions.pop(sid, None)


def is_editor_session(session_id: str, cookies: Mapping[str, str] | None = None) -> bool:
    """True when the session is bound to an editor credential that this request carries."""
    with _lock:
        bound = _editor_sessions.get(session_id)
    return bound is not None and bound in credentials(cookies or {})


def take_flash(token: str | None) -> str | None:
    """The one-shot message left for this browser by the sign-in route (then forgotten)."""
    now = time.time()
    with _lock:
        for key in [k for k, (_, exp) in _flashes.items() if exp < now]:
            del _flashes[key]
        message = _flashes.pop(str(token or ""), None)
    return message[0] if message else None


def _flash(message: str) -> str:
    token = secrets.token_urlsafe(12)
    with _lock:
        _flashes[token] = (message, time.time() + 120)
    return token


# ---------------------------------------------------------------- uploads held per session


def _upload_manager():
    from streamlit.runtime import Runtime

    return Runtime.instance().uploaded_file_mgr if Runtime.exists() else None


def held_uploads(session_id: str, except_file: str = "") -> tuple[int, int]:
    """Files and bytes this session holds in Streamlit's upload manager (not counting one file id)."""
    manager = _upload_manager()
    storage = getattr(manager, "file_storage", {}) if manager is not None else {}
    files = [f for fid, f in dict(storage.get(session_id, {})).items() if fid != except_file]
    return len(files), sum(len(f.data) for f in files)


def release_ended_sessions() -> int:
    """Free the uploads and editor bindings of sessions that have no open connection any more
    (Streamlit keeps a closed session's files until it expires, minutes later); how many."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return 0
    runtime = Runtime.instance()
    manager = runtime.uploaded_file_mgr
    ended = [sid for sid in list(getattr(manager, "file_storage", {})) if runtime.get_client(sid) is None]
    for sid in ended:
        files = dict(manager.file_storage.get(sid, {}))
        manager.remove_session_files(sid)
        if files:
            log.info("Uploads van een gesloten sessie vrijgegeven: %d bestand(en), %.1f MB",
                     len(files), sum(len(f.data) for f in files.values()) / 1024 / 1024)
    # Editor bindings stay: a closed session can still be resumed from storage, and a reconnect to
    # it must carry the editor's credential too.
    return len(ended)


def _base_path() -> str:
    """Streamlit's server.baseUrlPath as '/prefix' ('' without one)."""
    base = str(st_config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def unknown_page(path: str) -> str | None:
    """The name asked for when this page route is no page of the app; None when it is one."""
    base = _base_path()
    rest = path[len(base):] if base and path.startswith(base) else path
    name = urllib.parse.unquote(rest).strip("/")
    return None if name in PAGE_PATHS else name


def _not_found(name: str) -> bytes:
    return NOT_FOUND_PAGE.format(name=html.escape(name[:120]), home=html.escape(_base_path() + "/")).encode()


def _page_route(path: str) -> bool:
    """A request for an app page (which Streamlit answers with index.html), not an asset or API."""
    return "/_stcore/" not in path and "/static/" not in path and "/media/" not in path \
        and "/component/" not in path and "." not in path.rsplit("/", 1)[-1]


async def _refuse(send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *FRAME_HEADERS]})
    await send({"type": "http.response.body", "body": body})


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _cookies(scope) -> dict[str, str]:
    from starlette.requests import cookie_parser

    return cookie_parser(_header(scope, b"cookie") or "")


def _client(scope) -> str:
    """The client's address: the connecting address, or (only from a proxy in KPI_TRUSTED_PROXIES,
    which server.py hands to uvicorn) the one that proxy forwarded."""
    client = scope.get("client")
    return str(client[0]) if client else "onbekend"


def _same_origin(scope) -> bool:
    """A form post from this site: no Origin header (old browsers), or one naming this host."""
    origin = _header(scope, b"origin")
    if origin is None or origin == "null":
        return origin is None
    return urllib.parse.urlsplit(origin).netloc == (_header(scope, b"host") or "")


def _cookie_header(scope, name: str, value: str, max_age: int, same_site: str = "Strict") -> tuple[bytes, bytes]:
    secure = "; Secure" if scope.get("scheme") in ("https", "wss") else ""
    return (b"set-cookie",
            f"{name}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite={same_site}{secure}".encode("latin-1"))


async def _redirect(send, scope, target: str, cookies: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", target.encode("utf-8")), (b"content-length", b"0"),
                            (b"cache-control", b"no-store"), *cookies, *FRAME_HEADERS]})
    await send({"type": "http.response.body", "body": b""})


async def _form(receive) -> dict[str, str] | None:
    """The posted form (at most MAX_FORM_BYTES), or None when it is larger."""
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if len(body) > MAX_FORM_BYTES:
            return None
    pairs = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v for k, v in pairs}


def oidc_enabled() -> bool:
    """True when .streamlit/secrets.toml configures OIDC login ([auth]): named editors only."""
    try:
        return bool(st.secrets.get("auth"))
    except Exception:  # no secrets.toml: Streamlit raises on access
        return False


def _password_login() -> tuple[str, str | None]:
    """The configured editor password and why sign-in with it is off (Dutch), or None."""
    if oidc_enabled():
        return "", "Met inloggen via de identiteitsprovider (OIDC) is inloggen met het wachtwoord uit."
    expected = _settings().editor_password
    if not expected:
        return "", "Er is geen redacteurswachtwoord ingesteld; bewerken is uitgeschakeld."
    if reason := login.weak_password_reason(expected):
        return "", reason
    return expected, None


async def sign_in(scope, receive, send) -> None:
    """POST /_kpi/inloggen: check the password (throttled), set the signed editor cookie and the
    known-browser cookie, and go back to the page. A wrong or refused try leaves a message."""
    form = await _form(receive)
    if form is None or not _same_origin(scope):
        await _refuse(send, 403 if form is not None else 413, "Inlogverzoek geweigerd.")
        return
    back = login.safe_return_path(form.get("terug"))
    client, cookies = _client(scope), _cookies(scope)
    known = verified(_key(), BROWSER_COOKIE, cookies.get(BROWSER_COOKIE))
    browser = str(known["id"]) if known else None
    shown = browser or "onbekend"
    expected, off = _password_login()
    if off:
        await _redirect(send, scope, back, [_cookie_header(scope, FLASH_COOKIE, _flash(off), 120)])
        return
    # The state may be in the database: its calls run beside the event loop, not in it.
    if refused := await asyncio.to_thread(THROTTLE.refusal, client, login.PASSWORD_ACCOUNT, browser):
        login.log_attempt(False, client, shown, locked=True, reason=refused.reason)
        minutes = max(1, round(refused.wait_s / 60))
        text = f"Te veel mislukte pogingen. Probeer het over {minutes} {'minuut' if minutes == 1 else 'minuten'} opnieuw."
        await _redirect(send, scope, back, [_cookie_header(scope, FLASH_COOKIE, _flash(text), 120)])
        return
    if login.check_password(form.get("wachtwoord", ""), expected):
        await asyncio.to_thread(THROTTLE.succeeded, client, browser)
        browser = browser or secrets.token_urlsafe(12)
        login.log_attempt(True, client, browser)
        hours = _settings().editor_session_hours
        browser_value = sign(_key(), BROWSER_COOKIE, {"id": browser, "exp": int(time.time() + BROWSER_COOKIE_DAYS * 86400)})
        await _redirect(send, scope, back, [
            _cookie_header(scope, EDITOR_COOKIE, issue_editor_cookie(hours), int(hours * 3600)),
            _cookie_header(scope, BROWSER_COOKIE, browser_value, BROWSER_COOKIE_DAYS * 86400),
            _cookie_header(scope, FLASH_COOKIE, _flash(SIGNED_IN), 120),
            _cookie_header(scope, SIDEBAR_COOKIE, "1", 120),
        ])
        return
    delay = await asyncio.to_thread(THROTTLE.failed, client, login.PASSWORD_ACCOUNT, browser)
    login.log_attempt(False, client, shown, delay_s=delay)
    await _pause(delay)  # holds this request only; the server answers everyone else
    await _redirect(send, scope, back, [_cookie_header(scope, FLASH_COOKIE, _flash("Onjuist wachtwoord."), 120)])


async def sign_out(scope, receive, send) -> None:
    """POST /_kpi/uitloggen: forget the editor cookie (also server-side, so a copy of it is
    worthless) and go back to the page."""
    form = await _form(receive)
    if form is None or not _same_origin(scope):
        await _refuse(send, 403 if form is not None else 413, "Uitlogverzoek geweigerd.")
        return
    value = _cookies(scope).get(EDITOR_COOKIE)
    if (payload := await asyncio.to_thread(editor_cookie, value)) is not None:
        await asyncio.to_thread(THROTTLE.state.revoke, str(payload["id"]), float(payload["exp"]), time.time())
        with _lock:
            for sid in [sid for sid, fp in _editor_sessions.items() if fp == fingerprint(value)]:
                del _editor_sessions[sid]
        log.info("Redacteur uitgelogd: tijd %s, client %s", login._now_text(), _client(scope))
    await _redirect(send, scope, login.safe_return_path(form.get("terug")),
                    [_cookie_header(scope, EDITOR_COOKIE, "", 0),
                     _cookie_header(scope, FLASH_COOKIE, _flash(SIGNED_OUT), 120),
                     _cookie_header(scope, SIDEBAR_COOKIE, "1", 120)])


def _without_replayed_session(scope):
    """A websocket handshake that names an editor's session without that editor's credential
    gets a new session instead (the id is dropped from its subprotocol list)."""
    raw = _header(scope, b"sec-websocket-protocol")
    entries = [e.strip() for e in (raw or "").split(",")]
    if len(entries) < 3 or not entries[2]:
        return scope
    with _lock:
        bound = entries[2] in _editor_sessions
    if not bound or is_editor_session(entries[2], _cookies(scope)):
        return scope
    log.warning("Herverbinding met de sessie van een redacteur zonder zijn cookie geweigerd (nieuwe sessie "
                "gegeven): tijd %s, client %s", login._now_text(), _client(scope))
    value = ", ".join(entries[:2]).encode("latin-1")
    headers = [(k, value if k.lower() == b"sec-websocket-protocol" else v) for k, v in scope.get("headers", [])]
    return {**scope, "headers": headers}


def _upload_refusal(scope, session_id: str, file_id: str) -> tuple[int, str] | None:
    """Why this upload PUT is refused (status, Dutch text), or None."""
    if not is_editor_session(session_id, _cookies(scope)):
        return 403, "Uploaden mag alleen na inloggen als redacteur."
    settings = _settings()
    size = int(_header(scope, b"content-length") or 0)
    count, held = held_uploads(session_id, except_file=file_id)
    if count + 1 > settings.max_session_uploads:
        return 413, (f"Deze sessie heeft al {count} bestanden geüpload (grens {settings.max_session_uploads}, "
                     "KPI_MAX_SESSION_UPLOADS). Verwijder er een of laad de pagina opnieuw.")
    if held + size > settings.max_session_upload_mb * 1024 * 1024:
        return 413, (f"Deze sessie houdt al {held / 1024 / 1024:.0f} MB aan bestanden vast (grens "
                     f"{settings.max_session_upload_mb} MB, KPI_MAX_SESSION_UPLOAD_MB). Verwijder er een of laad de "
                     "pagina opnieuw.")
    return None


class Guard:
    """ASGI middleware: sign-in and sign-out routes; refuse viewers' uploads, oversized session
    uploads and metrics before any body is read; no session takeover by a replayed id; add frame headers."""

    def __init__(self, app) -> None:
        global ACTIVE
        self.app = app
        ACTIVE = True

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "websocket":
            if scope.get("path", "").endswith(STREAM_PATH):
                scope = _without_replayed_session(scope)
            try:
                await self.app(scope, receive, send)
            finally:
                release_ended_sessions()
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        method = scope.get("method")
        if path.endswith(METRICS_PATH):
            await _refuse(send, 404, "Niet gevonden.")
            return
        if path.endswith(LOGIN_PATH) or path.endswith(LOGOUT_PATH):
            if method != "POST":
                await _refuse(send, 405, "Alleen via het formulier in de zijbalk.")
            elif path.endswith(LOGIN_PATH):
                await sign_in(scope, receive, send)
            else:
                await sign_out(scope, receive, send)
            return
        if UPLOAD_PATH in path and method == "PUT":
            session_id, _, file_id = path.split(UPLOAD_PATH, 1)[1].partition("/")
            if refusal := _upload_refusal(scope, session_id, file_id):
                await _refuse(send, *refusal)
                return

        if path.endswith(OIDC_PATHS):
            # The way back from the provider is a navigation from another site, which a
            # SameSite=Strict cookie would miss; this one carries no right, so Lax is safe.
            sidebar = _cookie_header(scope, SIDEBAR_COOKIE, "1", OIDC_SIDEBAR_S, same_site="Lax")
            await self.app(scope, receive, _IndexPage(send, scope, False, None, [sidebar]).send)
            return
        if _page_route(path):
            # Streamlit gzips index.html on page routes (/overzicht) but not at '/': ask for it
            # plain, so its language can be set (about 8 kB, once per page load).
            close_sidebar = _cookies(scope).get(SIDEBAR_COOKIE) == "1"
            # With the sidebar cookie, the whole page too: a browser that has it cached asks "if
            # none match" and would get a 304 without the script (seen after an OIDC sign-in).
            dropped = (b"accept-encoding", *((b"if-none-match", b"if-modified-since") if close_sidebar else ()))
            scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", []) if k.lower() not in dropped]}
            await self.app(scope, receive, _IndexPage(send, scope, close_sidebar, unknown_page(path)).send)
            return
        await self.app(scope, receive, _IndexPage(send, scope, False, None).send)


class _IndexPage:
    """The send of one response, with the frame headers. The app's (uncompressed) index page is
    held until complete, then sent with Dutch as its language, the sidebar script when asked for,
    and its Content-Length recounted; for an address that is no page, the Dutch 404 page instead."""

    def __init__(self, send, scope, close_sidebar: bool, unknown: str | None,
                 cookies: list[tuple[bytes, bytes]] | None = None) -> None:
        self._send, self._scope, self._close_sidebar, self._unknown = send, scope, close_sidebar, unknown
        self._cookies = cookies or []
        self._start: dict | None = None
        self._body = b""

    async def send(self, message) -> None:
        if message["type"] == "http.response.start":
            headers = {name.lower(): value for name, value in message.get("headers", [])}
            extra = [(k, v) for k, v in FRAME_HEADERS if k not in headers] + self._cookies
            message = {**message, "headers": [*message.get("headers", []), *extra]}
            if headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers:
                self._start = message
                return
        elif self._start is not None and message["type"] == "http.response.body":
            self._body += message.get("body", b"")
            if message.get("more_body") and len(self._body) <= MAX_INDEX_BYTES:
                return
            await self._flush(message.get("more_body", False))
            return
        await self._send(message)

    async def _flush(self, more_body: bool) -> None:
        start, body, self._start = self._start, self._body, None
        if not more_body and HTML_LANG[0] in body and self._unknown is not None:
            body = _not_found(self._unknown)
            start = {**start, "status": 404, "headers": [
                (b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"), *FRAME_HEADERS]}
        elif not more_body and HTML_LANG[0] in body:
            body = body.replace(*HTML_LANG, 1)
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            if self._close_sidebar and b"</head>" in body:
                # At the end of the head: Streamlit's own script is a module, which runs later.
                body = body.replace(b"</head>", SIDEBAR_SCRIPT + b"</head>", 1)
                # Once: not cached under the plain page's validators, or a later revalidation
                # would bring the script back.
                headers = [(k, v) for k, v in headers if k.lower() not in (b"etag", b"last-modified", b"cache-control")]
                headers += [(b"cache-control", b"no-store"), _cookie_header(self._scope, SIDEBAR_COOKIE, "", 0)]
            start = {**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]}
        await self._send(start)
        await self._send({"type": "http.response.body", "body": body, "more_body": more_body})
