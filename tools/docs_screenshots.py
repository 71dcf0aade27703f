"""The screenshots in docs/schermen/ made again: `python -m tools.docs_screenshots` (after `make test`
has installed chromium). A fresh demo database with the demo's werkgroep (`python -m kpi demo`: the
fictional Brugdorp centrum and the other centres Vergelijken needs), a server, chromium at 1440x900,
1280x720 (beamer) and an iPhone 13; the editor pages after signing in. Look at the pictures before
committing them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    open_page,
    sign_in,
    sqlite_url,
    start_streamlit,
    wait_idle,
)
from tests.support.cli import run_kpi

OUT = Path(__file__).resolve().parent.parent / "docs" / "schermen"
PASSWORD = "schermafdrukken-wachtwoord"
SIZES = {"1440x900": {"viewport": {"width": 1440, "height": 900}},
         "1280x720": {"viewport": {"width": 1280, "height": 720}},
         "iphone13": None}  # Playwright's iPhone 13 descriptor
# (file name, path, element that says the page is drawn, editor page)
PAGES = [
    ("werkplan-acties", "werkplan?weergave=acties", "table", False),
    ("werkplan-dekking", "werkplan?weergave=dekking", "table", False),
    ("werkplan-rollen", "werkplan?weergave=rollen", "table", False),
    ("kpi", "kpi?kpi=leegstand", "[data-testid=stPlotlyChart] .main-svg", False),
    ("vergadering-stap3", "vergadering?stap=3", "[data-testid=stPlotlyChart] .main-svg", False),
    ("importeren", "importeren", "[data-testid=stFileUploader]", True),
    # Brugdorp has no KPIs of its own (no agreement), so no metric card: its name in the overview's
    # first line says the page is drawn, and for Brugdorp, not Assen.
    ("overzicht-brugdorp", "?gebied=brugdorp-centrum", "[data-testid=stMain] strong:has-text('Brugdorp centrum')",
     False),
    ("benchmark", "vergelijken", "[data-testid=stPlotlyChart] .main-svg", False),
]


def demo_database(path: Path) -> str:
    """A new SQLite database as on a first start, plus the demo's werkgroep (`python -m kpi demo`)."""
    url = sqlite_url(path)
    done = run_kpi(url, "demo")
    if done.returncode:
        raise RuntimeError(f"python -m kpi demo: exit {done.returncode}\n{done.stdout}{done.stderr}")
    return url


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = start_streamlit(Path(tmp) / "server.log", env={"KPI_DATABASE_URL": demo_database(Path(tmp) / "demo.db"),
                                                               "KPI_EDITOR_PASSWORD": PASSWORD})
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for size, options in SIZES.items():
                    context = browser.new_context(**(options or pw.devices["iPhone 13"]), locale="nl-NL")
                    page = context.new_page()
                    open_page(page, server.url)
                    sign_in(page, PASSWORD)
                    for name, path, ready, _editor in PAGES:
                        open_page(page, f"{server.url}/{path}", ready=ready)
                        wait_idle(page)
                        page.wait_for_timeout(500)  # charts finish their transition
                        page.screenshot(path=str(OUT / f"{name}-{size}.png"))
                        print(f"{name}-{size}.png")
                    context.close()
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
