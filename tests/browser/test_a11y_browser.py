"""Accessibility in a real browser (issue 13): axe-core on every page, for a viewer and an editor,
at desktop and phone size, must find no serious or critical WCAG 2.1 A/AA violation.

One server (a fresh SQLite database with the seeded demo data) serves the whole module and one
browser context per (role, size) walks all its pages, so the check stays affordable in `make test`.
A viewer opens each page by its URL; an editor logs in once and moves through the sidebar (a new
page load would be a new Streamlit session, logged out).
"""

from __future__ import annotations

import pytest

from kpi.reports.meeting import step_count
from tests.support.browser import (
    ARTIFACTS,
    MENU,
    UI_TIMEOUT_MS,
    click_until,
    menu_link,
    open_menu,
    run_async,
    sign_in,
    sqlite_url,
    start_streamlit,
    wait_idle,
)
from ui.frame import MEETING_URL, PAGES

pytestmark = pytest.mark.browser

PASSWORD = "toegankelijk-test-wachtwoord"
# WCAG 2.1 level A and AA only (not axe's best practices): the standard Dutch municipalities must meet.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
DESKTOP = {"viewport": {"width": 1440, "height": 900}}
SIZES = {"desktop": DESKTOP, "phone": "iPhone 13"}
KPI_COUNT = 7  # the akkoord's five and the Binnenstadsvisie 2021's two (issue 21)
MEETING_STEPS = step_count(KPI_COUNT, werkplan=True)
# (page url, meeting step or None): every page, and meeting mode's summary, a KPI and the werkplan.
TARGETS = [(spec.url, 0 if spec.url == MEETING_URL else None) for spec in PAGES] + [
    (MEETING_URL, 1), (MEETING_URL, MEETING_STEPS - 1)]
EDITOR_ONLY = {spec.url for spec in PAGES if spec.editors_only}
# In no menu (Afmelden, the digest's link): checked as the viewer opens it, by its URL.
UNLISTED = {spec.url for spec in PAGES if spec.unlisted}
TITLES = {spec.url: spec.title for spec in PAGES}


def _cases():
    for role in ("viewer", "editor"):
        for size in SIZES:
            for url, step in TARGETS:
                if (role == "viewer" and url in EDITOR_ONLY) or (role == "editor" and url in UNLISTED):
                    continue
                name = url if step is None else f"{url}-stap{step}"
                yield pytest.param(role, size, url, step, id=f"{role}-{size}-{name}")


@pytest.fixture(scope="module")
def a11y_server(tmp_path_factory):
    """The dashboard on a fresh, seeded SQLite file, with an editor password."""
    folder = tmp_path_factory.mktemp("a11y")
    server = start_streamlit(folder / "server.log", env={
        "KPI_DATABASE_URL": sqlite_url(folder / "a11y.db"), "KPI_EDITOR_PASSWORD": PASSWORD})
    yield server
    server.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "a11y-server.log").write_text(server.log_text())


def context_options(size: str) -> dict:
    """Playwright context options: desktop 1440x900, or the iPhone 13 descriptor in chromium at 390x844."""
    if size == "desktop":
        return {**DESKTOP, "locale": "nl-NL"}
    device = dict(run_async(lambda: _device(SIZES[size])))
    device.pop("default_browser_type", None)  # webkit: we test in chromium
    return {**device, "viewport": {"width": 390, "height": 844}, "locale": "nl-NL"}


