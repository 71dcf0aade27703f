"""Issue 13 in a real browser: a cold /overzicht opens the overview without Streamlit's
English "Page not found" dialog, the page language is Dutch, and chart axes use Dutch
thousands separators."""

from __future__ import annotations

import pytest

from tests.support.browser import exceptions_on, metric_values, open_page, sqlite_url, wait_idle

pytestmark = pytest.mark.browser


def test_cold_overzicht_shows_the_overview_in_dutch_without_a_dialog(server_factory, page, tmp_path):
    server = server_factory(sqlite_url(tmp_path / "cold.db"), name="overzicht")
    # The very first page request this server gets is /overzicht (a bookmark, a link in a mail).
    open_page(page, f"{server.url}/overzicht")
    assert len(metric_values(page)) == 7  # the akkoord's five and the visie 2021's two
    assert page.locator('[role="dialog"]').count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert "/overzicht" in page.url
    assert exceptions_on(page) == []
    assert server.alarms() == []


def test_kpi_chart_axis_has_dutch_thousands(streamlit_server, page):
    open_page(page, f"{streamlit_server.url}/kpi?kpi=banen")
    page.locator("[data-testid=stPlotlyChart] .ytick").first.wait_for(state="attached")
    wait_idle(page)
    ticks = [t.strip() for t in page.locator("[data-testid=stPlotlyChart] .ytick text").evaluate_all("els => els.map(e => e.textContent)")]
    assert any(t.endswith(".000") or t.endswith(".500") for t in ticks), ticks  # 4.000, not 4000
    assert not any(t.isdigit() and len(t) >= 4 for t in ticks), ticks
    assert page.evaluate("document.documentElement.lang") == "nl"
