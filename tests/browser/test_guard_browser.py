"""`streamlit run server.py` in chromium: an editor who logged in (after one wrong try) can still
upload through the guard, and the server log records both tries with the client address but
not the password. The signed editor cookie (issue 19.6, 23.8): signed in after F5 and in a new
tab, signed out by the button and at expiry, a tampered cookie refused, and a second browser
that replays the editor's session id gets no upload and, reconnecting with it, no editor session;
the uploads a session holds are bounded and freed when it closes, in Streamlit's own upload store.
Viewers' uploads: tests/test_http_guard.py."""

from __future__ import annotations

import time

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from tests.support.browser import (
    UI_TIMEOUT_MS,
    exceptions_on,
    menu_link,
    open_menu,
    open_page,
    screenshot,
    seeded_sqlite,
    sign_in,
    upload_on_import_page,
    wait_idle,
)

pytestmark = pytest.mark.browser

PASSWORD = "redacteur-test-wachtwoord"


@pytest.fixture
def guarded(server_factory, tmp_path):
    url = seeded_sqlite(tmp_path / "guard.db")
    return server_factory(url, name="guarded", env={"KPI_EDITOR_PASSWORD": PASSWORD}, app="server.py")


def test_editor_uploads_through_the_guard_and_logins_are_logged(guarded, page, tmp_path):
    open_page(page, guarded.url)
    sign_in(page, "verkeerd-wachtwoord", expect="Onjuist wachtwoord.")
    sign_in(page, PASSWORD)
    # On a wide screen the sidebar stays as the user left it, open; the toast says it worked.
    page.locator(TOAST, has_text="U bent ingelogd als redacteur.").wait_for(state="visible")
    assert page.locator(SIDEBAR).get_attribute("data-collapsed") == "false"
    menu_link(page, "Importeren").click()
    page.wait_for_url("**/importeren")
    uploads = upload_on_import_page(page, tmp_path)
    assert exceptions_on(page) == []
    log = guarded.log_text()
    assert "Mislukte inlogpoging als redacteur (vertraagd met 1 s): tijd 20" in log and "client 127.0.0.1" in log
    assert "Redacteur ingelogd: tijd 20" in log
    assert "verkeerd-wachtwoord" not in log and PASSWORD not in log
    assert uploads and 403 not in uploads and all(200 <= s < 300 for s in uploads), uploads


SIDEBAR = "[data-testid=stSidebar]"
TOAST = "[data-testid=stToast]"


def test_on_a_phone_signing_in_and_out_returns_to_the_page_not_the_sidebar(guarded, chromium, iphone):
    """To sign in on a phone the user opens the sidebar; Streamlit remembers that, so the page came
    back from the sign-in route covered by the sidebar. Now it comes back closed with a toast, after
    signing out too; a wrong password keeps the sidebar open with its message; and the next
    reload keeps the user's own choice again (the close happens once)."""
    context = chromium.new_context(locale="nl-NL", **iphone)
    pg = context.new_page()
    pg.set_default_timeout(UI_TIMEOUT_MS)
    sidebar = pg.locator(SIDEBAR)
    try:
        open_page(pg, f"{guarded.url}/kpi?kpi=banen", ready="[data-testid=stMain] h1")
        assert sidebar.get_attribute("data-collapsed") == "true"
        sign_in(pg, "verkeerd-wachtwoord", expect="Onjuist wachtwoord.")
        wait_idle(pg)
        assert sidebar.get_attribute("data-collapsed") == "false"
        assert sidebar.get_by_text("Onjuist wachtwoord.").is_visible()

        sign_in(pg, PASSWORD)
        pg.locator(TOAST, has_text="U bent ingelogd als redacteur.").wait_for(state="visible")
        wait_idle(pg)
        assert sidebar.get_attribute("data-collapsed") == "true"
        assert "kpi=banen" in pg.url and pg.locator("[data-testid=stMain] h1").first.is_visible()
        screenshot(pg, "phone-after-sign-in.png")

        open_menu(pg)
        assert menu_link(pg, "Importeren").is_visible()  # signed in: the editor's pages are listed
        sidebar.locator("button", has_text="Uitloggen").click()
        pg.locator(TOAST, has_text="U bent uitgelogd.").wait_for(state="visible")
        wait_idle(pg)
        assert sidebar.get_attribute("data-collapsed") == "true"
        assert menu_link(pg, "Importeren").count() == 0

        open_menu(pg)
        pg.reload()
        open_page(pg, pg.url, ready="[data-testid=stMain] h1")
        assert sidebar.get_attribute("data-collapsed") == "false"
    finally:
        context.close()


