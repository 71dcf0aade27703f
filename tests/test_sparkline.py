"""The overview's trend line: plain SVG from numbers (no charting library in the browser)."""

import math
import re

from kpi.charts import SPARK_HEIGHT, SPARK_PAD, SPARK_WIDTH, sparkline_svg
from tests.apptest import run_app


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
