"""Target revisions from the form: a new version through the importer (same rules, batch and
undo); history stays; a form opened on an older version is refused; editors only."""

import datetime as dt
import threading
from pathlib import Path

import pandas as pd
import pytest

from kpi import importer, repository
from kpi.importer import ImportRefused
from kpi.importer.forms import TARGET_FORM as FORM_NAME
from kpi.importer.forms import revise_target
from kpi.seed import seed_peers
from kpi.service import evaluate_all, status_records
from kpi.settings import Settings
from tests.support.apptest import open_page, run_app, texts

ROOT = Path(__file__).resolve().parent.parent

FIELDS = dict(indicator="banen", area="Assen binnenstad", baseline_value=3800.0, baseline_year=2017,
              target_value=5500.0, target_year=2030, comparison="absoluut", source="Akkoord 2026",
              valid_from=dt.date(2026, 6, 1), reason="Herzien akkoord", user="tester", based_on_version=1)


def test_revision_is_a_new_version_and_becomes_current(engine):
    assert revise_target(engine, **FIELDS) == 2
    hist = repository.load_target_history(engine)
    jobs = hist[hist["indicator"] == "banen"]
    assert jobs["version"].tolist() == [1, 2]
    assert jobs["target_value"].tolist() == [5000.0, 5500.0]
    rec = next(r for r in status_records(evaluate_all(engine, Settings(), dt.date(2026, 11, 22))) if r["indicator"] == "banen")
    assert rec["target"] == 5500.0 and rec["target_year"] == 2030


@pytest.mark.parametrize("change, message", [
    (dict(reason="  "), "reden"),
    (dict(comparison="ongeveer"), "'ongeveer' is geen bekende vergelijking"),
    (dict(target_value=None), "doelwaarde"),
    (dict(indicator="fietsen"), "Onbekende indicator"),
    (dict(area="Atlantis"), "Onbekend gebied"),
    # The importer's range check by unit: leegstand is a percentage.
    (dict(indicator="leegstand", baseline_value=14.0, target_value=120.0, comparison="absoluut"),
     "'120' ligt buiten het bereik van een percentage"),
])
def test_invalid_revision_is_refused_and_changes_nothing(engine, change, message):
    before = repository.load_target_history(engine)
    with pytest.raises(ImportRefused, match=message):
        revise_target(engine, **{**FIELDS, **change})
    assert repository.load_target_history(engine).equals(before)


def test_form_revision_is_an_import_batch_that_can_be_undone(engine):
    revise_target(engine, **FIELDS)
    batch = repository.load_batches(engine).iloc[0]
    assert (batch["kind"], batch["filename"], batch["created_by"], batch["rows_changed"]) == (
        "doelen", FORM_NAME, "tester", 1)
    importer.undo(engine, int(batch["id"]), "beheerder")
    jobs = repository.load_target_history(engine).query("indicator == 'banen'")
    assert jobs["version"].tolist() == [1, 2, 3]
    assert jobs["target_value"].tolist() == [5000.0, 5500.0, 5000.0]


def test_unchanged_revision_stores_nothing(engine):
    current = dict(FIELDS, baseline_value=3800.0, target_value=5000.0, target_year=None,
                   source=repository.load_target_history(engine).query("indicator == 'banen'")["source"].iloc[0])
    batches = len(repository.load_batches(engine))
    assert revise_target(engine, **current) is None
    assert len(repository.load_batches(engine)) == batches
    assert repository.load_target_history(engine).query("indicator == 'banen'")["version"].tolist() == [1]


def test_form_opened_on_an_older_version_is_refused(engine):
    assert revise_target(engine, **FIELDS) == 2
    before = repository.load_target_history(engine)
    with pytest.raises(ImportRefused, match="intussen gewijzigd: het formulier toonde versie 1, opgeslagen is nu versie 2"):
        revise_target(engine, **{**FIELDS, "target_value": 6000.0})
    assert repository.load_target_history(engine).equals(before)