def _signed_in(page) -> bool:
    wait_idle(page)
    page.locator("[data-testid=stSidebar]", has_text="Inloggen als redacteur").or_(
        page.locator("[data-testid=stSidebar]", has_text="Ingelogd als redacteur")).first.wait_for()
    return page.locator("[data-testid=stSidebar]", has_text="Ingelogd als redacteur").count() > 0


def _sign_in(page, url: str) -> None:
    open_page(page, url)
    sign_in(page, PASSWORD)


def test_the_editor_cookie_survives_reload_and_new_tab_until_logout(guarded, page):
    _sign_in(page, guarded.url)
    cookie = next(c for c in page.context.cookies() if c["name"] == "kpi_redacteur")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and PASSWORD not in page.url
    assert 7.9 * 3600 < cookie["expires"] - time.time() <= 8 * 3600
    page.reload()
    open_page(page, page.url)
    assert _signed_in(page)
    tab = page.context.new_page()
    open_page(tab, f"{guarded.url}/importeren", ready="[data-testid=stFileUploader]")  # a bookmark, new tab
    assert _signed_in(tab)
    tab.close()
    page.locator("[data-testid=stSidebar] button", has_text="Uitloggen").click()
    page.locator("[data-testid=stSidebar]", has_text="U bent uitgelogd.").wait_for()
    assert not [c for c in page.context.cookies() if c["name"] == "kpi_redacteur"]
    page.reload()
    open_page(page, page.url)
    assert not _signed_in(page)
    # The cookie copied before logout is worthless too (revoked on the server).
    page.context.add_cookies([{**cookie}])
    open_page(page, guarded.url)
    assert not _signed_in(page)


def test_a_tampered_cookie_is_refused_and_a_replayed_session_id_uploads_nothing(guarded, page, chromium, tmp_path):
    _sign_in(page, guarded.url)
    menu_link(page, "Importeren").click()
    page.wait_for_url("**/importeren")
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url) if "/_stcore/upload_file/" in r.url else None)
    assert all(200 <= s < 300 for s in upload_on_import_page(page, tmp_path))
    session_id = urls[0].split("/_stcore/upload_file/", 1)[1].split("/", 1)[0]
    cookie = next(c for c in page.context.cookies() if c["name"] == "kpi_redacteur")

    other = chromium.new_context()
    try:
        stranger = other.new_page()
        open_page(stranger, guarded.url)  # a viewer, with a valid XSRF cookie of its own
        assert not _signed_in(stranger)
        xsrf = next(c["value"] for c in other.cookies() if c["name"] == "_streamlit_xsrf")
        replay = stranger.request.put(f"{guarded.url}/_stcore/upload_file/{session_id}/gekozen-id",
                                      headers={"X-Xsrftoken": xsrf},
                                      multipart={"file": {"name": "x.csv", "mimeType": "text/csv", "buffer": b"x"}})
        assert replay.status == 403
        # A tampered editor cookie: no editor, no upload.
        other.add_cookies([{**cookie, "value": cookie["value"][:-4] + ("AAAA" if not cookie["value"].endswith("AAAA") else "BBBB")}])
        open_page(stranger, guarded.url)
        assert not _signed_in(stranger)
        replay = stranger.request.put(f"{guarded.url}/_stcore/upload_file/{session_id}/gekozen-id",
                                      headers={"X-Xsrftoken": xsrf},
                                      multipart={"file": {"name": "x.csv", "mimeType": "text/csv", "buffer": b"x"}})
        assert replay.status == 403
    finally:
        other.close()


def test_the_editor_cookie_expires(server_factory, tmp_path, page):
    url = seeded_sqlite(tmp_path / "kort.db")
    server = server_factory(url, name="kort", env={"KPI_EDITOR_PASSWORD": PASSWORD, "KPI_EDITOR_SESSION_HOURS": "0.002"},
                            app="server.py")  # 7,2 s
    _sign_in(page, server.url)
    time.sleep(8)
    open_page(page, server.url)
    assert not _signed_in(page)


