"""The core in a real browser: a fresh server seeds its database and shows the five KPIs;
a cold deep link opens a KPI page with its chart and the navigation."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from kpi import formatting as fmt
from kpi import repository
from kpi.db import make_engine
from kpi.service import evaluate_all
from kpi.settings import Settings
from kpi.tables import agreement_groups
from tests.support.browser import (
    ARTIFACTS,
    MENU,
    ROOT,
    exceptions_on,
    menu_titles,
    metric_values,
    open_page,
    screenshot,
    sqlite_url,
)

pytestmark = pytest.mark.browser

DOCS_SCREENSHOT = ROOT / "docs" / "screenshot.png"


def expected_cards(db_url: str) -> list[tuple[str, str, str]]:
    """(code, name, value as shown) per KPI, computed from the database the server seeded."""
    engine = make_engine(db_url)
    try:
        settings = Settings.from_env({**os.environ, "KPI_DATABASE_URL": db_url})
        results = evaluate_all(engine, settings, dt.date.today())
    finally:
        engine.dispose()
    # in the overview's order: grouped by agreement, newest first (issue 21)
    return [
        (r.indicator.code, r.indicator.name,
         fmt.value(r.latest.value, r.indicator.unit, r.indicator.decimals) if r.latest else "–")
        for g in agreement_groups(results) for r in g.results
    ]


def illustrative_count(db_url: str) -> int:
    engine = make_engine(db_url)
    try:
        return repository.count_illustrative(engine)
    finally:
        engine.dispose()


def test_overview_shows_the_five_kpis_as_stored(server_factory, page, tmp_path):
    db_file = tmp_path / "fresh.db"
    assert not db_file.exists()
    server = server_factory(sqlite_url(db_file), name="overview")
    page.set_viewport_size({"width": 1400, "height": 1800})  # all five cards in one picture
    open_page(page, server.url)
    assert db_file.exists(), "the app did not create its database on first start"

    cards = expected_cards(sqlite_url(db_file))
    assert len(cards) == 7  # the akkoord's five with values, the visie 2021's two without a figure yet
    assert [value != "–" for _, _, value in cards].count(True) == 5, cards
    for code, name, value in cards:
        card = page.locator(f".st-key-card_{code}")
        assert card.count() == 1, f"no card for {code}"
        assert card.locator("h4").inner_text().strip() == name
        assert metric_values(page, f".st-key-card_{code}") == [value]
    # the same five, in display order
    assert metric_values(page) == [value for _, _, value in cards]

    count = illustrative_count(sqlite_url(db_file))
    assert count > 0
    banner = page.locator(".st-key-demo_banner summary [data-testid=stMarkdownContainer]")
    assert banner.is_visible()
    assert banner.inner_text().strip() == f"Demo: {fmt.number(count)} illustratieve waarden"

    assert exceptions_on(page) == []
    assert server.alarms() == []

    shot = screenshot(page, "overview.png")
    # The README's picture is refreshed on request (or when missing), so an ordinary test
    # run does not leave a changed file in the working tree.
    if os.environ.get("KPI_UPDATE_SCREENSHOT") or not DOCS_SCREENSHOT.exists():
        DOCS_SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copy(shot, DOCS_SCREENSHOT)


def test_cold_deep_link_opens_the_kpi_page_with_chart_and_navigation(server_factory, page, tmp_path):
    db_url = sqlite_url(tmp_path / "cold.db")
    server = server_factory(db_url, name="deeplink")
    # The very first page request this server gets is the deep link.
    page.goto(f"{server.url}/kpi?kpi=leegstand")
    chart = page.locator("[data-testid=stPlotlyChart]")
    chart.wait_for(state="visible")
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
    # the chart is drawn, not only its frame: plotly's SVG holds the series
    assert chart.locator(".scatterlayer .trace").count() >= 1

    cards = {code: (name, value) for code, name, value in expected_cards(db_url)}
    name, value = cards["leegstand"]
    assert page.locator("h1").first.inner_text().strip() == name
    assert metric_values(page)[0] == value
    assert "kpi=leegstand" in page.url
    # A cold first request for /kpi finds its page (no "Page not found").
    assert page.get_by_text("Page not found").count() == 0

    assert page.locator(MENU).is_visible()
    links = menu_titles(page)
    assert "Overzicht" in links and "KPI in detail" in links and "Bronnen en definities" in links, links
    # Viewers never see the editors' section.
    assert not any("Importeren" in t for t in links), links

    assert exceptions_on(page) == []
    assert server.alarms() == []
    screenshot(page, "kpi-leegstand-cold.png")


def test_card_link_switches_to_the_kpi_page(streamlit_server, page):
    open_page(page, streamlit_server.url)
    page.locator(".st-key-card_banen [data-testid=stPageLink] a").click()
    chart = page.locator("[data-testid=stPlotlyChart]")
    chart.wait_for(state="visible")
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
    assert "kpi=banen" in page.url
    assert page.locator("h1").first.inner_text().strip() == "Aantal banen"
    assert chart.locator(".scatterlayer .trace").count() >= 1
    assert exceptions_on(page) == []
    assert streamlit_server.alarms() == []
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(page, "kpi-banen.png")
