"""Faults seen from the browser: a missing SQLite file, a read-only SQLite location, and a
PostgreSQL server that is down. Every page must then say so in plain Dutch (no traceback, no
exception element), and the dashboard must recover by itself once the database is back.

Read-only needs care because the tests run as root, whom file modes do not stop. The server is
started under `setpriv` without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH: still root (the
interpreter lives under /root), but now bound by the 0444/0555 modes, as a service account
would be. `chmod` alone, or SQLite's `?mode=ro`, would test something else: the first stops
nothing for root, the second is a setting no deployment uses.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
import sqlalchemy as sa

from tests.browser.test_browser_core import expected_cards
from tests.support import pgserver
from tests.support.browser import (
    WITHOUT_DAC_OVERRIDE,
    exceptions_on,
    menu_hrefs,
    metric_values,
    open_page,
    sqlite_url,
)

pytestmark = pytest.mark.browser

UNAVAILABLE = "De gegevens zijn nu niet beschikbaar"
ERROR_ALERT = "[data-testid=stAlertContentError]"


def _pages(page, base: str) -> list[str]:
    """Every page a viewer can reach through the navigation (new pages are picked up)."""
    hrefs = menu_hrefs(page)
    urls = sorted({h for h in hrefs if h.startswith(base)})
    assert len(urls) >= 3, urls  # Overzicht, KPI in detail, Bronnen en definities at least
    return urls


def _assert_unavailable_everywhere(page, base: str) -> list[str]:
    """Open every page fresh; each shows the Dutch message and nothing technical."""
    page.goto(base)
    page.locator(ERROR_ALERT).first.wait_for(state="visible")
    urls = _pages(page, base)
    for url in urls:
        page.goto(url)
        alert = page.locator(ERROR_ALERT).first
        alert.wait_for(state="visible")
        page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
        text = alert.inner_text()
        assert UNAVAILABLE in text, (url, text)
        assert exceptions_on(page) == [], url
        body = page.locator("[data-testid=stMain]").inner_text()
        assert "Traceback" not in body and "OperationalError" not in body, (url, body[:500])
        assert metric_values(page) == [], url  # no half page with stale or empty values
    return urls


def _assert_dashboard_works(page, base: str, db_url: str) -> None:
    open_page(page, base)
    assert metric_values(page) == [v for _, _, v in expected_cards(db_url)]
    assert page.locator(ERROR_ALERT).count() == 0
    assert exceptions_on(page) == []


def _no_tracebacks(server) -> None:
    log = server.log_text()
    assert "Traceback" not in log, log[-4000:]


# ---------------------------------------------------------------- SQLite


def test_missing_sqlite_folder_and_file_are_created_and_seeded(server_factory, page, tmp_path):
    db_file = tmp_path / "nieuw" / "map" / "binnenstad.db"
    assert not db_file.parent.exists()
    server = server_factory(sqlite_url(db_file), name="missing")
    _assert_dashboard_works(page, server.url, sqlite_url(db_file))
    assert db_file.exists() and db_file.stat().st_size > 0
    _no_tracebacks(server)


def test_read_only_sqlite_location_says_so_on_every_page_and_recovers(server_factory, page, shared_tmp):
    folder = shared_tmp / "alleen-lezen"
    folder.mkdir()
    folder.chmod(0o555)  # the database cannot be created here
    db_url = sqlite_url(folder / "binnenstad.db")
    server = server_factory(db_url, name="readonly-empty", prefix=WITHOUT_DAC_OVERRIDE)

    _assert_unavailable_everywhere(page, server.url)
    assert not (folder / "binnenstad.db").exists()

    folder.chmod(0o755)  # the administrator fixes the rights; nobody restarts the server
    _assert_dashboard_works(page, server.url, db_url)
    _no_tracebacks(server)


def test_read_only_seeded_sqlite_file_is_still_shown(server_factory, page, shared_tmp):
    """A read-only copy of a filled database (e.g. on a read-only volume) can be viewed."""
    from kpi.db import ensure_ready, make_engine

    folder = shared_tmp / "kopie"
    folder.mkdir()
    db_file = folder / "binnenstad.db"
    engine = make_engine(sqlite_url(db_file))
    ensure_ready(engine)
    engine.dispose()
    before = db_file.read_bytes()
    db_file.chmod(0o444)
    folder.chmod(0o555)
    server = server_factory(sqlite_url(db_file), name="readonly-seeded", prefix=WITHOUT_DAC_OVERRIDE)

    _assert_dashboard_works(page, server.url, sqlite_url(db_file))
    for url in _pages(page, server.url):
        page.goto(url)
        page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
        page.locator("[data-testid=stMain] h1").first.wait_for(state="visible")
        assert exceptions_on(page) == [], url
        assert page.locator(ERROR_ALERT).count() == 0, (url, page.locator(ERROR_ALERT).all_inner_texts())
    assert db_file.read_bytes() == before
    _no_tracebacks(server)


def test_setpriv_really_makes_files_read_only_for_root(shared_tmp):
    """The premise of the read-only tests: without the capability, root obeys 0444."""
    target = shared_tmp / "f.txt"
    target.write_text("x")
    target.chmod(0o444)
    res = subprocess.run([*WITHOUT_DAC_OVERRIDE, "sh", "-c", f"echo y >> {target}"], capture_output=True)
    assert res.returncode != 0
    assert target.read_text() == "x"


# ---------------------------------------------------------------- PostgreSQL


@pytest.fixture
def own_pg():
    """A PostgreSQL server of this test only, so stopping it hurts no other test."""
    server = pgserver.start_or_skip()
    admin = sa.create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text('CREATE DATABASE "kpi"'))
    admin.dispose()
    yield server
    try:
        server.pg_ctl("start")  # stop() below expects a running server
    except subprocess.CalledProcessError:
        pass
    server.stop()
    shutil.rmtree(server.datadir.parent, ignore_errors=True)


def test_postgresql_down_at_start_says_so_on_every_page_and_recovers(server_factory, page, own_pg):
    db_url = own_pg.url("kpi")
    own_pg.pg_ctl("stop")
    server = server_factory(db_url, name="pg-down")

    _assert_unavailable_everywhere(page, server.url)

    own_pg.pg_ctl("start")  # the database is back; the dashboard is not restarted
    _assert_dashboard_works(page, server.url, db_url)
    _no_tracebacks(server)


def test_postgresql_going_down_after_first_use_says_so_and_recovers(server_factory, page, own_pg):
    """The engine is cached and the first frames too; a page that still needs the database
    must give the same Dutch message (not the generic error with a logged traceback)."""
    db_url = own_pg.url("kpi")
    server = server_factory(db_url, name="pg-later")
    _assert_dashboard_works(page, server.url, db_url)

    own_pg.pg_ctl("stop")
    page.goto(f"{server.url}/bronnen")  # reads the target history, which is not cached
    alert = page.locator(ERROR_ALERT).first
    alert.wait_for(state="visible")
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
    assert UNAVAILABLE in alert.inner_text(), alert.inner_text()
    assert exceptions_on(page) == []

    own_pg.pg_ctl("start")
    page.goto(f"{server.url}/bronnen")
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
    page.locator("h1", has_text="Bronnen en definities").wait_for(state="visible")
    assert page.locator(ERROR_ALERT).count() == 0
    assert exceptions_on(page) == []
    _no_tracebacks(server)
