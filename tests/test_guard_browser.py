"""`streamlit run server.py` in chromium: an editor who logged in (after one wrong try) can still
upload through the guard, and the server log records both tries with the client address but
not the password. Viewers' uploads are refused in tests/test_http_guard.py."""

from __future__ import annotations

import pytest

from kpi.db import ensure_ready, make_engine
from tests.browser import exceptions_on, open_page, sqlite_url, upload_on_import_page, wait_idle

pytest_plugins = ["tests.browser"]
pytestmark = pytest.mark.browser

PASSWORD = "redacteur-test-wachtwoord"


@pytest.fixture
def guarded(server_factory, tmp_path):
    url = sqlite_url(tmp_path / "guard.db")
    engine = make_engine(url)
    ensure_ready(engine)
    engine.dispose()
    return server_factory(url, name="guarded", env={"KPI_EDITOR_PASSWORD": PASSWORD}, app="server.py")


def _login(page, password: str) -> None:
    page.locator("[data-testid=stSidebar] input[type=password]").fill(password)
    page.locator("[data-testid=stSidebar] button:has-text('Inloggen')").click()


def test_editor_uploads_through_the_guard_and_logins_are_logged(guarded, page, tmp_path):
    open_page(page, guarded.url)
    page.locator("[data-testid=stSidebar] [data-testid=stExpander] summary").first.click()
    _login(page, "verkeerd-wachtwoord")
    page.locator("[data-testid=stSidebar]", has_text="Onjuist wachtwoord.").wait_for(state="visible")
    _login(page, PASSWORD)
    page.locator("[data-testid=stSidebar]", has_text="Ingelogd als redacteur").wait_for(state="visible")
    wait_idle(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Importeren").first.click()
    page.wait_for_url("**/importeren")
    uploads = upload_on_import_page(page, tmp_path)
    assert exceptions_on(page) == []
    log = guarded.log_text()
    assert "Mislukte inlogpoging als redacteur: tijd 20" in log and "client lokaal" in log
    assert "Redacteur ingelogd: tijd 20" in log
    assert "verkeerd-wachtwoord" not in log and PASSWORD not in log
    assert uploads and 403 not in uploads and all(200 <= s < 300 for s in uploads), uploads