async def _device(name: str) -> dict:
    """Playwright's device descriptor (read with async Playwright: the session's sync one owns this thread)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        return pw.devices[name]


@pytest.fixture(scope="module")
def tabs(chromium, a11y_server):
    """One page per (role, size), made on first use and kept for the module: `tabs(role, size)`."""
    made: dict[tuple[str, str], object] = {}

    def _tab(role: str, size: str):
        if (role, size) not in made:
            context = chromium.new_context(**context_options(size))
            pg = context.new_page()
            pg.set_default_timeout(UI_TIMEOUT_MS)
            pg.goto(a11y_server.url)
            settle(pg)
            if role == "editor":
                log_in(pg)
            made[(role, size)] = pg
        return made[(role, size)]

    yield _tab
    for pg in made.values():
        pg.context.close()


def is_phone(pg) -> bool:
    return pg.viewport_size["width"] < 600


def log_in(pg) -> None:
    open_menu(pg)
    try:
        sign_in(pg, PASSWORD)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "a11y-login-failed.png"))
        raise
    settle(pg)


def settle(pg) -> None:
    """Wait until the page is idle: the script run finished, nothing stale (faded) on screen,
    every plotly chart drawn; checked twice, a moment apart, so a rerun that follows is seen."""
    for _ in range(2):
        wait_idle(pg)
        pg.locator("[data-testid=stMain] h1").first.wait_for(state="visible")
        pg.wait_for_function(
            """() => document.querySelectorAll('[data-stale="true"]').length === 0
                 && [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
                      .every(c => c.querySelector('.main-svg .scatterlayer .trace')
                                  // a KPI with neither figures nor a known goal (woningen, issue 21) has no trace
                                  || (c.querySelector('.main-svg') && c.querySelector('.js-plotly-plot')?.data?.length === 0))""",
            polling=100)
        pg.wait_for_timeout(300)
    wait_idle(pg)


def go_to(pg, base: str, role: str, url: str, step: int | None) -> None:
    """Open a page (and meeting step): by URL as a viewer, through the sidebar as an editor."""
    path = "" if url == "overzicht" else url
    if role == "viewer":
        pg.goto(f"{base}/{path}" + (f"?stap={step}" if step is not None else ""))
        settle(pg)
        return
    if pg.locator(".st-key-meeting_leave a").count():  # meeting mode hides the sidebar
        if url == MEETING_URL and step is not None:
            _meeting_step(pg, step)
            return
        pg.locator(".st-key-meeting_leave a").click()
        pg.wait_for_url(lambda u: MEETING_URL not in u)
        settle(pg)
    open_menu(pg)
    menu_link(pg, TITLES[url]).click()
    pg.wait_for_url(lambda u: u.split("?")[0].rstrip("/").endswith(path))
    settle(pg)
    if is_phone(pg):  # the menu closes after navigation on a phone
        pg.locator("[data-testid=stSidebar][data-collapsed=true]").wait_for(state="attached")
    if step is not None:
        _meeting_step(pg, step)


def _meeting_step(pg, step: int) -> None:
    """Go to a meeting step with the Vorige/Volgende buttons."""
    while (current := int(pg.evaluate("new URL(location.href).searchParams.get('stap') || '0'"))) != step:
        button = "meeting_next" if current < step else "meeting_prev"
        click_until(pg, pg.locator(f".st-key-{button} button"),
                    f"new URL(location.href).searchParams.get('stap') === '{current + (1 if current < step else -1)}'")
        settle(pg)


def axe_violations(pg) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it stands: all of
    them, Streamlit's own markup included (issue 19.20: the app's menu replaced the one that had
    two, so nothing is let through)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(pg, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING]


def report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"][:8]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}"[:400])
    return "\n".join(lines)


@pytest.mark.parametrize("role,size,url,step", list(_cases()))
def test_axe_finds_no_serious_or_critical_violation(tabs, a11y_server, role, size, url, step):
    pg = tabs(role, size)
    go_to(pg, a11y_server.url, role, url, step)
    if role == "editor":
        assert pg.locator("[data-testid=stSidebar]", has_text="Ingelogd als redacteur").count() or url == MEETING_URL
    assert pg.locator("[data-testid=stException]").count() == 0
    assert pg.evaluate("document.documentElement.lang") == "nl"  # set by server.py's guard
    violations = axe_violations(pg)
    assert not violations, f"axe on /{url} ({role}, {size}):\n{report(violations)}"


_MENU_TREE = """() => {
    const nav = document.querySelector('[role=navigation][aria-label=Menu]');
    if (!nav) return null;
    return [...nav.querySelectorAll('[role=list]')].map(list => {
        const heading = document.getElementById(list.getAttribute('aria-labelledby'));
        return {heading: heading ? [heading.tagName, heading.textContent.trim()] : null,
                items: [...list.children].map(item => [item.getAttribute('role'),
                    [...item.querySelectorAll('a')].map(a => [
                        a.querySelector('[data-testid=stMarkdownContainer]').innerText.trim(),
                        a.getAttribute('aria-current')])])};
    });
}"""


def menu_tree(pg) -> list[tuple]:
    """The menu as assistive technology gets it: per list (role list in the navigation landmark
    "Menu") its heading, and per child its role and its links (title, aria-current)."""
    tree = pg.evaluate(_MENU_TREE)
    assert tree is not None, "no navigation landmark named Menu"
    return [(tuple(t["heading"]) if t["heading"] else None,
             [(role, [tuple(link) for link in links]) for role, links in t["items"]]) for t in tree]


def expected_tree(editor: bool, current: str) -> list[tuple]:
    from ui.frame import menu_sections

    return [(("H2", section), [("listitem", [(spec.title, "page" if spec.url == current else None)])
                               for spec in specs]) for section, specs in menu_sections(editor)]


@pytest.mark.parametrize("size", SIZES)
def test_the_menu_is_a_navigation_landmark_with_a_labelled_list_per_section(tabs, a11y_server, size):
    """Issue 19.20: what axe checks (no list without items, no item without a list) and what it
    does not: the landmark, each list named by its section's heading, exactly the current page
    marked aria-current, and the query string kept on the current page only, as before."""
    from urllib.parse import urlsplit

    pg = tabs("viewer", size)
    pg.goto(f"{a11y_server.url}/kpi?kpi=banen")
    settle(pg)
    open_menu(pg)
    assert menu_tree(pg) == expected_tree(False, "kpi")
    menu_link(pg, TITLES["kpi"]).click()  # the current page again: its query string stays
    pg.wait_for_timeout(300)
    settle(pg)
    assert urlsplit(pg.url).path == "/kpi" and urlsplit(pg.url).query == "kpi=banen", pg.url
    open_menu(pg)
    menu_link(pg, TITLES["bronnen"]).click()  # another page: without it
    pg.wait_for_url(lambda u: urlsplit(u).path == "/bronnen")
    settle(pg)
    assert urlsplit(pg.url).query == "", pg.url
    open_menu(pg)
    assert menu_tree(pg) == expected_tree(False, "bronnen")

    editor = tabs("editor", size)
    go_to(editor, a11y_server.url, "editor", "importgeschiedenis", None)
    open_menu(editor)
    assert menu_tree(editor) == expected_tree(True, "importgeschiedenis")
    assert [section for section, _ in menu_tree(editor)][-1] == ("H2", "Beheer")
    for tab in (pg, editor):  # the other tests find these tabs as they were: the menu closed on a phone
        if is_phone(tab):
            tab.locator("[data-testid=stSidebarCollapseButton] button").click()
            tab.locator("[data-testid=stSidebar][data-collapsed=true]").wait_for(state="attached")


# Streamlit's badges and coloured words ('achter' in a badge, ':orange[risico]' in meeting mode):
# their text and background colours come from Streamlit's theme, so they are measured as rendered.
_COLOURED_TEXT = """() => [...document.querySelectorAll(
        '[data-testid=stMain] .stMarkdownBadge, [data-testid=stMain] [data-testid=stMarkdownContainer] span[style*=color]')]
    .filter(e => e.getClientRects().length && !e.closest('[role=img]') && e.getAttribute('role') !== 'img')
    .map(e => {
        const words = e.cloneNode(true);
        words.querySelectorAll('[role=img]').forEach(i => i.remove());
        const layers = [];  // backgrounds from the element outwards, up to the first opaque one
        for (let n = e; n; n = n.parentElement) {
            const bg = getComputedStyle(n).backgroundColor;
            if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') {
                layers.push(bg);
                if (!bg.startsWith('rgba')) break;
            }
        }
        return {text: words.textContent.trim(), badge: e.classList.contains('stMarkdownBadge'),
                colour: getComputedStyle(e).color, layers};
    })"""


def _seen_background(layers: list[str]) -> str:
    """The opaque colour behind a text: its translucent backgrounds composited, outermost first."""
    from tests.support.contrast import over

    colour = "#FFFFFF"
    for layer in reversed(layers):
        r, g, b = over(layer, colour)
        colour = f"rgb({r}, {g}, {b})"
    return colour


def test_streamlit_badges_and_coloured_words_meet_4_5_to_1(tabs, a11y_server):
    from kpi import statuses, werkplan
    from tests.support.contrast import TEXT, ratio

    pg = tabs("viewer", "desktop")
    measured, failures, colour_names = [], [], set()
    action_colours = {s.label.lower(): s.colour for s in werkplan.ACTION_STATUSES}
    for url, step in (("overzicht", None), ("werkplan", None), (MEETING_URL, 0), (MEETING_URL, 1)):
        go_to(pg, a11y_server.url, "viewer", url, step)
        for item in pg.evaluate(_COLOURED_TEXT):
            background = _seen_background(item["layers"])
            contrast = ratio(item["colour"], background)
            measured.append((url, item["text"]))
            if contrast < TEXT:
                failures.append(f"/{url}: {item['text']!r} {item['colour']} on {background}: {contrast:.2f}:1")
            word = item["text"].split(" ", 1)[-1] if item["text"][:1].isdigit() else item["text"]
            if item["badge"] and word in statuses.WORDS:
                colour_names.add(statuses.status(word).badge_colour)
            elif item["badge"] and url == "werkplan" and word in action_colours:
                colour_names.add(action_colours[word])
    assert not failures, "\n".join(failures)
    # Every badge colour a KPI status uses was measured (on the cards or the werkplan's badges).
    assert {s.badge_colour for s in statuses.STATUSES} <= colour_names, (colour_names, measured)
    assert any(url == MEETING_URL for url, _ in measured), measured


# ---------------------------------------------------------------- keyboard only

_FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    // a text field or select box shows its ring on the visible field, a check box on its label
    const ring = (e.tagName === 'INPUT' || e.tagName === 'TEXTAREA')
        ? (['checkbox', 'radio'].includes(e.type) ? e.closest('label') : e.parentElement) : e;
    const s = getComputedStyle(ring);
    const r = ring.getBoundingClientRect();
    return {tag: e.tagName, testid: e.closest('[data-testid]')?.getAttribute('data-testid') || '',
            menu: !!e.closest('MENU'),
            text: (e.innerText || e.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 60),
            href: e.getAttribute('href') || '', outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
            colour: s.outlineColor, shown: r.width > 0 && r.height > 0};
}""".replace("MENU", MENU)


