"""Importeren and Importgeschiedenis in chromium at 1280x720 (issue 19.5 and 19.8): the templates
are offered, and after an undo the form is empty again while the 'Ongedaan gemaakt' column is
on screen without scrolling sideways."""

from __future__ import annotations

import pytest

from tests.support.browser import (
    ARTIFACTS,
    menu_link,
    open_page,
    open_select,
    seeded_sqlite,
    sign_in,
    start_streamlit,
    wait_idle,
)

pytestmark = pytest.mark.browser

PASSWORD = "redacteur-test-wachtwoord"
BEAMER = {"viewport": {"width": 1280, "height": 720}}
FIGURES = "gebied;indicator;jaar;waarde;bron\nAssen binnenstad;banen;2025;{value};LISA\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("importbrowser")
    url = seeded_sqlite(tmp / "import.db")
    srv = start_streamlit(tmp / "import.log", env={"KPI_DATABASE_URL": url, "KPI_EDITOR_PASSWORD": PASSWORD})
    yield srv
    srv.stop()


def _login(pg) -> None:
    sign_in(pg, PASSWORD)


def _visit(pg, title: str, path: str) -> None:
    menu_link(pg, title).click()
    pg.wait_for_url(f"**/{path}")
    pg.wait_for_timeout(300)
    wait_idle(pg)


def _shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / name))


def _import(pg, tmp_path, value: str, shot: str | None = None) -> None:
    path = tmp_path / f"cijfers-{value}.csv"
    path.write_text(FIGURES.format(value=value), encoding="utf-8")
    pg.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(path))
    pg.locator("[data-testid=stMain]", has_text="Voorbeeld: ").wait_for(state="visible")
    wait_idle(pg)
    if shot:
        pg.locator("[data-testid=stMain] button", has_text="Opslaan").scroll_into_view_if_needed()
        _shot(pg, shot)
    pg.locator("[data-testid=stMain] button", has_text="Opslaan").click()
    pg.locator("[data-testid=stMain]", has_text="Opgeslagen als importbatch").wait_for(state="visible")
    wait_idle(pg)


def test_import_page_and_history_at_1280(server, chromium, tmp_path):
    context = chromium.new_context(locale="nl-NL", **BEAMER)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    try:
        open_page(pg, server.url)
        _login(pg)
        _visit(pg, "Importeren", "importeren")
        pg.locator("[data-testid=stMain] summary", has_text="Sjablonen (Excel) om in te vullen").click()
        for word in ["cijfers", "doelen", "acties"]:
            button = pg.locator("[data-testid=stDownloadButton] button", has_text=f"Sjabloon {word}")
            button.wait_for(state="visible")
        with pg.expect_download() as download:
            pg.locator("[data-testid=stDownloadButton] button", has_text="Sjabloon acties").click()
        assert download.value.suggested_filename == "sjabloon-acties.xlsx"
        _shot(pg, "importeren-1280.png")

        _import(pg, tmp_path, "4.310", shot="importeren-voorbeeld-1280.png")
        _import(pg, tmp_path, "4.320")
        _visit(pg, "Importgeschiedenis", "importgeschiedenis")
        undo = pg.locator(".st-key-undo_button button")
        assert undo.is_disabled()  # nothing chosen yet
        open_select(pg, pg.locator(".st-key-undo_batch [data-testid=stSelectbox] input"))
        pg.locator("[role=option]").first.click()
        pg.locator(".st-key-undo_sure label").click()
        pg.wait_for_function("() => !document.querySelector('.st-key-undo_button button').disabled")
        undo.click()
        pg.locator("[data-testid=stMain]", has_text="is ongedaan gemaakt").wait_for(state="visible")
        wait_idle(pg)
        # The form is empty again: a second click cannot undo the next import.
        assert undo.is_disabled()
        assert not pg.locator(".st-key-undo_sure input[type=checkbox]").is_checked()
        choice = pg.locator(".st-key-undo_batch [data-testid=stSelectbox] input")
        assert choice.input_value() == "" and "Kies de import" in choice.get_attribute("placeholder")
        # The column that says what is undone is on screen, without scrolling sideways: the history
        # is the wrapping HTML table (issue 19), every column inside the 1280 px window.
        table = pg.locator(".st-key-batch_table table")
        table.wait_for(state="attached")
        drawn = [" ".join(h.split()) for h in table.locator("th").all_inner_texts()]
        assert "Ongedaan gemaakt" in drawn, drawn
        assert table.evaluate("t => t.getBoundingClientRect().right") <= 1280
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
        _shot(pg, "importgeschiedenis-1280.png")
    finally:
        context.close()
