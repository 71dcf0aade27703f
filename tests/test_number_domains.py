"""Issue 23, point 3: every number has a domain. A 308-digit budget (or 10^12 on PostgreSQL, whose
column holds 12 digits) is refused at import with a Dutch message naming file, row and column, and
nothing is stored; a huge value that is stored anyway never makes a page or report fail."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from kpi import formatting as fmt
from kpi import importer, schema
from kpi.settings import Settings
from kpi.werkplan import store as wp_store
from kpi.werkplan import tables as wp_tables
from tests.support.apptest import run_app
from tests.support.importdata import SETTINGS, db_state, xlsx
from tests.test_werkplan_import import HEADERS, PROGRAMME

HUGE = "9" * 308


def action_file(budget: object, spent: object = None) -> bytes:
    return xlsx([HEADERS, ["9.1", "Groot bedrag", "A", "gemeente", "Regisseur", 2026, "1-3-2026", "1-3-2027",
                           "Loopt", budget, spent, "gemeente", "banen", None, PROGRAMME]])


@pytest.mark.parametrize("budget, spent, column", [
    (HUGE, None, "budget"), ("1.000.000.000.000", None, "budget"), (10**12, None, "budget"),
    ("100.000.001", None, "budget"), (1000, HUGE, "besteed"),
])
def test_an_amount_beyond_the_maximum_is_refused_with_file_row_and_column(engine, budget, spent, column):
    before = db_state(engine)
    preview = importer.prepare(engine, [("acties.xlsx", action_file(budget, spent))], SETTINGS)
    assert not preview.ok
    messages = [str(p) for p in preview.problems]
    assert any(m.startswith(f"acties.xlsx, rij 2, kolom '{column.capitalize()}'") and "groter dan het maximum van "
               "€ 100.000.000 (instelling KPI_MAX_EURO)" in m for m in messages), messages
    assert all(len(m) < 400 for m in messages)  # the 308 digits are not repeated whole
    with pytest.raises(importer.ImportRefused):
        importer.apply(engine, preview, "tester")
    assert db_state(engine) == before


def test_the_maximum_is_a_setting(engine):
    preview = importer.prepare(engine, [("acties.xlsx", action_file("2.000.000"))], Settings(max_euro=1_000_000))
    assert [p.column for p in preview.problems] == ["Budget"]
    ok = importer.prepare(engine, [("acties.xlsx", action_file("2.000.000"))], SETTINGS)
    assert ok.ok, [str(p) for p in ok.problems]


@pytest.mark.parametrize("value", [1e308, -1e308, 1.7976931348623157e308, 1e-300])
def test_any_finite_number_formats(value):
    for text in (fmt.euro(value), fmt.number(value, 2), fmt.value(value, "procent", 1), fmt.as_imported(value)):
        assert text and "E" not in text


def test_a_huge_stored_budget_never_breaks_the_werkplan(monkeypatch, sqlite_url):
    from kpi.db import ensure_ready, make_engine

    engine = make_engine(sqlite_url)
    ensure_ready(engine)
    with engine.begin() as conn:  # stored past the importer, as an older version could have
        conn.execute(sa.update(schema.actions).where(schema.actions.c.superseded_at.is_(None))
                     .values(budget=1e308, spent=-1e308))
    actions = wp_store.load_actions(engine, "Assen binnenstad")
    table = wp_tables.actions_table(actions, pd.Timestamp("2026-11-23").date())
    assert table["Budget"].str.startswith("€ 100.000.000.000").any()
    # Their sum overflows: said in words, not "€ ∞, besteed € -∞ (–%)".
    assert wp_tables.budget_line(actions) == "Budget: de bedragen zijn te groot om op te tellen"
    at = run_app(monkeypatch, sqlite_url, page="werkplan")
    assert not at.exception and not [e for e in at.error if "mis" in e.value]
