"""The data version (issue 11): every write path changes it in its own transaction, reads and
refused writes leave it alone. Dashboards key their caches on it, so this list of write paths
is what "any change by any process shows on the next page load" rests on (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from kpi import events, importer, repository, schema, seed
from kpi.db import migrate
from kpi.importer.forms import revise_target
from kpi.service import load_snapshot
from tests.support.importdata import SETTINGS, csv

ACTIONS = "code;titel;thema;status;bron\nH1-1;Ondernemersgroep vormen;A;lopend;Werkplan deel A"
TODAY = dt.date(2026, 11, 22)
A = "Assen binnenstad"
OBS = f"gebied;indicator;jaar;waarde;bron\n{A};banen;2025;4.310;LISA 2025"
TARGETS = ("indicator,gebied,basiswaarde,basisjaar,doelwaarde,doeljaar,richting,vergelijking,bron,reden\n"
           f"banen,{A},3800,2017,5500,2030,hoger,absoluut,Akkoord,Herijking")


def _import(engine, name: str, text: str) -> int:
    preview = importer.prepare(engine, [(name, csv(text))], SETTINGS, today=TODAY)
    assert preview.ok, [str(p) for p in preview.problems]
    batch = importer.apply(engine, preview, "tester")
    assert batch is not None
    return batch


def _undo(engine) -> None:
    batch = _import(engine, "undo-me.csv", OBS)
    before = repository.data_version(engine)
    importer.undo(engine, batch, "tester")
    assert repository.data_version(engine) != before


def _delete_event(engine) -> None:
    event = events.add_event(engine, dt.date(2020, 3, 15), "Lockdown")
    before = repository.data_version(engine)
    assert events.delete_event(engine, event) is True
    assert repository.data_version(engine) != before


def _seed_demo(engine) -> None:
    repository.remove_illustrative(engine)  # the fixture seeded them already
    before = repository.data_version(engine)
    seed.seed_demo(engine)
    assert repository.data_version(engine) != before


# Every function that writes data the dashboard shows. A new write path belongs here.
WRITES = {
    "import observaties (write_observations)": lambda e: _import(e, "cijfers.csv", OBS),
    "import doelen (write_targets)": lambda e: _import(e, "doelen.csv", TARGETS),
    "import acties (write_actions)": lambda e: _import(e, "acties.csv", ACTIONS),
    "undo (undo_batch)": _undo,
    "doel herzien (revise_target)": lambda e: revise_target(
        e, indicator="banen", area=A, baseline_value=3800.0, baseline_year=2017, target_value=5500.0,
        target_year=2030, comparison="absoluut", source="Akkoord", valid_from=dt.date(2026, 6, 1),
        reason="Herzien", user="tester", based_on_version=None),
    "gebeurtenis toevoegen (add_event)": lambda e: events.add_event(e, dt.date(2019, 6, 1), "Opening garage"),
    "gebeurtenis verwijderen (delete_event)": _delete_event,
    "demo verwijderen (remove_illustrative)": repository.remove_illustrative,
    "demoreeksen (seed_demo)": _seed_demo,
}


@pytest.mark.parametrize("write", list(WRITES.values()), ids=list(WRITES))
def test_every_write_path_changes_the_version(engine, write):
    before = repository.data_version(engine)
    assert len(before) == 32
    write(engine)
    after = repository.data_version(engine)
    assert len(after) == 32 and after != before


def test_migration_creates_the_row_and_the_seed_changes_it(empty_engine):
    created = repository.data_version(empty_engine)
    assert len(created) == 32
    with empty_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.data_version)).scalar() == 1
    seed.seed_reference(empty_engine)
    assert repository.data_version(empty_engine) not in ("", created)
    migrate(empty_engine)  # at head: no new row, no change
    with empty_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.data_version)).scalar() == 1


def test_reads_and_refused_writes_leave_the_version_alone(engine):
    before = repository.data_version(engine)
    load_snapshot(engine)
    repository.count_illustrative(engine)
    events.list_events(engine)
    importer.prepare(engine, [("cijfers.csv", csv(OBS))], SETTINGS, today=TODAY)  # preview only
    with pytest.raises(importer.ImportRefused):
        importer.undo(engine, 1, "tester")  # the seed: refused, rolled back
    with pytest.raises(events.EventError):
        events.add_event(engine, dt.date(2020, 1, 1), "   ")
    assert repository.data_version(engine) == before


def test_the_version_changes_only_when_the_write_commits(engine):
    before = repository.data_version(engine)
    with pytest.raises(RuntimeError), engine.begin() as conn:
        repository.touch_data_version(conn)
        assert repository.data_version(conn) != before  # visible inside the transaction
        raise RuntimeError("roll back")
    assert repository.data_version(engine) == before
