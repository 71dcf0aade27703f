"""The werkplan on screen and in the briefings (issue 9): the Werkplan page (actions per
theme, coverage, roles, filters in the URL, the editors' status edit), 'Wat doen we eraan' on
the KPI page, the meeting's werkplan step, action changes in 'Wat is er veranderd', and the
werkplan pages of the PDF and the PowerPoint. AppTest on a fresh SQLite file per test."""

from __future__ import annotations

import csv as csv_module
import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
import sqlalchemy as sa
from pptx import Presentation

from kpi import schema
from kpi.db import ensure_ready, make_engine
from kpi.importer import forms
from kpi.reports import load_report
from kpi.reports.deck import pptx_bytes
from kpi.reports.pdf import pdf_bytes
from kpi.seed import DEMO_ACTIONS_CSV
from kpi.settings import Settings
from kpi.werkplan import store as wp_store
from kpi.werkplan import tables as wp_tables
from tests.support.apptest import html_tables, run_app, texts

DEMO = list(csv_module.DictReader(DEMO_ACTIONS_CSV.open(encoding="utf-8")))
LONG_AGO = dt.datetime(2025, 6, 1, 12, 0)


def _due(row) -> dt.date:
    d, m, y = (int(p) for p in row["deadline"].split("-"))
    return dt.date(y, m, d)


def late_codes(today: dt.date) -> list[str]:
    """The demo actions that are late today, straight from the CSV (not through kpi.werkplan)."""
    return sorted(r["code"] for r in DEMO if _due(r) < today and r["status"] not in ("afgerond", "gestopt"))


def _seeded(url: str):
    engine = make_engine(url)
    ensure_ready(engine)
    return engine


def _backdate_actions(engine) -> None:
    """Pretend the werkplan was stored long ago, so that today's changes stand out."""
    with engine.begin() as conn:
        conn.execute(sa.update(schema.actions).values(recorded_at=LONG_AGO))
        conn.execute(sa.update(schema.import_batches).values(created_at=LONG_AGO))


def _finish_1_1(engine) -> int:
    action = wp_store.load_actions(engine, "Assen binnenstad").set_index("code").loc["1.1"].to_dict() | {"code": "1.1"}
    return forms.update_action(engine, action, status="afgerond", note="Groep gevormd.", user="redacteur")


def _frames_with(at, column: str) -> list:
    return [d.value for d in at.dataframe if column in d.value.columns]


def _param(at, name):
    value = at.query_params[name]
    return value[-1] if isinstance(value, list) else value


def _codes(frame) -> list[str]:
    """The action codes of a table: its Code column, or the first word of the page's Actie cells."""
    if "Code" in frame:
        return [str(c) for c in frame["Code"]]
    return [str(a).split(" ", 1)[0] for a in frame["Actie"]]


def _html_with(at, column: str) -> list:
    return [t for t in html_tables(at) if column in t.columns]


# ---- the Werkplan page ------------------------------------------------------------------------

def test_werkplan_page_shows_each_theme_late_first_with_status_in_words_and_demo_labelled(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="werkplan")
    assert not at.exception and not at.error
    assert at.title[0].value == "Werkplan Binnenstad"
    assert [s.value for s in at.subheader] == [
        "A compact & compleet", "B prettig & comfortabel", "C bereikbaar", "D historisch, cultureel & actief",
        "E gastvrij, ondernemend & collectief samenwerkend", "F goed bekend"]
    tables = _html_with(at, "Rol en eigenaar")
    assert len(tables) == 6
    theme_a = tables[0]
    late_a = [c for c in late_codes(dt.date.today()) if c.startswith("A")]
    assert _codes(theme_a)[: len(late_a)] == late_a  # late ones first
    assert set(_codes(theme_a)) == {"1.1", "1.2", "1.3", "A-01", "A-02", "A-03"}
    # Per action in one row: code, title, demo flag, status word and symbol, late, deadline with
    # budget, role and owner, KPIs and the note.
    row = theme_a.set_index(theme_a["Actie"].str.split(" ").str[0]).loc["A-02"]
    assert row["Actie"] == "A-02 Winkelpanden buiten het kernwinkelgebied ombouwen tot woningen illustratief"
    assert row["Status"] == ("⚠ Vertraagd te laat" if "A-02" in late_a else "⚠ Vertraagd")
    assert row["Deadline"] == "30-6-2026 budget € 60.000, besteed € 41.000"
    assert row["Rol en eigenaar"].startswith("Programmamanager")
    assert row["KPI's"] != "" and row["Toelichting"] != ""
    one = theme_a.set_index(theme_a["Actie"].str.split(" ").str[0]).loc["1.1"]
    assert "illustratief" not in one["Actie"] and one["Status"].startswith("◷ Gepland")
    badges = [m.value for m in at.markdown if "-badge[" in m.value]  # st.badge is Markdown here
    assert badges == [
        ":gray-badge[:material/schedule: 6 gepland] :blue-badge[:material/play_circle: 5 loopt] "
        ":green-badge[:material/check_circle: 2 afgerond] :orange-badge[:material/warning: 2 vertraagd] "
        ":gray-badge[:material/cancel: 1 gestopt]",
        ":violet-badge[:material/science: 13 van deze acties zijn illustratief (demo), geen echte acties van het "
        "werkplan; ze staan als ‘ja – voorbeeld’ in de kolom Illustratief.]"]
    assert _param(at, "weergave") == "acties"
    assert not [e for e in at.expander if "wijzigen" in e.label]  # viewers get no edit form


