"""kpi.charts: the KPI figure is a pure function of a result, checked on its traces and lines."""

import datetime as dt
import math
from dataclasses import replace

import pandas as pd
import pytest

from kpi import metrics as m
from kpi.charts import MEETING, kpi_figure, required_path_points, y_range
from tests.support.factories import (
    AREA,
    JOBS,
    JOBS_TARGET,
    NL,
    RANK,
    RANK_TARGET,
    RATING,
    RATING_TARGET,
    VACANCY,
    VACANCY_TARGET,
    obs,
)

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


# ---- type sizes: the beamer (issue 13) -----------------------------------------------------

def _vacancy_result():
    df = obs([(AREA, "leegstand", 2017, 21.9), (AREA, "leegstand", 2021, 18.1), (AREA, "leegstand", 2025, 13.8),
              (NL, "leegstand", 2017, 7.2), (NL, "leegstand", 2021, 7.1), (NL, "leegstand", 2025, 7.0)])
    return m.evaluate(VACANCY, VACANCY_TARGET, df, TODAY)


def _text_sizes(fig) -> dict[str, float]:
    """The size of every text part of a figure as plotly.js resolves it (unset parts use layout.font)."""
    lay = fig.layout
    base = lay.font.size
    sizes = {"body": base, "legend": lay.legend.font.size or base, "x ticks": lay.xaxis.tickfont.size or base,
             "y ticks": lay.yaxis.tickfont.size or base, "title": lay.title.font.size or base}
    for i, a in enumerate(lay.annotations):
        sizes[f"annotation {i} {a.text}"] = a.font.size or base
    return sizes


def test_meeting_style_draws_every_text_at_20px_or_more():
    events = pd.DataFrame([{"event_date": dt.date(2019, 6, 1), "text": "Opening garage", "indicator": "banen"}])
    jobs = m.evaluate(JOBS, JOBS_TARGET, obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2025, 4300)]), TODAY)
    for fig in (kpi_figure(jobs, events, style=MEETING), kpi_figure(_vacancy_result(), style=MEETING)):
        sizes = _text_sizes(fig)
        assert len(sizes) >= 6  # target or national label, and the event, are among them
        assert all(size >= 20 for size in sizes.values()), sizes
        assert fig.layout.title.text == ""  # the meeting page's h1 names the KPI
    labels = [a.text for a in kpi_figure(jobs, events, style=MEETING).layout.annotations]
    assert labels == ["Doel 5.000", "Opening garage", "4.300"]  # the last: the newest value at the line's end


def test_meeting_event_label_is_short_enough_for_the_plot_height():
    """At 20 px a vertical label of 40 characters ran past the x axis into the legend."""
    events = pd.DataFrame([{"event_date": dt.date(2019, 6, 1), "indicator": "banen",
                            "text": "Opening van de nieuwe parkeergarage aan de Weiersstraat"}])
    jobs = m.evaluate(JOBS, JOBS_TARGET, obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2025, 4300)]), TODAY)
    screen = [a.text for a in kpi_figure(jobs, events).layout.annotations if a.textangle == -90][-1]
    meeting = [a.text for a in kpi_figure(jobs, events, style=MEETING).layout.annotations if a.textangle == -90][-1]
    assert screen == "Opening van de nieuwe parkeergarage aan…"
    assert meeting == "Opening van de nieuwe…" and len(meeting) == 22


def test_screen_style_keeps_the_page_and_report_sizes():
    fig = kpi_figure(_vacancy_result())
    assert _text_sizes(fig)["legend"] == 15 and fig.layout.font.size == 15
    assert fig.layout.title.text == "Leegstand (verkooppunten)"


def test_national_line_is_named_at_its_newest_point():
    fig = kpi_figure(_vacancy_result(), style=MEETING)
    label = next(a for a in fig.layout.annotations if a.text.startswith("Landelijk"))
    assert (label.text, label.y, pd.Timestamp(label.x).year) == ("Landelijk 7,0%", 7.0, 2025)


