"""Issue 13 at three screen sizes in chromium: a laptop (1440x900), a beamer (1280x720) and a phone
(Playwright's iPhone 13 descriptor: 390x844 screen, 390x664 visible, touch, device scale 3).

- the overview's first screen shows every KPI value (the akkoord's five and the visie's two, under
  their agreement) with its status, without scrolling; on a phone, where the seven full lines no
  longer fit (issue 21), a short status list (status and name per KPI, under its agreement) does,
  with the full lines and the cards below it;
- the demo notice is one short line on every page;
- no text is cut off in the cards;
- on the phone the menu closes after navigating;
- no English Streamlit text is visible on any page, for a viewer and for an editor (tooltips,
  which only exist while hovered, are outside the check), and the upload box is Dutch.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tomllib

import pytest

from kpi import repository
from kpi.db import make_engine
from kpi.service import evaluate_all
from kpi.settings import Settings
from kpi.tables import agreement_groups
from tests.support.browser import (
    ARTIFACTS,
    ROOT,
    menu_link,
    open_page,
    seeded_sqlite,
    sign_in,
    start_streamlit,
    wait_idle,
)
from ui.frame import DEFAULT_RESERVED_URL, MEETING_URL, PAGES

pytestmark = pytest.mark.browser

PASSWORD = "redacteur-test-wachtwoord"
DESKTOP = {"viewport": {"width": 1440, "height": 900}}
BEAMER = {"viewport": {"width": 1280, "height": 720}}
SIZES = ("desktop", "beamer", "phone")
SUMMARY = "[data-testid=stMain] .st-key-samenvatting"
STATUS_LIST = "[data-testid=stMain] .st-key-statuslijst"
BANNER = "[data-testid=stMain] .st-key-demo_banner"
CARD_TEXT = "[data-testid=stMain] [class*='st-key-card_'] *"

# Streamlit's own English, as it appears on these pages when nothing is done about it. Single
# words only when they are a whole text on their own (Dutch says "Upload een bestand" too).
ENGLISH_TEXTS = {"Upload", "Browse files", "Deploy", "Stop", "Rerun", "Settings", "Close", "Search",
                 "Fullscreen", "Clear", "Submit", "Cancel", "Delete", "Remove", "Download", "View"}
ENGLISH_PHRASES = ("Drag and drop", "per file", "Limit ", "Page not found", "Running", "Made with Streamlit",
                   "Press Enter", "Choose an option", "No results", "Show more", "Select all", "Clear cache",
                   "Link to heading", "No data", "Show/hide")

# Visible text nodes, without icon ligatures (Material Symbols, translate="no": "upload", "science")
# and without what is not drawn (closed expanders, the collapsed phone menu, tooltips not hovered).
VISIBLE_TEXTS_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || el.closest('[translate="no"], script, style, noscript')) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= 0) continue;
    const text = walker.currentNode.textContent.trim();
    if (text) out.push(text);
  }
  return out;
}"""

# Elements in the cards whose text is wider than their box (cut off or scrolled).
CUT_OFF_JS = """els => els.filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1
                                   && getComputedStyle(e).overflowX !== 'visible')
                   .map(e => `${e.tagName}.${e.className}: ${e.innerText.slice(0, 60)}`)"""


def english_on(texts: list[str]) -> list[str]:
    return [t for t in texts if t in ENGLISH_TEXTS or any(p in t for p in ENGLISH_PHRASES)]


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    """One server with the default seed (demo values included) for every test in this module."""
    tmp = tmp_path_factory.mktemp("screens")
    url = seeded_sqlite(tmp / "screens.db")  # created and seeded as on a first start, so tests can compute what to expect
    server = start_streamlit(tmp / "screens.log", env={"KPI_DATABASE_URL": url, "KPI_EDITOR_PASSWORD": PASSWORD})
    yield server
    server.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(server.log_path, ARTIFACTS / "screens-server.log")


@pytest.fixture
def screen(chromium, iphone, request):
    """A new page at the size named by the test's `size` parameter."""
    size = request.node.callspec.params["size"]
    options = {"desktop": DESKTOP, "beamer": BEAMER, "phone": iphone}[size]
    context = chromium.new_context(locale="nl-NL", **options)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def expected_lines(db_url: str):
    engine = make_engine(db_url)
    try:
        results = evaluate_all(engine, Settings.from_env({**os.environ, "KPI_DATABASE_URL": db_url}), dt.date.today())
        # in the overview's order: grouped by agreement, newest first (issue 21)
        return [line for g in agreement_groups(results) for line in g.lines], repository.count_illustrative(engine)
    finally:
        engine.dispose()


def agreement_groups_of(db_url: str):
    engine = make_engine(db_url)
    try:
        return agreement_groups(evaluate_all(engine, Settings.from_env({**os.environ, "KPI_DATABASE_URL": db_url}),
                                             dt.date.today()))
    finally:
        engine.dispose()


def inside(box: dict, viewport: dict) -> bool:
    return (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= viewport["width"]
            and box["y"] + box["height"] <= viewport["height"])


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / name))