def _check_focus(pg, seen: list[str]) -> dict | None:
    """The focused element; its focus ring must be drawn and stand out 3:1 (white and sidebar grey)."""
    from tests.support.contrast import GRAPHICS, ratio

    focused = pg.evaluate(_FOCUSED)
    if focused is None:
        return None
    seen.append(f"{focused['tag']} {focused['testid']} {focused['text']!r}")
    assert focused["shown"], f"focus on an invisible element: {focused}"
    assert focused["outline"] != "none" and focused["width"] >= 2, f"no visible focus ring: {focused}"
    for background in ("#FFFFFF", "#F2F5F8"):
        assert ratio(focused["colour"], background) >= GRAPHICS, f"focus ring too faint on {background}: {focused}"
    return focused


def _tab_to(pg, matches, seen: list[str], key: str = "Tab", limit: int = 80) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches; every stop on the way is checked."""
    for _ in range(limit):
        pg.keyboard.press(key)
        focused = _check_focus(pg, seen)
        if focused is not None and matches(focused):
            return focused
    raise AssertionError(f"not reached with {key} in {limit} presses; focus went through:\n" + "\n".join(seen[-limit:]))


def _settled_at(pg, url_part: str) -> None:
    pg.wait_for_url(f"**{url_part}*")
    settle(pg)


def test_keyboard_only_overview_to_kpi_other_kpi_and_meeting_step(chromium, a11y_server):
    context = chromium.new_context(**context_options("desktop"))
    pg = context.new_page()
    pg.set_default_timeout(UI_TIMEOUT_MS)
    seen: list[str] = []
    try:
        pg.goto(a11y_server.url)
        settle(pg)
        # 1. overview -> a KPI page through a card's link (Tab, Enter)
        link = _tab_to(pg, lambda f: f["testid"] == "stPageLink-NavLink" and "kpi=" in f["href"], seen)
        first = link["href"].split("kpi=")[1].split("&")[0]
        pg.keyboard.press("Enter")
        _settled_at(pg, f"kpi={first}")
        title = pg.locator("[data-testid=stMain] h1").first.inner_text().strip()
        assert link["text"].lower().endswith(title.lower()), (link, title)

        # 2. another KPI with the select box (Tab to it, arrows, Enter)
        _tab_to(pg, lambda f: f["testid"] == "stSelectbox", seen)
        pg.keyboard.press("ArrowDown")  # opens the list on the current KPI
        pg.locator("[role=listbox]").wait_for(state="visible")
        pg.keyboard.press("ArrowDown")
        pg.keyboard.press("Enter")
        pg.wait_for_url(lambda u: "kpi=" in u and f"kpi={first}" not in u)
        settle(pg)
        second = pg.url.split("kpi=")[1].split("&")[0]
        assert second != first
        assert pg.locator("[data-testid=stMain] h1").first.inner_text().strip() != title

        # 3. back to the menu (Shift+Tab), into meeting mode, and on to the next step
        _tab_to(pg, lambda f: f["menu"] and "Vergadermodus" in f["text"], seen,
                key="Shift+Tab")
        pg.keyboard.press("Enter")
        _settled_at(pg, "stap=0")
        _tab_to(pg, lambda f: f["tag"] == "BUTTON" and f["text"].startswith("Volgende"), seen)
        pg.keyboard.press("Enter")
        _settled_at(pg, "stap=1")
        # the arrow key is Volgende's shortcut
        pg.keyboard.press("ArrowRight")
        _settled_at(pg, "stap=2")
        _tab_to(pg, lambda f: f["tag"] == "BUTTON" and f["text"].startswith("Vorige"), seen, key="Shift+Tab")
        pg.keyboard.press("Space")
        _settled_at(pg, "stap=1")
    finally:
        context.close()
    assert len(seen) >= 5, seen


# ---------------------------------------------------------------- text alternatives


def _results(db_url: str):
    import datetime as dt
    import os

    from kpi.db import make_engine
    from kpi.service import evaluate_all
    from kpi.settings import Settings

    engine = make_engine(db_url)
    try:
        return evaluate_all(engine, Settings.from_env({**os.environ, "KPI_DATABASE_URL": db_url}), dt.date.today())
    finally:
        engine.dispose()


def test_every_chart_has_its_text_alternative_beside_it(tabs, a11y_server):
    from kpi.text import chart_text, sparkline_text

    pg = tabs("viewer", "desktop")  # the first page load creates and seeds the database
    results = _results(a11y_server.db_url)
    assert len(results) == KPI_COUNT

    # overview: each card's trend line says in its alt text what it shows
    go_to(pg, a11y_server.url, "viewer", "overzicht", None)
    for r in results:
        alts = pg.locator(f".st-key-card_{r.indicator.code} img").evaluate_all("els => els.map(e => e.alt)")
        # a KPI without figures yet (the visie 2021's two, issue 21) has no trend line
        assert alts == ([sparkline_text(r)] if r.latest is not None else []), (r.indicator.code, alts)

    # KPI page: the description right under the chart, in the same block; the table below it
    for r in results[:2]:
        pg.goto(f"{a11y_server.url}/kpi?kpi={r.indicator.code}")
        settle(pg)
        block = pg.locator(".st-key-kpi_chart_block")
        assert block.locator("[data-testid=stPlotlyChart]").count() == 1
        caption = block.locator("[data-testid=stCaptionContainer]").inner_text().strip()
        # The demo notice is said by the page's warning, not again under the chart (issue 19.17).
        assert caption == f"{chart_text(r, demo_note=False)} De cijfers staan in de tabel Metingen hieronder."
        below = pg.evaluate("""() => {
            const block = document.querySelector('.st-key-kpi_chart_block');
            const heading = [...document.querySelectorAll('[data-testid=stMain] h3')]
                .find(h => h.textContent.trim().startsWith('Metingen'));
            const after = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
            return !!heading && after(block, heading)
                && [...document.querySelectorAll('.st-key-kpi_table table')].some(t => after(heading, t));
        }""")
        assert below, "the table Metingen is not below the chart"

    # meeting mode: the same description next to the chart, for screen readers only
    go_to(pg, a11y_server.url, "viewer", MEETING_URL, 1)
    text = pg.locator(".st-key-meeting_chart_text")
    assert text.inner_text().strip() == f"{chart_text(results[0])} De cijfers staan in de tabel op de pagina KPI in detail."
    box = text.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1, box  # visually hidden, not display:none
    assert pg.evaluate("""() => {
        const t = document.querySelector('.st-key-meeting_chart_text');
        const chart = document.querySelector('[data-testid=stPlotlyChart]');
        return !!t && !!chart && t.closest('[data-testid=stColumn]') === chart.closest('[data-testid=stColumn]');
    }"""), "the description is not in the chart's column"