def test_werkplan_filters_come_from_the_url_and_go_back_into_it(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="werkplan", query={"thema": "a,B", "status": "lopend,vertraagd"})
    assert not at.exception
    assert at.multiselect(key="wp_theme").value == ["A", "B"]
    assert at.multiselect(key="wp_status").value == ["lopend", "vertraagd"]
    assert [s.value for s in at.subheader] == ["A compact & compleet", "B prettig & comfortabel"]
    tables = _html_with(at, "Rol en eigenaar")
    assert [sorted(_codes(t)) for t in tables] == [["A-01", "A-02"], ["B-01"]]
    assert "3 van 16 acties" in texts(at)
    assert "Budget € 103.000, besteed € 67.500 (66%)" in texts(at)

    at.multiselect(key="wp_role").select("Huismeester").run()
    assert _param(at, "rol") == "Huismeester" and _param(at, "thema") == "A,B"
    assert [sorted(_codes(t)) for t in _html_with(at, "Rol en eigenaar")] == [["B-01"]]
    at.multiselect(key="wp_year").select(2025).run()
    assert _param(at, "jaar") == "2025"
    assert _html_with(at, "Rol en eigenaar") == [] and "Geen acties bij deze keuze." in [i.value for i in at.info]


def test_coverage_view_counts_running_actions_per_kpi_and_theme(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="werkplan", query={"weergave": "dekking"})
    assert not at.exception
    # The KPIs with nothing running lead the view, in words.
    lead = [m.value.replace("\\", "") for m in at.markdown if "lopende actie" in m.value]
    # the visie 2021's two KPIs (issue 21) have no action yet either
    assert lead == ["**Geen lopende actie voor 3 KPI’s: Positie in ranking binnensteden, Winkelvloeroppervlak, "
                    "Woningen in de binnenstad.**"]
    cov = _html_with(at, "Lopend")[0]
    assert list(cov.columns) == ["KPI", "Lopend", "A", "B", "C", "D", "E", "F"]  # the total first, narrow
    assert cov["KPI"].iloc[0] == "Positie in ranking binnensteden"  # nothing running: on top
    cov = cov.set_index("KPI")
    assert cov["Lopend"].astype(int).to_dict() == {
        "Aantal banen": 1, "Aantal bedrijven": 2, "Leegstand (verkooppunten)": 1, "Rapportcijfer bezoekers": 3,
        "Positie in ranking binnensteden": 0, "Winkelvloeroppervlak": 0, "Woningen in de binnenstad": 0}
    assert cov.loc["Aantal bedrijven"].astype(int).tolist()[1:] == [1, 0, 0, 0, 1, 0]
    assert ("A compact & compleet · B prettig & comfortabel · C bereikbaar · D historisch, cultureel & actief · "
            "E gastvrij, ondernemend & collectief samenwerkend · F goed bekend") in texts(at)
    per_kpi = _html_with(at, "Let op")[0].set_index("KPI")
    assert per_kpi.loc["Positie in ranking binnensteden", "Let op"] == (
        "Positie in ranking binnensteden staat op ‘achter’ en er loopt geen echte actie voor deze KPI "
        "(illustratieve acties en acties over hun deadline tellen niet mee).")


