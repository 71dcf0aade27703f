"""The overview's trend line: plain SVG from numbers (no charting library in the browser)."""

import math
import re

from kpi.charts import SPARK_HEIGHT, SPARK_PAD, SPARK_WIDTH, sparkline_svg
from tests.support.apptest import run_app


def _points(svg: str) -> list[tuple[float, float]]:
    raw = re.search(r'points="([^"]+)"', svg).group(1)
    return [tuple(map(float, p.split(","))) for p in raw.split()]


def test_points_span_the_box_highest_value_on_top():
    svg = sparkline_svg([3800, 4000, 3900])
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert _points(svg) == [(SPARK_PAD, SPARK_HEIGHT - SPARK_PAD), (SPARK_WIDTH / 2, SPARK_PAD),
                            (SPARK_WIDTH - SPARK_PAD, SPARK_HEIGHT / 2)]
    assert f'cx="{SPARK_WIDTH - SPARK_PAD:.1f}" cy="{SPARK_HEIGHT / 2:.1f}"' in svg  # the newest value


def test_flat_missing_and_short_series():
    assert [y for _, y in _points(sparkline_svg([7.3, 7.3]))] == [SPARK_HEIGHT / 2] * 2
    assert len(_points(sparkline_svg([1.0, math.nan, None, 2.0]))) == 2
    assert sparkline_svg([4210]) is None
    assert sparkline_svg([]) is None


def test_every_overview_card_with_a_series_has_its_trend_line(monkeypatch, sqlite_url):
    at = run_app(monkeypatch, sqlite_url)
    assert not at.exception
    images = at.get("image")
    assert len(images) == 5
    urls = [img.proto.imgs[0].url for img in images]
    assert all(url.startswith("data:image/svg+xml;base64,") for url in urls), urls


def test_points_are_spaced_by_date_not_evenly():
    """Issue 19.12: 2017, 2025 and 2026 were drawn equally far apart, suggesting a recent flattening."""
    import pandas as pd

    dates = pd.to_datetime(["2017-01-01", "2025-01-01", "2026-01-01"])
    xs = [x for x, _ in _points(sparkline_svg([3800, 4100, 4180], dates=dates))]
    inner = SPARK_WIDTH - 2 * SPARK_PAD
    assert xs[0] == SPARK_PAD and xs[-1] == SPARK_WIDTH - SPARK_PAD
    # 2017 to 2025 is eight years of nine: eight ninths of the width (days, so a leap year counts).
    share = (dates[1] - dates[0]) / (dates[2] - dates[0])
    assert abs((xs[1] - SPARK_PAD) - share * inner) < 0.1
    assert xs[2] - xs[1] < (xs[1] - xs[0]) / 7


def test_the_overview_card_spaces_its_line_by_peildatum(monkeypatch, sqlite_url):
    """The cards pass the peildatum along: with real jobs figures for 2025 and 2026 beside the 2017
    baseline measurement, the last step is an eighth of the first (it was as long)."""
    import base64

    from tests.support.realdata import import_real_figures

    import_real_figures(sqlite_url)
    at = run_app(monkeypatch, sqlite_url)
    assert not at.exception
    # The cards in the overview's order: jobs (banen) first.
    jobs = base64.b64decode(at.get("image")[0].proto.imgs[0].url.split(",", 1)[1]).decode()
    xs = [x for x, _ in _points(jobs)]
    assert len(xs) == 3, xs  # 2017, 2025, 2026: the demo years are greyed out and not drawn
    assert 7 < (xs[1] - xs[0]) / (xs[2] - xs[1]) < 9