def test_illustrative_flag_is_a_subtitle_so_a_phone_does_not_cut_it_off():
    df = obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2025, 4300)], illustrative=True)
    fig = kpi_figure(m.evaluate(JOBS, JOBS_TARGET, df, TODAY))
    assert fig.layout.title.text == "Aantal banen"
    assert fig.layout.title.subtitle.text == "oordeel rust op illustratieve waarden"


def test_legend_sits_below_the_plot_and_wraps_instead_of_fixed_entry_widths():
    legend = kpi_figure(_vacancy_result(), style=MEETING).layout.legend
    assert (legend.orientation, legend.yref, legend.yanchor, legend.y) == ("h", "container", "bottom", 0)
    assert legend.entrywidth is None


# ---- value axes (issue 13) -----------------------------------------------------------------

def _axis(fig) -> tuple[list[float], float]:
    return list(fig.layout.yaxis.range), fig.layout.yaxis.dtick


def _ticks(fig) -> list[float]:
    (a, b), step = _axis(fig)
    lo, hi = min(a, b), max(a, b)
    first = math.ceil(lo / step - 1e-9) * step
    return [round(first + k * step, 9) for k in range(int((hi - first) / step + 1e-9) + 1)]


def test_rating_axis_starts_at_a_sensible_floor_so_a_small_rise_looks_small():
    df = obs([(AREA, "waardering", 2018, 7.0), (AREA, "waardering", 2020, 7.1), (AREA, "waardering", 2022, 7.2),
              (AREA, "waardering", 2024, 7.3)])
    fig = kpi_figure(m.evaluate(RATING, RATING_TARGET, df, TODAY))
    (bottom, top), step = _axis(fig)
    assert (bottom, top, step) == (4.0, 8.0, 1.0)
    assert (7.3 - 7.0) / (top - bottom) <= 0.1  # the rise of 0,3 is at most a tenth of the height
    assert top - 7.5 >= 0.08 * (top - bottom)  # room above the target line for its label


def test_vacancy_axis_starts_at_zero_with_the_national_line_above_the_lowest_tick():
    fig = kpi_figure(_vacancy_result())
    (bottom, top), step = _axis(fig)
    assert (bottom, top, step) == (0.0, 25.0, 5.0)
    national = next(t for t in fig.data if t.name == "Landelijk (doel: eronder)")
    ticks = _ticks(fig)
    assert ticks[0] == 0.0 and ticks[-1] == 25.0
    assert all(ticks[0] <= y <= top for y in national.y)
    assert top - 21.9 >= 0.05 * (top - bottom)  # the baseline marker is not on the edge


def test_vacancy_axis_keeps_a_high_national_figure_inside():
    df = obs([(AREA, "leegstand", 2017, 5.0), (AREA, "leegstand", 2025, 4.0),
              (NL, "leegstand", 2017, 9.5), (NL, "leegstand", 2025, 11.2)])
    fig = kpi_figure(m.evaluate(VACANCY, VACANCY_TARGET, df, TODAY))
    (bottom, top), _ = _axis(fig)
    assert bottom == 0.0 and top >= 11.2 * 1.05


def test_jobs_axis_includes_the_target_with_a_margin():
    df = obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2019, 3920)])
    fig = kpi_figure(m.evaluate(JOBS, JOBS_TARGET, df, TODAY))
    (bottom, top), step = _axis(fig)
    assert (bottom, top, step) == (3500, 5250, 250)
    assert bottom < 3800 and top - 5000 >= 0.08 * (top - bottom)


def test_ranking_axis_is_reversed_and_includes_the_target():
    df = obs([(AREA, "ranking", 2017, 53), (AREA, "ranking", 2019, 47), (AREA, "ranking", 2023, 36)])
    fig = kpi_figure(m.evaluate(RANK, RANK_TARGET, df, TODAY))
    (first, last), step = _axis(fig)
    assert first > last  # reversed: 1 (the best place) at the top
    assert (first, last, step) == (60, 10, 10)
    assert last < 25 < first and step == int(step)