def test_concurrent_revisions_store_one_version_and_refuse_the_rest(engine):
    # Eight editors submit a form opened on version 1 at the same moment: one wins, each
    # other gets the Dutch refusal (never a raw IntegrityError), and no version is lost or doubled.
    n = 8
    start = threading.Barrier(n)
    outcomes: list[object] = [None] * n

    def submit(i: int) -> None:
        start.wait()
        try:
            outcomes[i] = revise_target(engine, **{**FIELDS, "target_value": 5500.0 + i, "user": f"r{i}"})
        except Exception as exc:  # recorded and asserted below: only ImportRefused may appear
            outcomes[i] = exc

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    refused = [o for o in outcomes if isinstance(o, ImportRefused)]
    assert [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ImportRefused)] == []
    assert outcomes.count(2) == 1 and len(refused) == n - 1
    assert all("intussen gewijzigd" in str(o) for o in refused)
    jobs = repository.load_target_history(engine).query("indicator == 'banen'")
    assert jobs["version"].tolist() == [1, 2]
    winner = outcomes.index(2)
    assert jobs.iloc[1][["target_value", "created_by"]].tolist() == [5500.0 + winner, f"r{winner}"]


def test_editor_revises_a_target_on_the_page(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="doelen", editor=True)
    assert not at.exception and not at.error
    at.selectbox(key="target_kpi").set_value("bedrijven").run()
    at.number_input(key="target_value").set_value(520.0)
    at.text_input(key="target_reason").input("Tussentijdse herziening")
    next(b for b in at.button if b.label == "Nieuwe doelversie opslaan").click().run()
    assert not at.exception and not at.error
    assert any("Doelversie 2 opgeslagen" in s.value for s in at.success)
    open_page(at, "overzicht").run()
    assert "**Doel:** 520" in texts(at)


def test_revision_keeps_horizon_and_benchmark_unless_given(engine):
    # Issue 8's columns: a revision without them keeps the stored values, as a file without them does.
    assert revise_target(engine, **FIELDS) == 2
    assert revise_target(engine, **{**FIELDS, "target_value": 5600.0, "based_on_version": 2,
                                    "horizon_year": 2032}) == 3
    assert revise_target(engine, **{**FIELDS, "target_value": 5600.0, "based_on_version": 3,
                                    "horizon_year": None}) == 4
    jobs = repository.load_target_history(engine).query("indicator == 'banen'")
    assert [None if v != v else int(v) for v in jobs["horizon_year"]] == [2030, 2030, 2032, None]


def test_a_centre_without_targets_says_so_on_the_page(monkeypatch, engine, db_url):
    """Doelen beheren for the demo's Brugdorp (figures, no targets) failed with a KeyError and an
    empty English "No options to select" list: now it says how a centre gets its first target."""
    seed_peers(engine, "Assen binnenstad")
    at = run_app(monkeypatch, db_url, page="doelen", editor=True, query={"gebied": "brugdorp-centrum"})
    assert not at.exception and not at.error
    assert [i.value for i in at.info] == [
        "Brugdorp centrum heeft nog geen KPI's met een doel. Het eerste doel van een centrum komt er met "
        "een doelenbestand op *Importeren*; daarna past u het hier aan."]
    assert not [s for s in at.selectbox if s.key == "target_kpi"]
    assert not at.get("form")


def test_editor_revision_on_the_page_keeps_horizon_and_benchmark(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url, page="doelen", editor=True)
    at.selectbox(key="target_kpi").set_value("leegstand").run()
    assert at.number_input(key="target_horizon").value == 2030
    assert at.number_input(key="target_benchmark").value == 7.8
    at.number_input(key="target_baseline").set_value(22.0)
    at.text_input(key="target_reason").input("Basiswaarde gecorrigeerd")
    next(b for b in at.button if b.label == "Nieuwe doelversie opslaan").click().run()
    assert not at.exception and not at.error
    assert any("Doelversie 2 opgeslagen" in s.value for s in at.success)
    from kpi.db import make_engine

    eng = make_engine(sqlite_url)
    rows = repository.load_target_history(eng).query("indicator == 'leegstand'")
    eng.dispose()
    assert rows[["version", "baseline_value", "horizon_year", "baseline_benchmark"]].values.tolist() == [
        [1, 21.9, 2030, 7.8], [2, 22.0, 2030, 7.8]]


