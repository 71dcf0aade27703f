"""What the app bounds at the HTTP layer (issue 12, points 3 and 12): Streamlit's upload limit
equals the app's, uploads are refused for sessions that are not editors before any byte of
the body is read, /_stcore/metrics is hidden and other sites cannot frame the app. The
middleware is tested as an ASGI callable and in a real `streamlit run server.py`."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
import tomllib
import urllib.error
import urllib.request

import pytest

from kpi import login
from kpi.login import EDITOR_COOKIE, fingerprint
from kpi.settings import Settings
from tests.support.browser import ROOT, start_streamlit
from ui import guard
from ui.page_table import PAGES


def _call(path: str, method: str = "GET", page: bytes = b"ok",
          headers: tuple = (), request_headers: tuple = ()) -> tuple[int, dict[bytes, bytes], bytes, list[str], bool]:
    """Run one request through Guard around a stub app: status, headers, body, what reached the
    app, and whether the request body was read."""
    reached: list[str] = []
    body_read = False
    sent: list[dict] = []

    async def app(scope, receive, send):
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/html"), *headers]})
        await send({"type": "http.response.body", "body": page})

    async def receive():
        nonlocal body_read
        body_read = True
        return {"type": "http.request", "body": b"x" * 1024, "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "method": method, "headers": list(request_headers)}
    # In a thread of its own: an earlier test in the same process may leave an event loop running
    # in this thread, and asyncio.run refuses to start beside it.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, guard.Guard(app)(scope, receive, send)).result()
    start = sent[0]
    return start["status"], dict(start["headers"]), sent[1]["body"], reached, body_read


def test_streamlit_upload_limit_equals_the_app_limit_and_xsrf_is_on():
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert server["maxUploadSize"] == Settings().max_upload_mb
    assert server["enableXsrfProtection"] is True


def test_a_viewer_upload_is_refused_before_its_body_is_read(monkeypatch):
    monkeypatch.setattr(guard, "_editor_sessions", {})
    status, _, body, reached, body_read = _call("/_stcore/upload_file/viewer-session/file-1", "PUT")
    assert (status, body.decode()) == (403, "Uploaden mag alleen na inloggen als redacteur.")
    assert reached == [] and body_read is False


def _cookie(value: str) -> tuple:
    return ((b"cookie", f"{EDITOR_COOKIE}={value}".encode()),)


def test_an_editor_upload_and_a_viewer_delete_pass(monkeypatch):
    cookie = guard.issue_editor_cookie()
    monkeypatch.setattr(guard, "_editor_sessions", {"editor-session": fingerprint(cookie)})
    assert _call("/_stcore/upload_file/editor-session/file-1", "PUT", request_headers=_cookie(cookie))[0] == 200
    # Removing a file frees memory; Streamlit itself only lets a session remove its own files.
    assert _call("/_stcore/upload_file/viewer-session/file-1", "DELETE")[0] == 200


def test_a_replayed_editor_session_id_without_the_editors_cookie_uploads_nothing(monkeypatch):
    """Issue 23.8: the session id is in every upload URL; knowing it is not enough."""
    cookie = guard.issue_editor_cookie()
    monkeypatch.setattr(guard, "_editor_sessions", {"editor-session": fingerprint(cookie)})
    url = "/_stcore/upload_file/editor-session/file-1"
    for headers in ((), _cookie(guard.issue_editor_cookie()),  # none, or another editor's valid cookie
                    _cookie(cookie[:-3] + "AAA"), ((b"cookie", b"_streamlit_user=x"),)):
        status, _, body, reached, body_read = _call(url, "PUT", request_headers=headers)
        assert (status, reached, body_read) == (403, [], False), headers
    # A signed-out (revoked) cookie no longer counts either.
    cookie_id = str(guard.editor_cookie(cookie)["id"])
    monkeypatch.setattr(guard, "THROTTLE", login.LoginThrottle())
    guard.THROTTLE.state.revoke(cookie_id, 2e9, time.time())
    assert _call(url, "PUT", request_headers=_cookie(cookie))[0] == 403


def _websocket(protocols: str, cookie: str | None) -> list[str]:
    """Run a websocket handshake through Guard; the subprotocol list the app received."""
    seen: list[str] = []

    async def app(scope, receive, send):
        seen.append(dict(scope["headers"])[b"sec-websocket-protocol"].decode())

    headers = [(b"sec-websocket-protocol", protocols.encode())]
    if cookie:
        headers.append((b"cookie", f"{EDITOR_COOKIE}={cookie}".encode()))
    scope = {"type": "websocket", "path": "/_stcore/stream", "headers": headers, "client": ("10.0.0.2", 1)}
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, guard.Guard(app)(scope, None, None)).result()
    return seen


def test_a_reconnect_that_replays_an_editors_session_id_gets_a_new_session(monkeypatch, caplog):
    cookie = guard.issue_editor_cookie()
    monkeypatch.setattr(guard, "_editor_sessions", {"editor-session": fingerprint(cookie)})
    assert _websocket("streamlit, xsrf-token, editor-session", None) == ["streamlit, xsrf-token"]
    assert "zonder zijn cookie geweigerd" in caplog.text
    # The editor's own browser reconnects to its session; viewers' sessions are left alone.
    assert _websocket("streamlit, xsrf-token, editor-session", cookie) == ["streamlit, xsrf-token, editor-session"]
    assert _websocket("streamlit, xsrf-token, viewer-session", None) == ["streamlit, xsrf-token, viewer-session"]


class _Rec:
    def __init__(self, size: int) -> None:
        self.data = b"x" * size


class _Manager:
    def __init__(self) -> None:
        self.file_storage = {"editor-session": {f"f{i}": _Rec(10 * 1024 * 1024) for i in range(3)},
                             "closed-session": {"f": _Rec(19 * 1024 * 1024)}}
        self.removed: list[str] = []

    def remove_session_files(self, sid: str) -> None:
        self.removed.append(sid)
        self.file_storage.pop(sid, None)


def test_uploads_held_by_one_session_are_bounded(monkeypatch):
    """Issue 23.9: 20 x 19 MB with self-chosen ids were all held."""
    cookie = guard.issue_editor_cookie()
    monkeypatch.setattr(guard, "_editor_sessions", {"editor-session": fingerprint(cookie)})
    manager = _Manager()
    monkeypatch.setattr(guard, "_upload_manager", lambda: manager)
    monkeypatch.setenv("KPI_MAX_SESSION_UPLOADS", "4")
    monkeypatch.setenv("KPI_MAX_SESSION_UPLOAD_MB", "45")
    url = "/_stcore/upload_file/editor-session/"

    def put(file_id: str, mb: int):
        size = (b"content-length", str(mb * 1024 * 1024).encode())
        return _call(url + file_id, "PUT", request_headers=(*_cookie(cookie), size))

    assert put("f3", 10)[0] == 200  # the fourth file, 40 MB held with it
    manager.file_storage["editor-session"]["f3"] = _Rec(10 * 1024 * 1024)  # what Streamlit then holds
    status, _, body, reached, body_read = put("f4", 1)  # a fifth file
    assert (status, reached, body_read) == (413, [], False)
    assert "al 4 bestanden" in body.decode() and "KPI_MAX_SESSION_UPLOADS" in body.decode()
    monkeypatch.setenv("KPI_MAX_SESSION_UPLOADS", "10")
    status, _, body, _, _ = put("f4", 6)  # 40 + 6 MB > 45 MB
    assert status == 413 and "KPI_MAX_SESSION_UPLOAD_MB" in body.decode()
    assert put("f2", 14)[0] == 200  # replacing a held file counts its new size only: 30 + 14


def test_the_uploads_of_a_closed_session_are_freed(monkeypatch):
    manager = _Manager()

    class Runtime:
        uploaded_file_mgr = manager

        @staticmethod
        def exists():
            return True

        @staticmethod
        def instance():
            return Runtime

        @staticmethod
        def get_client(sid):
            return object() if sid == "editor-session" else None

    import streamlit.runtime

    monkeypatch.setattr(streamlit.runtime, "Runtime", Runtime)
    assert guard.release_ended_sessions() == 1
    assert manager.removed == ["closed-session"] and "editor-session" in manager.file_storage


def test_metrics_are_hidden_and_every_response_forbids_foreign_framing():
    status, headers, _, reached, _ = _call("/_stcore/metrics")
    assert status == 404 and reached == []
    status, headers, _, reached, _ = _call("/")
    assert status == 200 and reached == ["/"]
    assert headers[b"content-security-policy"] == b"frame-ancestors 'self'"
    assert headers[b"x-frame-options"] == b"SAMEORIGIN"


INDEX = b'<!doctype html><html lang="en"><head></head><body></body></html>'


def test_the_index_page_declares_dutch():
    status, _, body, _, _ = _call("/overzicht", page=INDEX)
    assert status == 200 and body == INDEX.replace(b'lang="en"', b'lang="nl"') and len(body) == len(INDEX)
    # A compressed body is left alone (a replacement there would corrupt it).
    assert _call("/", page=INDEX, headers=((b"content-encoding", b"gzip"),))[2] == INDEX


def test_after_signing_in_or_out_the_next_page_forgets_the_phone_sidebar_once():
    """The one-shot cookie set by the sign-in and sign-out routes: the next page (and only a page)
    carries the script that closes the sidebar on a phone, the cookie is expired by that response,
    and Content-Length counts the longer page. Without the cookie the page has no script."""
    cookie = ((b"cookie", f"{guard.SIDEBAR_COOKIE}=1".encode()),)
    length = ((b"content-length", str(len(INDEX)).encode()),)
    status, headers, body, _, _ = _call("/kpi", page=INDEX, headers=length, request_headers=cookie)
    assert status == 200 and body.endswith(guard.SIDEBAR_SCRIPT + b"</head><body></body></html>")
    assert body.replace(guard.SIDEBAR_SCRIPT, b"") == INDEX.replace(b'lang="en"', b'lang="nl"')
    assert headers[b"content-length"] == str(len(body)).encode()
    assert headers[b"set-cookie"].startswith(f"{guard.SIDEBAR_COOKIE}=; Max-Age=0;".encode())
    assert b"localStorage" in guard.SIDEBAR_SCRIPT and b"innerWidth)<=768" in guard.SIDEBAR_SCRIPT
    # Without the cookie, or on an asset, no script and no cookie.
    for path, request_headers in (("/kpi", ()), ("/static/js/index.js", cookie)):
        status, headers, body, _, _ = _call(path, page=INDEX, headers=length, request_headers=request_headers)
        assert guard.SIDEBAR_SCRIPT not in body and b"set-cookie" not in headers
        assert headers[b"content-length"] == str(len(body)).encode()


def test_on_the_way_out_to_an_oidc_provider_the_sidebar_cookie_is_set_for_the_way_back():
    """st.login and st.logout go through Streamlit's /auth/login and /auth/logout to the provider
    and come back at '/' (a navigation from the provider's site, hence SameSite=Lax, and ten
    minutes for a password and a second factor). The route's own answer passes otherwise
    unchanged; other routes set nothing."""
    redirect = ((b"location", b"http://idp.example/authorize"),)
    for path in ("/auth/login", "/auth/logout", "/basis/auth/login"):
        status, headers, body, reached, _ = _call(path, page=b"", headers=redirect)
        assert reached == [path] and status == 200 and headers[b"location"] == redirect[0][1]
        cookie = headers[b"set-cookie"].decode()
        assert cookie.startswith(f"{guard.SIDEBAR_COOKIE}=1; Max-Age=600;"), cookie
        assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    for path in ("/oauth2callback", "/auth/loginx", "/kpi"):
        assert b"set-cookie" not in _call(path, page=INDEX)[1], path


def test_with_the_sidebar_cookie_a_cached_page_is_sent_whole_and_not_cached_with_its_script():
    """After an OIDC sign-in the browser had '/' cached and asked 'if none match': Streamlit's 304
    carried no script, so the sidebar stayed open. With the cookie the validators are not passed
    on, and the page with the script is sent as no-store (no etag), so a later revalidation cannot
    bring the script back. Without the cookie the validators pass as before."""
    seen: list[list] = []

    async def app(scope, receive, send):
        seen.append([k for k, _ in scope["headers"]])
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"text/html"), (b"etag", b'"abc"'), (b"cache-control", b"no-cache")]})
        await send({"type": "http.response.body", "body": INDEX})

    def call(request_headers):
        sent: list[dict] = []

        async def send(message):
            sent.append(message)

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        scope = {"type": "http", "path": "/", "method": "GET", "headers": list(request_headers)}
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, guard.Guard(app)(scope, receive, send)).result()
        return dict(sent[0]["headers"]), sent[1]["body"]

    validators = [(b"if-none-match", b'"abc"'), (b"if-modified-since", b"Mon, 07 Dec 2026 03:06:15 GMT")]
    headers, body = call([(b"cookie", f"{guard.SIDEBAR_COOKIE}=1".encode()), *validators])
    assert guard.SIDEBAR_SCRIPT in body
    assert not {b"if-none-match", b"if-modified-since"} & set(seen[-1])
    assert b"etag" not in headers and headers[b"cache-control"] == b"no-store"
    headers, body = call(validators)
    assert guard.SIDEBAR_SCRIPT not in body and {b"if-none-match", b"if-modified-since"} <= set(seen[-1])
    assert headers[b"etag"] == b'"abc"' and headers[b"cache-control"] == b"no-cache"


def test_an_address_that_is_no_page_gets_a_dutch_404_instead_of_streamlits_english_dialog():
    status, headers, body, reached, _ = _call("/benchmark", page=INDEX)
    text = body.decode()
    assert status == 404 and reached == ["/benchmark"]
    assert '<html lang="nl">' in text and "<h1>Pagina niet gevonden</h1>" in text and "‘benchmark’" in text
    assert '<a href="/">Naar het overzicht</a>' in text
    assert headers[b"content-length"] == str(len(body)).encode() and headers[b"x-frame-options"] == b"SAMEORIGIN"
    # The name asked for is text, never markup.
    status, _, body, _, _ = _call("/<img src=x onerror=alert(1)>", page=INDEX)
    assert status == 404 and b"<img" not in body and b"&lt;img src=x onerror=alert(1)&gt;" in body
    # Every page of the table is a page, and the root, the default page's own path, a trailing slash.
    for path in ["/", "/start", "/kpi/", *(f"/{spec.url}" for spec in PAGES)]:
        status, _, body, _, _ = _call(path, page=INDEX)
        assert status == 200 and b"Pagina niet gevonden" not in body, path
    # A route of Streamlit's own that answers something else than its page passes unchanged (OIDC).
    assert _call("/oauth2callback", page=b"<p>doorgestuurd</p>")[:3:2] == (200, b"<p>doorgestuurd</p>")


def test_behind_a_base_path_the_pages_are_found_under_it(monkeypatch):
    monkeypatch.setattr(guard, "_base_path", lambda: "/binnenstad")
    assert _call("/binnenstad/kpi", page=INDEX)[0] == 200 and _call("/binnenstad", page=INDEX)[0] == 200
    status, _, body, _, _ = _call("/binnenstad/onbekend", page=INDEX)
    assert status == 404 and b'<a href="/binnenstad/">' in body and "‘onbekend’".encode() in body


def test_a_page_sent_in_parts_is_joined_before_it_is_changed():
    """Streamlit may send a page in several body messages: the marker can lie across them."""
    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        half = len(INDEX) // 2 - 10
        await send({"type": "http.response.body", "body": INDEX[:half], "more_body": True})
        await send({"type": "http.response.body", "body": INDEX[half:], "more_body": False})

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": "/", "method": "GET", "headers": []}
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, guard.Guard(app)(scope, None, send)).result()
    body = b"".join(m.get("body", b"") for m in sent[1:])
    assert body == INDEX.replace(b'lang="en"', b'lang="nl"')
    assert dict(sent[0]["headers"])[b"content-length"] == str(len(body)).encode()


def _http(url: str, method: str = "GET", data: bytes | None = None) -> tuple[int, object, str]:
    request = urllib.request.Request(url, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status, resp.headers, resp.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode(errors="replace")


@pytest.fixture
def guarded_server(tmp_path):
    server = start_streamlit(tmp_path / "server.log", env={"KPI_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"},
                             app="server.py")
    yield server
    server.stop()


def test_server_py_serves_the_app_behind_the_guard(guarded_server):
    url = guarded_server.url
    status, headers, text = _http(f"{url}/")
    assert status == 200 and '<html lang="nl">' in text and 'lang="en"' not in text
    assert int(headers["Content-Length"]) == len(text.encode())
    # A browser asks for gzip; Streamlit compresses index.html on page routes: still Dutch.
    request = urllib.request.Request(f"{url}/overzicht", headers={"Accept-Encoding": "gzip, br"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        assert resp.headers.get("Content-Encoding") is None
        assert '<html lang="nl">' in resp.read().decode()
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert _http(f"{url}/_stcore/health")[:1] == (200,)
    status, headers, text = _http(f"{url}/benchmark")  # no page of the app: Dutch 404, not Streamlit's dialog
    assert status == 404 and "Pagina niet gevonden" in text and int(headers["Content-Length"]) == len(text.encode())
    assert _http(f"{url}/_stcore/metrics")[0] == 404
    status, _, text = _http(f"{url}/_stcore/upload_file/some-session/some-file", "PUT", b"x" * 4096)
    assert (status, text) == (403, "Uploaden mag alleen na inloggen als redacteur.")
    assert guarded_server.alarms() == []