@pytest.mark.parametrize("values, unit, expected", [
    ([7.0, 7.5], "cijfer", (4.0, 8.0, 1.0)),           # a rating spans at least 3 points
    ([9.6, 10.0], "cijfer", (6.0, 10.0, 1.0)),         # never above a 10
    ([2.0, 3.0, 95.0], "procent", (0.0, 100.0, 20.0)),  # never above 100%
    ([12.0, 14.0], "procent", (0.0, 20.0, 5.0)),       # percentages start at 0
    ([428, 458, 500], "aantal", (350, 525, 25)),      # at least a quarter of the largest value
    ([3, 2, 1, -4], "positie", (0.5, 4, 1)),          # a projection past place 1 is cut off
    ([40, 41], "aantal", (28, 42, 2)),                # whole steps for counts
])
def test_y_range_rule(values, unit, expected):
    assert y_range(values, unit) == expected


def test_y_range_without_values_leaves_the_axis_to_plotly():
    assert y_range([], "aantal") is None
    nothing = replace(JOBS_TARGET, target_value=None, baseline_value=None, baseline_year=None)
    fig = kpi_figure(m.evaluate(JOBS, nothing, obs([(AREA, "banen", 2017, 3800)]).iloc[0:0], TODAY))
    assert fig.layout.yaxis.autorange is True and fig.layout.yaxis.range is None


# ---------------------------------------------------------------- issue 19: 10 and 13

def _jobs_2030():
    target = replace(JOBS_TARGET, target_year=2030)
    return m.evaluate(JOBS, target, obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2021, 3950),
                                         (AREA, "banen", 2025, 4180)]), TODAY)


def test_the_horizon_year_is_a_labelled_tick_within_the_time_axis():
    axis = kpi_figure(_jobs_2030()).layout.xaxis
    ticks = dict(zip([pd.Timestamp(v).year for v in axis.tickvals], axis.ticktext))
    assert ticks[2030] == "<b>2030</b>"  # bold: the year the goal is due
    assert 2017 <= min(ticks) and len(ticks) <= 8
    assert pd.Timestamp(axis.range[0]) < pd.Timestamp("2017-01-01") < pd.Timestamp("2030-01-01") < pd.Timestamp(axis.range[1])


def test_an_assumed_horizon_is_labelled_too_and_steps_stay_whole_years():
    from kpi.charts import year_ticks

    assert year_ticks(2016, 2025, 2030) == [2016, 2018, 2020, 2022, 2024, 2026, 2028, 2030]
    assert year_ticks(2019, 2025, None) == [2019, 2020, 2021, 2022, 2023, 2024, 2025]
    assert year_ticks(1990, 2025, 2030) == [1990, 2000, 2010, 2020, 2030]  # nine fives are too many
    target = replace(VACANCY_TARGET, horizon_year=2030)  # no target year: the planning horizon, assumed
    assert target.horizon_assumed
    r = m.evaluate(VACANCY, target, obs([(AREA, "leegstand", 2017, 21.9), (AREA, "leegstand", 2025, 16.2),
                                         (NL, "leegstand", 2017, 7.8), (NL, "leegstand", 2025, 7.9)]), TODAY)
    axis = kpi_figure(r).layout.xaxis
    assert dict(zip([pd.Timestamp(v).year for v in axis.tickvals], axis.ticktext))[2030] == "<b>2030</b>"


def test_the_projection_does_not_look_like_the_national_line():
    from tests.support.contrast import colour_distance

    fig = kpi_figure(_vacancy_result())
    projection = next(t for t in fig.data if t.name.startswith("Projectie"))
    national = next(t for t in fig.data if t.name.startswith("Landelijk (doel"))
    series = next(t for t in fig.data if t.name == AREA)
    # Vermillion beside the national orange was 29 (CIE76): read as one colour family.
    assert colour_distance(projection.line.color, national.line.color) > 50
    assert colour_distance(projection.line.color, series.line.color) > 50


def test_the_newest_value_is_labelled_at_the_lines_end():
    r = _jobs_2030()
    fig = kpi_figure(r)
    label = next(a for a in fig.layout.annotations if a.name == "latest")
    assert (label.text, pd.Timestamp(label.x), label.y) == ("4.180", pd.Timestamp("2025-01-01"), 4180.0)
    assert label.xanchor == "left"  # at the end, beside the point
    vacancy = kpi_figure(_vacancy_result())
    assert [a.text for a in vacancy.layout.annotations if a.name == "latest"] == ["13,8%"]


