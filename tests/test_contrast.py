"""Contrast of our own colours (issue 13): text 4,5:1 and graphics 3:1 against the background they
sit on, computed with WCAG's formula from the constants the app actually uses. Streamlit's badge
colours are measured in the browser (tests/test_a11y_browser.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kpi import charts, statuses, werkplan
from kpi import metrics as m
from kpi.werkplan import tables as wp_tables
from tests.support.contrast import GRAPHICS, TEXT, ratio
from tests.support.factories import (
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
WHITE = "#FFFFFF"
STREAMLIT_TEXT = "#1A1A1A"  # textColor in .streamlit/config.toml


@pytest.mark.parametrize(("fg", "bg", "expected"), [
    ("#000000", "#FFFFFF", 21.0), ("#FFFFFF", "#FFFFFF", 1.0), ("#767676", "white", 4.54),
    ("rgba(0, 0, 0, 0.5)", "#FFFFFF", 3.98),
])
def test_the_formula_gives_wcags_known_ratios(fg, bg, expected):
    assert round(ratio(fg, bg), 2) == expected


def test_the_streamlit_text_colour_is_the_one_configured():
    config = open(".streamlit/config.toml", encoding="utf-8").read()
    assert f'textColor = "{STREAMLIT_TEXT}"' in config


@pytest.mark.parametrize("status", statuses.STATUSES, ids=lambda s: s.word)
def test_status_colours_stand_out_as_graphics_on_white(status):
    """The Okabe-Ito colour of a status (charts, documents) marks a shape, never carries text alone."""
    assert ratio(status.hex_colour, WHITE) >= GRAPHICS, (status.word, status.hex_colour)


@pytest.mark.parametrize("action_status", werkplan.ACTION_STATUSES, ids=lambda s: s.code)
def test_status_cells_keep_the_table_text_readable(action_status):
    fill = wp_tables.STATUS_FILL[action_status.label]
    assert ratio(STREAMLIT_TEXT, fill) >= TEXT, (action_status.code, fill)


def test_late_cells_keep_the_table_text_readable():
    assert ratio(STREAMLIT_TEXT, wp_tables.LATE_FILL) >= TEXT


def test_sparkline_stands_out_on_the_card():
    svg = charts.sparkline_svg([1, 2, 3])
    assert f'stroke="{charts.BLUE}"' in svg
    assert ratio(charts.BLUE, WHITE) >= GRAPHICS


def _everything_figures() -> list:
    """Figures with every kind of element: measurements, illustrative ones counted and greyed
    out, baseline, target line, required path, projection, national series and an event."""
    events = pd.DataFrame([{"event_date": dt.date(2020, 3, 1), "text": "Corona", "indicator": None}])
    jobs = pd.concat([
        obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2019, 3920), (AREA, "banen", 2025, 4300)]),
        obs([(AREA, "banen", 2021, 4000)], illustrative=True).assign(id=9),
    ], ignore_index=True)
    demo_jobs = obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2020, 4000)], illustrative=True)
    vacancy = pd.concat([
        obs([(AREA, "leegstand", 2017, 21.9), (AREA, "leegstand", 2024, 15.0),
             (NL, "leegstand", 2017, 7.8), (NL, "leegstand", 2024, 7.0)]),
        obs([(NL, "leegstand", 2020, 7.5)], illustrative=True).assign(id=9),
    ], ignore_index=True)
    return [
        charts.kpi_figure(m.evaluate(JOBS, JOBS_TARGET, jobs, TODAY), events),
        charts.kpi_figure(m.evaluate(JOBS, JOBS_TARGET, demo_jobs, TODAY), events),
        charts.kpi_figure(m.evaluate(VACANCY, VACANCY_TARGET, vacancy, TODAY), events),
        charts.kpi_figure(m.evaluate(RANK, RANK_TARGET, obs([(AREA, "ranking", 2017, 53), (AREA, "ranking", 2019, 40)]),
                                     TODAY), events),
    ]


def _colours(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def chart_colours(fig) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(what, colour) of every graphical element and of every text the figure draws."""
    graphics, texts = [], []
    for t in fig.data:
        line = _colours(t.line.color) if "lines" in (t.mode or "") else []
        # plotly draws markers in the line's colour when the marker has none of its own
        marker = (_colours(t.marker.color) or line) if "markers" in (t.mode or "") else []
        graphics += [(f"trace {t.name!r} line", c) for c in line]
        graphics += [(f"trace {t.name!r} marker", c) for c in marker]
        if "markers" in (t.mode or "") and not marker:
            graphics.append((f"trace {t.name!r} marker", "unset"))
    graphics += [(f"shape {s.type}", c) for s in fig.layout.shapes for c in _colours(s.line.color)]
    template_font = fig.layout.template.layout.font.color
    for a in fig.layout.annotations:
        texts.append((f"annotation {a.text!r}", a.font.color or fig.layout.font.color or template_font))
    texts.append(("axis and legend text", fig.layout.font.color or template_font))
    return graphics, texts


def test_every_chart_element_meets_its_contrast_on_the_plot_background():
    failures, seen = [], set()
    for fig in _everything_figures():
        background = fig.layout.plot_bgcolor or fig.layout.template.layout.plot_bgcolor
        assert ratio(background, WHITE) == 1.0, "charts sit on white; the thresholds below assume it"
        graphics, texts = chart_colours(fig)
        for what, colour in graphics:
            seen.add(what.split(" ")[0] + " " + what.split(" ")[-1])
            if colour == "unset" or ratio(colour, background) < GRAPHICS:
                failures.append(f"{what}: {colour} ({ratio(colour, background):.2f}:1 < 3:1)"
                                if colour != "unset" else f"{what}: no colour")
        for what, colour in texts:
            if ratio(colour, background) < TEXT:
                failures.append(f"{what}: {colour} ({ratio(colour, background):.2f}:1 < 4,5:1)")
    assert not failures, "\n".join(failures)
    names = {t.name for fig in _everything_figures() for t in fig.data}
    # the figures really hold every kind of element checked above
    assert {f"{AREA} (meting)", f"{AREA} – illustratief", f"{AREA} – illustratief, telt niet mee", "Basiswaarde",
            "Benodigd pad", "Projectie (trend)", "Landelijk (doel: eronder)",
            "Landelijk – illustratief, telt niet mee"} <= names, names
    assert {"shape line", "trace line", "trace marker"} <= seen
