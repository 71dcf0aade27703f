"""kpi.seed: a new database gets the files under data/ row for row, demo values flagged,
and the start data is recorded as batches that undo refuses."""

import pandas as pd
import pytest

from kpi import importer, repository, seed


def _rows(path) -> int:
    return len(pd.read_csv(path, dtype=str, keep_default_na=False))


def test_reference_data_is_seeded_row_for_row_and_real(empty_engine):
    seed.seed_reference(empty_engine)
    assert len(repository.load_indicators(empty_engine)) == _rows(seed.INDICATORS_CSV)
    assert len(repository.load_areas(empty_engine)) == _rows(seed.AREAS_CSV)
    targets = repository.load_target_history(empty_engine)
    # The akkoord's targets and the Binnenstadsvisie 2021 goals (issue 21), each in its agreement.
    assert len(targets) == _rows(seed.TARGETS_CSV) + _rows(seed.VISIE_CSV)
    assert set(targets["version"]) == {1} and set(targets["created_by"]) == {"seed"}
    assert pd.Timestamp(targets["valid_from"].iloc[0]).date() == seed.AKKOORD_SIGNED
    assert targets.groupby("agreement").size().to_dict() == {seed.AKKOORD: _rows(seed.TARGETS_CSV),
                                                             seed.VISIE: _rows(seed.VISIE_CSV)}
    figures = repository.load_observations(empty_engine)
    assert len(figures) == _rows(seed.FIGURES_CSV)
    assert not figures["illustrative"].any()
    assert repository.count_illustrative(empty_engine) == 0


def test_demo_series_are_flagged_illustrative(empty_engine):
    seed.seed_reference(empty_engine)
    seed.seed_demo(empty_engine)
    assert repository.count_illustrative(empty_engine) == _rows(seed.DEMO_CSV)
    demo = repository.load_observations(empty_engine).query("batch_kind == 'demo'")
    assert len(demo) == _rows(seed.DEMO_CSV) and demo["illustrative"].all()


def test_start_data_batches_cannot_be_undone(empty_engine):
    seed.seed_reference(empty_engine)
    seed.seed_demo(empty_engine)
    batches = repository.load_batches(empty_engine)
    assert sorted(batches["kind"]) == ["acties", "demo", "demo", "doelen", "doelen", "seed"]
    assert not importer.undoable(batches).any()
    for batch_id in batches["id"]:
        with pytest.raises(importer.ImportRefused, match="basisgegevens"):
            importer.undo(empty_engine, int(batch_id), "tester")
