"""Every URL of the page table, in chromium, for a viewer and an editor, opened cold (the first
request of a new session, as a bookmark, a link in a mail or F5 does) and warm (from the menu):
the page itself, never Streamlit's English "Page not found" (issue 18, point 3).

A viewer who opens an editor page gets that page with the Dutch notice that it is for editors.
An unlisted page (Afmelden, reached from the link in a digest) opens cold for everyone and is in
nobody's menu.
"""

from urllib.parse import urlsplit

import pytest

from tests.support.browser import (
    exceptions_on,
    menu_link,
    menu_titles,
    open_page,
    screenshot,
    sign_in,
    sqlite_url,
    wait_idle,
)
from ui.frame import MEETING_URL, PAGES

pytestmark = [pytest.mark.browser]

PASSWORD = "redacteur-test-wachtwoord"
EDITORS_ONLY = "Deze pagina is alleen voor redacteuren."


@pytest.fixture
def server(server_factory, tmp_path):
    return server_factory(sqlite_url(tmp_path / "urls.db"), name="urls", env={"KPI_EDITOR_PASSWORD": PASSWORD})


def _settled(page, url: str) -> None:
    wait_idle(page)
    try:
        page.locator("[data-testid=stMain] h1, [data-testid=stMain] [data-testid=stAlert]").first.wait_for(state="visible")
    except Exception:
        screenshot(page, f"urls-{url}.png")
        raise AssertionError(f"/{url}: no page title") from None
    wait_idle(page)


def _no_dialog(page, url: str) -> None:
    assert page.get_by_text("Page not found").count() == 0, url
    assert page.locator("[role=dialog]").count() == 0, url
    assert exceptions_on(page) == [], url
    assert urlsplit(page.url).path.rstrip("/") == f"/{url}", (url, page.url)


def _log_in(page) -> None:
    sign_in(page, PASSWORD)


def test_an_address_that_is_no_page_says_so_in_dutch_and_leads_to_the_overview(server, page):
    """A mistyped or old bookmark (the benchmark page is /vergelijken) got Streamlit's English
    "Page not found" dialog over the overview; now a Dutch page with status 404 and a way on."""
    from tests.browser.test_a11y_browser import axe_violations, report

    response = page.goto(f"{server.url}/benchmark")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Pagina niet gevonden"
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert "‘benchmark’" in page.locator("main").inner_text()
    violations = axe_violations(page)
    assert not violations, report(violations)
    page.get_by_role("link", name="Naar het overzicht").click()
    _settled(page, "")
    assert page.locator("[data-testid=stMain] h1").first.inner_text() == "Stand van de binnenstad"
    assert page.locator("[role=dialog]").count() == 0 and exceptions_on(page) == []


def test_every_url_opened_cold_by_a_viewer(server, page):
    for spec in PAGES:
        page.goto(f"{server.url}/{spec.url}")
        _settled(page, spec.url)
        _no_dialog(page, spec.url)
        notice = page.locator("[data-testid=stMain] [data-testid=stAlert]", has_text=EDITORS_ONLY)
        assert notice.count() == (1 if spec.editors_only else 0), spec.url
        menu = menu_titles(page)
        assert menu == [s.title for s in PAGES if not (s.editors_only or s.unlisted)], (spec.url, menu)


def test_every_url_opened_warm_by_an_editor_from_the_menu(server, page):
    open_page(page, server.url)
    _log_in(page)
    # Meeting mode last: it folds the sidebar away.
    assert menu_titles(page) == [s.title for s in PAGES if not s.unlisted]
    for spec in sorted(PAGES, key=lambda s: s.url == MEETING_URL):
        if spec.unlisted:  # opened cold above; not in an editor's menu either
            assert spec.title not in menu_titles(page)
            continue
        menu_link(page, spec.title).click()
        page.wait_for_url(lambda u, p=spec.url: urlsplit(u).path.rstrip("/") == f"/{p}")
        _settled(page, spec.url)
        _no_dialog(page, spec.url)
        assert page.get_by_text(EDITORS_ONLY).count() == 0, spec.url


@pytest.mark.parametrize("url", [s.url for s in PAGES if s.editors_only])
def test_an_editor_page_reloaded_is_that_page_not_a_dialog(server, page, url):
    open_page(page, server.url)
    _log_in(page)
    menu_link(page, next(s.title for s in PAGES if s.url == url)).click()
    page.wait_for_url(lambda u: urlsplit(u).path.rstrip("/") == f"/{url}")
    _settled(page, url)
    page.reload()
    _settled(page, url)
    _no_dialog(page, url)
