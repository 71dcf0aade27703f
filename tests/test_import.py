"""The import engine through its API, on SQLite and PostgreSQL: every good format round-trips
to the exact stored values; preview, versioning, undo, idempotence, real-replaces-illustrative
and revised targets."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi import importer, repository, schema
from kpi.service import evaluate_all, status_records
from kpi.settings import Settings
from tests.support.importdata import SETTINGS, counts, csv, xlsx

TODAY = dt.date(2026, 11, 22)
A, NL = "Assen binnenstad", "Nederland"
COMPARED = ["area", "indicator", "peildatum", "precision", "value", "source", "note", "illustrative"]


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# (id, files, default_source, expected stored rows: area, indicator, peildatum, precision, value, source, note)
GOOD = [
    ("tidy_csv_komma_punt", [("lisa.csv", csv(
        "gebied,indicator,peildatum,waarde,bron,toelichting\n"
        f'{A},banen,2025-04-01,4300,"LISA, peildatum 1 april",\n'
        f"{A},leegstand,2025-01-01,14.2,Locatus,verkooppunten\n"
        f'{NL},leegstand,2025-01-01,7.1,Locatus,"landelijk, alle winkelgebieden"'))], None, [
        (A, "banen", "2025-04-01", "dag", 4300.0, "LISA, peildatum 1 april", ""),
        (A, "leegstand", "2025-01-01", "dag", 14.2, "Locatus", "verkooppunten"),
        (NL, "leegstand", "2025-01-01", "dag", 7.1, "Locatus", "landelijk, alle winkelgebieden"),
    ]),
    ("puntkomma_decimale_komma_duizendtallen_procent", [("excel-nl.csv", csv(
        "Gebied;Indicator;Jaar;Waarde;Bron\n"
        f"{A};banen;2024;4.180;LISA 2024\n"
        f"{A};leegstand;2024;14,6%;Locatus 2024\n"
        f"{A};waardering;2024;7,4;Bezoekersonderzoek 2024\n"
        f"{A};bedrijven;2024;1.455;LISA 2024"))], None, [
        (A, "banen", "2024-01-01", "jaar", 4180.0, "LISA 2024", ""),
        (A, "leegstand", "2024-01-01", "jaar", 14.6, "Locatus 2024", ""),
        (A, "waardering", "2024-01-01", "jaar", 7.4, "Bezoekersonderzoek 2024", ""),
        (A, "bedrijven", "2024-01-01", "jaar", 1455.0, "LISA 2024", ""),
    ]),
    ("utf8_met_bom", [("bom.csv", b"\xef\xbb\xbf" + csv(
        "gebied;indicator;jaar;waarde;bron;toelichting\n"
        f"{A};ranking;2024;31;Ranglijst binnensteden 2024;plaats na herijking, zie notitie café-overleg"))], None, [
        (A, "ranking", "2024-01-01", "jaar", 31.0, "Ranglijst binnensteden 2024",
         "plaats na herijking, zie notitie café-overleg"),
    ]),
    ("windows_1252_met_e_accent", [("ansi.csv", csv(
        "gebied;indicator;peildatum;waarde;bron\n"
        f"{A};leegstand;1-1-2025;14,1;Locatus, via Binnenstadmanagement Café\n"
        f"{NL};leegstand;1-1-2025;7,0;Locatus, via Binnenstadmanagement Café", encoding="cp1252"))], None, [
        (A, "leegstand", "2025-01-01", "dag", 14.1, "Locatus, via Binnenstadmanagement Café", ""),
        (NL, "leegstand", "2025-01-01", "dag", 7.0, "Locatus, via Binnenstadmanagement Café", ""),
    ]),
    ("xlsx_tidy", [("cijfers.xlsx", xlsx([
        ["Gebied", "Indicator", "Peildatum", "Waarde", "Bron", "Toelichting"],
        [A, "leegstand", dt.datetime(2024, 1, 1), 0.146, "Locatus", "verkooppunten"],
        [A, "banen", 2024, 4180, "LISA", None],
        [A, "waardering", 2024, "7,4", "Bezoekersonderzoek", None],
        [A, "leegstand_vvo", 2024, 12.5, "Locatus", "percent sign as text only"],
    ], formats={"D2": "0.0%", "D5": '0.0"%"'}))], None, [
        (A, "leegstand", "2024-01-01", "dag", 14.6, "Locatus", "verkooppunten"),
        (A, "leegstand_vvo", "2024-01-01", "jaar", 12.5, "Locatus", "percent sign as text only"),
        (A, "banen", "2024-01-01", "jaar", 4180.0, "LISA", ""),
        (A, "waardering", "2024-01-01", "jaar", 7.4, "Bezoekersonderzoek", ""),
    ]),
    ("xlsx_breed_blad_data", [("breed.xlsx", xlsx([
        ["gebied", "indicator", "bron", 2023, 2024, 2025],
        [A, "banen", "LISA", 4060, 4180, None],
        [A, "bedrijven", "LISA", 452, 455, 461],
    ], sheet="data", before=["Uitleg"]))], None, [
        (A, "banen", "2023-01-01", "jaar", 4060.0, "LISA", ""),
        (A, "banen", "2024-01-01", "jaar", 4180.0, "LISA", ""),
        (A, "bedrijven", "2023-01-01", "jaar", 452.0, "LISA", ""),
        (A, "bedrijven", "2024-01-01", "jaar", 455.0, "LISA", ""),
        (A, "bedrijven", "2025-01-01", "jaar", 461.0, "LISA", ""),
    ]),
    ("breed_csv_met_bron_voor_het_bestand", [("breed.csv", csv(
        f"gebied;indicator;2023;2024\n{A};banen;4.060;4.180\n{A};bedrijven;452;455"))], "LISA, via gemeente Assen", [
        (A, "banen", "2023-01-01", "jaar", 4060.0, "LISA, via gemeente Assen", ""),
        (A, "banen", "2024-01-01", "jaar", 4180.0, "LISA, via gemeente Assen", ""),
        (A, "bedrijven", "2023-01-01", "jaar", 452.0, "LISA, via gemeente Assen", ""),
        (A, "bedrijven", "2024-01-01", "jaar", 455.0, "LISA, via gemeente Assen", ""),
    ]),
    ("engelse_koppen", [("english.csv", csv(
        "Area,Indicator,Year,Value,Source,Note\n"
        f"{A},ranking,2024,31,Ranking 2024,\n"
        f'{A},leegstand_vvo,2024,"12,5%",Locatus,floor area'))], None, [
        (A, "ranking", "2024-01-01", "jaar", 31.0, "Ranking 2024", ""),
        (A, "leegstand_vvo", "2024-01-01", "jaar", 12.5, "Locatus", "floor area"),
    ]),
]


def stored_rows(engine, batch_id: int) -> set[tuple]:
    obs = repository.load_observations(engine)
    mine = obs[obs["batch_id"] == batch_id]
    return {
        (r.area, r.indicator, r.peildatum.date().isoformat(), r.precision, r.value, r.source, r.note)
        for r in mine.itertuples()
    }


def comparable(obs: pd.DataFrame) -> list[tuple]:
    return sorted(tuple(r) for r in obs[COMPARED].itertuples(index=False))


def run(engine, files, user="tester", **kwargs) -> int | None:
    preview = importer.prepare(engine, files, SETTINGS, today=TODAY, **kwargs)
    assert preview.ok, [str(p) for p in preview.problems]
    return importer.apply(engine, preview, user)


@pytest.mark.parametrize(("files", "source", "expected"), [pytest.param(*g[1:], id=g[0]) for g in GOOD])
def test_good_file_round_trips_to_the_exact_values(engine, files, source, expected):
    preview = importer.prepare(engine, files, SETTINGS, default_source=source, today=TODAY)
    assert preview.ok, [str(p) for p in preview.problems]
    assert len(preview.added) + len(preview.changed) == len(expected)
    assert list(preview.added.columns) == ["area", "indicator", "peildatum", "value", "source", "note",
                                           "file", "row"]
    batch = importer.apply(engine, preview, "tester", confirmed=True)  # 430 -> 1.455 businesses asks (test_plausibility.py)
    assert stored_rows(engine, batch) == set(expected)
    b = repository.load_batches(engine).set_index("id").loc[batch]
    assert (b["kind"], b["filename"], b["created_by"]) == ("observaties", files[0][0], "tester")
    assert b["sha256"] == hashlib.sha256(files[0][1]).hexdigest()
    assert (b["rows_total"], b["rows_added"] + b["rows_changed"], b["rows_unchanged"]) == (len(expected),) * 2 + (0,)


def test_preview_shows_old_and_new_and_writes_nothing(engine):
    before = repository.load_observations(engine)
    data = csv("gebied;indicator;jaar;waarde;bron\n"
               f"{A};banen;2025;4.300;LISA 2025\n"
               f"{A};banen;2017;3800;Binnenstadakkoord Assen, 7 februari 2018\n"
               f"{A};waardering;2025;7,4;Enquête 2025")
    preview = importer.prepare(engine, [("c.csv", data)], SETTINGS, today=TODAY)
    assert counts(preview) == (1, 2, 0)
    changed = preview.changed.set_index("peildatum")
    assert changed.loc["2025", ["value", "old_value", "old_source", "old_illustrative"]].tolist() == [
        4300.0, 4210.0, "Illustratieve demowaarde", True]
    # the 2017 figure keeps value and source; the file has no note, which is a change of the note
    assert changed.loc["2017", ["value", "old_value", "note", "old_note", "old_illustrative"]].tolist() == [
        3800.0, 3800.0, "", "uitgangswaarde; telmoment niet vermeld", False]
    assert preview.added.iloc[0][["indicator", "peildatum", "value", "file", "row"]].tolist() == [
        "waardering", "2025", 7.4, "c.csv", 4]
    pd.testing.assert_frame_equal(repository.load_observations(engine), before)


def test_same_file_twice_changes_nothing_and_records_no_batch(engine):
    files = [("c.csv", csv(f"gebied;indicator;jaar;waarde;bron\n{A};banen;2025;4.300;LISA\n{A};bedrijven;2026;470;LISA"))]
    assert run(engine, files) is not None
    batches = len(repository.load_batches(engine))
    preview = importer.prepare(engine, files, SETTINGS, today=TODAY)
    assert counts(preview) == (0, 0, 2)
    assert preview.summary() == "0 nieuw, 0 gewijzigd, 2 ongewijzigd"
    assert importer.apply(engine, preview, "tester") is None
    assert len(repository.load_batches(engine)) == batches


def test_a_changed_value_keeps_its_earlier_version(engine):
    first = run(engine, [("a.csv", csv(f"gebied;indicator;jaar;waarde;bron\n{A};banen;2026;4.400;LISA voorlopig"))])
    moment = repository.utcnow()
    second = run(engine, [("b.csv", csv(f"gebied;indicator;jaar;waarde;bron\n{A};banen;2026;4.420;LISA definitief"))])
    o = schema.observations
    with engine.connect() as conn:
        rows = conn.execute(sa.select(o.c.value, o.c.batch_id, o.c.superseded_at, o.c.superseded_by_batch_id)
                            .where(o.c.peildatum == dt.date(2026, 1, 1), o.c.indicator_code == "banen")
                            .order_by(o.c.id)).all()
    assert [(r.value, r.batch_id, r.superseded_at is not None, r.superseded_by_batch_id) for r in rows] == [
        (4400.0, first, True, second), (4420.0, second, False, None)]
    then = repository.load_observations(engine, as_of=moment, area=A, indicator="banen")
    assert then[then["peildatum"] == "2026-01-01"]["value"].tolist() == [4400.0]


def test_real_figure_replaces_illustrative_of_the_same_year_with_another_precision(engine):
    demo = repository.load_observations(engine, area=A, indicator="leegstand")
    assert demo[demo["peildatum"].dt.year == 2025][["precision", "illustrative"]].values.tolist() == [["dag", True]]
    files = [("locatus.csv", csv(f"gebied;indicator;jaar;waarde;bron\n{A};leegstand;2025;14,4;Locatus 2025"))]
    preview = importer.prepare(engine, files, SETTINGS, today=TODAY)
    assert counts(preview) == (0, 1, 0)
    assert preview.changed.iloc[0][["peildatum", "value", "old_value", "old_illustrative"]].tolist() == [
        "2025", 14.4, 13.8, True]
    importer.apply(engine, preview, "tester")
    now = repository.load_observations(engine, area=A, indicator="leegstand")
    assert now[now["peildatum"].dt.year == 2025][["precision", "value", "illustrative"]].values.tolist() == [
        ["jaar", 14.4, False]]


def test_undo_restores_exactly_and_keeps_as_of_history(engine):
    before = repository.load_observations(engine)
    files = [("mix.csv", csv(
        "gebied;indicator;peildatum;waarde;bron;toelichting\n"
        f"{A};leegstand;2025;14,4;Locatus 2025;\n"          # replaces demo 1-1-2025 (other precision)
        f"{A};banen;2025;4.300;LISA 2025;\n"                # replaces demo 2025 (same key)
        f"{NL};leegstand;1-1-2019;6,8;Locatus herzien;\n"    # replaces a real published figure
        f"{A};bedrijven;2026;470;LISA 2026;nieuw"))]         # new
    batch = run(engine, files)
    during = repository.utcnow()
    after_import = repository.load_observations(engine)
    importer.undo(engine, batch, "beheerder")
    after = repository.load_observations(engine)
    assert comparable(after) == comparable(before)
    assert after["batch_id"].tolist() == before["batch_id"].tolist()
    assert comparable(repository.load_observations(engine, as_of=during)) == comparable(after_import)
    b = repository.load_batches(engine).set_index("id").loc[batch]
    assert b["undone_by"] == "beheerder" and b["undone_at"] is not None
    with pytest.raises(importer.ImportRefused, match="is al ongedaan gemaakt"):
        importer.undo(engine, batch, "beheerder")


def test_undo_of_a_batch_replaced_later_is_refused_until_the_later_one_is_undone(engine):
    before = repository.load_observations(engine)
    first = run(engine, [("a.csv", csv(f"gebied;indicator;jaar;waarde;bron\n{A};banen;2025;4.300;LISA v1"))])
    second = run(engine, [("b.csv", csv(f"gebied;indicator;jaar;waarde;bron\n{A};banen;2025;4.350;LISA v2"))])
    with pytest.raises(importer.ImportRefused, match=f"Maak eerst importbatch {second} ongedaan"):
        importer.undo(engine, first, "beheerder")
    importer.undo(engine, second, "beheerder")
    middle = repository.load_observations(engine, area=A, indicator="banen")
    assert middle[middle["peildatum"] == "2025-01-01"][["value", "batch_id"]].values.tolist() == [[4300.0, first]]
    importer.undo(engine, first, "beheerder")
    assert comparable(repository.load_observations(engine)) == comparable(before)


def test_undo_refuses_unknown_and_seed_batches(engine):
    with pytest.raises(importer.ImportRefused, match="bestaat niet"):
        importer.undo(engine, 999, "x")
    with pytest.raises(importer.ImportRefused, match="basisgegevens"):
        importer.undo(engine, 1, "x")


def test_apply_refuses_when_the_database_changed_since_the_preview(engine):
    stale = importer.prepare(engine, [("a.csv", csv(f"gebied;indicator;jaar;waarde;bron\n{A};banen;2025;4.300;LISA"))],
                             SETTINGS, today=TODAY)
    run(engine, [("b.csv", csv(f"gebied;indicator;jaar;waarde;bron\n{A};banen;2025;4.250;Ander"))])
    state = repository.load_observations(engine)
    with pytest.raises(importer.ImportRefused, match="intussen"):
        importer.apply(engine, stale, "tester")
    pd.testing.assert_frame_equal(repository.load_observations(engine), state)


def test_new_area_only_when_asked(engine):
    files = [("emmen.csv", csv("gebied;indicator;jaar;waarde;bron\nEmmen centrum;banen;2024;6.100;LISA"))]
    refused = importer.prepare(engine, files, SETTINGS, today=TODAY)
    assert [p.column for p in refused.problems] == ["gebied"]
    preview = importer.prepare(engine, files, SETTINGS, today=TODAY, create_areas=True)
    assert preview.new_areas == ["Emmen centrum"]
    batch = importer.apply(engine, preview, "tester")
    assert "Emmen centrum" in set(repository.load_areas(engine)["name"])
    assert stored_rows(engine, batch) == {("Emmen centrum", "banen", "2024-01-01", "jaar", 6100.0, "LISA", "")}


def test_several_files_are_one_batch_and_duplicates_across_files_are_found(engine):
    a = ("a.csv", csv(f"gebied;indicator;jaar;waarde;bron\n{A};banen;2024;4.180;LISA"))
    b = ("b.xlsx", xlsx([["gebied", "indicator", "jaar", "waarde", "bron"], [A, "bedrijven", 2024, 455, "LISA"]]))
    batch = run(engine, [a, b])
    row = repository.load_batches(engine).set_index("id").loc[batch]
    assert row["filename"] == "a.csv, b.xlsx" and row["rows_total"] == 2
    dup = ("c.csv", csv(f"gebied;indicator;jaar;waarde;bron\n{A};bedrijven;2024;456;LISA"))
    preview = importer.prepare(engine, [b, dup], SETTINGS, today=TODAY)
    assert [str(p) for p in preview.problems] == [
        "c.csv, rij 2, kolom 'jaar': Assen binnenstad / bedrijven / 2024 komt dubbel voor; staat ook in rij 2 van b.xlsx."]


TARGETS = csv(
    "indicator,gebied,basiswaarde,basisjaar,doelwaarde,doeljaar,richting,vergelijking,bron,reden,geldig_vanaf\n"
    f'banen,{A},3800,2017,5500,2030,hoger,absoluut,"Herijkt akkoord, 2027",Herijking akkoord,1-1-2027\n'
    f'bedrijven,{A},430,2017,500,,hoger,absoluut,"Binnenstadakkoord Assen, 7 februari 2018, art. 2 '
    '(van 430 naar 500 bedrijven)",Ongewijzigd,\n'
)


def test_targets_file_creates_a_new_version_and_status_uses_it(engine):
    preview = importer.prepare(engine, [("akkoord-2027.csv", TARGETS)], SETTINGS, today=TODAY)
    assert preview.ok and preview.kind == "doelen"
    assert counts(preview) == (0, 1, 1)
    assert preview.changed.iloc[0][["indicator", "value", "old_value", "version", "peildatum"]].tolist() == [
        "banen", 5500.0, 5000.0, 2, "1-1-2027"]
    batch = importer.apply(engine, preview, "programmamanager")
    history = repository.load_target_history(engine)
    jobs = history[history["indicator"] == "banen"]
    assert jobs["version"].tolist() == [1, 2]
    v2 = jobs.iloc[-1]
    assert (v2["target_value"], v2["target_year"], v2["reason"], v2["created_by"], v2["batch_id"]) == (
        5500.0, 2030, "Herijking akkoord", "programmamanager", batch)
    assert pd.Timestamp(v2["valid_from"]) == pd.Timestamp("2027-01-01")
    assert history[history["indicator"] == "bedrijven"]["version"].tolist() == [1]
    # Valid from 1-1-2027 (issue 8, case 11): in November 2026 version 1 still applies.
    records = {r["indicator"]: r for r in status_records(evaluate_all(engine, Settings(), TODAY))}
    assert (records["banen"]["target"], records["banen"]["target_year"], records["banen"]["target_version"]) == (
        5000, None, 1)
    records = {r["indicator"]: r for r in status_records(evaluate_all(engine, Settings(), dt.date(2027, 1, 1)))}
    assert (records["banen"]["target"], records["banen"]["target_year"], records["banen"]["target_version"]) == (
        5500, 2030, 2)
    assert importer.apply(engine, importer.prepare(engine, [("akkoord-2027.csv", TARGETS)], SETTINGS, today=TODAY),
                          "x") is None

    importer.undo(engine, batch, "programmamanager")
    history = repository.load_target_history(engine)
    jobs = history[history["indicator"] == "banen"]
    assert jobs["version"].tolist() == [1, 2, 3]
    assert jobs.iloc[-1][["target_value", "reason", "batch_id"]].tolist() == jobs.iloc[0][
        ["target_value", "reason", "batch_id"]].tolist()
    records = {r["indicator"]: r for r in status_records(evaluate_all(engine, Settings(), TODAY))}
    assert records["banen"]["target"] == 5000


def test_problem_text_and_summary():
    p = importer.Problem("cijfers.csv", 4, "waarde", "'21,9x' is geen getal.")
    assert str(p) == "cijfers.csv, rij 4, kolom 'waarde': '21,9x' is geen getal."
    assert str(importer.Problem("x.csv", None, None, "Het bestand is leeg.")) == "x.csv: Het bestand is leeg."
    assert importer.Preview(["x.csv"], "observaties", [p]).summary() == "1 probleem gevonden; er is niets opgeslagen"


def test_sqlite_bulk_insert_stores_the_same_text_as_a_core_insert(sqlite_url):
    from kpi.db import ensure_ready, make_engine

    engine = make_engine(sqlite_url)
    ensure_ready(engine)
    batch = run(engine, [("a.csv", csv(f"gebied;indicator;peildatum;waarde;bron\n{A};banen;1-4-2026;4.400;LISA"))])
    o = schema.observations
    stored = sa.select(sa.cast(o.c.peildatum, sa.Text), sa.cast(o.c.recorded_at, sa.Text),
                       sa.cast(o.c.illustrative, sa.Text))
    with engine.connect() as conn:
        core = conn.execute(stored.where(o.c.batch_id != batch).limit(1)).one()
        fast = conn.execute(stored.where(o.c.batch_id == batch)).one()
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}"
    assert re.fullmatch(stamp, core[1]) and re.fullmatch(stamp, fast[1])
    assert (fast[0], fast[2], core[2]) == ("2026-04-01", "0", "0")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", core[0])
    assert repository.load_observations(engine, as_of=repository.utcnow(), indicator="banen")["batch_id"].eq(batch).sum() == 1
    engine.dispose()


def test_undo_does_not_bring_back_a_demo_value_when_a_later_real_figure_covers_its_year(engine):
    header = "gebied;indicator;peildatum;waarde;bron\n"
    # (A yearly 2025 beside a dated 1-4-2025 is refused since issue 8: two dated figures here.)
    year = run(engine, [("januari.csv", csv(header + f"{A};leegstand;1-1-2025;14,4;Locatus januari"))])
    run(engine, [("april.csv", csv(header + f"{A};leegstand;1-4-2025;14,0;Locatus april"))])
    importer.undo(engine, year, "beheerder")
    now = repository.load_observations(engine, area=A, indicator="leegstand")
    assert now[now["peildatum"].dt.year == 2025][["peildatum", "value", "illustrative"]].values.tolist() == [
        [pd.Timestamp("2025-04-01"), 14.0, False]]


def test_undo_of_targets_refuses_after_a_form_revision_and_removes_a_target_it_created(engine):
    from kpi.importer.forms import revise_target

    header = "indicator,gebied,basiswaarde,basisjaar,doelwaarde,doeljaar,richting,vergelijking,bron,reden\n"
    revised = run(engine, [("doelen.csv", csv(header + f"banen,{A},3800,2017,5500,2030,hoger,absoluut,Akkoord,Herijking"))])
    revise_target(engine, indicator="banen", area=A, baseline_value=3800, baseline_year=2017, target_value=5600,
                  target_year=2030, comparison="absoluut", source="Raadsbesluit", valid_from=dt.date(2027, 6, 1),
                  reason="Raadsbesluit", user="wethouder", based_on_version=2)
    form_batch = int(repository.load_batches(engine)["id"].max())
    with pytest.raises(importer.ImportRefused, match=f"Maak eerst importbatch {form_batch} ongedaan"):
        importer.undo(engine, revised, "beheerder")

    created = run(engine, [("nieuw-doel.csv", csv(
        header + f"leegstand_vvo,{A},12.5,2024,10,2030,lager,absoluut,Akkoord,Nieuw doel vloeroppervlak"))])
    assert "leegstand_vvo" in set(repository.load_target_history(engine)["indicator"])
    importer.undo(engine, created, "beheerder")
    assert "leegstand_vvo" not in set(repository.load_target_history(engine)["indicator"])


def _plain_pairs(incoming, stored):
    """The same-year check as first written: every row of a year paired with every other."""
    keys = ["area", "indicator", "year"]
    both = incoming.merge(incoming, on=keys, suffixes=("", "_other"))
    old = incoming.merge(stored, on=keys, suffixes=("", "_stored"))
    return both[both["precision"] != both["precision_other"]], old[old["precision"] != old["precision_stored"]]


_figure = st.tuples(st.sampled_from(["A", "B"]), st.sampled_from(["banen", "leegstand"]),
                    st.integers(2024, 2026), st.sampled_from(["jaar", "dag"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(_figure, max_size=25), st.lists(_figure, max_size=25))
def test_same_year_pairs_are_those_of_the_plain_pairing(new, old):
    """The fast same-year check (kpi.importer.plan.conflict_pairs) finds exactly the pairs that
    pairing every row with every other finds, in the same order, on generated files and stores."""
    from kpi.importer.plan import conflict_pairs

    incoming = pd.DataFrame([dict(area=a, indicator=i, year=y, precision=p, file="f.csv", row=n + 2, text=f"t{n}")
                             for n, (a, i, y, p) in enumerate(new)],
                            columns=["area", "indicator", "year", "precision", "file", "row", "text"])
    stored = pd.DataFrame([dict(area=a, indicator=i, year=y, precision=p, text=f"s{n}") for n, (a, i, y, p) in enumerate(old)],
                          columns=["area", "indicator", "year", "precision", "text"])
    fast, plain = conflict_pairs(incoming, stored), _plain_pairs(incoming, stored)
    for got, want in zip(fast, plain, strict=True):
        assert got.reset_index(drop=True).to_dict("records") == want.reset_index(drop=True).to_dict("records")
