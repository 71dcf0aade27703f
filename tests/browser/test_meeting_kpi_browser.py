"""Meeting charts, the KPI page and tab titles in chromium with real figures imported (issue 19:
10, 11, 15). Real figures grey out the demo values, which gives the charts their fullest legends.
Screenshots in artifacts/ (the docs' set in docs/schermen/ comes from these)."""

from __future__ import annotations

import shutil

import pytest

from tests.browser.test_charts_browser import IPHONE_13
from tests.support.browser import ARTIFACTS, exceptions_on, screenshot, sqlite_url, start_streamlit, wait_idle
from tests.support.realdata import import_real_figures

pytestmark = pytest.mark.browser

CHART = "[data-testid=stPlotlyChart]"
SIZES = {"1440x900": {"width": 1440, "height": 900}, "1280x720": {"width": 1280, "height": 720}}
KPIS = ["banen", "bedrijven", "leegstand", "waardering", "ranking"]
# The chart, its plot area (plotly's drag layer covers exactly the axes' rectangle) and legend entries.
BOXES_JS = """(sel) => { const c = document.querySelector(sel), box = e => e.getBoundingClientRect().toJSON();
  return {chart: box(c), plot: box(c.querySelector('.nsewdrag')),
          entries: [...c.querySelectorAll('.legend .traces')].map(box),
          yticks: [...c.querySelectorAll('.ytick text')].map(box),
          xticks: [...c.querySelectorAll('.xtick text')].map(box)}; }"""


def _ticks_apart(boxes: dict) -> bool:
    """No two of the y axis's labels overlap (they did in a squeezed plot: '3.750' over '3.500')."""
    ys = sorted(boxes["yticks"], key=lambda b: b["y"])
    return all(a["y"] + a["height"] <= b["y"] + 0.5 for a, b in zip(ys, ys[1:]))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("meeting-kpi")
    url = sqlite_url(tmp / "dashboard.db")
    import_real_figures(url)
    srv = start_streamlit(tmp / "server.log", env={"KPI_DATABASE_URL": url})
    yield srv
    srv.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(srv.log_path, ARTIFACTS / "server-meeting-kpi.log")


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(**IPHONE_13, locale="nl-NL")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def _open_chart(pg, url: str) -> dict:
    pg.goto(url)
    pg.wait_for_selector("h1", state="visible")
    wait_idle(pg)
    pg.wait_for_selector(f"{CHART} .nsewdrag", state="attached")
    pg.wait_for_selector(f"{CHART} .legendtext", state="attached")
    pg.wait_for_timeout(300)  # plotly's second layout pass (legend height) after the first paint
    return pg.evaluate(BOXES_JS, CHART)


@pytest.mark.parametrize("step", range(1, 6))
def test_meeting_plot_keeps_60_percent_of_the_chart_on_the_beamer(server, page, step):
    """Six long legend entries, one per row, left the plot 161 of 420 px (38%)."""
    page.set_viewport_size(SIZES["1280x720"])
    boxes = _open_chart(page, f"{server.url}/vergadering?stap={step}")
    screenshot(page, f"meeting-real-1280x720-stap{step}.png")
    share = boxes["plot"]["height"] / boxes["chart"]["height"]
    assert share >= 0.6, (step, boxes)
    assert _ticks_apart(boxes), (step, boxes["yticks"])
    assert len(boxes["entries"]) >= 2  # the legend is there
    assert exceptions_on(page) == [] and server.alarms() == []


@pytest.mark.parametrize("step", range(1, 6))
def test_meeting_legend_entries_are_whole_on_a_phone(server, phone, step):
    boxes = _open_chart(phone, f"{server.url}/vergadering?stap={step}")
    phone.locator(CHART).first.scroll_into_view_if_needed()
    screenshot(phone, f"meeting-real-390x844-stap{step}.png")
    chart = boxes["chart"]
    # A phone gets the KPI page's chart, not the projector's large type in 340-420 px, where the
    # years stood upright and (under a duiding) the y labels ran into each other.
    assert boxes["xticks"] and all(t["width"] > t["height"] for t in boxes["xticks"]), (step, boxes["xticks"])
    assert _ticks_apart(boxes), (step, boxes["yticks"])
    for e in boxes["entries"]:
        assert chart["x"] - 1 <= e["x"] and e["x"] + e["width"] <= chart["x"] + chart["width"] + 1, (e, chart)
        assert chart["y"] - 1 <= e["y"] and e["y"] + e["height"] <= chart["y"] + chart["height"] + 1, (e, chart)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kpi", KPIS)
def test_kpi_chart_top_half_is_on_the_first_screen(server, page, size, kpi):
    """The chart began at the bottom edge at 1440x900 and below the first screen at 1280x720."""
    viewport = SIZES[size]
    page.set_viewport_size(viewport)
    boxes = _open_chart(page, f"{server.url}/kpi?kpi={kpi}")
    if kpi == "leegstand":
        screenshot(page, f"kpi-real-{size}.png")
    assert page.evaluate("window.scrollY") == 0
    chart = boxes["chart"]
    assert chart["y"] + chart["height"] / 2 <= viewport["height"], (kpi, size, chart)
    # The verdict is above it: title, status badge and the one sentence.
    verdict = page.locator("[data-testid=stMain] h1").first.bounding_box()
    assert verdict["y"] < chart["y"]


def test_kpi_page_on_a_phone_shows_the_chart_after_the_verdict(server, phone):
    _open_chart(phone, f"{server.url}/kpi?kpi=leegstand")
    screenshot(phone, "kpi-real-390x844.png")
    phone.screenshot(path=str(ARTIFACTS / "kpi-real-390x844-full.png"), full_page=True)
    chart = phone.locator(CHART).first.bounding_box()
    metric = phone.locator("[data-testid=stMetric]").first.bounding_box()
    assert chart["y"] < metric["y"]  # the figures follow the chart


def test_every_page_has_its_own_dutch_tab_title(server, page):
    """Every tab said 'Binnenstadmonitor' (st.set_page_config's page_title won over st.Page's title)."""
    from ui.frame import PAGES, page_title

    def title_of(url: str) -> str:
        page.goto(url)
        page.wait_for_selector("[data-testid=stMain] [data-testid=stMarkdownContainer]", state="visible")
        wait_idle(page)
        page.wait_for_function("document.title.includes('–')")
        return page.title()

    titles = {}
    for spec in PAGES:  # the editors' pages too: for a viewer they say that they are for editors
        titles[spec.url] = title_of(f"{server.url}/{spec.url}")
        assert titles[spec.url] == page_title(spec.title), spec.url
    assert title_of(server.url) == page_title("Overzicht")
    assert len(set(titles.values())) == len(PAGES)
    assert all(t.endswith(" – Binnenstadmonitor") for t in titles.values())