@pytest.mark.parametrize("size", SIZES)
def test_overview_first_screen_shows_every_value_and_status(dashboard, screen, size):
    open_page(screen, dashboard.url, ready=SUMMARY)
    lines, _ = expected_lines(dashboard.db_url)
    # the akkoord's five with their (demo) values, the Binnenstadsvisie 2021's two without a figure yet
    assert len(lines) == 7 and [line.value != "–" for line in lines].count(True) == 5
    assert screen.evaluate("window.scrollY") == 0
    viewport = screen.viewport_size
    shown = screen.locator(f"{SUMMARY} [class*='st-key-samenvatting_']")
    assert shown.count() == 7
    for i, line in enumerate(lines):
        row = screen.locator(f"{SUMMARY} .st-key-samenvatting_{line.code}")
        assert row.evaluate("(e, all) => [...document.querySelectorAll(all)].indexOf(e)",
                            f"{SUMMARY} [class*='st-key-samenvatting_']") == i  # the cards' order
        text = " ".join(row.inner_text().split())
        shown_as = f"{line.peildatum}, illustratief" if line.illustrative else line.peildatum
        assert f"{line.name}: {line.value} ({shown_as})" in text, text
        assert line.status.word in text.split(line.name)[0], text  # the status word leads the line
        box = row.bounding_box()
        # Issue 21: seven full lines under two agreements no longer fit a phone's first screen
        # (390x664); there the short status list below does, and these lines follow it.
        if size != "phone":
            assert inside(box, viewport), f"{line.code} at {box} is outside the first screen {viewport}"
        short = screen.locator(f"{STATUS_LIST} .st-key-statuslijst_{line.code}")
        if size == "phone":  # every KPI's name and status word on the first screen, in the cards' order
            assert short.is_visible(), line.code
            words = " ".join(short.inner_text().split())
            assert line.name in words and words.split(line.name)[0].strip().endswith(line.status.word), words
            assert inside(short.bounding_box(), viewport), f"{line.code} is outside the phone's first screen"
            assert short.bounding_box()["y"] < box["y"]  # the short list first, the details below
        else:
            assert not short.is_visible(), f"{size}: the short list is for phones only"
    if size == "phone":
        names = [" ".join(t.split()) for t in screen.locator(
            f"{STATUS_LIST} > [data-testid=stElementContainer] strong").all_inner_texts()]
        assert names == [g.heading for g in agreement_groups_of(dashboard.db_url)]  # grouped by agreement
    shot(screen, f"overview-first-screen-{size}.png")


def test_demo_notice_is_one_short_line_on_every_page(dashboard, chromium, iphone):
    _, count = expected_lines(dashboard.db_url)
    context = chromium.new_context(locale="nl-NL", **iphone)
    pg = context.new_page()
    try:
        for spec in [s for s in PAGES if not s.editors_only]:
            open_page(pg, f"{dashboard.url}/{spec.url}", ready=BANNER)
            banner = pg.locator(BANNER)
            assert banner.is_visible(), spec.url
            header = pg.locator("header[data-testid=stHeader]").bounding_box()
            if header and header["height"] > 0:  # the meeting page has none
                assert banner.bounding_box()["y"] >= header["y"] + header["height"] - 0.5, spec.url
            label = banner.locator("summary [data-testid=stMarkdownContainer]").inner_text()
            assert " ".join(label.split()) == f"Demo: {count} illustratieve waarden", spec.url
            one_line = banner.locator("summary p").evaluate(
                "e => e.getBoundingClientRect().height < 1.5 * parseFloat(getComputedStyle(e).lineHeight)")
            assert one_line, spec.url
            # The old notice was about 190 px high on this phone, more than a quarter of the first screen.
            height = banner.bounding_box()["height"]
            assert height <= 60, f"{spec.url}: banner {height} px high"
        # Behind the line: what illustrative values are, in full.
        pg.locator(f"{BANNER} summary").click()
        detail = pg.locator(f"{BANNER} [data-testid=stExpanderDetails]")
        detail.wait_for(state="visible")
        assert f"Dit dashboard bevat {count} illustratieve waarden (demo), geen metingen." in detail.inner_text()
        assert "demo --remove" not in detail.inner_text()  # the command is for editors
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_no_text_is_cut_off_in_the_cards(dashboard, screen, size):
    open_page(screen, dashboard.url, ready="[class*='st-key-card_'] [data-testid=stPageLink]")
    assert screen.locator("[data-testid=stMain] [class*='st-key-card_']").count() == 7
    cut = screen.locator(CARD_TEXT).evaluate_all(CUT_OFF_JS)
    assert cut == [], "\n".join(cut)
    # The longest link wraps instead of ending in "Details leegstand (verkoop".
    link = screen.locator(".st-key-card_leegstand [data-testid=stPageLink]")
    assert " ".join(link.inner_text().split()).endswith("Details leegstand (verkooppunten)")
    assert link.evaluate("e => e.scrollWidth <= e.clientWidth + 1")


