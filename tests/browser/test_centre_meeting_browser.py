"""Meeting mode of another centre on the beamer (1280x720) in chromium (issue 21.1): with
?gebied=brugdorp-centrum the summary, a KPI screen and the werkplan screen are the fictional Brugdorp
centrum's (its KPIs, its duiding, its werkplan) and say so, with no Assen theme name anywhere; each
screen fits without scrolling and axe finds no serious or critical violation. Screenshots go to the
artifacts folder. The data are those of tests/test_centre_meeting.py (AppTest, both databases)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kpi import werkplan
from kpi.db import ensure_ready, make_engine
from tests.browser.test_a11y_browser import axe_violations, report, settle
from tests.support.browser import ARTIFACTS, UI_TIMEOUT_MS, screenshot, sqlite_url, start_streamlit
from tests.test_centre_meeting import BRUGDORP_ACTION, BRUGDORP_CAUSE, LATE_DEMO_ACTION, SLUG, A, B, _brugdorp

pytestmark = pytest.mark.browser

SCREENS = [(0, "Stand van de doelen"), (2, "Leegstand (verkooppunten)"), (3, "Werkplan")]


@pytest.fixture(scope="module")
def brugdorp_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("centremeeting")
    url = sqlite_url(folder / "demo.db")
    engine = make_engine(url)
    ensure_ready(engine)
    _brugdorp(engine)  # the demo, Brugdorp's own KPIs, duiding and actions
    assen_themes = list(werkplan.load_werkplan(engine, A).themes["name"])
    engine.dispose()
    server = start_streamlit(folder / "server.log", env={"KPI_DATABASE_URL": url})
    yield server, assen_themes
    server.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "centre-meeting-server.log").write_text(server.log_text())


def test_the_meeting_of_another_centre_on_the_beamer(chromium, brugdorp_server):
    server, assen_themes = brugdorp_server
    assert len(assen_themes) == 6
    context = chromium.new_context(viewport={"width": 1280, "height": 720}, locale="nl-NL")
    try:
        pg = context.new_page()
        pg.set_default_timeout(UI_TIMEOUT_MS)
        for step, title in SCREENS:
            pg.goto(f"{server.url}/vergadering?gebied={SLUG}&stap={step}")
            settle(pg)
            expect(pg.locator("[data-testid=stMain] h1").first).to_have_text(title)
            assert pg.locator("[data-testid=stException]").count() == 0
            main = pg.locator("[data-testid=stMain]")
            # The late actions are a data grid: its cells are read from the grid's accessible DOM.
            cells = " ".join(main.locator("[data-testid=stDataFrame] [role=gridcell]").all_inner_texts())
            shown = " ".join(f"{main.inner_text()} {cells}".split())
            screenshot(pg, f"meeting-brugdorp-1280x720-stap{step}.png")
            assert f"{B} · Scherm {step + 1} van 4" in shown, shown  # the beamer names the centre
            assert not [name for name in assen_themes if name in shown], step
            if step == 0:
                assert "Leegstand (verkooppunten)" in shown and "9,7%" in shown and "13,8%" not in shown
                assert "Rapportcijfer bezoekers" not in shown
            elif step == 2:
                assert BRUGDORP_CAUSE in shown
            else:
                assert LATE_DEMO_ACTION in shown and BRUGDORP_ACTION in shown
            assert f"gebied={SLUG}" in pg.url
            overflow = pg.evaluate("(() => { const m = document.querySelector('[data-testid=stMain]');"
                                   " return m.scrollHeight - m.clientHeight; })()")
            assert overflow <= 0, f"screen {step} needs scrolling ({overflow}px)"
            # ... on one line (it broke "KPI 3 | van 7" over two beside a half-empty column).
            lines = main.locator("[data-testid=stCaptionContainer] p", has_text=" · Scherm ").evaluate(
                "e => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))")
            assert lines == 1, f"the position line takes {lines} lines on screen {step}"
            # ... and the link and buttons beside it their whole text, on one line ("Volge…" or
            # "Verlaat | vergadermodus" when the line took their room).
            assert main.locator(".st-key-meeting_leave p").evaluate(
                "e => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))") == 1
            for button in main.locator(".st-key-meeting_prev button, .st-key-meeting_next button").all():
                assert button.evaluate("b => [b, ...b.querySelectorAll('*')].every(e => e.scrollWidth <= e.clientWidth)"), \
                    button.inner_text()
            violations = axe_violations(pg)
            assert not violations, f"axe on the Brugdorp meeting, screen {step}:\n{report(violations)}"
    finally:
        context.close()
