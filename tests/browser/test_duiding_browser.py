"""The regiegroep's duiding in chromium (issue 20), at 1440x900, 1280x720 and on an iPhone 13: an
editor signs in, writes cause, effect and bijsturing for a KPI that is achter on its page and
saves; the page shows it with author and date, meeting mode shows it beside the KPI, and undoing
the batch on Importgeschiedenis removes it from both. Then Rapporten: a concept is promoted with
its button (refused while duiding is missing, done once it is written), axe finds nothing serious.
Screenshots go to artifacts/duiding-<size>-*.png and briefing-promote-<size>.png."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from kpi.briefing.period import period_of
from kpi.briefing.record import make_briefing
from kpi.db import make_engine
from kpi.settings import Settings
from tests.support.browser import (
    ARTIFACTS,
    exceptions_on,
    open_page,
    open_select,
    screenshot,
    seeded_sqlite,
    sign_in,
    start_streamlit,
    wait_idle,
)

pytestmark = pytest.mark.browser

PASSWORD = "redacteur-test-wachtwoord"
SIZES = {"desktop": {"viewport": {"width": 1440, "height": 900}},
         "beamer": {"viewport": {"width": 1280, "height": 720}}}
MAIN = "[data-testid=stMain]"
CODE = "banen"  # achter in the seeded data (the meeting's step 1)


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("duiding")
    url = seeded_sqlite(tmp / "duiding.db")
    server = start_streamlit(tmp / "duiding.log", env={"KPI_DATABASE_URL": url, "KPI_EDITOR_PASSWORD": PASSWORD})
    server.env["KPI_DATABASE_URL"] = url
    yield server
    server.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(server.log_path, ARTIFACTS / "duiding-server.log")


@pytest.fixture
def tab(chromium, iphone, request):
    size = request.param
    context = chromium.new_context(locale="nl-NL", **(iphone if size == "phone" else SIZES[size]))
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    pg.size = size
    yield pg
    context.close()


def _inside_viewport(pg, selector: str) -> None:
    """Every element matched lies within the page's width: nothing cut off or scrolled sideways."""
    width = pg.viewport_size["width"]
    for box in pg.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())"):
        assert box["left"] >= -0.5 and box["right"] <= width + 0.5, (selector, box, width)
    assert pg.evaluate("document.scrollingElement.scrollWidth") <= width + 1


def _signed_in(pg) -> None:
    """Sign in through the sidebar. On a phone the page comes back with the sidebar closed (open,
    it covered the page until the user closed it: ui/guard.py SIDEBAR_COOKIE)."""
    sign_in(pg, PASSWORD)
    wait_idle(pg)
    if pg.size == "phone":
        assert pg.locator("[data-testid=stSidebar]").get_attribute("data-collapsed") == "true"


def _kpi_page(pg, url: str) -> None:
    open_page(pg, f"{url}/kpi?kpi={CODE}", ready=f"{MAIN} :text('Duiding van de regiegroep')")


