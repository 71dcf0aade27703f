"""Viewers per centre in chromium (issue 21.5): with KPI_VIEWER_AREAS a shared link to a hidden
centre shows a Dutch message and the viewer's own centre, and the Vergelijken page ranks only
the centres one may see; on an iPhone, with axe finding no serious or critical violation."""

from __future__ import annotations

import pytest

from tests.browser.test_a11y_browser import axe_violations, context_options, report, settle
from tests.support.browser import ARTIFACTS, UI_TIMEOUT_MS, sqlite_url, start_streamlit
from tests.support.cli import run_kpi

pytestmark = pytest.mark.browser

VISIBLE = "assen-binnenstad, brugdorp-centrum, groningen-binnenstad"


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("viewers")
    url = sqlite_url(folder / "demo.db")
    assert run_kpi(url, "demo").returncode == 0  # the werkgroep with seven other centres
    server = start_streamlit(folder / "server.log", env={"KPI_DATABASE_URL": url, "KPI_VIEWER_AREAS": VISIBLE})
    yield server
    server.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "viewers-server.log").write_text(server.log_text())


def test_a_limited_viewer_never_sees_a_hidden_centre(chromium, limited_server):
    context = chromium.new_context(**context_options("phone"))
    try:
        pg = context.new_page()
        pg.set_default_timeout(UI_TIMEOUT_MS)
        pg.goto(limited_server.url + "/vergelijken?gebied=proefhaven-binnenstad&indicator=leegstand")
        settle(pg)
        assert pg.locator("[data-testid=stException]").count() == 0
        main = pg.locator("[data-testid=stMain]")
        # Said above the page, where a phone shows it (the sidebar is folded away there).
        main.get_by_text("Het gebied ‘proefhaven-binnenstad’ is hier niet te bekijken").wait_for(state="visible")
        main.get_by_text("Assen binnenstad staat in").wait_for(state="visible")
        table = main.locator("table").inner_text()
        assert "Brugdorp centrum" in table and "Groningen binnenstad" in table
        for hidden in ("Proefhaven", "Voorbeeldstad", "Modelveen", "Demodam", "Utrecht"):
            assert hidden not in main.inner_text(), hidden
        assert "gebied=proefhaven" not in pg.url
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "viewers-vergelijken-iphone.png"), full_page=True)
        violations = axe_violations(pg)
        assert not violations, f"axe ({report(violations)})"
    finally:
        context.close()
