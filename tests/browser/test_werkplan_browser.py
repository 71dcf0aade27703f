"""In chromium: a fresh server whose very first request is /werkplan or /kpi?kpi=ranking
(a cold deep link) shows the werkplan's actions in its table cells, without
an error element (issue 9)."""

from __future__ import annotations

import pytest

from tests.support.browser import exceptions_on, screenshot, sqlite_url

pytestmark = pytest.mark.browser


def _cells(page) -> list[str]:
    # glide-data-grid draws on a canvas and keeps an accessible copy of the visible cells.
    return [c.strip() for c in page.locator("[data-testid=stDataFrame] [role=gridcell]").all_inner_texts()]


def _cold(server_factory, page, tmp_path, name: str, path: str, heading: str,
          cell: str = "[data-testid=stDataFrame] [role=gridcell]"):
    server = server_factory(sqlite_url(tmp_path / f"{name}.db"), name=name)
    page.goto(f"{server.url}{path}")
    page.locator("h1", has_text=heading).first.wait_for(state="visible")
    page.locator(cell).first.wait_for(state="attached")
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
    assert page.get_by_text("Page not found").count() == 0
    return server


def _table_cells(page) -> list[str]:
    # The werkplan's actions are the page's own HTML tables (issue 19: wrapped, never cut off).
    return [" ".join(c.split()) for c in page.locator("[data-testid=stMain] table.wp-table td").all_inner_texts()]


def test_cold_werkplan_shows_the_actions_per_theme(server_factory, page, tmp_path):
    server = _cold(server_factory, page, tmp_path, "werkplan", "/werkplan", "Werkplan Binnenstad",
                   cell="[data-testid=stMain] table.wp-table td")
    cells = _table_cells(page)
    assert "A-02 Winkelpanden buiten het kernwinkelgebied ombouwen tot woningen illustratief" in cells, cells[:40]
    assert "⚠ Vertraagd te laat" in cells
    assert page.get_by_text("13 van deze acties zijn illustratief (demo), geen echte acties van het werkplan").count() == 1
    assert page.locator("h3", has_text="A compact & compleet").count() == 1
    assert "weergave=acties" in page.url
    screenshot(page, "werkplan.png")
    assert exceptions_on(page) == [] and server.alarms() == []


def test_cold_kpi_page_shows_what_is_done_about_it(server_factory, page, tmp_path):
    server = _cold(server_factory, page, tmp_path, "kpiranking", "/kpi?kpi=ranking",
                   "Positie in ranking binnensteden", cell="[data-testid=stMain] table td")
    section = page.locator("h3", has_text="Wat doen we eraan")
    section.scroll_into_view_if_needed()
    assert page.get_by_text("staat op ‘achter’ en er loopt geen echte actie voor deze KPI").count() == 1
    table = page.locator("[data-testid=stMain] table.wp-actions").last
    table.scroll_into_view_if_needed()
    cells = _table_cells(page)
    # On the KPI page each action also names its theme.
    assert any(c.startswith("F-01 Campagne voor de binnenstad als uitje in de regio illustratief") for c in cells), cells
    screenshot(page, "kpi-ranking-werkplan.png")
    assert exceptions_on(page) == [] and server.alarms() == []


def test_meeting_werkplan_screen_fits_the_projector(streamlit_server, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{streamlit_server.url}/vergadering?stap=8")  # after the seven KPIs
    page.locator("h1", has_text="Werkplan").first.wait_for(state="visible")
    page.locator("[data-testid=stDataFrame] [role=gridcell]").first.wait_for(state="attached")
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
    screenshot(page, "meeting-1280x720-werkplan.png")
    assert exceptions_on(page) == []
    assert not page.locator("[data-testid=stSidebar]").is_visible()
    overflow = page.evaluate(
        "(() => { const m = document.querySelector('[data-testid=stMain]');"
        " return m.scrollHeight - m.clientHeight; })()")
    assert overflow <= 0, f"the werkplan screen needs scrolling ({overflow}px)"
    assert "A-02" in _cells(page)
