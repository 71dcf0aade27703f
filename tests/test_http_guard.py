"""What the app bounds at the HTTP layer (issue 12, points 3 and 12): Streamlit's upload limit
equals the app's, uploads are refused for sessions that are not editors before any byte of
the body is read, /_stcore/metrics is hidden and other sites cannot frame the app. The
middleware is tested as an ASGI callable and in a real `streamlit run server.py`."""

from __future__ import annotations

import asyncio
import concurrent.futures
import tomllib
import urllib.error
import urllib.request

import pytest

from kpi.settings import Settings
from tests.browser import ROOT, start_streamlit
from ui import guard


def _call(path: str, method: str = "GET", page: bytes = b"ok",
          headers: tuple = ()) -> tuple[int, dict[bytes, bytes], bytes, list[str], bool]:
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

    scope = {"type": "http", "path": path, "method": method, "headers": []}
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
    monkeypatch.setattr(guard, "_editor_sessions", set())
    status, _, body, reached, body_read = _call("/_stcore/upload_file/viewer-session/file-1", "PUT")
    assert (status, body.decode()) == (403, "Uploaden mag alleen na inloggen als redacteur.")
    assert reached == [] and body_read is False


def test_an_editor_upload_and_a_viewer_delete_pass(monkeypatch):
    monkeypatch.setattr(guard, "_editor_sessions", {"editor-session"})
    assert _call("/_stcore/upload_file/editor-session/file-1", "PUT")[0] == 200
    # Removing a file frees memory; Streamlit itself only lets a session remove its own files.
    assert _call("/_stcore/upload_file/viewer-session/file-1", "DELETE")[0] == 200


def test_metrics_are_hidden_and_every_response_forbids_foreign_framing():
    status, headers, _, reached, _ = _call("/_stcore/metrics")
    assert status == 404 and reached == []
    status, headers, _, reached, _ = _call("/")
    assert status == 200 and reached == ["/"]
    assert headers[b"content-security-policy"] == b"frame-ancestors 'self'"
    assert headers[b"x-frame-options"] == b"SAMEORIGIN"


INDEX = b'<!doctype html><html lang="en"><head></head><body></body></html>'


def test_the_index_page_declares_dutch_with_the_same_length():
    status, _, body, _, _ = _call("/overzicht", page=INDEX)
    assert status == 200 and body == INDEX.replace(b'lang="en"', b'lang="nl"') and len(body) == len(INDEX)
    # A compressed body is left alone (a replacement there would corrupt it).
    assert _call("/", page=INDEX, headers=((b"content-encoding", b"gzip"),))[2] == INDEX


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
    assert _http(f"{url}/_stcore/metrics")[0] == 404
    status, _, text = _http(f"{url}/_stcore/upload_file/some-session/some-file", "PUT", b"x" * 4096)
    assert (status, text) == (403, "Uploaden mag alleen na inloggen als redacteur.")
    assert guarded_server.alarms() == []