@pytest.mark.parametrize("size", ["phone"])
def test_phone_menu_closes_after_navigating(dashboard, screen, size):
    open_page(screen, dashboard.url)
    sidebar = screen.locator("[data-testid=stSidebar]")

    def menu_open() -> bool:
        box = sidebar.bounding_box()
        return bool(box and box["width"] > 0 and box["x"] + box["width"] > 0)

    assert not menu_open()  # a phone starts with the menu closed
    screen.locator("[data-testid=stExpandSidebarButton]").click()
    nav = menu_link(screen, "Bronnen en definities")
    nav.wait_for(state="visible")
    screen.wait_for_function("() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().left >= 0")
    assert menu_open()
    nav.click()
    screen.wait_for_url("**/bronnen")
    screen.locator("[data-testid=stMain] h1", has_text="Bronnen en definities").wait_for(state="visible")
    wait_idle(screen)
    screen.wait_for_function(
        "() => { const b = document.querySelector('[data-testid=stSidebar]').getBoundingClientRect();"
        " return b.width === 0 || b.right <= 0; }")
    assert not menu_open()
    shot(screen, "phone-menu-after-navigation.png")


def _login(pg) -> None:
    sign_in(pg, PASSWORD)


def _visit(pg, spec) -> None:
    """Navigate inside the session (a reload would log an editor out) and wait for the page."""
    menu_link(pg, spec.title).click()
    path = rf"/({spec.url}|{DEFAULT_RESERVED_URL})?" if spec.default else rf"/{spec.url}"
    pg.wait_for_url(re.compile(rf"^https?://[^/]+{path}(\?.*)?$"))
    pg.wait_for_timeout(300)  # the rerun the click starts
    wait_idle(pg)


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_no_english_ui_text_on_any_page(dashboard, chromium, role):
    context = chromium.new_context(locale="nl-NL", **DESKTOP)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    try:
        open_page(pg, dashboard.url)
        if role == "editor":
            _login(pg)
        # The meeting page hides the menu: it comes last.
        # An unlisted page is in no menu: tests/test_digest_browser.py checks Afmelden by its link.
        specs = sorted((s for s in PAGES if (role == "editor" or not s.editors_only) and not s.unlisted),
                       key=lambda s: s.url == MEETING_URL)
        found = {}
        for spec in specs:
            _visit(pg, spec)
            assert pg.locator("[data-testid=stException]").count() == 0, spec.url
            texts = pg.evaluate(VISIBLE_TEXTS_JS)
            assert len(texts) > 10, spec.url  # the walk sees the page
            if english := english_on(texts):
                found[spec.url] = english
        assert found == {}
        if role == "editor":
            assert "importeren" in [s.url for s in specs]  # the upload box was among them
    finally:
        context.close()


def test_english_check_would_see_streamlit_english():
    """The deny-list catches what Streamlit shows by itself, and lets Dutch through."""
    assert english_on(["Upload", "200MB per file • CSV, TXT, XLSX", "Running...", "Page not found"]) == [
        "Upload", "200MB per file • CSV, TXT, XLSX", "Running...", "Page not found"]
    assert english_on(["Upload een CSV- of Excelbestand", "Download als CSV", "Kies bestanden"]) == []


def test_upload_box_is_dutch_with_the_apps_limit(dashboard, chromium):
    limit = Settings().max_upload_mb
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == limit  # Streamlit's own limit is the app's
    context = chromium.new_context(locale="nl-NL", **DESKTOP)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    try:
        open_page(pg, dashboard.url)
        _login(pg)
        _visit(pg, next(s for s in PAGES if s.url == "importeren"))
        box = pg.locator("[data-testid=stFileUploader]")
        box.wait_for(state="visible")
        assert english_on(pg.evaluate(VISIBLE_TEXTS_JS)) == []
        instructions = box.locator("[data-testid=stFileUploaderDropzoneInstructions] > div").evaluate(
            "e => getComputedStyle(e, '::after').content")
        assert instructions == f'"Sleep bestanden hierheen of kies ze · hoogstens {limit} MB per bestand · CSV, TXT, XLSX"'
        # The button keeps an accessible name, in Dutch (generated content counts for it).
        button = box.get_by_role("button", name="Kies bestanden", exact=True)
        assert button.count() == 1 and button.is_visible()
        shot(pg, "upload-box.png")
    finally:
        context.close()


@pytest.mark.parametrize("size", ["phone"])
def test_kpi_page_on_the_phone(dashboard, screen, size):
    """A look at the KPI page on a phone (artifacts/kpi-phone.png): chart drawn, nothing wider than the screen."""
    open_page(screen, f"{dashboard.url}/kpi?kpi=leegstand")
    screen.locator("[data-testid=stPlotlyChart] .scatterlayer .trace").first.wait_for(state="attached")
    wait_idle(screen)
    assert screen.evaluate("document.documentElement.scrollWidth") <= screen.viewport_size["width"]
    shot(screen, "kpi-phone.png")
    screen.screenshot(path=str(ARTIFACTS / "kpi-phone-full.png"), full_page=True)