def test_roles_view_lists_each_role_with_its_themes_and_actions(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="werkplan", query={"weergave": "rollen"})
    assert not at.exception
    roles = _html_with(at, "Thema's")[0].set_index("Rol")
    assert roles.loc["Acquisiteur", "Thema's"] == "A compact & compleet"
    assert roles.loc["Acquisiteur", "Acties"] == "2" and roles.loc["Huismeester", "Thema's"] == "B prettig & comfortabel"
    assert roles.loc["Regisseur", "Thema's"] == (  # all six themes
        "A compact & compleet, B prettig & comfortabel, C bereikbaar, D historisch, cultureel & actief, "
        "E gastvrij, ondernemend & collectief samenwerkend, F goed bekend")
    labels = [e.label for e in at.expander]
    assert any(label.startswith("Acquisiteur") and "2 acties" in label for label in labels), labels
    assert at.segmented_control(key="wp_view").value == "rollen"


def test_an_editor_changes_status_and_note_on_the_page_as_an_undoable_import(monkeypatch, sqlite_url):
    engine = _seeded(sqlite_url)
    at = run_app(monkeypatch, sqlite_url, page="werkplan", editor=True)
    assert not at.exception
    assert at.selectbox(key="wp_edit_code").options[:3] == [
        "1.1 Een groep ondernemers vormen die helpt een opdracht op te stellen en te begeleiden",
        "1.2 Een externe strategisch-economisch deskundige de opdracht geven",
        "1.3 Het einddoel vertalen naar strategieën voor de korte termijn"]
    assert len(at.selectbox(key="wp_edit_code").options) == 3  # demo actions are not edited here
    at.selectbox(key="wp_edit_code").set_value("1.2").run()
    at.selectbox(key="wp_edit_status").set_value("lopend")
    at.text_area(key="wp_edit_note").set_value("Offerte gevraagd bij twee bureaus.")
    at.text_input(key="wp_edit_user").set_value("Programmabureau")
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception and not at.error
    a12 = wp_store.load_actions(engine, "Assen binnenstad").set_index("code").loc["1.2"]
    assert (a12["status"], a12["note"], a12["recorded_by"]) == ("lopend", "Offerte gevraagd bij twee bureaus.",
                                                                "Programmabureau")
    assert [s.value for s in at.success] == [f"Opgeslagen als importbatch {a12['batch_id']}; terug te draaien in "
                                             "Importgeschiedenis."]


# ---- KPI page: Wat doen we eraan -----------------------------------------------------------------