def test_target_and_required_path_differ_in_colour_and_dash():
    from tests.support.contrast import colour_distance

    fig = kpi_figure(_jobs_2030())
    target = next(s for s in fig.layout.shapes if s.type == "line" and s.xref == "x domain")
    path = next(t for t in fig.data if t.name == "Benodigd pad")
    assert target.line.dash != path.line.dash
    assert {target.line.dash, path.line.dash} & {"dot"} and {target.line.dash, path.line.dash} & {"dash", "longdash"}
    assert colour_distance(target.line.color, path.line.color) > 50  # green and black, not two greens


def test_meeting_legend_names_are_short_enough_for_two_columns_on_the_beamer():
    """At 20 px the widest legend entry set the width of every entry: 'Landelijk – illustratief,
    telt niet mee' made one entry per row (six rows, 160 px of plot). Short names, the national
    line named at its end and one entry for all greyed points keep at most 28 characters."""
    real = obs([(AREA, "leegstand", 2017, 21.9), (AREA, "leegstand", 2025, 16.2),
                (NL, "leegstand", 2017, 7.8), (NL, "leegstand", 2025, 7.9)])
    demo = obs([(AREA, "leegstand", 2021, 18.0), (NL, "leegstand", 2021, 7.4)], illustrative=True).assign(id=[20, 21])
    r = m.evaluate(VACANCY, VACANCY_TARGET, pd.concat([real, demo], ignore_index=True), TODAY)
    meeting = kpi_figure(r, style=MEETING)
    shown = [t.name for t in meeting.data if t.showlegend is not False]
    assert shown and max(len(n) for n in shown) <= 28, shown
    assert not any(AREA in n for n in shown)  # the page names the area
    greyed = [t for t in meeting.data if "telt niet mee" in t.name]
    assert len(greyed) == 2 and len({t.legendgroup for t in greyed}) == 1  # one click hides both
    assert any(a.text.startswith("Landelijk") for a in meeting.layout.annotations)  # the line's name
    # The page and the reports keep the full names.
    screen = [t.name for t in kpi_figure(r).data if t.showlegend is not False]
    assert f"{AREA} (meting)" in screen and "Landelijk (doel: eronder)" in screen


def test_an_increase_goal_is_drawn_from_its_stand_and_not_at_all_while_that_is_unknown(engine):
    """Issue 21's '+700 homes since 2021': not a line at 700 (a level nobody set), but the stand
    in 2021 plus 700 as the verdict judges it; while the stand is unknown no line, and a chart
    without any figure says so on a time axis of years (not 0, 2, 4)."""
    from kpi import importer
    from kpi.service import evaluate_all
    from kpi.settings import Settings

    def woningen():
        return next(r for r in evaluate_all(engine, Settings(), dt.date(2026, 12, 7)) if r.indicator.code == "woningen")

    fig = kpi_figure(woningen())
    assert _target_lines(fig) == []
    assert "Nog geen meting" in [a.text for a in fig.layout.annotations]
    assert fig.layout.xaxis.type == "date" and pd.Timestamp(fig.layout.xaxis.range[0]).year <= 2021
    assert pd.Timestamp(fig.layout.xaxis.range[1]).year >= 2030

    text = "gebied;indicator;jaar;waarde;bron\nAssen binnenstad;woningen;2021;1.200;BAG\n"
    preview = importer.prepare(engine, [("woningen.csv", text.encode())], Settings())
    assert preview.ok, preview.problems
    importer.apply(engine, preview, "redacteur", confirmed=True)
    fig = kpi_figure(woningen())
    assert _target_lines(fig) == [1900.0]
    assert "Doel 1.900 (+700 sinds 2021, 2030)" in [a.text for a in fig.layout.annotations]
    assert "Nog geen meting" not in [a.text for a in fig.layout.annotations]
