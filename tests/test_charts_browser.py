"""Charts, meeting mode and print in chromium (issue 13): the beamer at 1280x720, a phone at
390x844 (Playwright's iPhone 13) and print to PDF. One server for the module; screenshots in
artifacts/."""

from __future__ import annotations

import shutil

import pytest

from tests.browser import ARTIFACTS, exceptions_on, screenshot, sqlite_url, start_streamlit, wait_idle

pytest_plugins = ["tests.browser"]
pytestmark = pytest.mark.browser

BEAMER = {"width": 1280, "height": 720}
CHART = "[data-testid=stPlotlyChart]"
# The text parts of a plotly chart, with the size the browser renders them at.
CHART_TEXT_JS = """(sel) => [...document.querySelectorAll(sel + ' :is(.legendtext, .xtick text, .ytick text, .annotation-text)')]
  .filter(e => e.getBoundingClientRect().height > 0)
  .map(e => [e.textContent, parseFloat(getComputedStyle(e).fontSize), e.getBoundingClientRect().height])"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("charts")
    srv = start_streamlit(tmp / "server.log", env={"KPI_DATABASE_URL": sqlite_url(tmp / "dashboard.db")})
    yield srv
    srv.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(srv.log_path, ARTIFACTS / "server-charts.log")


def _open(pg, url: str) -> None:
    pg.goto(url)
    pg.wait_for_selector("h1", state="visible")
    wait_idle(pg)


def _open_chart(pg, url: str) -> None:
    _open(pg, url)
    pg.wait_for_selector(f"{CHART} .main-svg", state="visible")
    pg.wait_for_selector(f"{CHART} .legendtext", state="attached")


@pytest.mark.parametrize("step", [1, 3, 4, 5])
def test_meeting_chart_text_is_at_least_20px_on_the_beamer(server, page, step):
    """Legends, axis ticks, target and national labels as rendered in the SVG (screens: banen, leegstand,
    rapportcijfer, ranking)."""
    page.set_viewport_size(BEAMER)
    _open_chart(page, f"{server.url}/vergadering?stap={step}")
    screenshot(page, f"meeting-1280x720-chart-stap{step}.png")
    parts = page.evaluate(CHART_TEXT_JS, CHART)
    kinds = page.evaluate("""(sel) => ['.legendtext', '.xtick text', '.ytick text', '.annotation-text']
        .map(k => document.querySelectorAll(sel + ' ' + k).length)""", CHART)
    assert all(n > 0 for n in kinds), kinds  # legend, both axes and a target or national label
    small = [p for p in parts if p[1] < 20 or p[2] < 20]
    assert parts and not small, small
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)") >= 20
    assert exceptions_on(page) == [] and server.alarms() == []
