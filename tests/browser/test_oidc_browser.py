"""Named editors end to end (issue 12, point 11): `streamlit run server.py` with OIDC configured,
chromium signs in through a real OpenID Connect provider started on 127.0.0.1 (oidc-provider-mock:
discovery, authorize form, token endpoint, signed ID token), imports as a listed editor through
the upload guard, and finds that name as "Door" in Importgeschiedenis and in the database.
A signed-in user who is not listed gets no editor pages."""

from __future__ import annotations

import re
import threading

import pytest
import werkzeug.serving

from kpi import repository
from kpi.db import make_engine
from tests.support.browser import (
    UI_TIMEOUT_MS,
    exceptions_on,
    menu_link,
    menu_titles,
    open_menu,
    open_page,
    screenshot,
    seeded_sqlite,
    upload_on_import_page,
    wait_idle,
)
from tests.support.pgserver import free_port

pytestmark = pytest.mark.browser

ANNA = {"name": "Anna de Vries", "email": "anna.devries@assen.nl", "email_verified": True}
ANNA_ID = "Anna de Vries (anna.devries@assen.nl)"
PIET = {"name": "Piet Bakker", "email": "piet@example.org", "groups": ["ambtenaren"]}


@pytest.fixture
def provider():
    """An OpenID Connect provider on a free loopback port, knowing the users `anna` and `piet`."""
    from oidc_provider_mock import User, app

    wsgi = app(require_nonce=True, user_claims=[User(sub="anna", claims=ANNA), User(sub="piet", claims=PIET)])
    server = werkzeug.serving.make_server("127.0.0.1", free_port(), wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    server.server_close()


@pytest.fixture
def oidc_server(provider, server_factory, tmp_path):
    """The dashboard behind the guard, with [auth] pointing at the provider and Anna listed as editor."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'''
[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "een-lang-geheim-voor-de-cookies-van-de-test"
client_id = "binnenstadmonitor"
client_secret = "geheim-van-de-test"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[editors]
emails = ["anna.devries@assen.nl"]
groups = ["binnenstad-redactie"]
''', encoding="utf-8")
    url = seeded_sqlite(tmp_path / "oidc.db")
    return server_factory(url, name="oidc", app="server.py", env={
        "STREAMLIT_SECRETS_FILES": str(secrets), "KPI_EDITOR_PASSWORD": "",
    })


def _sign_in(page, server, provider: str, subject: str) -> None:
    open_page(page, server.url)
    if page.locator("[data-testid=stSidebar]").get_attribute("data-collapsed") == "true":
        open_menu(page)  # a phone: the sidebar starts closed
    page.locator("[data-testid=stSidebar] button", has_text="Inloggen als redacteur").click()
    page.wait_for_url(f"{provider}/oauth2/authorize**")
    page.locator("input[name=sub]").fill(subject)
    page.locator("button[type=submit]", has_text="Authorize").click()
    page.wait_for_url(re.compile(re.escape(server.url) + r"/?(\?.*)?$"))
    page.wait_for_selector("[data-testid=stMetricValue]", state="visible")
    wait_idle(page)


def test_listed_editor_signs_in_imports_and_is_named_in_the_history(oidc_server, provider, page, tmp_path):
    _sign_in(page, oidc_server, provider, "anna")
    page.locator("[data-testid=stSidebar]", has_text="Ingelogd als redacteur: Anna de Vries").wait_for()
    assert not page.locator("[data-testid=stSidebar] input[type=password]").count()

    menu_link(page, "Importeren").click()
    page.wait_for_url("**/importeren")
    uploads = upload_on_import_page(page, tmp_path)
    assert page.locator("input[aria-label='Vastgelegd als']").input_value() == ANNA_ID
    page.locator("[data-testid=stMain] button", has_text="Opslaan").click()
    page.locator("[data-testid=stMain]", has_text="Opgeslagen als importbatch").wait_for()
    wait_idle(page)

    menu_link(page, "Importgeschiedenis").click()
    page.wait_for_url("**/importgeschiedenis")
    page.locator(".st-key-batch_table td", has_text="cijfers.csv").first.wait_for(state="attached")
    cells = page.locator(".st-key-batch_table td").all_inner_texts()
    assert ANNA_ID in [c.strip() for c in cells]
    assert exceptions_on(page) == []

    engine = make_engine(oidc_server.db_url)
    try:
        batch = repository.load_batches(engine).query("filename == 'cijfers.csv'").iloc[0]
        assert batch["created_by"] == ANNA_ID
    finally:
        engine.dispose()
    log = oidc_server.log_text()
    assert f"Ingelogd via OIDC als redacteur: {ANNA_ID}" in log
    assert uploads and 403 not in uploads and all(200 <= s < 300 for s in uploads), uploads
    assert oidc_server.alarms() == []


def test_signed_in_user_not_listed_gets_no_editor_pages(oidc_server, provider, page):
    _sign_in(page, oidc_server, provider, "piet")
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.locator("text=maar u staat niet op de lijst van redacteuren").wait_for()
    nav = menu_titles(page)
    assert "Overzicht" in nav
    assert not any(name in nav for name in ("Importeren", "Importgeschiedenis", "Doelen beheren", "Gebeurtenissen"))
    # Opened by its URL, an editor page says in Dutch that it is for editors, and offers nothing.
    page.goto(f"{oidc_server.url}/importeren")
    page.locator("[data-testid=stMain] [data-testid=stAlert]", has_text="Deze pagina is alleen voor redacteuren").wait_for(
        state="visible")
    wait_idle(page)
    assert not page.locator("[data-testid=stFileUploader]").count()
    assert page.get_by_text("Page not found").count() == 0
    assert "Ingelogd via OIDC als kijker (niet op de lijst van redacteuren): Piet Bakker" in oidc_server.log_text()
    assert oidc_server.alarms() == []


def test_on_a_phone_oidc_sign_in_and_out_return_to_the_page_not_the_sidebar(oidc_server, provider, chromium,
                                                                           iphone):
    """Streamlit's own routes take the user to the provider and back to '/'; the sidebar the user
    opened to sign in used to cover the page that came back, as it did for the password before
    stop 29. The guard now sets the one-shot sidebar cookie on the way out (SameSite=Lax, or the
    way back from the provider's site would not carry it)."""
    context = chromium.new_context(locale="nl-NL", **iphone)
    pg = context.new_page()
    pg.set_default_timeout(UI_TIMEOUT_MS)
    sidebar = pg.locator("[data-testid=stSidebar]")
    try:
        _sign_in(pg, oidc_server, provider, "anna")
        assert sidebar.get_attribute("data-collapsed") == "true"
        assert pg.locator("[data-testid=stMain] h1").first.is_visible()
        screenshot(pg, "oidc-phone-after-sign-in.png")
        open_menu(pg)
        sidebar.get_by_text("Ingelogd als redacteur: Anna de Vries").wait_for()
        assert menu_link(pg, "Importeren").is_visible()
        sidebar.locator("button", has_text="Uitloggen").click()
        # Streamlit ends the session at the provider too (its end_session page), then comes back.
        pg.wait_for_url(f"{provider}/oauth2/end_session**")
        pg.locator("button", has_text="End session").click()
        pg.wait_for_url(re.compile(re.escape(oidc_server.url) + r"/?(\?.*)?$"))
        pg.wait_for_selector("[data-testid=stMetricValue]", state="visible")
        wait_idle(pg)
        assert sidebar.get_attribute("data-collapsed") == "true"
        assert menu_link(pg, "Importeren").count() == 0
        assert exceptions_on(pg) == [] and oidc_server.alarms() == []
    finally:
        context.close()
