"""AppTest of issue 20's screens: the duiding on the KPI page (plain text; editors get a form that
is a one-row import), beside a KPI behind in meeting mode, and 'Briefing vastleggen' on Rapporten."""

from __future__ import annotations

import datetime as dt

from kpi.briefing import store
from kpi.briefing.period import period_of
from kpi.db import ensure_ready, make_engine
from kpi.importer import forms
from tests.support.apptest import html_table_with, run_app, texts

AREA = "Assen binnenstad"


def _engine(url: str):
    engine = make_engine(url)
    ensure_ready(engine)
    return engine


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def _write(url: str, code: str, cause: str = "Ketens sluiten filialen") -> None:
    forms.save_duiding(_engine(url), user="redacteur", area=AREA, indicator=code, period=period_of(dt.date.today()),
                       cause=cause, effect="Doel verder weg", bijsturing="Pandenfonds", author="Regiegroep")


def test_a_viewer_sees_that_the_duiding_is_missing_and_gets_no_form(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": "leegstand"})
    assert not at.exception
    assert "Duiding van de regiegroep" in [h.value for h in at.subheader]
    assert "Nog geen duiding van de regiegroep voor het" in texts(at)
    assert not at.text_area and not [b for b in at.button if b.label == "Duiding opslaan"]


def test_an_editor_writes_the_duiding_as_a_one_row_import_shown_as_plain_text(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": "leegstand"}, editor=True)
    assert not at.exception
    period = period_of(dt.date.today())
    assert at.text_input(key="duiding_period").value == period
    at.text_area(key=f"duiding_cause_leegstand_{period}").input("<b>Ketens</b> sluiten *filialen*")
    at.text_area(key=f"duiding_effect_leegstand_{period}").input("Doel 2030 verder weg")
    at.text_area(key=f"duiding_bijsturing_leegstand_{period}").input("Pandenfonds")
    at.text_input(key=f"duiding_author_leegstand_{period}").input("Regiegroep binnenstad")
    _button(at, "Duiding opslaan").click().run()
    assert not at.exception and not at.error
    assert any("Duiding opgeslagen als importbatch" in s.value for s in at.success)
    found = store.current_duiding(_engine(sqlite_url), AREA, period)["leegstand"]
    assert found.cause == "<b>Ketens</b> sluiten *filialen*" and found.batch_id is not None
    shown = [m.value for m in at.markdown if m.value.startswith("**Oorzaak:**")]
    # Markdown-escaped: the stars and angle brackets show as typed, never as emphasis or HTML.
    assert shown == ["**Oorzaak:** \\<b\\>Ketens\\</b\\> sluiten \\*filialen\\*"]
    assert "Geschreven door Regiegroep binnenstad op" in texts(at)


def test_an_empty_cause_is_refused_in_dutch_and_nothing_is_stored(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": "banen"}, editor=True)
    period = period_of(dt.date.today())
    at.text_area(key=f"duiding_effect_banen_{period}").input("x")
    at.text_area(key=f"duiding_bijsturing_banen_{period}").input("y")
    at.text_input(key=f"duiding_author_banen_{period}").input("Regiegroep")
    _button(at, "Duiding opslaan").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["oorzaak: De oorzaak is leeg; de regiegroep schrijft oorzaak, effect en "
                                           "bijsturing."]
    assert store.load_duiding(_engine(sqlite_url)).empty


def test_meeting_mode_shows_the_duiding_beside_a_kpi_behind(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="vergadering", query={"stap": "1"})  # banen: achter
    assert not at.exception
    assert "Nog geen duiding van de regiegroep voor het" in texts(at)
    _write(sqlite_url, "banen")
    at = run_app(monkeypatch, sqlite_url, page="vergadering", query={"stap": "1"})
    body = texts(at)
    assert "**Oorzaak:** Ketens sluiten filialen" in body and "**Bijsturing:** Pandenfonds" in body
    assert "Geschreven door Regiegroep op" in body
    at = run_app(monkeypatch, sqlite_url, page="vergadering", query={"stap": "4"})  # waardering: op koers
    assert "duiding" not in texts(at).lower()


def test_rapporten_refuses_definitief_naming_kpis_and_stores_a_concept(monkeypatch, sqlite_url):
    viewer = run_app(monkeypatch, sqlite_url, page="rapporten")
    assert "Briefing vastleggen" not in [h.value for h in viewer.subheader]
    at = run_app(monkeypatch, sqlite_url, page="rapporten", editor=True)
    assert not at.exception
    at.checkbox(key="briefing_final").check()
    _button(at, "Briefing vastleggen").click().run()
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith("De briefing kan niet definitief worden")
    assert "Aantal banen (achter)" in at.error[0].value
    assert store.load_briefings(_engine(sqlite_url)).empty
    at.checkbox(key="briefing_final").uncheck()
    _button(at, "Briefing vastleggen").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Briefing 1 vastgelegd (concept)."]
    table = html_table_with(at, "Briefing", "Staat")  # ui.components.wrapped_table
    assert table[["Briefing", "Staat"]].to_dict("records") == [{"Briefing": "1", "Staat": "concept"}]
    at.button(key="make_briefing_pdf").click().run()
    assert not at.exception and not at.error
    assert at.session_state["made_briefing_pdf"][1].startswith(b"%PDF-")
    assert "PDF van de briefing downloaden (briefing-1.pdf)" in [b.proto.label for b in at.get("download_button")]


def test_a_duiding_file_is_previewed_and_saved_on_the_import_page(monkeypatch, sqlite_url):
    period = period_of(dt.date.today())
    text = ("gebied;indicator;periode;oorzaak;effect;bijsturing;auteur\n"
            f"Assen binnenstad;leegstand;{period};Ketens sluiten;Doel verder weg;Pandenfonds;Regiegroep\n")
    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    at.file_uploader[0].upload("duiding.csv", text.encode(), "text/csv").run()
    assert not at.exception and not at.error
    assert any("1 nieuw" in i.value for i in at.info), [i.value for i in at.info]
    assert at.dataframe[0].value[["KPI", "Periode", "Oorzaak", "Auteur"]].to_dict("records") == [
        {"KPI": "leegstand", "Periode": period, "Oorzaak": "Ketens sluiten", "Auteur": "Regiegroep"}]
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception and not at.error
    assert store.current_duiding(_engine(sqlite_url), AREA, period)["leegstand"].cause == "Ketens sluiten"
