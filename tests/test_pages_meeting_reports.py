"""Meeting mode, what changed, reports and events pages. AppTest against a fresh
SQLite file per test (the projector screen in chromium: tests/browser/test_meeting_screen_browser.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kpi import events
from kpi.charts import MEETING_HEIGHT
from kpi.db import ensure_ready, make_engine
from tests.support.apptest import figure, html_table_with, run_app, texts
from tests.test_changes import MEETING, REVISED, backdate, revise
from ui import frame

AREA = "Assen binnenstad"
NAMES = ["Aantal banen", "Aantal bedrijven", "Leegstand (verkooppunten)", "Rapportcijfer bezoekers",
         "Positie in ranking binnensteden"]


def _title(at) -> str:
    """The page title as a reader sees it (stored names are Markdown-escaped on screen)."""
    return re.sub(r"\\(.)", r"\1", at.title[0].value)


def _frame(at, column: str):
    """The first table with this column (AppTest does not expose a dataframe's key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _param(at, name):
    value = at.query_params[name]
    return value[-1] if isinstance(value, list) else value


def _seeded(url: str):
    engine = make_engine(url)
    ensure_ready(engine)
    return engine


# ---- Vergadermodus ------------------------------------------------------------------------

def test_meeting_summary_lists_every_kpi(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="vergadering")
    assert not at.exception and not at.error
    assert _title(at) == "Stand van de doelen"
    body = texts(at)
    for name in NAMES:
        assert f"**{name}**" in body
    for value in ["**4.210**", "**458**", "**13,8%**", "**7,3**", "**plaats 33**"]:
        assert value in body
    assert body.count("illustratief") >= 5
    assert "**op koers**" in body and "**achter**" in body  # status in words
    assert "onder landelijk (7,0%)" in body and "top 25 in 2021" in body
    assert "Scherm 1 van 9 · samenvatting" in body  # the visie 2021's two KPIs too (issue 21)
    assert _param(at, "stap") == "0"
    assert at.button(key="meeting_prev").disabled and not at.button(key="meeting_next").disabled


def test_meeting_step_from_the_url_and_next_previous(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="vergadering", query={"stap": "2"})
    assert not at.exception and not at.error
    assert _title(at) == "Aantal bedrijven"
    assert at.metric[0].value == "458" and at.metric[0].label == "Peildatum 2025"
    body = texts(at)
    assert "Oordeel rust op illustratieve waarden – geen metingen" in body and "Doel: **500**" in body
    assert "Aantal bedrijven steeg van 430 (2017) naar 458 (2025)" in body
    assert figure(at)["layout"]["height"] == MEETING_HEIGHT
    assert figure(at)["layout"]["legend"]["font"]["size"] == 20  # the MEETING style, not the screen one

    at.button(key="meeting_next").click().run()
    assert not at.exception
    assert _title(at) == "Leegstand (verkooppunten)" and _param(at, "stap") == "3"
    at.button(key="meeting_prev").click().run()
    at.button(key="meeting_prev").click().run()
    assert _title(at) == "Aantal banen" and _param(at, "stap") == "1"


@pytest.mark.parametrize("asked, title", [("99", "Werkplan"), ("5", "Positie in ranking binnensteden"), ("-3", "Stand van de doelen"),
                                          ("drie", "Stand van de doelen")])
def test_meeting_step_out_of_range_is_clamped(monkeypatch, sqlite_url, asked, title):
    at = run_app(monkeypatch, sqlite_url, page="vergadering", query={"stap": asked})
    assert not at.exception and not at.error
    assert _title(at) == title


def test_meeting_chart_shows_events_as_plain_text(monkeypatch, sqlite_url):
    engine = _seeded(sqlite_url)
    events.add_event(engine, dt.date(2019, 6, 1), "<b>Opening</b> garage", indicator="banen")
    at = run_app(monkeypatch, sqlite_url, page="vergadering", query={"stap": "1"})
    assert not at.exception
    notes = [a["text"] for a in figure(at)["layout"].get("annotations", [])]
    assert "&lt;b&gt;Opening&lt;/b&gt; garage" in notes


# ---- Wat is er veranderd -----------------------------------------------------------------

def test_changes_since_a_meeting(monkeypatch, sqlite_url):
    engine = _seeded(sqlite_url)
    backdate(engine)
    revise(engine, "banen", AREA, dt.date(2025, 1, 1), 4300.0, REVISED)
    at = run_app(monkeypatch, sqlite_url, page="wijzigingen", query={"sinds": MEETING.isoformat()})
    assert not at.exception and not at.error
    assert at.date_input(key="changes_since").value == MEETING
    body = texts(at)
    assert "Sinds 31-1-2026: 0 KPI's met nieuwe metingen, 1 herziene waarde" in body
    revised = html_table_with(at, "Herzien op")  # wrapped: a long source is read whole (issue 19)
    assert revised[["KPI", "Was", "Is nu"]].values.tolist() == [["Aantal banen", "4.210 (illustratief)", "4.300"]]
    known = _frame(at, "Status")
    assert known["Waarde"].tolist()[0] == "4.210 (illustratief)"
    assert known["KPI"].tolist() == [*NAMES, "Winkelvloeroppervlak", "Woningen in de binnenstad"]
    assert "Geen nieuwe metingen." in body

    at.date_input(key="changes_since").set_value(dt.date(2026, 2, 4)).run()
    assert not at.exception
    assert _param(at, "sinds") == "2026-02-04"
    assert "1 herziene waarde" not in texts(at)
    assert _frame(at, "Status")["Waarde"].tolist()[0] == "4.300"


# ---- Rapporten -----------------------------------------------------------------------------

def test_reports_page_makes_a_pdf_to_download(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="rapporten")
    assert not at.exception and not at.error
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Cijfers als Excel (XLSX)", "Cijfers als CSV", "Open-datapakket downloaden (zip)"]
    at.button(key="make_pdf").click().run()
    assert not at.exception and not at.error
    at.button(key="make_pptx").click().run()
    downloads = [b.proto.label for b in at.get("download_button")]
    # Each named by what it downloads (issue 19.18), never two the same.
    made = [d for d in downloads if d.startswith(("PDF-rapport downloaden (", "PowerPoint downloaden ("))]
    assert len(made) == 2 and len(set(downloads)) == len(downloads) == 5
    assert at.session_state["made_pdf"][1].startswith(b"%PDF-")


def test_reports_page_as_of_a_date_from_the_url(monkeypatch, sqlite_url):
    engine = _seeded(sqlite_url)
    backdate(engine)
    at = run_app(monkeypatch, sqlite_url, page="rapporten", query={"stand": MEETING.isoformat()})
    assert not at.exception and not at.error
    assert at.date_input(key="report_day").value == MEETING
    assert "de cijfers zoals bekend op 31-1-2026 (einde van de dag)," in texts(at)
    assert _param(at, "stand") == "2026-01-31"
    at.date_input(key="report_day").set_value(dt.date.today()).run()
    assert not at.exception and "stand" not in at.query_params
    assert "zoals bekend aan het einde van" not in texts(at)


# ---- Gebeurtenissen ------------------------------------------------------------------------

def test_editor_adds_and_deletes_an_event(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="gebeurtenissen", editor=True)
    assert not at.exception and not at.error
    assert "Er zijn nog geen gebeurtenissen vastgelegd." in texts(at)
    at.date_input(key="event_date").set_value(dt.date(2019, 6, 1))
    at.text_input(key="event_text").input("<b>Opening</b> [garage](http://e.vil)")
    at.selectbox(key="event_kpi").select("banen")
    next(b for b in at.button if b.label == "Toevoegen").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["De gebeurtenis is toegevoegd."]
    table = _frame(at, "Gebeurtenis")
    assert table[["Datum", "Gebeurtenis", "KPI", "Gebied"]].values.tolist() == [
        ["1-6-2019", "<b>Opening</b> [garage](http://e.vil)", "Aantal banen", AREA]]

    at.button(key="event_delete").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["De gebeurtenis is verwijderd."]
    assert "Er zijn nog geen gebeurtenissen vastgelegd." in texts(at)


def test_editor_gets_a_dutch_message_for_an_empty_event(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="gebeurtenissen", editor=True)
    next(b for b in at.button if b.label == "Toevoegen").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Vul een korte omschrijving van de gebeurtenis in."]


@pytest.mark.parametrize("page, query", [("rapporten", {"stand": "0001-01-01"}), ("wijzigingen", {"sinds": "0001-01-01"}),
                                         ("rapporten", {"stand": "9999-12-31"})])
def test_extreme_dates_in_the_url_never_break_a_page(monkeypatch, sqlite_url, page, query):
    """Issue 23.9: /rapporten?stand=0001-01-01 gave 'Er ging iets mis' (the time-zone sum left the date range)."""
    at = run_app(monkeypatch, sqlite_url, page=page, query=query)
    assert not at.exception and not [e for e in at.error if "mis" in e.value]


# User-Agents as Playwright's device descriptors send them (iPhone 13, Pixel 5, iPad gen 7) and a
# desktop Chrome. Meeting mode gives a phone the KPI page's chart (screens/vergadering.py).
PHONE_AGENTS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/15.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/90.0.4430.91 Mobile Safari/537.36",
]
OTHER_AGENTS = [
    "Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/12.1 Safari/604.1",  # an iPad has room for the projector's chart
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
    "",
]


@pytest.mark.parametrize("agent", PHONE_AGENTS)
def test_a_phone_says_mobi_in_its_user_agent(agent):
    assert frame.is_phone_agent(agent)


@pytest.mark.parametrize("agent", OTHER_AGENTS)
def test_a_tablet_or_desktop_is_no_phone(agent):
    assert not frame.is_phone_agent(agent)
