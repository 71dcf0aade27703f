"""The werkplan of another centre in chromium (issue 21.3): /werkplan?gebied=brugdorp-centrum on the
demo database shows the fictional centre's own themes (the Platform's project themes) and its
illustrative actions, not Assen's, at 1440x900, 1280x720 and on an iPhone 13; the Dekking and
Rollen views too; axe finds no serious or critical violation. Screenshots go to the artifacts folder."""

from __future__ import annotations

import pytest

from tests.browser.test_a11y_browser import axe_violations, context_options, report, settle
from tests.support.browser import ARTIFACTS, UI_TIMEOUT_MS, sqlite_url, start_streamlit
from tests.support.cli import run_kpi

pytestmark = pytest.mark.browser

SIZES = {
    "1440x900": {"viewport": {"width": 1440, "height": 900}, "locale": "nl-NL"},
    "1280x720": {"viewport": {"width": 1280, "height": 720}, "locale": "nl-NL"},
    "iphone": None,  # the iPhone 13 descriptor, as the a11y test uses it
}
LINK = "/werkplan?gebied=brugdorp-centrum"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("centrewerkplan")
    url = sqlite_url(folder / "demo.db")
    assert run_kpi(url, "demo").returncode == 0  # Brugdorp centrum (fictional) with its own werkplan
    server = start_streamlit(folder / "server.log", env={"KPI_DATABASE_URL": url})
    yield server
    server.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "centre-werkplan-server.log").write_text(server.log_text())


@pytest.mark.parametrize("size", list(SIZES))
def test_the_werkplan_of_another_centre_at_every_size(chromium, demo_server, size):
    context = chromium.new_context(**(SIZES[size] or context_options("phone")))
    try:
        pg = context.new_page()
        pg.set_default_timeout(UI_TIMEOUT_MS)
        for view, heading in (("acties", "R ruimtelijke economie"), ("dekking", None), ("rollen", None)):
            pg.goto(f"{demo_server.url}{LINK}&weergave={view}")
            settle(pg)
            main = pg.locator("[data-testid=stMain]")
            assert pg.locator("[data-testid=stException]").count() == 0
            main.locator("table, [data-testid=stAlert]").first.wait_for(state="visible")
            text = " ".join(main.inner_text().split())
            assert "compact & compleet" not in text and "Regisseur" not in text, view
            if view == "acties":
                main.locator("h3", has_text=heading).wait_for(state="visible")
                assert "BR-01 Leegstandsbeheer met pop-upwinkels in de hoofdstraat illustratief" in text
            elif view == "dekking":  # the fictional centre has figures but no targets: no KPIs to cover
                assert "Brugdorp centrum heeft nog geen KPI's met een doel" in text
            else:
                assert "Centrummanager" in text and "Evenementenmaker" in text
            assert "gebied=brugdorp-centrum" in pg.url
            # Nothing sideways: the page is as wide as the window.
            assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), view
            ARTIFACTS.mkdir(exist_ok=True)
            pg.screenshot(path=str(ARTIFACTS / f"werkplan-brugdorp-{view}-{size}.png"))
            violations = axe_violations(pg)
            assert not violations, f"axe on {LINK} ({view}, {size}):\n{report(violations)}"
    finally:
        context.close()
