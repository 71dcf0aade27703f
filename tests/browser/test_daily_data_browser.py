"""Daily data in chromium (issue 12, point 4): the KPI page on 90.000 daily values shows the
bounded chart and table, and the CSV download, built only on the click, holds every value."""

from __future__ import annotations

import csv
import io

import pytest

from kpi import formatting as fmt
from kpi.db import ensure_ready, make_engine
from tests.support.browser import exceptions_on, open_page, sqlite_url
from tests.support.factories import DAILY_VALUES, add_daily_values, daily_value

pytestmark = pytest.mark.browser

SEEDED_BANEN = 9


def test_kpi_page_on_daily_data_downloads_every_value(server_factory, tmp_path, page):
    url = sqlite_url(tmp_path / "daily.db")
    engine = make_engine(url)
    ensure_ready(engine)
    last = add_daily_values(engine)
    engine.dispose()
    server = server_factory(url, name="daily")
    open_page(page, f"{server.url}/kpi?kpi=banen", ready="[data-testid=stPlotlyChart]")
    assert exceptions_on(page) == []
    assert fmt.number(daily_value(DAILY_VALUES - 1)) in page.locator("[data-testid=stMetricValue]").all_inner_texts()
    caption = f"500 van {fmt.number(DAILY_VALUES + SEEDED_BANEN)} metingen getoond"
    assert page.get_by_text(caption).count() == 1
    # The 500 rows scroll up and down in their own box (the page below stays near), a named region
    # the keyboard reaches, never sideways (issue 19).
    box = page.locator(".st-key-kpi_table .wp-scroll[role=region][tabindex='0'][aria-label=Metingen]")
    box.scroll_into_view_if_needed()
    size = box.evaluate("e => ({h: e.clientHeight, sh: e.scrollHeight, w: e.clientWidth, sw: e.scrollWidth})")
    assert size["h"] < 700 < size["sh"] and size["sw"] <= size["w"] + 1, size
    box.focus()
    assert box.evaluate("e => document.activeElement === e")
    page.keyboard.press("End")
    # Chromium scrolls smoothly on a key: wait for the box to move (seen at 0 when read at once).
    page.wait_for_function("e => e.scrollTop > 0", arg=box.element_handle(), timeout=5000)
    assert box.locator("tbody tr").last.is_visible()
    with page.expect_download() as info:
        page.locator(".st-key-kpi_csv button").click()
    rows = list(csv.DictReader(io.StringIO(open(info.value.path(), "rb").read().decode("utf-8-sig"), newline=""),
                               delimiter=";"))
    assert len(rows) == DAILY_VALUES + SEEDED_BANEN
    assert rows[-1]["peildatum"] == last.isoformat()
