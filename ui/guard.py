"""What the app bounds itself at the HTTP layer, when started as `streamlit run server.py`:
file uploads only from sessions logged in as editor, no public /_stcore/metrics, and no
framing by other sites (Content-Security-Policy frame-ancestors and X-Frame-Options).
It also declares the page language Dutch: Streamlit's index.html says `<html lang="en">`,
which makes screen readers read Dutch text with English pronunciation (WCAG 3.1.1).

Streamlit accepts a PUT to /_stcore/upload_file/SESSION/FILE from any open session that
holds the XSRF cookie, whether or not the page shows a file uploader; only this middleware
(or a reverse-proxy rule, see README "Beveiliging") can refuse viewers' uploads.
"""

from __future__ import annotations

import threading

_editor_sessions: set[str] = set()  # Streamlit session ids; shared by the whole server process
_lock = threading.Lock()

UPLOAD_PATH = "/_stcore/upload_file/"
METRICS_PATH = "/_stcore/metrics"
# Same length, so Content-Length stays right without touching the headers.
HTML_LANG = (b'<html lang="en">', b'<html lang="nl">')
FRAME_HEADERS = [
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"x-frame-options", b"SAMEORIGIN"),
]


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def register_editor() -> None:
    """Allow uploads from the current Streamlit session (called on a successful login)."""
    if (sid := _session_id()) is not None:
        with _lock:
            _editor_sessions.add(sid)


def unregister_editor() -> None:
    """Refuse uploads from the current session again (called on logout)."""
    if (sid := _session_id()) is not None:
        with _lock:
            _editor_sessions.discard(sid)


def is_editor_session(session_id: str) -> bool:
    with _lock:
        return session_id in _editor_sessions


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


class Guard:
    """ASGI middleware: refuse viewers' uploads and metrics before any body is read; add frame headers."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path.endswith(METRICS_PATH):
            await _refuse(send, 404, "Niet gevonden.")
            return
        if UPLOAD_PATH in path and scope.get("method") == "PUT":
            session_id = path.split(UPLOAD_PATH, 1)[1].split("/", 1)[0]
            if not is_editor_session(session_id):
                await _refuse(send, 403, "Uploaden mag alleen na inloggen als redacteur.")
                return

        if _page_route(path):
            # Streamlit gzips index.html on page routes (/overzicht) but not at '/': ask for it
            # plain, so its language can be set (about 8 kB, once per page load).
            scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]}
        html = False  # this response is the app's (uncompressed) index page

        async def send_with_headers(message) -> None:
            nonlocal html
            if message["type"] == "http.response.start":
                headers = {name.lower(): value for name, value in message.get("headers", [])}
                html = (headers.get(b"content-type", b"").startswith(b"text/html")
                        and b"content-encoding" not in headers)
                extra = [(k, v) for k, v in FRAME_HEADERS if k not in headers]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            elif html and message["type"] == "http.response.body" and HTML_LANG[0] in message.get("body", b""):
                message = {**message, "body": message["body"].replace(*HTML_LANG, 1)}
                html = False
            await send(message)

        await self.app(scope, receive, send_with_headers)
