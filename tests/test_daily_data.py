"""Daily data (issue 12, point 4): 90.000 daily values of one KPI give a chart with a bounded
number of points and a table with a bounded number of rows, the newest value exact; the CSV
download still holds every value."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kpi import formatting as fmt
from kpi.charts import MAX_POINTS, kpi_figure
from kpi.export import csv_bytes
from kpi.service import evaluate_all
from kpi.settings import Settings
from kpi.tables import TABLE_ROWS, export_frame, measurement_count, provenance_table
from tests.support.apptest import figure, html_table_with, run_app, texts, values
from tests.support.factories import DAILY_VALUES, add_daily_values, daily_value

# Seeded for banen: the real 2017 figure and 8 illustrative yearly values (2018-2025).
SEEDED_BANEN = 9


@pytest.fixture
def daily(engine):
    """The seeded database plus 90.000 daily values of banen up to today; (engine, last day)."""
    return engine, add_daily_values(engine)


def jobs(engine):
    return next(r for r in evaluate_all(engine, Settings(), dt.date.today()) if r.indicator.code == "banen")


def test_chart_of_daily_data_has_bounded_points_and_the_newest_value_exact(daily):
    engine, last = daily
    r = jobs(engine)
    newest = daily_value(DAILY_VALUES - 1)
    assert (r.latest.peildatum.date(), r.latest.value, r.latest.precision) == (last, newest, "dag")
    fig = kpi_figure(r)
    points = sum(len(t.x) for t in fig.data)
    assert points <= 3 * MAX_POINTS, points
    names = [t.name for t in fig.data]
    # 90.000 days span about 246 years. Before the baseline year (2017) they are history: shown as a
    # yearly mean, labelled, counting for nothing; from 2017 on about 3.600 days: a monthly mean.
    history = "Assen binnenstad – geschiedenis (vóór het basisjaar), gemiddelde per jaar"
    assert history in names and "Assen binnenstad (meting), gemiddelde per maand" in names, names
    older = fig.data[names.index(history)]
    assert len(older.x) == 2017 - (last - dt.timedelta(days=DAILY_VALUES - 1)).year
    means = fig.data[names.index("Assen binnenstad (meting), gemiddelde per maand")]
    assert "(gemiddelde per maand)" in means.hovertext[-1] and "metingen" in means.hovertext[-1]
    # Drawn exactly: the measurements the verdict names: first reached, previous, newest.
    assert r.reached is not None and r.reached.value == 5000
    exact = fig.data[names.index("Assen binnenstad (meting)")]
    assert list(exact.y) == [5000, daily_value(DAILY_VALUES - 2), newest]
    assert [pd.Timestamp(x).date() for x in exact.x] == [r.reached.peildatum.date(), last - dt.timedelta(days=1), last]
    assert f"Peildatum: {fmt.day(last)}" in exact.hovertext[-1]
    line = fig.data[0]
    assert line.y[-1] == newest and len(line.x) <= MAX_POINTS + 1


def test_short_series_are_drawn_point_for_point(engine):
    r = jobs(engine)
    fig = kpi_figure(r)
    assert not any("gemiddelde" in (t.name or "") for t in fig.data)
    assert sum(len(t.x) for t in fig.data if t.mode == "markers" and t.name.startswith(r.area)) == len(r.series)


def test_table_shows_the_newest_rows_and_the_csv_every_value(daily):
    engine, last = daily
    r = jobs(engine)
    assert measurement_count(r) == DAILY_VALUES + SEEDED_BANEN
    table = provenance_table(r, limit=TABLE_ROWS)
    assert len(table) == TABLE_ROWS
    assert table["Peildatum"].iloc[-1] == fmt.day(last)
    assert table["Waarde"].iloc[-1] == fmt.number(daily_value(DAILY_VALUES - 1))
    assert table["Peildatum"].iloc[0] == fmt.day(last - dt.timedelta(days=TABLE_ROWS - 1))
    lines = csv_bytes(export_frame(r)).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + DAILY_VALUES + SEEDED_BANEN


def test_kpi_page_on_daily_data_renders_bounded_chart_and_table(monkeypatch, sqlite_url):
    from kpi.db import ensure_ready, make_engine

    eng = make_engine(sqlite_url)
    ensure_ready(eng)
    last = add_daily_values(eng)
    eng.dispose()
    at = run_app(monkeypatch, sqlite_url, page="kpi", query={"kpi": "banen"})
    assert not at.exception
    assert at.metric[0].value == fmt.number(daily_value(DAILY_VALUES - 1))
    assert at.metric[1].value == fmt.day(last)
    fig = figure(at)
    assert sum(len(values(t.get("x", []))) for t in fig["data"]) <= 3 * MAX_POINTS
    table = html_table_with(at, "Vastgelegd", "Peildatum")  # Metingen: wrapping, in a box that scrolls (500 rows)
    assert len(table) == TABLE_ROWS and table["Peildatum"].iloc[-1] == fmt.day(last)
    assert f"500 van {fmt.number(DAILY_VALUES + SEEDED_BANEN)} metingen getoond" in texts(at)
    at.run()  # a rerun with warm caches
    assert not at.exception


def test_csv_download_is_built_on_request_complete_and_cached(monkeypatch, sqlite_url):
    from kpi.db import ensure_ready, make_engine
    from ui import data

    eng = make_engine(sqlite_url)
    ensure_ready(eng)
    add_daily_values(eng, n=2_000)
    eng.dispose()
    monkeypatch.setenv("KPI_DATABASE_URL", sqlite_url)
    calls = []
    monkeypatch.setattr(data, "csv_bytes", lambda frame: calls.append(1) or csv_bytes(frame))
    build = data.kpi_csv("banen")
    assert calls == []  # nothing built until someone clicks
    first = build()
    assert len(first.decode("utf-8-sig").splitlines()) == 1 + 2_000 + SEEDED_BANEN
    assert build() == first and calls == [1]  # built once for this data version
