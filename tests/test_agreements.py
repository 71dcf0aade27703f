"""Agreements as data (issue 21.2): the agreement each target belongs to, the migration of an
existing database into the Binnenstadakkoord 2018, the Binnenstadsvisie 2021 goals (floor area
in m2, +700 homes as an increase since 2021), agreements and their targets from a file with undo,
a closed agreement's final verdicts, and the overview grouped by agreement, newest first."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command

from kpi import importer, repository, schema, seed, units
from kpi.db import _config, ensure_ready, make_engine
from kpi.importer import ImportRefused
from kpi.service import evaluate_all, status_records
from kpi.settings import Settings
from kpi.tables import agreement_groups
from tests.support.apptest import run_app, texts
from tests.support.cli import run_kpi

TODAY = dt.date(2026, 12, 1)
AKKOORD, VISIE = seed.AKKOORD, seed.VISIE
HEADER = ("akkoord,akkoord_datum,partijen,akkoord_bron,afgesloten,indicator,gebied,basiswaarde,basisjaar,"
          "doelwaarde,doeljaar,vergelijking,bron,reden\n")


def records(engine, today: dt.date = TODAY) -> dict[str, dict]:
    return {r["indicator"]: r for r in status_records(evaluate_all(engine, Settings(), today))}


def load(engine, name: str, text: str, today: dt.date = TODAY):
    return importer.prepare(engine, [(name, text.encode("utf-8"))], Settings(), today=today)


def figures(engine, rows: str) -> int:
    preview = load(engine, "cijfers.csv", "gebied,indicator,peildatum,waarde,bron\n" + rows)
    assert not preview.problems, [str(p) for p in preview.problems]
    return importer.apply(engine, preview, "tester")


# ---- seed, migration, units ------------------------------------------------------------------

def test_assen_is_seeded_with_the_akkoord_and_the_visie_newest_first(engine):
    agreements = repository.load_agreements(engine)
    assert agreements["agreement"].tolist() == [VISIE, AKKOORD]
    akkoord = agreements.set_index("agreement").loc[AKKOORD]
    assert akkoord["agreement_date"] == dt.date(2018, 2, 7)
    assert akkoord["parties"] == "gemeente Assen; Vaart in Assen"
    assert pd.isna(akkoord["agreement_end"])  # no end date is published: not closed
    rec = records(engine)
    floor, homes = rec["winkelvloeroppervlak"], rec["woningen"]
    assert (floor["agreement"], floor["agreement_date"]) == (VISIE, "2021-03-03")
    assert (floor["target"], floor["target_year"], floor["comparison"]) == (60000, 2030, "absoluut")
    assert (homes["target"], homes["comparison"]) == (700, "toename")
    # The number of homes in 2021 is not stated: the stand is unknown, never 0.
    stored = repository.load_current_targets(engine).set_index("indicator")
    assert pd.isna(stored.loc["woningen", "baseline_value"])
    assert stored.loc["winkelvloeroppervlak", "baseline_value"] == 100000
    assert {r["agreement"] for c, r in rec.items() if c not in ("winkelvloeroppervlak", "woningen")} == {AKKOORD}


def test_floor_area_is_a_unit_of_its_own():
    m2 = units.unit("m2")
    assert (m2.lowest, m2.whole, m2.suffix) == (0.0, True, " m²")
    from kpi import formatting as fmt

    assert fmt.value(100000, "m2") == "100.000 m²"
    assert fmt.signed(-40000, "m2") == "−40.000 m²"
    assert units.fits(pd.Series([-1.0, 2.5, 60000.0]), pd.Series(["m2"] * 3)).tolist() == [False, False, True]


def test_migration_0010_puts_existing_targets_in_the_akkoord_and_adds_the_visie(db_url):
    eng = make_engine(db_url)
    cfg = _config()
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
    with eng.begin() as conn:
        assert not sa.inspect(conn).has_table("agreements")
        conn.execute(sa.insert(schema.indicators).values(code="banen", name="Aantal banen", unit="aantal",
                                                         direction="hoger"))
        # The areas table as migration 0008 left it (schema.areas has later columns: slug, ...).
        conn.execute(sa.text("INSERT INTO areas (name) VALUES ('Assen binnenstad')"))
        conn.execute(sa.insert(schema.targets).values(
            indicator_code="banen", area_id=1, version=1, baseline_value=3800, baseline_year=2017, target_value=5000,
            valid_from=dt.date(2018, 2, 7), created_at=dt.datetime(2026, 1, 1)))
    ensure_ready(eng)
    history = repository.load_target_history(eng).set_index("indicator")
    assert history.loc["banen", "agreement"] == AKKOORD
    assert history.loc["woningen", "agreement"] == VISIE  # the next start adds the visie's goals
    assert repository.load_agreements(eng)["agreement"].tolist() == [VISIE, AKKOORD]
    ensure_ready(eng)  # a second start adds nothing twice
    assert len(repository.load_target_history(eng)) == 3
    eng.dispose()


# ---- agreements and their targets from a file, with undo -------------------------------------

def test_an_agreement_and_its_targets_come_from_a_file_and_undo_takes_them_back(engine):
    text = HEADER + ("Binnenstadsdeal 2026,1-6-2026,gemeente Assen; Vaart in Assen,Raadsbesluit 2026,,"
                     "banen,Assen binnenstad,4200,2025,4600,2029,absoluut,Raadsbesluit 2026,nieuw akkoord\n")
    preview = load(engine, "deal.csv", text)
    assert not preview.problems
    assert preview.agreements == ["Nieuw akkoord: Binnenstadsdeal 2026 (1-6-2026 · gemeente Assen; Vaart in Assen · "
                                  "niet afgesloten)"]
    batch = importer.apply(engine, preview, "tester")
    rec = records(engine)
    assert (rec["banen"]["agreement"], rec["banen"]["agreement_date"]) == ("Binnenstadsdeal 2026", "2026-06-01")
    assert repository.load_agreements(engine)["agreement"].tolist()[0] == "Binnenstadsdeal 2026"
    importer.undo(engine, batch, "tester")
    assert records(engine)["banen"]["agreement"] == AKKOORD
    assert "Binnenstadsdeal 2026" not in repository.load_agreements(engine)["agreement"].tolist()


def test_closing_an_agreement_by_file_is_undone_to_the_open_version(engine):
    text = HEADER + (f"{AKKOORD},,,,31-12-2021,ranking,Assen binnenstad,53,2017,25,2021,absoluut,"
                     "\"Binnenstadakkoord Assen, 7 februari 2018, art. 4\",akkoord afgesloten\n")
    before = repository.load_target_history(engine)
    preview = load(engine, "afsluiten.csv", text)
    # the preview says what happens to the agreement
    assert preview.agreements == [f"Akkoord gewijzigd: {AKKOORD} (7-2-2018 · gemeente Assen; Vaart in Assen · "
                                  "afgesloten op 31-12-2021)"]
    assert preview.summary() == "0 nieuw, 1 gewijzigd, 0 ongewijzigd; 1 akkoord nieuw of gewijzigd"  # bron differs
    batch = importer.apply(engine, preview, "tester")
    agreements = repository.load_agreements(engine).set_index("agreement")
    assert agreements.loc[AKKOORD, "agreement_end"] == dt.date(2021, 12, 31)
    assert agreements.loc[AKKOORD, "parties"] == "gemeente Assen; Vaart in Assen"  # an empty cell keeps it
    importer.undo(engine, batch, "tester")
    agreements = repository.load_agreements(engine).set_index("agreement")
    assert pd.isna(agreements.loc[AKKOORD, "agreement_end"])
    after = repository.load_current_targets(engine).set_index("indicator")
    assert after.loc["ranking", "agreement"] == AKKOORD
    assert len(repository.load_agreements(engine)) == 2 and len(before) <= len(repository.load_target_history(engine))


@pytest.mark.parametrize("row, column, message", [
    ("Nieuw akkoord,,,,,banen,Assen binnenstad,4200,2025,4600,2029,absoluut,Bron,reden",
     "akkoord", "Akkoord 'Nieuw akkoord' is nieuw: vul ook akkoord_datum en partijen in"),
    ("Nieuw akkoord,32-1-2026,gemeente,,,banen,Assen binnenstad,4200,2025,4600,2029,absoluut,Bron,reden",
     "akkoord_datum", "'32-1-2026' is geen geldige datum"),
    ("Nieuw akkoord,1-6-2026,gemeente,,1-1-2026,banen,Assen binnenstad,4200,2025,4600,2029,absoluut,Bron,reden",
     "afgesloten", "Het akkoord is afgesloten op 1-1-2026, vóór zijn datum 1-6-2026."),
    ("Nieuw akkoord,1-6-2026,gemeente,,,woningen,Assen binnenstad,,,700,2030,toename,Bron,reden",
     "basisjaar", "Een doel als toename heeft een basisjaar nodig"),
    ("Nieuw akkoord,1-6-2026,gemeente,,,woningen,Assen binnenstad,,2021,700,2030,erbij,Bron,reden",
     "vergelijking", "gebruik 'absoluut', 'onder_landelijk' of 'toename'"),
])
def test_a_bad_agreement_row_is_refused_with_file_row_and_column_and_stores_nothing(engine, row, column, message):
    before = (repository.load_target_history(engine), repository.load_agreements(engine))
    preview = load(engine, "akkoord.csv", HEADER + row + "\n")
    found = [p for p in preview.problems if p.column == column]
    assert found, [str(p) for p in preview.problems]
    assert message in found[0].message and found[0].file == "akkoord.csv" and found[0].row == 2
    with pytest.raises(ImportRefused):
        importer.apply(engine, preview, "tester")
    assert len(repository.load_target_history(engine)) == len(before[0])
    assert repository.load_agreements(engine).equals(before[1])


def test_two_rows_of_one_agreement_must_agree_on_its_date(engine):
    text = HEADER + (
        "Deal,1-6-2026,gemeente,,,banen,Assen binnenstad,4200,2025,4600,2029,absoluut,Bron,reden\n"
        "Deal,2-6-2026,gemeente,,,bedrijven,Assen binnenstad,450,2025,500,2029,absoluut,Bron,reden\n")
    problems = load(engine, "deal.csv", text).problems
    assert [(p.row, p.column) for p in problems] == [(3, "akkoord_datum")]
    assert "verschilt van '1-6-2026' in rij 2" in problems[0].message


# ---- a goal as an increase since its baseline year -------------------------------------------

def test_homes_goal_counts_the_increase_from_the_stand_in_2021(engine):
    assert records(engine)["woningen"]["status_reason"] == "Er is nog geen meting vanaf het basisjaar 2021."
    figures(engine, "Assen binnenstad,woningen,2022,5100,CBS\nAssen binnenstad,woningen,2024,5450,CBS\n")
    still = records(engine)["woningen"]  # no stand of 2021: still no verdict, and it says why
    assert still["status"] == "geen recente data" and "de toename is niet te berekenen" in still["status_reason"]
    figures(engine, "Assen binnenstad,woningen,2021,5000,CBS\n")
    rec = records(engine)["woningen"]
    assert rec["status"] == "op koers", rec["status_reason"]
    assert rec["status_reason"].startswith("De nieuwste meting, 5.450 (2024; +450 sinds 2021), haalt het doel "
                                           "(+700 sinds 2021: 5.700) niet.")
    assert rec["progress_pct"] == pytest.approx(450 / 700 * 100, abs=0.01)
    figures(engine, "Assen binnenstad,woningen,2025,5710,CBS\n")
    rec = records(engine)["woningen"]
    assert rec["status"] == "gehaald" and "+710 sinds 2021" in rec["status_reason"]


# ---- a closed agreement keeps its final verdicts --------------------------------------------

def test_a_closed_agreement_is_judged_on_its_end_date_and_stays_on_the_overview(engine):
    # A real figure after the end date must not change the closed agreement's verdict.
    figures(engine, "Assen binnenstad,ranking,2021,24,Ranking 2021\n")
    open_verdict = records(engine)["ranking"]
    assert open_verdict["status"] == "gehaald"
    close = HEADER + (f"{AKKOORD},,,,31-12-2021,ranking,Assen binnenstad,53,2017,25,2021,absoluut,"
                      "\"Binnenstadakkoord Assen, 7 februari 2018, art. 4\",akkoord afgesloten\n")
    importer.apply(engine, load(engine, "afsluiten.csv", close), "tester")
    figures(engine, "Assen binnenstad,ranking,2026,60,Ranking 2026\n")
    final = records(engine)["ranking"]
    assert final["status"] == "gehaald" and final["date"] == "2021", final["status_reason"]
    assert final["agreement_end"] == "2021-12-31"
    groups = agreement_groups(evaluate_all(engine, Settings(), TODAY))
    assert [g.heading for g in groups] == [VISIE, AKKOORD]
    assert groups[1].closed and "afgesloten op 31-12-2021: eindoordeel op die datum" in groups[1].about
    assert [r.indicator.code for r in groups[1].results] == ["banen", "bedrijven", "leegstand", "waardering",
                                                              "ranking"]


def test_groups_without_an_agreement_come_last():
    from kpi.metrics import Indicator, Target, evaluate

    ind = Indicator("banen", "Aantal banen", "aantal", "hoger")
    empty = pd.DataFrame(columns=["area", "indicator", "peildatum", "precision", "value", "illustrative"])
    empty["peildatum"] = pd.to_datetime(empty["peildatum"])
    results = [
        evaluate(ind, Target("banen", "A", target_value=1, agreement=a, agreement_date=d), empty, TODAY)
        for a, d in (("", None), ("Oud", dt.date(2010, 1, 1)), ("Nieuw", dt.date(2024, 1, 1)))
    ]
    assert [g.heading for g in agreement_groups(results)] == ["Nieuw", "Oud", "Zonder akkoord"]


# ---- contract: status --json -----------------------------------------------------------------

def test_cli_status_json_names_agreement_and_its_date(engine, db_url):
    out = run_kpi(db_url, "status", "--json")
    assert out.returncode == 0, out.stderr
    got = {r["indicator"]: (r["agreement"], r["agreement_date"]) for r in json.loads(out.stdout)}
    assert got["banen"] == (AKKOORD, "2018-02-07") and got["woningen"] == (VISIE, "2021-03-03")


# ---- the overview, grouped by agreement ------------------------------------------------------

def test_overview_groups_kpis_by_agreement_newest_first(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url)
    assert not at.exception and not at.error
    headings = [h.value for h in at.main.subheader]
    assert headings[:2] == [VISIE, AKKOORD]
    body = texts(at)
    assert body.index(f"**{VISIE}**") < body.index(f"**{AKKOORD}**")
    assert "3-3-2021 · gemeente Assen (opgesteld door DTNP)" in body
    assert "7-2-2018 · gemeente Assen; Vaart in Assen" in body
    # the visie's KPIs come first (their cards too), the akkoord's five after them
    assert body.index("Woningen in de binnenstad") < body.index("Aantal banen")
    assert [m.value for m in at.metric] == ["–", "–", "4.210", "458", "13,8%", "7,3", "plaats 33"]
