"""Charts, meeting mode and print in chromium (issue 13): the beamer at 1280x720, a phone at
390x844 (Playwright's iPhone 13) and print to PDF. One server for the module; screenshots in
artifacts/."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.browser import ARTIFACTS, exceptions_on, screenshot, sqlite_url, start_streamlit, wait_idle

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


def _overlap(a: dict, b: dict, slack: float = 0.0) -> bool:
    """Whether two boxes share more than `slack` px in both directions."""
    return a["x"] + slack < b["x"] + b["width"] and b["x"] + slack < a["x"] + a["width"] and \
        a["y"] + slack < b["y"] + b["height"] and b["y"] + slack < a["y"] + a["height"]


# Playwright's "iPhone 13" descriptor (its viewport is the browser's 390x664 window; the issue
# measures the whole 390x844 screen), for chromium: the descriptor's own browser is webkit.
IPHONE_13 = {
    "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                  "Version/27.2 Mobile/15E148 Safari/604.1",
    "viewport": {"width": 390, "height": 844}, "screen": {"width": 390, "height": 844},
    "device_scale_factor": 3, "is_mobile": True, "has_touch": True,
}


@pytest.fixture
def phone(chromium):
    """A page in an iPhone 13 context (390x844, touch)."""
    context = chromium.new_context(**IPHONE_13, locale="nl-NL")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


@pytest.mark.parametrize("kpi", ["banen", "leegstand"])
def test_chart_title_is_free_of_any_toolbar_and_whole_on_a_phone(server, phone, kpi):
    _open_chart(phone, f"{server.url}/kpi?kpi={kpi}")
    chart = phone.locator(CHART).first
    chart.scroll_into_view_if_needed()
    chart.tap(position={"x": 120, "y": 160})  # a touch shows toolbars that appear on hover
    phone.wait_for_timeout(300)
    screenshot(phone, f"kpi-{kpi}-390x844-chart.png")
    boxes = phone.evaluate("""(sel) => {
        const c = document.querySelector(sel), box = e => e.getBoundingClientRect().toJSON();
        const shown = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
            return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.opacity !== '0'; };
        return {chart: box(c), title: box(c.querySelector('.gtitle')),
                subtitle: c.querySelector('.gtitle-subtitle') ? box(c.querySelector('.gtitle-subtitle')) : null,
                bars: [...document.querySelectorAll('.modebar, [data-testid=stElementToolbar]')].filter(shown).map(box)};
    }""", CHART)
    title = boxes["title"]
    assert title["width"] > 0
    for bar in boxes["bars"]:
        assert not _overlap(title, bar), (title, bar)
    assert phone.locator(f"{CHART} .modebar-btn").count() == 0  # plotly's English tooltips are gone too
    for part in filter(None, (title, boxes["subtitle"])):  # not cut off at the right
        assert boxes["chart"]["x"] <= part["x"] and part["x"] + part["width"] <= boxes["chart"]["x"] + boxes["chart"]["width"]


# Every word of every heading as the browser laid it out: a word whose text spans more than one
# line box was broken inside the word.
BROKEN_WORDS_JS = """() => {
  const broken = [];
  for (const h of document.querySelectorAll('[data-testid=stMain] :is(h1, h2, h3)')) {
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""
LEGEND_BOXES_JS = """(sel) => [...document.querySelectorAll(sel + ' .legend .traces')]
  .map(e => e.getBoundingClientRect().toJSON())"""


@pytest.mark.parametrize("step", range(7))
def test_meeting_on_a_phone_breaks_no_word_and_no_legend_entries_overlap(server, phone, step):
    _open(phone, f"{server.url}/vergadering?stap={step}")
    if 1 <= step <= 5:
        phone.wait_for_selector(f"{CHART} .legendtext", state="attached")
        phone.locator(CHART).first.scroll_into_view_if_needed()
    screenshot(phone, f"meeting-390x844-stap{step}.png")
    assert phone.evaluate(BROKEN_WORDS_JS) == []
    if step == 0:  # the summary: one block per KPI; no row of column headings above stacked columns
        assert not phone.get_by_text("Waarde", exact=True).is_visible()
        target = phone.locator(".st-key-meeting_summary [data-testid=stColumn]:nth-child(4) p").nth(1)
        assert target.evaluate("p => getComputedStyle(p, '::before').content") == '"Doel: "'
    title = phone.locator("h1").first
    assert title.evaluate("h => h.scrollWidth <= h.clientWidth")  # nor does a word stick out
    if 1 <= step <= 5:
        entries = phone.evaluate(LEGEND_BOXES_JS, CHART)
        assert len(entries) >= 2
        # Stacked rows share a fraction of a pixel (29,3 px entries 29 px apart): not an overlap.
        clashes = [(a, b) for i, a in enumerate(entries) for b in entries[i + 1:] if _overlap(a, b, slack=1)]
        assert clashes == []
        chart = phone.locator(CHART).first.bounding_box()
        assert all(e["x"] + e["width"] <= chart["x"] + chart["width"] + 1 for e in entries)  # none cut off
    assert exceptions_on(phone) == []


@pytest.mark.parametrize("step", [0, 3])
def test_meeting_demo_banner_is_one_compact_line_on_the_beamer(server, page, step):
    """The demo notice took about 15% of every meeting screen; now one line of at least 20 px (the
    banner of ui.components.illustrative_banner, key demo_banner)."""
    page.set_viewport_size(BEAMER)
    _open(page, f"{server.url}/vergadering?stap={step}")
    banner = page.locator(".st-key-demo_banner")
    banner.wait_for(state="visible")
    box = banner.bounding_box()
    line = banner.locator("summary").first
    text_px = line.evaluate("e => parseFloat(getComputedStyle(e.querySelector('p') || e).fontSize)")
    assert "illustratieve waarden" in line.inner_text()
    assert text_px >= 20 and box["height"] <= 0.07 * BEAMER["height"], (text_px, box)
    assert line.bounding_box()["height"] < 2 * text_px * 1.3  # one line


def _pdf_words(pdf: Path) -> list[list[dict]]:
    """Per page of the PDF its words with their boxes (pdftotext -bbox, poppler)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [dict(x0=float(a), y0=float(b), x1=float(c), y1=float(d), text=html.unescape(w), width=float(page[0]))
                 for a, b, c, d, w in re.findall(
                     r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page[2])]
        pages.append(words)
    return pages


def _pgm(path: Path) -> tuple[int, int, bytes]:
    """Width, height and grey values of a binary PGM (pdftoppm -gray)."""
    data = path.read_bytes()
    magic, width, height, _maxval, rest = data.split(maxsplit=4)
    assert magic == b"P5"
    return int(width), int(height), rest


def test_kpi_page_prints_clean_with_the_chart_whole(server, page):
    """Print media hides the app chrome; the PDF (chromium's print to PDF, as Ctrl+P) has the KPI, no
    menu, and the chart on one page within the paper (pages as PNG in artifacts/ to look at)."""
    page.set_viewport_size({"width": 1440, "height": 900})
    _open_chart(page, f"{server.url}/kpi?kpi=leegstand")
    page.wait_for_selector(".st-key-kpi_table table.wp-table", state="visible")
    wait_idle(page)
    assert page.locator("[data-testid=stSidebar]").is_visible()  # the check below can fail
    page.emulate_media(media="print")
    for hidden in ["[data-testid=stSidebar]", "header[data-testid=stHeader]", ".modebar", "[data-testid=stSelectbox]",
                   "[data-testid=stDownloadButton]", "[data-testid=stElementToolbar]"]:
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(CHART).first.is_visible()
    page.wait_for_timeout(500)  # the chart redraws for the wider main column

    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "kpi-leegstand-print.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True, print_background=True))
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / "kpi-leegstand-print")], check=True)
    pages = _pdf_words(pdf)
    text = " ".join(w["text"] for words in pages for w in words)
    assert "Binnenstadmonitor" in text and "Leegstand (verkooppunten)" in text and "13,8%" in text
    for menu in ["Overzicht", "Vergadermodus", "Rapporten en downloads", "Inloggen", "Download als CSV"]:
        assert menu not in text, menu
    assert pages[0][0]["text"] == "Binnenstadmonitor"  # the print header, first on the first page
    # The chart: its axis labels and its legend on one page, all of them inside the paper.
    chart_words = {"25%", "0%", "2016", "2028", "Projectie", "Landelijk"}
    on = [i for i, words in enumerate(pages) if chart_words <= {w["text"] for w in words}]
    assert len(on) == 1, [sorted({w["text"] for w in words} & chart_words) for words in pages]
    for w in pages[on[0]]:
        assert 0 <= w["x0"] and w["x1"] <= w["width"] - 14, w  # 1 cm margin is 28 pt
    # Nothing drawn in the right-hand margin of that page (a chart wider than the paper reached the edge).
    gray = ARTIFACTS / "kpi-leegstand-print-gray"
    subprocess.run(["pdftoppm", "-r", "60", "-gray", "-f", str(on[0] + 1), "-l", str(on[0] + 1), "-singlefile",
                    str(pdf), str(gray)], check=True)
    width, height, pixels = _pgm(gray.with_suffix(".pgm"))
    margin = 18  # px at 60 dpi; the 1 cm margin is about 23
    inked = [x for y in range(height) for x in range(width - margin, width) if pixels[y * width + x] < 240]
    assert inked == []