@pytest.mark.parametrize("tab", ["desktop", "beamer", "phone"], indirect=True)
def test_an_editor_writes_a_duiding_sees_it_in_the_meeting_and_undoes_it(dashboard, tab):
    pg, size = tab, tab.size
    period = period_of(dt.date.today())
    cause, effect, steer = (f"Minder kantoorbanen door thuiswerken ({size})", "Doel 5.000 in 2030 raakt uit zicht",
                            "Regiegroep vraagt een acquisitieplan")
    author = f"Regiegroep binnenstad {size}"
    _kpi_page(pg, dashboard.url)
    _signed_in(pg)
    form = pg.locator(f"{MAIN} [data-testid=stForm]", has=pg.locator(f".st-key-duiding_cause_{CODE}_{period}"))
    form.wait_for(state="visible")
    assert pg.locator(MAIN, has_text="Nog geen duiding van de regiegroep").count()
    pg.locator(f".st-key-duiding_cause_{CODE}_{period} textarea").fill(cause)
    pg.locator(f".st-key-duiding_effect_{CODE}_{period} textarea").fill(effect)
    pg.locator(f".st-key-duiding_bijsturing_{CODE}_{period} textarea").fill(steer)
    pg.locator(f".st-key-duiding_author_{CODE}_{period} input").fill(author)
    pg.locator(".st-key-duiding_user input").fill("tester")
    form.scroll_into_view_if_needed()
    pg.locator(".st-key-duiding_user input").focus()
    # Streamlit's English typing hint is not shown (it also covered the end of the field on a phone).
    assert pg.locator("[data-testid=InputInstructions]").evaluate_all(
        "els => els.filter(e => e.checkVisibility()).length") == 0
    _inside_viewport(pg, f"{MAIN} [data-testid=stForm], {MAIN} [data-testid=stForm] textarea, "
                         f"{MAIN} [data-testid=stForm] button")
    screenshot(pg, f"duiding-{size}-form.png")
    form.locator("button", has_text="Duiding opslaan").click()
    saved = pg.locator(MAIN, has_text="Duiding opgeslagen als importbatch")
    saved.wait_for(state="visible")
    wait_idle(pg)
    batch = int(re.search(r"importbatch (\d+)", saved.inner_text()).group(1))

    shown = pg.locator(".st-key-duiding_text")
    shown.wait_for(state="visible")
    text = " ".join(shown.inner_text().split()).replace("\u2011", "-")  # the date's non-breaking hyphens
    today = f"{dt.date.today().day}-{dt.date.today().month}-{dt.date.today().year}"
    assert f"Oorzaak: {cause}" in text and f"Effect op het doel: {effect}" in text and f"Bijsturing: {steer}" in text
    assert f"Geschreven door {author} op {today} voor het" in text
    shown.scroll_into_view_if_needed()
    _inside_viewport(pg, ".st-key-duiding_text, .st-key-duiding_text p")
    # The date is on one line: the caption's text ends with the period on the line the date is on.
    caption = shown.locator("[data-testid=stCaptionContainer]")
    assert today.replace("-", "\u2011") in caption.inner_text()
    screenshot(pg, f"duiding-{size}-saved.png")
    assert exceptions_on(pg) == []

    # Meeting mode, step 1 (banen): the duiding beside the KPI.
    open_page(pg, f"{dashboard.url}/vergadering?stap=1", ready=".st-key-meeting_duiding")
    beside = " ".join(pg.locator(".st-key-meeting_duiding").inner_text().split())
    assert f"Oorzaak: {cause}" in beside and f"Bijsturing: {steer}" in beside and author in beside
    if size == "beamer":  # the projector's one screen: chart, duiding and Vorige/Volgende all on it
        for part in (".st-key-meeting_duiding", ".st-key-meeting_next button", ".st-key-meeting_prev button"):
            bottom = pg.locator(part).evaluate("e => e.getBoundingClientRect().bottom + window.scrollY")
            assert bottom <= 720, (part, bottom)
    # The chart above it is lower (340 px on the projector); its y labels still stand apart, and
    # its years lie level (on a phone the projector's type stood them upright and ran '3.750'
    # into '3.500': the phone now gets the KPI page's chart).
    pg.wait_for_selector(".st-key-meeting_chart .xtick text", state="attached")
    ticks = pg.evaluate("""() => ['.ytick', '.xtick'].map(k => [...document.querySelectorAll(
        `.st-key-meeting_chart ${k} text`)].map(t => t.getBoundingClientRect().toJSON()))""")
    ys = sorted(ticks[0], key=lambda b: b["y"])
    assert all(a["y"] + a["height"] <= b["y"] + 0.5 for a, b in zip(ys, ys[1:])), (size, ys)
    assert ticks[1] and all(t["width"] > t["height"] for t in ticks[1]), (size, ticks[1])
    pg.locator(".st-key-meeting_duiding").scroll_into_view_if_needed()
    _inside_viewport(pg, ".st-key-meeting_duiding")
    screenshot(pg, f"duiding-{size}-meeting.png")

    # Undo the batch on Importgeschiedenis: the duiding is gone from both.
    open_page(pg, f"{dashboard.url}/importgeschiedenis", ready=".st-key-undo_button")
    open_select(pg, pg.locator(".st-key-undo_batch [data-testid=stSelectbox] input"))
    pg.locator("[role=option]", has_text=re.compile(rf"^{batch}: ")).click()
    pg.locator(".st-key-undo_sure label").click()
    pg.wait_for_function("() => !document.querySelector('.st-key-undo_button button').disabled")
    pg.locator(".st-key-undo_button button").click()
    pg.locator(MAIN, has_text=f"Batch {batch} is ongedaan gemaakt").wait_for(state="visible")
    _kpi_page(pg, dashboard.url)
    assert pg.locator(".st-key-duiding_text").count() == 0
    assert pg.locator(MAIN, has_text="Nog geen duiding van de regiegroep").count()
    open_page(pg, f"{dashboard.url}/vergadering?stap=1", ready=f"{MAIN} :text('Nog geen duiding van de regiegroep')")
    assert cause not in pg.locator(MAIN).inner_text()
    assert exceptions_on(pg) == [] and dashboard.alarms() == []


@pytest.mark.parametrize("tab", ["desktop", "beamer", "phone"], indirect=True)
def test_rapporten_promotes_a_concept_with_its_button(dashboard, tab):
    from tests.browser.test_a11y_browser import axe_violations, report

    pg, size = tab, tab.size
    engine = make_engine(dashboard.env["KPI_DATABASE_URL"])
    try:
        concept = make_briefing(engine, Settings(), period_of(dt.date.today()), f"griffie {size}")
    finally:
        engine.dispose()
    open_page(pg, f"{dashboard.url}/rapporten", ready=f"{MAIN} h1")
    _signed_in(pg)
    # The newest briefing is chosen to begin with.
    chosen = pg.locator(".st-key-briefing_number [data-testid=stSelectbox] input")
    assert chosen.input_value() == f"Briefing {concept} (concept)"
    button = pg.locator(".st-key-promote_briefing button")
    button.wait_for(state="visible")
    assert button.inner_text().strip() == f"Concept {concept} definitief maken"
    button.scroll_into_view_if_needed()
    _inside_viewport(pg, f"{MAIN} [data-testid=stForm], .st-key-promote_briefing button")
    screenshot(pg, f"briefing-promote-{size}.png")
    violations = axe_violations(pg)
    assert not violations, report(violations)
    button.click()
    refused = pg.locator(f"{MAIN} [data-testid=stAlertContentError]", has_text="De briefing kan niet definitief worden")
    refused.wait_for(state="visible")
    wait_idle(pg)
    assert "Aantal banen (achter)" in refused.inner_text()
    # Said beside the button, where the editor looks, not at the top of the page.
    top = refused.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < pg.viewport_size["height"], top
    screenshot(pg, f"briefing-promote-{size}-refused.png")
    assert exceptions_on(pg) == [] and dashboard.alarms() == []
