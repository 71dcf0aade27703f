"""The meeting screen on a projector (1280x720) in chromium: no scrolling, large type, the
arrow keys step through it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import exceptions_on, screenshot, wait_idle

pytestmark = pytest.mark.browser


def test_meeting_screen_fits_1280x720_in_large_type(streamlit_server, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    for step in range(6):
        page.goto(f"{streamlit_server.url}/vergadering?stap={step}")
        page.wait_for_selector("h1", state="visible")
        wait_idle(page)
        if step:
            page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", state="visible")
        screenshot(page, f"meeting-1280x720-stap{step}.png")
        assert not exceptions_on(page)
        assert not page.locator("[data-testid=stSidebar]").is_visible()
        overflow = page.evaluate(
            "(() => { const m = document.querySelector('[data-testid=stMain]');"
            " return m.scrollHeight - m.clientHeight; })()")
        assert overflow <= 0, f"screen {step} needs scrolling ({overflow}px)"
        body_px = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('[data-testid=stMarkdownContainer] p')).fontSize)")
        assert body_px >= 20
        if step:
            value_px = page.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('[data-testid=stMetricValue] p')).fontSize)")
            assert value_px >= 64
    page.keyboard.press("ArrowLeft")  # the Vorige button's shortcut
    expect(page.locator("h1").first).to_have_text("Rapportcijfer bezoekers")
    page.wait_for_url("**stap=4**")
