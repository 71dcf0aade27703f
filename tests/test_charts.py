"""kpi.charts: the KPI figure is a pure function of a result, checked on its traces and lines."""

import datetime as dt

import pandas as pd

from kpi import metrics as m
from kpi.charts import kpi_figure, required_path_points
from tests.factories import AREA, JOBS, JOBS_TARGET, NL, RANK, RANK_TARGET, VACANCY, VACANCY_TARGET, obs

TODAY = dt.date(2026, 11, 22)


def _names(fig) -> list[str]:
    return [t.name for t in fig.data]


def _target_lines(fig) -> list[float]:
    """The y of every horizontal line across the plot (add_hline)."""
    return [s.y0 for s in fig.layout.shapes if s.type == "line" and s.xref == "x domain"]


def test_absolute_target_has_target_line_baseline_and_measurements():
    df = obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2019, 3920)])
    fig = kpi_figure(m.evaluate(JOBS, JOBS_TARGET, df, TODAY))
    assert _names(fig)[:2] == [AREA, f"{AREA} (meting)"]
    assert "Basiswaarde" in _names(fig)
    assert _target_lines(fig) == [5000.0]
    points = next(t for t in fig.data if t.name == f"{AREA} (meting)")
    assert list(points.y) == [3800.0, 3920.0]


def test_illustrative_values_are_open_circles_with_their_own_legend_entry():
    real = obs([(AREA, "banen", 2017, 3800)])
    demo = obs([(AREA, "banen", 2020, 4000)], illustrative=True).assign(id=2)
    fig = kpi_figure(m.evaluate(JOBS, JOBS_TARGET, pd.concat([real, demo], ignore_index=True), TODAY))
    trace = next(t for t in fig.data if t.name == f"{AREA} – illustratief")
    assert trace.marker.symbol == "circle-open" and list(trace.y) == [4000.0]


def test_relative_target_draws_the_national_series_and_no_target_line():
    df = obs([(AREA, "leegstand", 2017, 21.9), (NL, "leegstand", 2017, 7.8)])
    fig = kpi_figure(m.evaluate(VACANCY, VACANCY_TARGET, df, TODAY))
    national = next(t for t in fig.data if t.name == "Landelijk (doel: eronder)")
    assert list(national.y) == [7.8]
    assert _target_lines(fig) == []


def test_required_path_runs_from_baseline_to_target_year():
    df = obs([(AREA, "ranking", 2017, 53), (AREA, "ranking", 2019, 40)])
    path = required_path_points(m.evaluate(RANK, RANK_TARGET, df, TODAY))
    assert list(path["y"]) == [53, 25]
    assert [pd.Timestamp(x).year for x in path["x"]] == [2017, 2021]


def test_hover_names_an_import_and_leaves_out_a_missing_source():
    rows = obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2025, 4300)])
    rows["source"] = rows["source"].astype(object)
    rows.loc[1, ["batch_kind", "batch_file", "batch_id", "source"]] = ["observaties", "lisa.csv", 7, None]
    fig = kpi_figure(m.evaluate(JOBS, JOBS_TARGET, rows, dt.date(2026, 11, 22)))
    hovers = next(t for t in fig.data if t.name == f"{AREA} (meting)").hovertext
    assert hovers[0].endswith("<br>Bron: testbron<br>Herkomst: startgegevens bij de installatie")
    assert hovers[1] == f"<b>{AREA}</b>: 4.300<br>Peildatum: 2025<br>Herkomst: import lisa.csv (nr. 7)"


def test_axes_use_dutch_separators_also_for_four_digits():
    """'5.000' on the axis beside 'Doel 5.000', not '5000'; a decimal comma for 7,5."""
    fig = kpi_figure(m.evaluate(JOBS, JOBS_TARGET, obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2025, 4300)]),
                                dt.date(2026, 11, 22)))
    assert fig.layout.separators == ",."
    assert fig.layout.yaxis.separatethousands is True and fig.layout.yaxis.exponentformat == "none"
