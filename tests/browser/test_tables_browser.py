"""Issue 19 (1-4) in chromium at 1440x900, 1280x720 and an iPhone 13: no table is cut off.

- the werkplan's actions (the page's own HTML tables): per action code, title, status, late,
  deadline, role/owner, KPIs and note inside the viewport, no horizontal scrolling; a card per
  action on the phone;
- Dekking: the KPIs without a running action are named on the first screen, the total column
  comes first;
- Rollen: the themes column fits;
- Metingen, Importgeschiedenis and Wat is er veranderd's tables (st.dataframe cut a long note, source, file
  name or reason off with an ellipsis, and scrolled sideways on a phone): the same wrapping table,
  a 300-character note and source and a long file name are on the screen whole at every size;
  Bronnen's target versions are a wrapping table too;
- on the phone a table's toolbar (st.dataframe's, where one is left) no longer covers the heading above it.
Screenshots go to artifacts/tables-*.png.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from kpi import importer
from kpi.db import ensure_ready, make_engine
from kpi.settings import Settings
from tests.support.browser import (
    ARTIFACTS,
    menu_link,
    open_menu,
    open_page,
    sign_in,
    sqlite_url,
    start_streamlit,
    wait_idle,
)

pytestmark = pytest.mark.browser

PASSWORD = "redacteur-test-wachtwoord"
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()
# Long user text (issue 19): 300 characters each, the source with a URL that has no space to wrap at.
LONG_NOTE = ("Voorlopig cijfer van de gemeente, nog niet vastgesteld door het college; de definitieve stand "
             "volgt na de telling in het voorjaar, wanneer ook de banen in de nieuwe winkels aan de Vaart "
             "meetellen. Tot die tijd rekent de regiegroep met dit cijfer, met de kanttekening dat de telling "
             "van 2025 achteraf nog met ongeveer twee procent is bijgesteld.")
LONG_SOURCE = ("LISA vestigingenregister 2026, peildatum 1 april, bewerkt door het programmabureau binnenstad "
               "(tabel banen per sector en per straat), te vinden op https://www.lisa.nl/data/gratis-data/"
               "binnenstad-assen-banen-per-sector-2026-voorlopig.xlsx en in de raadsinformatiebrief van juni "
               "over de economische ontwikkeling.")
LONG_FILE = "banen_binnenstad_assen_2026_voorlopige_cijfers_programmabureau_na_overleg_regiegroep_versie_3.csv"
assert len(LONG_NOTE) >= 300 and len(LONG_SOURCE) >= 300, (len(LONG_NOTE), len(LONG_SOURCE))
SIZES = ("1440", "1280", "phone")
TABLE = "[data-testid=stMain] table.wp-table"

# Per HTML table: the page's width, the table's own scroll width and the cells outside the viewport.
HTML_FIT_JS = """(sel) => [...document.querySelectorAll(sel)].map(t => {
  const box = t.parentElement;
  const out = [...t.querySelectorAll('tbody td, thead th')].filter(c => {
    const r = c.getBoundingClientRect();
    const head = c.closest('thead');  // on a phone the headings are for screen readers only (1 px)
    if (head && head.getBoundingClientRect().height <= 1) return false;
    return r.width > 1 && (r.left < -0.5 || r.right > window.innerWidth + 0.5);
  }).map(c => `${c.tagName} ${c.dataset.label || c.innerText}: ${c.getBoundingClientRect().left}-${c.getBoundingClientRect().right}`);
  return {table: t.scrollWidth, box: box.clientWidth, boxScroll: box.scrollWidth, out};
})"""

# A cell's text whole on the screen: nothing clipped inside it (its own or a child's scroll width
# within its client width) and its box inside the viewport's width.
CELL_WHOLE_JS = """(c) => {
  const clipped = [c, ...c.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
    .map(e => `${e.tagName}.${e.className}: ${e.scrollWidth} > ${e.clientWidth}`);
  const r = c.getBoundingClientRect();
  const style = getComputedStyle(c);
  return {clipped, left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: window.innerWidth,
          height: window.innerHeight, overflow: style.overflow, ellipsis: style.textOverflow};
}"""


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tables")
    url = sqlite_url(tmp / "tables.db")
    engine = make_engine(url)
    ensure_ready(engine)
    # A new jobs figure above the target, imported after the installation: Wat is er veranderd then
    # lists a status change with its reason (the "Waarom" column).
    # Its note and source are 300 characters, its file name a long one without spaces.
    figures = ("gebied;indicator;jaar;waarde;bron;toelichting\n"
               f'Assen binnenstad;banen;2026;6.000;"{LONG_SOURCE}";"{LONG_NOTE}"\n')
    preview = importer.prepare(engine, [(LONG_FILE, figures.encode())], Settings.from_env({"KPI_DATABASE_URL": url}))
    assert preview.ok, [str(p) for p in preview.problems]
    assert importer.apply(engine, preview, "test") is not None
    # And an action added after the installation: the werkplan's changes then have a table.
    preview = importer.prepare(engine, [("acties.csv", b"code;titel;thema;status;toelichting;bron\n"
                                         b"Z-01;Pop-upwinkels in lege panden;A;lopend;Eerste panden gevonden;"
                                         b"Actielijst 2026\n")],
                               Settings.from_env({"KPI_DATABASE_URL": url}))
    assert preview.ok, [str(p) for p in preview.problems]
    assert importer.apply(engine, preview, "test") is not None
    engine.dispose()
    server = start_streamlit(tmp / "tables.log", env={"KPI_DATABASE_URL": url, "KPI_EDITOR_PASSWORD": PASSWORD})
    yield server
    server.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(server.log_path, ARTIFACTS / "tables-server.log")


@pytest.fixture
def screen(chromium, iphone, request):
    size = request.node.callspec.params["size"]
    options = iphone if size == "phone" else {"viewport": {"width": int(size), "height": 900 if size == "1440" else 720}}
    context = chromium.new_context(locale="nl-NL", **options)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"tables-{name}.png"))


def html_tables_fit(pg) -> list[dict]:
    fits = pg.evaluate(HTML_FIT_JS, TABLE)
    assert fits, "no table on the page"
    for fit in fits:
        assert fit["out"] == [], f"cells outside the viewport: {fit['out']}"
        assert fit["table"] <= fit["box"] + 1 and fit["boxScroll"] <= fit["box"] + 1, fit
    assert pg.evaluate("document.documentElement.scrollWidth") <= pg.viewport_size["width"]
    return fits


def whole_text_on_screen(pg, region: str, text: str, label: str) -> None:
    """The cell in `region` holding `text` (as column `label`) shows all of it, on the screen."""
    cell = pg.locator(f"{region} table.wp-table td[data-label=\"{label}\"]", has_text=text[:40]).first
    cell.scroll_into_view_if_needed()
    assert cell.is_visible()
    shown = " ".join(cell.inner_text().split())
    if shown.startswith(f"{label}: "):  # a phone card: the column's name before the value (CSS)
        shown = shown[len(label) + 2:]
    assert shown == " ".join(text.split()), shown
    fit = cell.evaluate(CELL_WHOLE_JS)
    assert fit["clipped"] == [] and fit["ellipsis"] != "ellipsis", fit
    assert fit["left"] >= 0 and fit["right"] <= fit["width"] + 0.5, fit
    assert fit["top"] >= 0 and fit["bottom"] <= fit["height"] + 0.5, fit  # all its lines at once


@pytest.mark.parametrize("size", SIZES)
def test_werkplan_actions_show_every_field_without_scrolling_sideways(dashboard, screen, size):
    open_page(screen, f"{dashboard.url}/werkplan?weergave=acties", ready=TABLE)
    html_tables_fit(screen)
    first = screen.locator(f"{TABLE} tbody tr", has_text="A-02").first
    first.scroll_into_view_if_needed()
    text = " ".join(first.inner_text().split())
    for needed in ("A-02", "Winkelpanden buiten het kernwinkelgebied ombouwen tot woningen", "illustratief",
                   "⚠ Vertraagd", "te laat", "30-6-2026", "Programmamanager", "Leegstand", "Geen echte actie"):
        assert needed in text, (needed, text)
    for cell in first.locator("td").all():  # every field of the action is on the screen
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= screen.viewport_size["width"], cell.inner_text()
    if size == "phone":  # a card: each detail after its name, the headings row only for screen readers
        for label in ("Deadline", "Rol en eigenaar", "KPI's", "Toelichting"):
            before = first.locator(f'td[data-label="{label}"]').evaluate("e => getComputedStyle(e, '::before').content")
            assert label in before, (label, before)
        assert screen.locator(f"{TABLE} thead").first.bounding_box()["height"] <= 1
    shot(screen, f"werkplan-acties-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_dekking_names_the_kpis_without_a_running_action_on_the_first_screen(dashboard, screen, size):
    open_page(screen, f"{dashboard.url}/werkplan?weergave=dekking", ready=TABLE)
    # The akkoord's ranking and the visie 2021's two KPIs (issue 21: no actions linked yet).
    lead = screen.get_by_text("Geen lopende actie voor 3 KPI’s: Positie in ranking binnensteden, "
                              "Winkelvloeroppervlak, Woningen in de binnenstad.")
    box = lead.bounding_box()
    viewport = screen.viewport_size
    assert screen.evaluate("window.scrollY") == 0
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box  # the first screen
    assert box["x"] + box["width"] <= viewport["width"]
    html_tables_fit(screen)
    coverage = screen.locator(f"{TABLE}.wp-coverage")
    assert coverage.locator("thead th").all_inner_texts()[:2] == ["KPI", "Lopend"]
    zero = coverage.locator("tbody tr").first.locator("td").nth(1)
    assert zero.inner_text().strip() == "0"
    shot(screen, f"werkplan-dekking-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_rollen_shows_the_themes(dashboard, screen, size):
    open_page(screen, f"{dashboard.url}/werkplan?weergave=rollen", ready=TABLE)
    html_tables_fit(screen)
    themes = screen.locator(f"{TABLE} tbody td[data-label=\"Thema's\"]", has_text="F goed bekend").first
    assert themes.is_visible()
    shot(screen, f"werkplan-rollen-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_bronnen_target_versions_fit(dashboard, screen, size):
    open_page(screen, f"{dashboard.url}/bronnen", ready=TABLE)
    table = screen.locator(TABLE).first
    table.scroll_into_view_if_needed()
    html_tables_fit(screen)
    row = " ".join(table.locator("tbody tr").first.inner_text().split())
    assert "3.800 (2017)" in row and "5.000 (2030, aanname)" in row and "Binnenstadakkoord" in row, row
    shot(screen, f"bronnen-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_wijzigingen_werkplan_actions_fit(dashboard, screen, size):
    open_page(screen, f"{dashboard.url}/wijzigingen?sinds={YESTERDAY}", ready=TABLE)
    screen.locator(TABLE).first.scroll_into_view_if_needed()
    html_tables_fit(screen)
    assert screen.locator(f"{TABLE} th", has_text="Toelichting").count() == 1
    shot(screen, f"wijzigingen-acties-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_metingen_shows_a_long_note_and_source_whole(dashboard, screen, size):
    open_page(screen, f"{dashboard.url}/kpi?kpi=banen", ready=".st-key-kpi_table table.wp-table")
    screen.locator("h3", has_text="Metingen").first.scroll_into_view_if_needed()
    html_tables_fit(screen)
    whole_text_on_screen(screen, ".st-key-kpi_table", LONG_NOTE, "Toelichting")
    shot(screen, f"metingen-toelichting-{size}")
    whole_text_on_screen(screen, ".st-key-kpi_table", LONG_SOURCE, "Bron")
    shot(screen, f"metingen-{size}")
    # The table's data stays downloadable (the page's own CSV, formulas neutralised: issue 23.6).
    assert screen.locator(".st-key-kpi_csv button", has_text="Download als CSV").count() == 1


@pytest.mark.parametrize("size", SIZES)
def test_gewijzigde_status_shows_the_whole_reason(dashboard, screen, size):
    open_page(screen, f"{dashboard.url}/wijzigingen?sinds={YESTERDAY}", ready=".st-key-changes_status table.wp-table")
    screen.locator("h3", has_text="Gewijzigde status").first.scroll_into_view_if_needed()
    html_tables_fit(screen)
    whole_text_on_screen(screen, ".st-key-changes_status", "De nieuwste meting, 6.000 (2026), haalt het doel (5.000).",
                         "Waarom")
    row = " ".join(screen.locator(".st-key-changes_status tbody tr").first.inner_text().split())
    assert "Aantal banen" in row and "gehaald" in row, row
    shot(screen, f"wijzigingen-{size}")
    # The new measurement's 300-character source, in the table above, whole too.
    whole_text_on_screen(screen, ".st-key-changes_new", LONG_SOURCE, "Bron")


@pytest.mark.parametrize("size", SIZES)
def test_importgeschiedenis_shows_the_whole_file_name_and_whether_undone(dashboard, screen, size):
    open_page(screen, dashboard.url)
    sign_in(screen, PASSWORD)
    open_menu(screen)  # a phone comes back from signing in with the sidebar closed (ui/guard.py)
    menu_link(screen, "Importgeschiedenis").click()
    screen.locator("h1", has_text="Importgeschiedenis").wait_for(state="visible")
    screen.locator(".st-key-batch_table table.wp-table").first.wait_for(state="visible")
    wait_idle(screen)
    if size == "phone" and screen.locator("[data-testid=stSidebar]").get_attribute("data-collapsed") != "true":
        screen.locator("[data-testid=stSidebarCollapseButton] button").click()  # as a reader would
        screen.locator("[data-testid=stSidebar][data-collapsed=true]").wait_for(state="attached")
    html_tables_fit(screen)
    whole_text_on_screen(screen, ".st-key-batch_table", LONG_FILE, "Bestand")
    row = screen.locator(".st-key-batch_table tbody tr", has_text=LONG_FILE[:40]).first
    assert " ".join(row.locator('td[data-label="Ongedaan gemaakt"]').inner_text().split()).endswith("nee")
    if size == "phone":  # a card: the batch number too after its name
        before = row.locator('td[data-label="Batch"]').evaluate("e => getComputedStyle(e, '::before').content")
        assert "Batch" in before, before
    shot(screen, f"importgeschiedenis-{size}")


@pytest.mark.parametrize("size", ["phone"])
def test_phone_table_toolbar_leaves_the_heading_free(dashboard, screen, size):
    open_page(screen, f"{dashboard.url}/wijzigingen?sinds={YESTERDAY}", ready="[data-testid=stDataFrame]")
    heading = screen.locator("h3", has_text="Het dashboard bij de installatie").first
    heading.scroll_into_view_if_needed()
    screen.wait_for_timeout(300)
    container = screen.locator("[data-testid=stElementContainer]:has([data-testid=stDataFrame])").first
    toolbar = container.locator("[data-testid=stElementToolbar]")
    assert toolbar.evaluate("e => getComputedStyle(e).opacity") == "1"  # shown without hovering
    text_bottom = heading.evaluate("e => e.getBoundingClientRect().bottom - parseFloat(getComputedStyle(e).paddingBottom)")
    assert toolbar.bounding_box()["y"] >= text_bottom, (toolbar.bounding_box(), text_bottom)
    shot(screen, "nieuwe-metingen-phone")
