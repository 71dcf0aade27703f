"""Schema, seed and the CLI, on SQLite and on a real PostgreSQL server."""

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa

from kpi import repository, schema
from kpi.db import ensure_ready, make_engine
from kpi.service import evaluate_all, status_records
from kpi.settings import Settings
from tests.support.cli import run_kpi

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)


def test_seed_keeps_every_reference_figure_with_its_source(engine):
    obs = repository.load_observations(engine)
    real = obs[~obs["illustrative"]]
    ref = (ROOT / "data/reference/gepubliceerde-cijfers.csv").read_text().strip().splitlines()
    assert len(real) == len(ref) - 1
    nl_2017 = real[(real["area"] == "Nederland") & (real["indicator"] == "leegstand") & (real["peildatum"].dt.year == 2017)]
    # Issue 8: the national outlets series holds one measure and one population; the akkoord's
    # "landelijk in binnensteden 7,8%" is kept with the target as its own reference.
    assert sorted(zip(nl_2017["precision"], nl_2017["value"])) == [("dag", 7.2)]
    targets = repository.load_current_targets(engine).set_index("indicator")
    assert targets.loc["leegstand", "baseline_benchmark"] == 7.8
    assert set(real["source"]) >= {"Locatus, via NRC 18 januari 2020", "RTV Drenthe, april 2017"}
    assert (real["note"] != "").all()


def test_illustrative_values_are_flagged_and_removable(engine):
    obs = repository.load_observations(engine)
    demo = obs[obs["illustrative"]]
    assert len(demo) > 0
    assert (demo["source"] == "Illustratieve demowaarde").all()
    assert repository.count_illustrative(engine) == len(demo)
    assert repository.remove_illustrative(engine).values == len(demo)
    assert repository.count_illustrative(engine) == 0
    assert len(repository.load_observations(engine)) == len(obs) - len(demo)


def test_ensure_ready_twice_seeds_once(db_url):
    eng = make_engine(db_url)
    ensure_ready(eng)
    ensure_ready(eng)
    with eng.connect() as conn:
        # five akkoord targets and the two goals of the Binnenstadsvisie 2021, once each
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.targets)).scalar() == 7
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.agreements)).scalar() == 2
    eng.dispose()


def test_only_one_current_value_per_area_indicator_peildatum(engine):
    with engine.connect() as conn:
        ids = repository.area_ids(conn)
    row = dict(area_id=ids["Nederland"], indicator_code="leegstand", peildatum=dt.date(2020, 1, 1),
               precision="dag", value=1.0, source="x", recorded_at=repository.utcnow())
    try:
        with engine.begin() as conn:
            conn.execute(sa.insert(schema.observations).values(**row))
    except sa.exc.IntegrityError:
        pass
    else:
        raise AssertionError("a second current value for the same key was accepted")


def test_five_kpis_with_their_targets(engine):
    records = status_records(evaluate_all(engine, Settings(), TODAY))
    targets = {r["indicator"]: r["target"] for r in records}
    assert targets == {"banen": 5000, "bedrijven": 500, "leegstand": "below national", "waardering": 7.5, "ranking": 25,
                       "winkelvloeroppervlak": 60000, "woningen": 700}
    rank = next(r for r in records if r["indicator"] == "ranking")
    assert rank["status"] == "achter" and rank["target_year"] == 2021


def test_cli_status_json_on_a_new_database(db_url):
    out = run_kpi(db_url, "status", "--json")
    assert out.returncode == 0, out.stderr
    records = json.loads(out.stdout)
    assert [r["indicator"] for r in records] == ["banen", "bedrijven", "leegstand", "waardering", "ranking",
                                                 "winkelvloeroppervlak", "woningen"]
    for r in records:
        assert set(r) >= {"indicator", "area", "value", "date", "target", "status", "source", "agreement",
                          "agreement_date"}
        assert r["area"] == "Assen binnenstad"
    assert [r["target"] for r in records] == [5000, 500, "below national", 7.5, 25, 60000, 700]
    assert [(r["agreement"], r["agreement_date"]) for r in records] == (
        [("Binnenstadakkoord Assen 2018", "2018-02-07")] * 5 + [("Binnenstadsvisie Assen 2021", "2021-03-03")] * 2)
    homes = records[-1]
    assert homes["comparison"] == "toename" and homes["status"] == "geen recente data"


def test_cli_status_table_marks_illustrative_values(sqlite_url):
    out = run_kpi(sqlite_url, "status").stdout
    assert "4.210 *" in out and "rust op illustratieve waarden (demo)" in out
    removed = run_kpi(sqlite_url, "demo", "--remove").stdout
    assert removed == "38 illustratieve waarden en 13 illustratieve acties verwijderd.\n"
    out = run_kpi(sqlite_url, "status").stdout
    assert "*" not in out and "3.800" in out


def test_cli_unreachable_database_gives_a_dutch_message():
    res = run_kpi("postgresql+psycopg://postgres@127.0.0.1:1/none", "status")
    assert res.returncode == 2
    assert "De database is niet bereikbaar" in res.stderr
    assert "Traceback" not in res.stderr


def test_domain_is_ui_free():
    for path in (ROOT / "kpi").rglob("*.py"):
        text = path.read_text()
        assert "import streamlit" not in text and "from streamlit" not in text, path


def test_head_revisions_read_without_alembic_match_alembic(tmp_path, monkeypatch):
    """kpi.db.head_revisions parses the scripts (no Alembic import at start); Alembic agrees."""
    from alembic.script import ScriptDirectory

    from kpi import db

    assert db.head_revisions() == frozenset(ScriptDirectory.from_config(db._config()).get_heads())
    assert len(db.head_revisions()) == 1  # one line of migrations
    # A branch (two heads), a merge tuple and an annotated assignment are read the same way.
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "a.py").write_text('revision = "a"\ndown_revision = None\n')
    (versions / "b.py").write_text('revision: str = "b"\ndown_revision: str | None = "a"\n')
    (versions / "c.py").write_text('revision = "c"\ndown_revision = "a"\nfor x in []:\n    pass\n')
    monkeypatch.setattr(db, "MIGRATIONS_DIR", tmp_path)
    db.head_revisions.cache_clear()
    try:
        assert db.head_revisions() == frozenset({"b", "c"})
        (versions / "m.py").write_text('revision = "m"\ndown_revision = ("b", "c")\n')
        db.head_revisions.cache_clear()
        assert db.head_revisions() == frozenset({"m"})
    finally:
        db.head_revisions.cache_clear()
