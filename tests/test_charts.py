"""kpi.charts: the KPI figure is a pure function of a result, checked on its traces and lines."""

import datetime as dt

import pandas as pd

from kpi import metrics as m
from kpi.charts import MEETING, kpi_figure, required_path_points
from tests.factories import (
    AREA,
    JOBS,
    JOBS_TARGET,
    NL,
    RANK,
    RANK_TARGET,
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
    assert labels == ["Doel 5.000", "Opening garage"]


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
