"""The werkplan per centre (issue 21.3) and issue 21's done-when: two centres with different
agreements, themes, roles, actions and editors work side by side, on SQLite and PostgreSQL.

Assen keeps themes A-F, its roles and werkplan; Testdorp centrum (fictional) brings its own by file
(import kinds themas and rollen, then an action list), with its own agreement and targets. Each
editor (KPI_EDITOR_AREAS) changes only their own centre: through the importer, the CLI and the
Werkplan page; events and briefings too. Each centre's pages and report show only its own werkplan.
Also: migration 0013 with data in both directions, undo of themes and roles, and the demo's
fictional centre with the Platform's themes."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command

from kpi import events, importer, reports, repository, schema, werkplan
from kpi.access import Access, Editor, parse_editor_areas
from kpi.briefing.record import BriefingRefused, make_briefing
from kpi.db import _config, make_engine, migrate
from kpi.importer import forms
from kpi.settings import Settings
from kpi.werkplan import store as wp_store
from tests.support.apptest import open_page, run_app, texts
from tests.support.cli import run_kpi
from tests.support.importdata import csv

A, T = "Assen binnenstad", "Testdorp centrum"  # Testdorp: a fictional centre, no real place
TODAY = dt.date(2026, 11, 22)
MAPPING = f"anna@assen.nl={A}; bert@testdorp.nl={T}"
AREAS = parse_editor_areas(MAPPING)
ANNA = Access(Editor.of("anna@assen.nl", ["anna@assen.nl"]), AREAS, A)
BERT = Access(Editor.of("bert@testdorp.nl", ["bert@testdorp.nl"]), AREAS, A)
PLATFORM = ["ruimtelijke economie", "mobiliteit", "openbare ruimte", "promotie", "digitalisering", "samenwerking"]
THEMES_CSV = "gebied;letter;naam;bron\n" + "".join(
    f"{T};{letter};{name};Projectthema's Platform Binnenstadsmanagement\n"
    for letter, name in zip("RMOPDS", PLATFORM, strict=True))
ROLES_CSV = (f"gebied;rol;organisatie;soort;thema's;bron\n"
             f"{T};Centrummanager;Stichting Centrum Testdorp;rol;R, M, O;Werkplan Testdorp 2026\n"
             f"{T};Ondernemersoverleg;Ondernemers Testdorp;orgaan;S;Werkplan Testdorp 2026\n")
ACTIONS_CSV = ("code;titel;thema;rol;status;deadline;budget;fonds;kpis;bron\n"
               "1.1;Pop-upwinkels in de Hoofdstraat;R;Centrummanager;lopend;31-12-2027;15.000;Centrumfonds Testdorp;"
               "leegstand;Werkplan Testdorp 2026\n"
               "1.2;Fietsenstalling bij de markt;mobiliteit;Centrummanager;gepland;30-6-2027;8.000;Gemeente;;"
               "Werkplan Testdorp 2026\n")
TARGETS_CSV = ("akkoord;akkoord_datum;partijen;akkoord_bron;indicator;gebied;basiswaarde;basisjaar;doelwaarde;"
               "doeljaar;vergelijking;bron;reden\n"
               f"Centrumakkoord Testdorp 2025;1-3-2025;gemeente Testdorp;Raadsbesluit Testdorp;leegstand;{T};9;2024;"
               "6;2030;absoluut;Centrumakkoord Testdorp 2025;nieuw akkoord\n")


def _apply(engine, name: str, text: str, who: Access, area: str = A) -> int | None:
    preview = importer.prepare(engine, [(name, csv(text))], Settings(area=area), today=TODAY)
    assert preview.ok, [str(p) for p in preview.problems]
    return importer.apply(engine, preview, who.editor.name, access=who)


def _testdorp(engine) -> None:
    """The second centre with its own agreement and target, themes, roles and actions, by Bert."""
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.areas), repository.area_rows(conn, [T]))
    assert _apply(engine, "doelen.csv", TARGETS_CSV, BERT) is not None
    assert _apply(engine, "themas.csv", THEMES_CSV, BERT) is not None
    assert _apply(engine, "rollen.csv", ROLES_CSV, BERT) is not None
    # The action list has no gebied column: it is the centre chosen (as on the page, or --gebied).
    assert _apply(engine, "acties.csv", ACTIONS_CSV, BERT, area=T) is not None


def _batches(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(schema.import_batches)).scalar()


# ---- two centres side by side, through the API, on both databases --------------------------------

def test_two_centres_have_their_own_agreement_themes_roles_and_werkplan(engine):
    assen_before = werkplan.load_werkplan(engine, A)
    _testdorp(engine)
    assen, testdorp = werkplan.load_werkplan(engine, A), werkplan.load_werkplan(engine, T)
    assert list(testdorp.themes["name"]) == sorted(PLATFORM, key=lambda n: "RMOPDS"[PLATFORM.index(n)])
    assert sorted(testdorp.themes["letter"]) == sorted("RMOPDS")
    assert list(testdorp.roles["name"]) == ["Centrummanager", "Ondernemersoverleg"]
    assert sorted(testdorp.matrix.itertuples(index=False, name=None)) == [
        ("Centrummanager", "M", "Werkplan Testdorp 2026"), ("Centrummanager", "O", "Werkplan Testdorp 2026"),
        ("Centrummanager", "R", "Werkplan Testdorp 2026"), ("Ondernemersoverleg", "S", "Werkplan Testdorp 2026")]
    acts = testdorp.actions.set_index("code")
    assert list(acts.index) == ["1.2", "1.1"]  # by theme letter: M before R
    assert acts.loc["1.2", "theme"] == "M" and acts.loc["1.1", "fund"] == "Centrumfonds Testdorp"
    assert set(acts["area"]) == {T}
    # Assen is as it was: A-F, its roles and actions (its own 1.1 too: codes are per centre).
    assert list(assen.themes["letter"]) == list("ABCDEF")
    pd.testing.assert_frame_equal(assen.actions, assen_before.actions)
    assert "1.1" in set(assen.actions["code"]) and "Centrummanager" not in set(assen.roles["name"])
    # Each centre's agreement and target.
    history = repository.load_target_history(engine)
    assert set(history.loc[history["area"] == T, "indicator"]) == {"leegstand"}
    agreements = repository.load_agreements(engine)
    assert "Centrumakkoord Testdorp 2025" in set(agreements["agreement"])


def test_each_editor_changes_only_their_own_centre(engine):
    _testdorp(engine)
    before = _batches(engine)
    # Anna may not add themes, roles or actions to Testdorp, Bert not to Assen.
    refusals = [
        ("themas.csv", f"gebied;letter;naam;bron\n{T};X;extra;bron\n", ANNA, A),
        ("rollen.csv", f"gebied;rol;soort;bron\n{T};Extra;rol;bron\n", ANNA, A),
        ("acties.csv", "code;titel;thema;status;bron\n2.1;Iets;R;gepland;bron\n", ANNA, T),
        ("themas.csv", f"gebied;letter;naam;bron\n{A};G;extra;bron\n", BERT, A),
        ("acties.csv", "code;titel;thema;status;bron\n9.9;Iets;A;gepland;bron\n", BERT, A),
    ]
    for name, text, who, area in refusals:
        preview = importer.prepare(engine, [(name, csv(text))], Settings(area=area), today=TODAY)
        assert preview.ok, [str(p) for p in preview.problems]
        with pytest.raises(importer.ImportRefused) as refused:
            importer.apply(engine, preview, who.editor.name, access=who)
        other = T if who is ANNA else A
        assert str(refused.value).startswith(f"U bent als {who.editor.name} redacteur voor ")
        assert f"niet voor {other}: {name} rij 2 gaat over {other}. Er is niets opgeslagen." in str(refused.value)
    assert _batches(engine) == before
    # The Werkplan page's status form goes through the same check.
    assen_action = wp_store.load_actions(engine, A).set_index("code").loc["1.1"].to_dict() | {"code": "1.1"}
    with pytest.raises(importer.ImportRefused, match=f"niet voor {A}: formulier Werkplan gaat over {A}"):
        forms.update_action(engine, assen_action, status="lopend", note="", user="bert", today=TODAY, access=BERT)
    own = wp_store.load_actions(engine, T).set_index("code").loc["1.2"].to_dict() | {"code": "1.2"}
    assert forms.update_action(engine, own, status="lopend", note="Gestart", user="bert", today=TODAY,
                               access=BERT) is not None
    assert wp_store.load_actions(engine, T).set_index("code").loc["1.2", "status"] == "lopend"
    assert wp_store.load_actions(engine, A).set_index("code").loc["1.1", "status"] == assen_action["status"]
    # Undo of the other centre's batch is refused; the own centre's editor may.
    batch = int(repository.load_batches(engine).query("kind == 'acties'")["id"].max())
    with pytest.raises(importer.ImportRefused, match=f"importbatch {batch} gaat over {T}"):
        importer.undo(engine, batch, "anna", access=ANNA)
    importer.undo(engine, batch, "bert", access=BERT)
    # Events and briefings: the centre's editor only, with a Dutch message for the other.
    with pytest.raises(events.EventError, match=f"niet voor {A}: Deze gebeurtenis gaat over {A}"):
        events.add_event(engine, TODAY, "Braderie", area=A, user="bert", access=BERT)
    own_event = events.add_event(engine, TODAY, "Braderie", area=T, user="bert", access=BERT)
    with pytest.raises(events.EventError, match=f"Gebeurtenis {own_event} gaat over {T}"):
        events.delete_event(engine, own_event, user="anna", access=ANNA)
    assert list(events.list_events(engine, area=T)["text"]) == ["Braderie"]
    assert "Braderie" not in set(events.list_events(engine, area=A)["text"])
    with pytest.raises(BriefingRefused, match=f"niet voor {T}: Deze briefing gaat over {T}"):
        make_briefing(engine, Settings(area=T), "2026-K4", "anna", access=ANNA)
    assert make_briefing(engine, Settings(area=T), "2026-K4", "bert", access=BERT) > 0


def test_each_centres_report_has_only_its_own_werkplan(engine):
    _testdorp(engine)
    sheets = {area: pd.read_excel(io.BytesIO(reports.build(engine, Settings(area=area), "xlsx", today=TODAY)),
                                  sheet_name=None) for area in (A, T)}
    testdorp, assen = sheets[T]["Werkplan"], sheets[A]["Werkplan"]
    assert sorted(testdorp["Code"].astype(str)) == ["1.1", "1.2"]
    assert "Pop-upwinkels in de Hoofdstraat" in set(testdorp["Actie"])
    assert "Pop-upwinkels in de Hoofdstraat" not in set(assen["Actie"])
    assert len(assen) == len(werkplan.load_werkplan(engine, A).actions)
    # The money section counts the centre's own funds, by the name it uses.
    from kpi.reports.content import cost_tables
    from kpi.reports.model import load_report

    money = dict(cost_tables(load_report(engine, Settings(area=T), TODAY)))
    assert list(money["Per fonds"]["Fonds"]) == ["Centrumfonds Testdorp", "Gemeente", "Totaal"]
    assert list(money["Per thema"]["Thema"]) == ["M mobiliteit", "R ruimtelijke economie", "Totaal"]
    assen_funds = set(dict(cost_tables(load_report(engine, Settings(area=A), TODAY)))["Per fonds"]["Fonds"])
    assert "Centrumfonds Testdorp" not in assen_funds


# ---- the CLI, on both databases ------------------------------------------------------------------

def test_cli_imports_a_centres_werkplan_for_its_editor_only(engine, db_url, tmp_path):
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.areas), repository.area_rows(conn, [T]))
    env = {"KPI_EDITOR_AREAS": MAPPING}
    themes, roles, acts = tmp_path / "themas.csv", tmp_path / "rollen.csv", tmp_path / "acties.csv"
    themes.write_bytes(csv(THEMES_CSV.replace(f"{T};", "").replace("gebied;", "")))  # the centre from --gebied
    roles.write_bytes(csv(ROLES_CSV))
    acts.write_bytes(csv(ACTIONS_CSV))
    refused = run_kpi(db_url, "import", str(themes), "--gebied", "testdorp-centrum", "--gebruiker", "anna@assen.nl",
                      env=env)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert (f"Fout: U bent als anna@assen.nl redacteur voor {A}, niet voor {T}: themas.csv rij 2 gaat over {T}"
            in refused.stderr)
    for path in (themes, roles, acts):
        done = run_kpi(db_url, "import", str(path), "--gebied", "testdorp-centrum", "--gebruiker", "bert@testdorp.nl",
                       env=env)
        assert done.returncode == 0, done.stderr
    listed = json.loads(run_kpi(db_url, "acties", "--json", "--gebied", "testdorp-centrum").stdout)
    assert [(a["code"], a["theme"]) for a in listed] == [("1.2", "M"), ("1.1", "R")]
    assen = json.loads(run_kpi(db_url, "acties", "--json").stdout)
    assert "Pop-upwinkels in de Hoofdstraat" not in {a["title"] for a in assen} and len(assen) == 16
    unknown = run_kpi(db_url, "acties", "--gebied", "testdorp-centrum", "--thema", "A")
    assert unknown.returncode == 1 and "R ruimtelijke economie" in unknown.stderr


# ---- the import kinds: messages, undo ------------------------------------------------------------

def test_themes_and_roles_files_say_what_is_wrong_in_dutch(engine):
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.areas), repository.area_rows(conn, [T]))
    bad_themes = (f"gebied;letter;naam;bron\n{T};RR;ruimte;b\n{T};M;;b\nAtlantis;M;x;b\n{T};P;promotie;b\n"
                  f"{T};P;promotie;b\n")
    preview = importer.prepare(engine, [("themas.csv", csv(bad_themes))], Settings(), today=TODAY)
    assert preview.kind == importer.THEMES
    assert [str(p) for p in preview.problems] == [
        "themas.csv, rij 2, kolom 'letter': 'RR' is geen themaletter; gebruik één letter (A-Z).",
        "themas.csv, rij 3, kolom 'naam': De naam van het thema is leeg.",
        f"themas.csv, rij 4, kolom 'gebied': Onbekend gebied 'Atlantis'. Bekende gebieden: {A}, Nederland, {T}.",
        "themas.csv, rij 6, kolom 'letter': Thema P komt dubbel voor; staat ook in rij 5.",
        "themas.csv, rij 6, kolom 'naam': Het thema 'promotie' komt dubbel voor; staat ook in rij 5.",
    ]
    changed = importer.prepare(engine, [("themas.csv", csv("letter;naam;bron\nA;iets anders;b\n"))], Settings(),
                               today=TODAY)
    assert [p.message for p in changed.problems] == [
        f"Thema A van {A} bestaat al als 'compact & compleet'; een bestaand thema wijzigen kan niet met een import "
        "(alleen toevoegen). Er is niets opgeslagen."]
    roles = importer.prepare(engine, [("rollen.csv", csv("rol;soort;thema's;bron\nKassier;baas;A, Q;b\n"))],
                             Settings(area=T), today=TODAY)
    assert [str(p) for p in roles.problems] == [
        "rollen.csv, rij 2, kolom 'soort': Onbekende soort 'baas'. Gebruik: rol of orgaan.",
        f"rollen.csv, rij 2, kolom 'thema's': Onbekend thema 'A, Q' voor {T}. Thema's van dit centrum: nog geen "
        "(importeer eerst de thema's van dit centrum).",
    ]
    acts = importer.prepare(engine, [("acties.csv", csv("code;titel;thema;status;bron\n1;x;A;gepland;b\n"))],
                            Settings(area=T), today=TODAY)
    assert [p.message for p in acts.problems] == [
        "Onbekend thema 'A'. Gebruik de letter (geen) of de naam: nog geen thema's (importeer eerst de thema's)."]


def test_undo_of_themes_and_roles_deletes_what_the_batch_added_in_order(engine):
    _testdorp(engine)
    batches = repository.load_batches(engine).groupby("kind")["id"].max()
    themes_batch, roles_batch, actions_batch = (int(batches[k]) for k in ("themas", "rollen", "acties"))
    with pytest.raises(importer.ImportRefused, match=f"importbatch {roles_batch}, importbatch {actions_batch}"):
        importer.undo(engine, themes_batch, "bert", access=BERT)
    with pytest.raises(importer.ImportRefused, match=f"uit importbatch {actions_batch} gebruiken"):
        importer.undo(engine, roles_batch, "bert", access=BERT)
    assert len(werkplan.load_werkplan(engine, T).roles) == 2
    # Actions that were undone still hold the history, so their themes stay: refused with the reason.
    importer.undo(engine, actions_batch, "bert", access=BERT)
    with pytest.raises(importer.ImportRefused, match="geschiedenis van acties"):
        importer.undo(engine, roles_batch, "bert", access=BERT)
    # A themes batch nothing uses goes.
    extra = _apply(engine, "themas2.csv", f"gebied;letter;naam;bron\n{T};Z;zomer;b\n", BERT)
    assert "Z" in set(werkplan.load_werkplan(engine, T).themes["letter"])
    importer.undo(engine, extra, "bert", access=BERT)
    assert "Z" not in set(werkplan.load_werkplan(engine, T).themes["letter"])


# ---- migration 0013, with data, both ways, on both databases -------------------------------------

def test_migration_0013_moves_the_werkplan_to_the_default_centre_and_back(engine, db_url):
    def state(eng):
        with eng.connect() as conn:
            return {t: sorted(tuple(str(v) for k, v in r._mapping.items() if k not in ("area_id", "batch_id"))
                              for r in conn.execute(sa.text(f"SELECT * FROM {t}")))
                    for t in ("themes", "roles", "role_themes", "actions", "action_kpis")}

    before = state(engine)
    assert len(before["action_kpis"]) > 0
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0012")
    columns = {c["name"] for c in sa.inspect(engine).get_columns("actions")}
    assert "area_id" not in columns
    assert state(engine) == before  # nothing lost on the way down
    migrate(engine)
    assert state(engine) == before  # nor on the way up
    with engine.connect() as conn:
        assen = conn.execute(sa.select(schema.areas.c.id).where(schema.areas.c.name == A)).scalar()
        for table in (schema.themes, schema.roles, schema.role_themes, schema.actions):
            assert set(conn.execute(sa.select(table.c.area_id).distinct()).scalars()) == {assen}, table.name
    # Another centre may now have a theme A and an action 1.1 of its own.
    _testdorp(engine)
    _apply(engine, "themas.csv", f"gebied;letter;naam;bron\n{T};A;ander A;b\n", BERT)
    assert "ander A" in set(werkplan.load_werkplan(engine, T).themes["name"])
    with engine.begin() as conn:  # and going down then would lose a werkplan: refused
        cfg.attributes["connection"] = conn
        with pytest.raises(RuntimeError, match="eigen werkplan"):
            command.downgrade(cfg, "0012")
    eng = make_engine(db_url)
    try:
        assert werkplan.load_werkplan(eng, T).actions["code"].tolist() == ["1.2", "1.1"]
    finally:
        eng.dispose()


# ---- the demo: one fictional centre with the Platform's themes -----------------------------------

def test_demo_gives_a_fictional_centre_the_platforms_themes_and_remove_takes_them(db_url, engine):
    installed = wp_store.installed_at(engine, A)
    assert run_kpi(db_url, "demo").returncode == 0
    # The fictional centre's start actions are no news for Assen ("Wat is er veranderd" counts from here).
    assert wp_store.installed_at(engine, A) == installed < wp_store.installed_at(engine, "Brugdorp centrum")
    brugdorp = werkplan.load_werkplan(engine, "Brugdorp centrum")
    assert set(brugdorp.themes["name"]) == set(PLATFORM)
    assert len(brugdorp.actions) == 4 and brugdorp.actions["illustrative"].all()
    assert set(brugdorp.actions["source"]) == {"Illustratieve demoactie"}
    assert run_kpi(db_url, "demo").returncode == 0  # again: nothing twice
    assert len(werkplan.load_werkplan(engine, "Brugdorp centrum").themes) == 6
    removed = run_kpi(db_url, "demo", "--remove")
    assert removed.returncode == 0 and "17 illustratieve acties verwijderd" in removed.stdout
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.themes)).scalar() == 6  # Assen's A-F
        assert not conn.execute(sa.select(schema.areas.c.id).where(schema.areas.c.name == "Brugdorp centrum")).first()
    assert len(werkplan.load_werkplan(engine, A).actions) == 3  # Assen's own three actions stay


# ---- pages (AppTest): the chosen centre's werkplan, and its editor only --------------------------

def _shown(at) -> str:
    """What a page shows: its texts, subheaders and its own HTML tables."""
    return "\n".join([texts(at), *(s.value for s in at.subheader), *(h.proto.body for h in at.get("html"))])


def test_werkplan_page_shows_the_chosen_centres_werkplan_and_refuses_the_other_editor(monkeypatch, sqlite_url):
    eng = make_engine(sqlite_url)
    from kpi.db import ensure_ready

    ensure_ready(eng)
    _testdorp(eng)
    eng.dispose()
    monkeypatch.setenv("KPI_EDITOR_AREAS", f"wachtwoord={T}")
    at = run_app(monkeypatch, sqlite_url, page="werkplan", query={"gebied": "testdorp-centrum"}, editor=True)
    assert not at.exception
    shown = _shown(at)
    assert "R ruimtelijke economie" in shown and "Pop-upwinkels in de Hoofdstraat" in shown
    assert "compact &amp; compleet" not in shown and "compact & compleet" not in shown
    options = at.multiselect(key="wp_theme").options
    assert options in (sorted("RMOPDS"), sorted(f"{x} {n}" for x, n in zip("RMOPDS", PLATFORM, strict=True))), options
    at.segmented_control(key="wp_view").set_value("dekking").run()  # Dekking: the centre's theme columns
    assert not at.exception and "R ruimtelijke economie" in _shown(at) and "compact" not in _shown(at)
    at.segmented_control(key="wp_view").set_value("rollen").run()
    assert not at.exception and "Centrummanager" in _shown(at) and "Regisseur" not in _shown(at)
    at.segmented_control(key="wp_view").set_value("acties").run()
    at.selectbox(key="wp_edit_code").set_value("1.2").run()
    at.selectbox(key="wp_edit_status").set_value("lopend")
    at.text_input(key="wp_edit_user").set_value("Bert")
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception and not at.error
    # The same editor on Assen's werkplan: the status form is refused in Dutch.
    at = run_app(monkeypatch, sqlite_url, page="werkplan", editor=True)
    shown = _shown(at)
    assert "compact &amp; compleet" in shown or "compact & compleet" in shown and "Pop-upwinkels in de Hoofdstraat" not in shown
    at.selectbox(key="wp_edit_code").set_value("1.2").run()
    at.selectbox(key="wp_edit_status").set_value("lopend")
    at.text_input(key="wp_edit_user").set_value("Bert")
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [f"U bent als redacteur met wachtwoord redacteur voor {T}, niet voor {A}: formulier "
                                           f"Werkplan gaat over {A}. Er is niets opgeslagen."]
    eng = make_engine(sqlite_url)
    try:
        assert wp_store.load_actions(eng, T).set_index("code").loc["1.2", "status"] == "lopend"
        assert wp_store.load_actions(eng, A).set_index("code").loc["1.2", "status"] == "gepland"
    finally:
        eng.dispose()
    # A centre without a werkplan of its own says how to get one.
    monkeypatch.delenv("KPI_EDITOR_AREAS")
    assert run_kpi(sqlite_url, "demo").returncode == 0
    at = run_app(monkeypatch, sqlite_url, page="werkplan", query={"gebied": "voorbeeldstad-centrum"})
    assert not at.exception
    assert any("nog geen werkplan ingelezen" in i.value for i in at.info)
    open_page(at, "overzicht").run()
    assert not at.exception
