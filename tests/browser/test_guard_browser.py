"""`streamlit run server.py` in chromium: an editor who logged in (after one wrong try) can still
upload through the guard, and the server log records both tries with the client address but
not the password. The signed editor cookie (issue 19.6, 23.8): signed in after F5 and in a new
tab, signed out by the button and at expiry, a tampered cookie refused, and a second browser
that replays the editor's session id gets no upload. Viewers' uploads: tests/test_http_guard.py."""

from __future__ import annotations

import time

import pytest

from kpi.db import ensure_ready, make_engine
from tests.support.browser import (
    exceptions_on,
    menu_link,
    open_page,
    sign_in,
    sqlite_url,
    upload_on_import_page,
    wait_idle,
)

pytestmark = pytest.mark.browser

PASSWORD = "redacteur-test-wachtwoord"


@pytest.fixture
def guarded(server_factory, tmp_path):
    url = sqlite_url(tmp_path / "guard.db")
    engine = make_engine(url)
    ensure_ready(engine)
    engine.dispose()
    return server_factory(url, name="guarded", env={"KPI_EDITOR_PASSWORD": PASSWORD}, app="server.py")


def test_editor_uploads_through_the_guard_and_logins_are_logged(guarded, page, tmp_path):
    open_page(page, guarded.url)
    sign_in(page, "verkeerd-wachtwoord", expect="Onjuist wachtwoord.")
    sign_in(page, PASSWORD)
    menu_link(page, "Importeren").click()
    page.wait_for_url("**/importeren")
    uploads = upload_on_import_page(page, tmp_path)
    assert exceptions_on(page) == []
    log = guarded.log_text()
    assert "Mislukte inlogpoging als redacteur (vertraagd met 1 s): tijd 20" in log and "client 127.0.0.1" in log
    assert "Redacteur ingelogd: tijd 20" in log
    assert "verkeerd-wachtwoord" not in log and PASSWORD not in log
    assert uploads and 403 not in uploads and all(200 <= s < 300 for s in uploads), uploads


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
    url = sqlite_url(tmp_path / "kort.db")
    engine = make_engine(url)
    ensure_ready(engine)
    engine.dispose()
    server = server_factory(url, name="kort", env={"KPI_EDITOR_PASSWORD": PASSWORD, "KPI_EDITOR_SESSION_HOURS": "0.002"},
                            app="server.py")  # 7,2 s
    _sign_in(page, server.url)
    time.sleep(8)
    open_page(page, server.url)
    assert not _signed_in(page)