def test_switching_kpi_shows_that_kpis_stored_target(monkeypatch, sqlite_url):
    # Keyed number fields kept the first KPI's values (banen: 3.800 -> 5.000) after switching.
    at = run_app(monkeypatch, sqlite_url, page="doelen", editor=True)
    assert at.number_input(key="target_baseline").value == 3800.0
    at.selectbox(key="target_kpi").set_value("leegstand").run()
    assert not at.exception
    assert [at.number_input(key=k).value for k in ("target_baseline", "target_baseline_year", "target_value",
                                                   "target_year")] == [21.9, 2017, None, None]


def test_form_starts_from_the_newest_version_also_when_it_applies_later(engine):
    # Issue 8 leftover: the form started from the version in force today; with a version valid
    # from 2028 stored, every save was refused as "intussen gewijzigd".
    from kpi.importer.forms import form_versions

    assert revise_target(engine, **{**FIELDS, "valid_from": dt.date(2028, 1, 1)}) == 2
    history = repository.load_target_history(engine)
    newest, in_force = form_versions(history, "banen", "Assen binnenstad", dt.date(2026, 11, 23))
    assert (newest.version, newest.target_value, newest.target_year) == (2, 5500.0, 2030)
    assert (in_force.version, in_force.target_value, in_force.target_year) == (1, 5000.0, None)
    newest, in_force = form_versions(history, "banen", "Assen binnenstad", dt.date(2028, 1, 1))
    assert newest.version == in_force.version == 2
    # Saving from a form opened on the newest version is accepted and builds on it.
    assert revise_target(engine, **{**FIELDS, "target_value": 5600.0, "based_on_version": newest.version,
                                    "valid_from": dt.date(2028, 1, 1)}) == 3
    jobs = repository.load_target_history(engine).query("indicator == 'banen'")
    assert jobs[["version", "target_value"]].values.tolist() == [[1, 5000.0], [2, 5500.0], [3, 5600.0]]


def test_editor_revises_a_scheduled_target_on_the_page(monkeypatch, engine, db_url):
    assert revise_target(engine, **{**FIELDS, "valid_from": dt.date(2099, 1, 1), "reason": "Herijking 2099"}) == 2
    at = run_app(monkeypatch, db_url, page="doelen", editor=True)
    assert not at.exception and not at.error
    shown = texts(at)
    assert "Nu geldig: versie 1" in shown
    assert "Gepland: versie 2: Herijking 2099 (geldig vanaf 1-1-2099)" in shown
    # The form shows the scheduled version, and its date as the default geldig vanaf.
    assert [at.number_input(key=k).value for k in ("target_value", "target_year")] == [5500.0, 2030]
    assert at.date_input[0].value == dt.date(2099, 1, 1)
    at.number_input(key="target_value").set_value(5600.0)
    at.text_input(key="target_reason").input("Herijking 2099, bijgesteld")
    next(b for b in at.button if b.label == "Nieuwe doelversie opslaan").click().run()
    assert not at.exception and not at.error
    assert any("Doelversie 3 opgeslagen" in s.value for s in at.success), [e.value for e in at.error]
    jobs = repository.load_target_history(engine).query("indicator == 'banen'")
    assert jobs[["version", "target_value"]].values.tolist() == [[1, 5000.0], [2, 5500.0], [3, 5600.0]]
    assert pd.Timestamp(jobs["valid_from"].iloc[-1]).date() == dt.date(2099, 1, 1)
