"""AppTest of issue 22's screens: Abonnees (editors only; the form is a one-row import), the
unsubscribe link, and the open data zip on Rapporten (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import zipfile

from kpi import importer
from kpi.db import make_engine
from kpi.digest.subscribers import load_subscribers
from kpi.opendata import FILE_NAMES
from kpi.settings import Settings
from tests.support.apptest import refused_to_viewer, run_app, texts


def _engine(url):
    return make_engine(url)


def test_a_viewer_opening_the_subscriber_page_gets_the_editors_only_notice(monkeypatch, sqlite_url):
    # The page exists for everyone (a bookmark is no "Page not found"), but shows viewers nothing.
    engine = _engine(sqlite_url)
    at = run_app(monkeypatch, sqlite_url)
    importer.apply(engine, importer.prepare(engine, [("abonnees.csv", b"naam;e-mail\nEls;els@assen.nl\n")],
                                            Settings()), "redacteur")
    refused_to_viewer(at, "abonnees")
    assert "els@assen.nl" not in texts(at)


def test_the_unsubscribe_page_is_reachable_by_everyone_and_in_no_menu():
    from ui.frame import PAGES, menu

    assert next(s for s in PAGES if s.url == "afmelden").unlisted
    for editor in (False, True):
        entries = [(spec.url, hidden) for items in menu(editor).values() for spec, hidden in items]
        assert ("afmelden", True) in entries and ("afmelden", False) not in entries


def test_an_editor_adds_a_subscriber_as_a_one_row_import(monkeypatch, db_url):
    at = run_app(monkeypatch, db_url, page="abonnees", editor=True)
    assert not at.exception
    form = at.text_input
    form[0].input("els@assen.nl")
    form[1].input("Els de Vries")
    at.checkbox[0].uncheck()  # not all KPIs ...
    at.multiselect[1].select("leegstand")  # ... only vacancy
    at.checkbox[1].check()  # and the werkplan
    at.button[0].click().run()
    assert not at.exception
    assert any("Opgeslagen als importbatch" in s.value for s in at.success)
    subs = load_subscribers(_engine(db_url))
    assert subs[["email", "name", "kpis", "werkplan", "active"]].to_dict("records") == [
        {"email": "els@assen.nl", "name": "Els de Vries", "kpis": "leegstand", "werkplan": True, "active": True}]
    assert subs.loc[0, "batch_id"] is not None  # a batch Importgeschiedenis can undo
    assert "Els de Vries" in at.dataframe[0].value["Naam"].tolist()


def test_a_bad_address_is_refused_in_dutch(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="abonnees", editor=True)
    at.text_input[0].input("geen adres")
    at.button[0].click().run()
    assert not at.exception
    assert "'geen adres' is geen geldig e-mailadres" in " ".join(e.value for e in at.error)
    assert load_subscribers(_engine(sqlite_url)).empty


def test_the_unsubscribe_link_unsubscribes_without_login(monkeypatch, db_url):
    at = run_app(monkeypatch, db_url)
    engine = _engine(db_url)
    preview = importer.prepare(engine, [("abonnees.csv", b"naam;e-mail\nJan;jan@assen.nl\n")], Settings())
    importer.apply(engine, preview, "redacteur")
    token = load_subscribers(engine).loc[0, "token"]
    at = run_app(monkeypatch, db_url, page="afmelden", query={"token": token})
    assert not at.exception
    assert "jan@assen.nl" in texts(at).replace("\u2060", "")  # md() keeps an address from becoming a link
    at.button(key="unsubscribe").click().run()
    assert not at.exception
    assert "jan@assen.nl is afgemeld" in " ".join(s.value for s in at.success).replace("\\", "").replace("\u2060", "")
    assert not load_subscribers(engine).loc[0, "active"]
    at = run_app(monkeypatch, db_url, page="afmelden", query={"token": "verzonnen"})
    assert "onbekend of niet meer geldig" in texts(at)


def test_rapporten_offers_the_open_data_zip(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="rapporten")
    assert not at.exception
    button = next(b for b in at.get("download_button") if b.proto.label.startswith("Open-datapakket"))
    assert button.proto.label == "Open-datapakket downloaden (zip)"
    from ui import data  # the same function the button calls, against the same database

    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    name, make = data.opendata_zip()
    assert name == "open-data-assen-binnenstad.zip"
    archive = zipfile.ZipFile(io.BytesIO(make()))
    assert sorted(archive.namelist()) == sorted(f"assen-binnenstad/{n}" for n in FILE_NAMES)


def test_abonnees_keeps_the_default_centre_whichever_centre_is_chosen(monkeypatch, db_url):
    """Issue 21.1: a subscriber without centres follows the default centre (KPI_AREA), also when the
    page is opened with ?gebied= of another centre: the table, the form's label and the preview say
    so; the centre choice offers every centre."""
    import sqlalchemy as sa

    from kpi import repository, schema

    engine = _engine(db_url)
    run_app(monkeypatch, db_url)  # created and seeded as on a first start
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.areas), repository.area_rows(conn, ["Brugdorp centrum"]))
    importer.apply(engine, importer.prepare(engine, [("abonnees.csv", b"naam;e-mail\nEls;els@assen.nl\n")],
                                            Settings()), "redacteur")
    importer.apply(engine, importer.prepare(engine, [(
        "cijfers.csv", b"gebied;indicator;jaar;waarde;bron\nAssen binnenstad;banen;2026;4.900;LISA\n")],
        Settings()), "redacteur")
    at = run_app(monkeypatch, db_url, page="abonnees", editor=True, query={"gebied": "brugdorp-centrum"})
    assert not at.exception
    assert "Centrum: Brugdorp centrum" in texts(at)  # the page shows another centre ...
    assert at.dataframe[0].value["Centra"].tolist() == ["Assen binnenstad"]  # ... Els follows the default
    centres = at.multiselect[0]
    assert centres.label == "Centra (leeg: Assen binnenstad)"
    assert {"Assen binnenstad", "Brugdorp centrum"} <= set(centres.options)
    [preview] = [d.value for d in at.dataframe if "Zou krijgen" in d.value.columns]
    [subject] = preview["Zou krijgen"].tolist()
    assert subject.startswith("Binnenstadmonitor Assen binnenstad: ") and "1 nieuw cijfer" in subject
