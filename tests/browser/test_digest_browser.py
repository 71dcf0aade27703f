"""Issue 22's screens in chromium, at 1440x900, 1280x720 and a phone (Playwright's iPhone 13):

- /abonnees opened cold by a viewer is the page itself with the Dutch editors-only notice and no
  form; after logging in on that page the editor gets the list, the form (a subscriber added in
  the browser is stored) and the send log; never "Page not found", never an exception;
- the unsubscribe link of a digest that really went out (through the local SMTP server, with the
  server's address as base URL) opens /afmelden for someone who never logged in; the page is in
  nobody's menu; the button unsubscribes (stored), and the link opened again says so in Dutch.
- a digest line about another centre links with ?gebied=<slug>, and opening it lands on that
  centre's KPI page and werkplan.

Screenshots in artifacts/digest-*.png.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit

import pytest

from kpi import importer
from kpi.db import make_engine
from kpi.digest import run
from kpi.digest.subscribers import load_subscribers
from kpi.settings import Settings
from tests.browser.test_screens_browser import VISIBLE_TEXTS_JS, english_on
from tests.support.browser import (
    ARTIFACTS,
    exceptions_on,
    menu_titles,
    open_menu,
    seeded_sqlite,
    sign_in,
    start_streamlit,
    wait_idle,
)
from tests.support.smtpserver import SmtpServer

pytestmark = pytest.mark.browser

PASSWORD = "redacteur-test-wachtwoord"
SIZES = ("desktop", "beamer", "phone")
DESKTOP = {"viewport": {"width": 1440, "height": 900}}
BEAMER = {"viewport": {"width": 1280, "height": 720}}
EDITORS_ONLY = "Deze pagina is alleen voor redacteuren. Log in via de zijbalk."
SUBSCRIBERS = b"naam;e-mail;centra;kpis;werkplan\nJan Jansen;jan@assen.nl;Assen binnenstad;alle;nee\n"
FIGURES = (b"gebied;indicator;jaar;waarde;bron\n"
           b"Assen binnenstad;banen;2026;4.900;LISA\n"
           b"Assen binnenstad;leegstand;2026;9,5;Locatus\n")


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("digest-browser")
    url = seeded_sqlite(tmp / "digest.db")  # created and seeded as on a first start, so the test can import beside it
    server = start_streamlit(tmp / "digest.log", env={"KPI_DATABASE_URL": url, "KPI_EDITOR_PASSWORD": PASSWORD})
    yield server
    server.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(server.log_path, ARTIFACTS / "digest-server.log")


@pytest.fixture
def contexts(chromium, iphone):
    """New pages by size name; all closed at the end."""
    made = []

    def _new(size: str):
        options = {"desktop": DESKTOP, "beamer": BEAMER, "phone": iphone}[size]
        context = chromium.new_context(locale="nl-NL", **options)
        made.append(context)
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        return pg

    yield _new
    for context in made:
        context.close()


def _settled(pg) -> None:
    wait_idle(pg)
    pg.locator("[data-testid=stMain] h1, [data-testid=stMain] [data-testid=stAlert]").first.wait_for(state="visible")
    pg.wait_for_timeout(300)  # a rerun that follows
    wait_idle(pg)


def _healthy(pg, path: str) -> None:
    assert pg.get_by_text("Page not found").count() == 0, path
    assert pg.locator("[role=dialog]").count() == 0, path
    assert exceptions_on(pg) == [], path
    assert urlsplit(pg.url).path.rstrip("/") == f"/{path}", pg.url


def _main_text(pg) -> str:
    return pg.locator("[data-testid=stMain]").inner_text().replace("\u2060", "")


def _close_sidebar_on_a_phone(pg) -> None:
    """On a phone the open menu covers the page."""
    if pg.viewport_size["width"] < 600 and pg.locator("[data-testid=stSidebar]").get_attribute(
            "data-collapsed") != "true":
        pg.locator("[data-testid=stSidebarCollapseButton] button").click()
        pg.locator("[data-testid=stSidebar][data-collapsed=true]").wait_for(state="attached")


def _log_in(pg) -> None:
    sign_in(pg, PASSWORD)
    _settled(pg)


@pytest.mark.parametrize("size", SIZES)
def test_abonnees_for_a_viewer_then_for_an_editor(dashboard, contexts, size):
    pg = contexts(size)
    pg.goto(f"{dashboard.url}/abonnees")
    _settled(pg)
    _healthy(pg, "abonnees")
    text = _main_text(pg)
    assert EDITORS_ONLY in text, text
    assert pg.locator("[data-testid=stMain] input, [data-testid=stMain] button").count() == 0
    open_menu(pg)
    assert "Abonnees" not in menu_titles(pg) and "Afmelden" not in menu_titles(pg)
    pg.screenshot(path=str(ARTIFACTS / f"digest-abonnees-viewer-{size}.png"))

    _log_in(pg)
    pg.locator("[data-testid=stMain] h1", has_text="Abonnees van de samenvatting").wait_for(state="visible")
    _healthy(pg, "abonnees")
    text = _main_text(pg)
    for heading in ("Abonnee toevoegen of wijzigen", "Wat de volgende run zou versturen", "Verzonden en mislukt"):
        assert heading in text, text
    # No Streamlit English: on screen, in an empty multiselect ("Choose options", a placeholder
    # attribute), or in an empty table (a canvas saying "empty": the page says it in Dutch instead).
    assert english_on(pg.evaluate(VISIBLE_TEXTS_JS)) == []
    pg.locator("[data-testid=stMain] [data-testid=stMultiSelect] input").last.wait_for(state="attached")
    placeholders = pg.locator("[data-testid=stMain] [data-testid=stMultiSelect] input").evaluate_all(
        "els => els.map(e => e.placeholder)")
    assert placeholders == ["Kies centra", "Kies KPI's"], placeholders
    assert "Er is nog geen samenvatting verstuurd." in text  # the send log is still empty here
    assert EDITORS_ONLY not in text
    open_menu(pg)
    assert "Abonnees" in menu_titles(pg) and "Afmelden" not in menu_titles(pg)
    _close_sidebar_on_a_phone(pg)

    # An editor adds a subscriber in the browser: stored, and the page says so in Dutch.
    email = f"els-{size}@assen.nl"
    pg.get_by_label("E-mailadres", exact=True).fill(email)
    pg.get_by_label("Naam", exact=True).fill(f"Els {size}")
    pg.locator("[data-testid=stMain] button", has_text="Opslaan").click()
    pg.locator("[data-testid=stMain] [data-testid=stAlert]", has_text="Opgeslagen als importbatch").wait_for(
        state="visible")
    _settled(pg)
    _healthy(pg, "abonnees")
    stored = load_subscribers(make_engine(dashboard.db_url))
    assert email in set(stored["email"])
    pg.screenshot(path=str(ARTIFACTS / f"digest-abonnees-editor-{size}.png"), full_page=True)


def _import(engine, name: str, data: bytes) -> None:
    preview = importer.prepare(engine, [(name, data)], Settings())
    assert preview.ok, preview.problems
    importer.apply(engine, preview, "redacteur", confirmed=True)


def test_the_unsubscribe_link_of_a_sent_digest(dashboard, contexts):
    engine = make_engine(dashboard.db_url)
    _import(engine, "abonnees.csv", SUBSCRIBERS)
    _import(engine, "cijfers-2026.csv", FIGURES)
    smtp = SmtpServer().start()
    try:
        settings = Settings(database_url=dashboard.db_url, smtp_host="127.0.0.1", smtp_port=smtp.port,
                            smtp_tls="geen", mail_from="monitor@assen.example", base_url=dashboard.url)
        outcomes = {o.email: o.status for o in run.run(engine, settings)}
    finally:
        smtp.stop()
    assert outcomes["jan@assen.nl"] == run.DELIVERED
    [msg] = [m for rcpt, m in smtp.inbox.messages if rcpt == ["jan@assen.nl"]]
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    link = re.search(rf"{re.escape(dashboard.url)}/afmelden\?token=[\w-]+", plain).group(0)
    assert msg["List-Unsubscribe"].strip() == f"<{link}>"  # a long header is folded

    # The link in each size, as the subscriber opens it: nobody is logged in.
    for size in SIZES:
        pg = contexts(size)
        pg.goto(link)
        _settled(pg)
        _healthy(pg, "afmelden")
        text = _main_text(pg)
        assert "Afmelden voor de samenvatting" in text
        assert "U krijgt de samenvatting van de Binnenstadmonitor op jan@assen.nl" in text, text
        assert english_on(pg.evaluate(VISIBLE_TEXTS_JS)) == []
        pg.screenshot(path=str(ARTIFACTS / f"digest-afmelden-{size}.png"))
        open_menu(pg)
        assert "Afmelden" not in menu_titles(pg) and "Overzicht" in menu_titles(pg)

    # Unsubscribe on the phone (the last page opened).
    _close_sidebar_on_a_phone(pg)
    pg.locator("[data-testid=stMain] button", has_text="Afmelden").click()
    pg.locator("[data-testid=stMain] [data-testid=stAlert]", has_text="is afgemeld").wait_for(state="visible")
    wait_idle(pg)
    _healthy(pg, "afmelden")
    assert "jan@assen.nl is afgemeld en krijgt geen samenvattingen meer." in _main_text(pg)
    assert pg.locator("[data-testid=stMain] button", has_text="Afmelden").count() == 0
    subs = load_subscribers(engine).set_index("email")
    assert not subs.loc["jan@assen.nl", "active"]

    # The same link again: already unsubscribed; a made-up token: unknown. Both in Dutch.
    pg.goto(link)
    _settled(pg)
    _healthy(pg, "afmelden")
    assert "jan@assen.nl is al afgemeld." in _main_text(pg)
    pg.goto(f"{dashboard.url}/afmelden?token=verzonnen")
    _settled(pg)
    assert "Deze afmeldlink is onbekend of niet meer geldig." in _main_text(pg)
    engine.dispose()
    assert dashboard.alarms() == []


BRUGDORP = "Brugdorp centrum"  # the demo's fictional centre, built here by import


def test_a_digest_link_about_another_centre_opens_that_centre(dashboard, contexts):
    """Issue 21.1: a digest line about another centre than the default links with ?gebied=<slug>;
    opened from the mail that really went out, the KPI page and the werkplan are that centre's."""
    import sqlalchemy as sa

    from kpi import repository, schema

    engine = make_engine(dashboard.db_url)
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.areas), repository.area_rows(conn, [BRUGDORP]))
    _import(engine, "doelen.csv", (
        "akkoord;akkoord_datum;partijen;akkoord_bron;indicator;gebied;basiswaarde;basisjaar;doelwaarde;doeljaar;"
        f"vergelijking;bron;reden\nCentrumakkoord Brugdorp 2025;1-3-2025;gemeente Brugdorp;Raadsbesluit;leegstand;"
        f"{BRUGDORP};9;2024;6;2030;absoluut;Centrumakkoord Brugdorp 2025;nieuw akkoord\n").encode())
    _import(engine, "themas.csv", f"gebied;letter;naam;bron\n{BRUGDORP};M;mobiliteit;Werkplan Brugdorp\n".encode())
    _import(engine, "abonnees-brugdorp.csv",
            f"naam;e-mail;centra;kpis;werkplan\nBea;bea@brugdorp.example;{BRUGDORP};alle;ja\n".encode())
    _import(engine, "acties.csv", (f"gebied;code;titel;thema;status;deadline;bron\n{BRUGDORP};1.2;"
                                   "Fietsenstalling bij de markt;M;lopend;1-1-2020;Werkplan Brugdorp\n").encode())
    _import(engine, "cijfers-brugdorp.csv",
            f"gebied;indicator;jaar;waarde;bron\n{BRUGDORP};leegstand;2026;9,5;Telling Brugdorp\n".encode())
    smtp = SmtpServer().start()
    try:
        settings = Settings(database_url=dashboard.db_url, smtp_host="127.0.0.1", smtp_port=smtp.port,
                            smtp_tls="geen", mail_from="monitor@assen.example", base_url=dashboard.url)
        assert {o.email: o.status for o in run.run(engine, settings)}["bea@brugdorp.example"] == run.DELIVERED
    finally:
        smtp.stop()
        engine.dispose()
    [msg] = [m for rcpt, m in smtp.inbox.messages if rcpt == ["bea@brugdorp.example"]]
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    assert "Assen" not in plain
    kpi = re.search(rf"{re.escape(dashboard.url)}/kpi\?kpi=leegstand&gebied=brugdorp-centrum", plain).group(0)
    werkplan = re.search(rf"{re.escape(dashboard.url)}/werkplan\?gebied=brugdorp-centrum", plain).group(0)
    pg = contexts("desktop")
    for link, path in ((kpi, "kpi"), (werkplan, "werkplan")):
        pg.goto(link)
        _settled(pg)
        _healthy(pg, path)
        pg.locator("[data-testid=stSidebar]", has_text=f"Centrum: {BRUGDORP}").wait_for(state="visible")
        assert "gebied=brugdorp-centrum" in pg.url
        assert "bestaat niet" not in _main_text(pg)
    pg.locator("[data-testid=stMain]", has_text="Fietsenstalling bij de markt").wait_for(state="visible")
    assert "compact & compleet" not in _main_text(pg)  # not Assen's themes
    pg.screenshot(path=str(ARTIFACTS / "digest-link-brugdorp-werkplan.png"), full_page=True)
    assert dashboard.alarms() == []