def _session_of_reconnect(base_url: str, xsrf: str, session_id: str, cookies: dict[str, str]) -> str:
    """Open Streamlit's websocket as a reconnecting browser would (the session id as the third
    subprotocol), ask for a script run, and return the id of the session the server gave it."""
    url = base_url.replace("http://", "ws://") + "/_stcore/stream"
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    with connect(url, subprotocols=["streamlit", xsrf, session_id], additional_headers={"Cookie": cookie},
                 max_size=None, open_timeout=30) as ws:
        back = BackMsg()
        back.rerun_script.query_string = ""
        back.rerun_script.page_script_hash = ""
        ws.send(back.SerializeToString())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            frame = ws.recv(timeout=60)
            if isinstance(frame, bytes):
                msg = ForwardMsg.FromString(frame)
                if msg.WhichOneof("type") == "new_session":
                    return msg.new_session.initialize.session_id
    raise AssertionError("geen new_session-bericht van de server")


def test_a_reconnect_with_the_editors_session_id_takes_nothing_over(guarded, page, chromium, tmp_path):
    """Issue 23.8 against the real server: a websocket reconnect that names the editor's session
    id without the editor's cookie gets a session of its own (a viewer); the editor's own browser,
    with its cookie, gets its session back (the control: it shows the test can see a takeover)."""
    _sign_in(page, guarded.url)
    menu_link(page, "Importeren").click()
    page.wait_for_url("**/importeren")
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url) if "/_stcore/upload_file/" in r.url else None)
    upload_on_import_page(page, tmp_path)
    session_id = urls[0].split("/_stcore/upload_file/", 1)[1].split("/", 1)[0]
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    page.close()  # the editor's tab goes away; Streamlit keeps the session for a reconnect

    other = chromium.new_context()
    try:
        stranger = other.new_page()
        open_page(stranger, guarded.url)
        stranger_cookies = {c["name"]: c["value"] for c in other.cookies()}
        xsrf = stranger_cookies["_streamlit_xsrf"]
        got = _session_of_reconnect(guarded.url, xsrf, session_id, stranger_cookies)
        assert got and got != session_id
        assert "zonder zijn cookie geweigerd" in guarded.log_text()
        # The editor's browser, with its own cookie, reconnects to its own session.
        assert _session_of_reconnect(guarded.url, cookies["_streamlit_xsrf"], session_id, cookies) == session_id
    finally:
        other.close()


def test_uploads_held_by_a_session_are_bounded_and_freed_in_the_real_upload_store(server_factory, tmp_path, page):
    """Issue 23.9 against Streamlit's own upload store (not a stand-in): an editor's session holds
    at most KPI_MAX_SESSION_UPLOADS files, however it chooses the file ids; when its tab closes, the
    files are freed at once (the server log says so), so the same session, resumed, may upload again."""
    url = seeded_sqlite(tmp_path / "uploads.db")
    server = server_factory(url, name="uploads", app="server.py",
                            env={"KPI_EDITOR_PASSWORD": PASSWORD, "KPI_MAX_SESSION_UPLOADS": "3"})
    _sign_in(page, server.url)
    menu_link(page, "Importeren").click()
    page.wait_for_url("**/importeren")
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url) if "/_stcore/upload_file/" in r.url else None)
    upload_on_import_page(page, tmp_path)  # the first file this session holds
    session_id = urls[0].split("/_stcore/upload_file/", 1)[1].split("/", 1)[0]
    context = page.context
    cookies = {c["name"]: c["value"] for c in context.cookies()}

    def put(file_id: str):
        return context.request.put(f"{server.url}/_stcore/upload_file/{session_id}/{file_id}",
                                   headers={"X-Xsrftoken": cookies["_streamlit_xsrf"]},
                                   multipart={"file": {"name": f"{file_id}.csv", "mimeType": "text/csv",
                                                       "buffer": b"x" * 200_000}})

    statuses = [put(f"zelfgekozen-{i}").status for i in range(2)]
    assert all(200 <= s < 300 for s in statuses), statuses
    refused = put("zelfgekozen-2")
    assert refused.status == 413 and "al 3 bestanden" in refused.text()

    page.close()
    deadline = time.monotonic() + 30
    while "Uploads van een gesloten sessie vrijgegeven: 3 bestand(en)" not in server.log_text():
        assert time.monotonic() < deadline, server.log_text()[-2000:]
        time.sleep(0.2)
    # The editor's browser resumes its session: it holds nothing now, so a new file is accepted.
    with connect(server.url.replace("http://", "ws://") + "/_stcore/stream",
                 subprotocols=["streamlit", cookies["_streamlit_xsrf"], session_id],
                 additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
                 open_timeout=30):
        again = put("zelfgekozen-2")
        assert 200 <= again.status < 300, again.text()
