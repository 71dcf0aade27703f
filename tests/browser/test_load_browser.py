"""Load: one chromium with 20 browser contexts opens the dashboard at the same moment, on a
server that has just started with a new database (as after a restart before a meeting), then
every session goes on to a KPI page. Every page must show its values, without an error
element, and the server log must stay free of exceptions."""

from __future__ import annotations

import asyncio

import pytest

from tests.browser.test_browser_core import expected_cards
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, run_async

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SESSIONS = 20
# Twenty pages rendering at once on two cores is slow; this is a bound, not a measurement.
WAIT_MS = 600_000
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
CHART = "[data-testid=stPlotlyChart] .scatterlayer .trace"


NO_FIGURE = {"woningen"}


# The overview's KPIs (Assen: the akkoord 2018 and the visie 2021), one card each.
CODES = ["banen", "bedrijven", "leegstand", "waardering", "ranking", "winkelvloeroppervlak", "woningen"]


async def _session(browser, url: str, i: int, code: str) -> dict:
    context = await browser.new_context(viewport={"width": 1100, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(WAIT_MS)
    dialogs: list[str] = []
    page.on("dialog", lambda d: dialogs.append(d.message))
    try:
        await page.goto(url)
        # Every card's value: the overview draws its cards one after another while the run goes on
        # (CI: one of twenty sessions read six of seven values right after 'at least five').
        await page.wait_for_function("n => document.querySelectorAll('[data-testid=stMetricValue]').length >= n",
                                     arg=len(CODES))
        await page.wait_for_selector(IDLE, state="attached")
        overview = {
            "values": [t.strip() for t in await page.locator("[data-testid=stMetricValue]").all_inner_texts()],
            "errors": await page.locator("[data-testid=stException]").count(),
            "alerts": await page.locator("[data-testid=stAlertContentError]").all_inner_texts(),
        }
        await page.locator(f".st-key-card_{code} [data-testid=stPageLink] a").click()
        # A KPI with neither a figure nor a baseline yet (the visie's homes) draws axes and
        # 'Nog geen meting' but no trace: wait for the drawn chart instead.
        await page.wait_for_selector(CHART if code not in NO_FIGURE else "[data-testid=stPlotlyChart] .main-svg",
                                     state="visible")
        await page.wait_for_selector(IDLE, state="attached")
        detail = {
            "url": page.url,
            "title": (await page.locator("h1").first.inner_text()).strip(),
            "value": (await page.locator("[data-testid=stMetricValue]").first.inner_text()).strip(),
            "errors": await page.locator("[data-testid=stException]").count(),
            "alerts": await page.locator("[data-testid=stAlertContentError]").all_inner_texts(),
        }
        return {"i": i, "code": code, "overview": overview, "detail": detail, "dialogs": dialogs}
    finally:
        await context.close()


async def _load(url: str, codes: list[str]) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return await asyncio.gather(*(
                _session(browser, url, i, codes[i % len(codes)]) for i in range(SESSIONS)
            ))
        finally:
            await browser.close()


def test_twenty_sessions_at_once_on_a_fresh_server(streamlit_server, chromium):
    # `chromium` only to skip or fail like the other browser tests when there is none.
    codes = CODES
    results = run_async(lambda: _load(streamlit_server.url, codes))

    cards = expected_cards(streamlit_server.db_url)
    expected_values = [value for _, _, value in cards]
    names = {code: name for code, name, _ in cards}
    values_by_code = {code: value for code, _, value in cards}
    assert sorted(names) == sorted(codes)
    assert len(results) == SESSIONS
    for r in results:
        assert r["overview"]["values"] == expected_values, r
        assert r["overview"]["errors"] == 0 and r["overview"]["alerts"] == [], r
        d = r["detail"]
        assert f"kpi={r['code']}" in d["url"], r
        assert d["title"] == names[r["code"]], r
        assert d["value"] == values_by_code[r["code"]], r
        assert d["errors"] == 0 and d["alerts"] == [], r
        assert r["dialogs"] == []
    assert streamlit_server.alarms() == [], streamlit_server.log_text()[-3000:]