def test_kpi_page_lists_linked_actions_and_warns_when_a_behind_kpi_has_none_running(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": "ranking"})
    assert not at.exception and not at.error
    assert "Wat doen we eraan" in [s.value for s in at.subheader]
    body = texts(at)
    assert ("Positie in ranking binnensteden staat op ‘achter’ en er loopt geen echte actie voor deze KPI "
            "(illustratieve acties en acties over hun deadline tellen niet mee).") in body
    linked = _html_with(at, "Rol en eigenaar")[-1]
    assert sorted(_codes(linked)) == ["F-01", "F-02"]
    assert all(a.endswith(" illustratief Thema F goed bekend") for a in linked["Actie"]), linked["Actie"].tolist()

    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": "bedrijven"})
    assert not at.exception
    assert "er loopt geen actie" not in texts(at)
    assert sorted(_codes(_html_with(at, "Rol en eigenaar")[-1])) == ["1.1", "1.2", "1.3", "A-01", "A-03", "E-01"]


# ---- meeting mode and what changed ---------------------------------------------------------------

def test_meeting_werkplan_step_shows_late_actions_and_those_finished_since_the_last_meeting(monkeypatch, sqlite_url):
    engine = _seeded(sqlite_url)
    _backdate_actions(engine)
    _finish_1_1(engine)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    at = run_app(monkeypatch, sqlite_url, page="vergadering", query={"stap": "8", "sinds": yesterday.isoformat()})
    assert not at.exception and not at.error
    assert at.title[0].value == "Werkplan"
    body = texts(at)
    assert "Scherm 9 van 9 · werkplan" in body
    late = _frames_with(at, "Deadline")[0]
    assert sorted(_codes(late)) == late_codes(dt.date.today())
    assert (f"**Afgerond sinds {yesterday.day}-{yesterday.month}-{yesterday.year} (1):** 1.1 Een groep ondernemers "
            "vormen die helpt een opdracht op te stellen en te begeleiden (was Gepland)") in body
    assert "· het werkplan bevat illustratieve voorbeeldacties (demo)" in body
    assert all(a.endswith("(illustratief)") for a in late["Actie"])  # the demo actions are labelled
    assert at.button(key="meeting_next").disabled


def test_what_changed_lists_action_status_changes(monkeypatch, sqlite_url):
    engine = _seeded(sqlite_url)
    _backdate_actions(engine)
    _finish_1_1(engine)
    since = dt.date.today() - dt.timedelta(days=1)
    at = run_app(monkeypatch, sqlite_url, page="wijzigingen", query={"sinds": since.isoformat()})
    assert not at.exception and not at.error
    assert "Acties van het werkplan" in [s.value for s in at.subheader]
    table = _html_with(at, "Is nu")[0]
    assert table[["Actie", "Thema", "Was", "Is nu", "Toelichting"]].values.tolist() == [[
        "1.1 Een groep ondernemers vormen die helpt een opdracht op te stellen en te begeleiden",
        "A compact & compleet", "Gepland", "Afgerond", "Groep gevormd."]]


# ---- the briefings -------------------------------------------------------------------------------------

def test_pdf_and_pptx_have_the_werkplan_in_one_table_late_first(sqlite_url):
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is required (Debian poppler-utils)")
    engine = _seeded(sqlite_url)
    report = load_report(engine, Settings(), today=dt.date.today())
    pages = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf_bytes(report, {}), capture_output=True,
                           check=True).stdout.decode().split("\f")
    flat = [re.sub(r"\s+", " ", p) for p in pages if p.strip()]
    start = next(i for i, p in enumerate(flat) if "Werkplan: alle acties, te laat eerst" in p)
    end = next(i for i, p in enumerate(flat) if "Wat mag het kosten?" in p)
    assert end - start <= 1  # one to two pages
    werkplan = " ".join(flat[start:end + 1]).split("Wat mag het kosten?")[0]
    assert "illustratieve voorbeeldacties" in werkplan
    late = late_codes(dt.date.today())
    assert f"{len(late)} te laat" in werkplan
    # Late first: every late action's code comes before the first action that is not late.
    positions = {code: werkplan.index(f" {code} ") for code in report.plan.actions["code"]}
    not_late = [positions[c] for c in positions if c not in late]
    assert all(positions[c] < min(not_late) for c in late)
    for word in ("A-02", "1.1", "Vertraagd", "30-6-2026", "Acquisiteur", "Programmamanager"):
        assert word in werkplan, word

    deck = Presentation(io.BytesIO(pptx_bytes(report, {})))
    slides = [s for s in deck.slides if s.shapes.title.text.startswith("Werkplan: alle acties")]
    assert 1 <= len(slides) <= 3
    rows = [[c.text for c in row.cells] for s in slides for sh in s.shapes if sh.has_table for row in sh.table.rows]
    assert rows[0] == ["Code", "Actie", "Thema", "Status", "Deadline", "Eigenaar", "Voortgang"]
    assert {r[0] for r in rows[1:] if r[0] != "Code"} == set(report.plan.actions["code"])
    table = next(sh for sh in slides[0].shapes if sh.has_table).table
    a02 = next(i for i, r in enumerate(table.rows) if r.cells[0].text == "A-02")
    assert table.cell(a02, 3).text.startswith("⚠ Vertraagd")
    fill = table.cell(a02, 3).fill.fore_color.rgb
    assert f"#{fill}".lower() == wp_tables.STATUS_FILL["Vertraagd"]


# ---- the import page takes an action list ---------------------------------------------------------

def test_import_page_previews_an_action_list_and_saves_it(monkeypatch, sqlite_url):
    engine = _seeded(sqlite_url)
    action_list = ("code;titel;thema;status;deadline;toelichting;bron\n"
                   "1.3;Het einddoel vertalen naar strategieën voor de korte termijn;A;lopend;1-3-2027;Gestart;"
                   "Actielijst 2026\n").encode("utf-8-sig")
    at = run_app(monkeypatch, sqlite_url, page="importeren", editor=True)
    at.file_uploader[0].upload("acties.csv", action_list, "text/csv").run()
    assert not at.exception and not at.error
    assert [i.value for i in at.info] == ["Voorbeeld: 0 nieuw, 1 gewijzigd, 0 ongewijzigd."]
    changed = _frames_with(at, "Status was")[0]
    assert changed[["Code", "Status was", "Status", "Gewijzigd"]].values.tolist() == [
        ["1.3", "Gepland", "Loopt", "deadline, status, toelichting, bron"]]
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception and not at.error
    a13 = wp_store.load_actions(engine, "Assen binnenstad").set_index("code").loc["1.3"]
    assert (a13["status"], a13["note"], a13["source"]) == ("lopend", "Gestart", "Actielijst 2026")
