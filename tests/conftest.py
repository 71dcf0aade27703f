"""Shared fixtures: a seeded database per test, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

from kpi.db import ensure_ready, make_engine, migrate
from tests.support import pgserver

DB_KINDS = ["sqlite", "postgresql"]

# Property-based tests (tests/test_verdict_properties.py): at least 500 examples per property in
# `make test`; `make fuzz` sets HYPOTHESIS_PROFILE=fuzz for many more. No deadline: the machine
# is shared, and time goals live in `make bench`.
settings.register_profile("ci", max_examples=500, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# `make test-fast`, the quick loop while coding: the same property tests on fewer examples each.
settings.register_profile("dev", max_examples=50, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz", max_examples=20_000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser):
    parser.addoption("--no-postgres", action="store_true",
                     help="leave out every test that needs PostgreSQL (deselected, not skipped)")


_POSTGRES_FIXTURES = {"pg_server", "seeded_pg_template", "shared_postgres", "own_pg"}


def _needs_postgres(item) -> bool:
    params = getattr(item, "callspec", None)
    return (item.get_closest_marker("postgres") is not None
            or bool(_POSTGRES_FIXTURES & set(item.fixturenames))
            or (params is not None and "postgresql" in params.params.values()))


def pytest_collection_modifyitems(config, items):
    """Mark every PostgreSQL variant `postgres` (so `-m postgres` selects them) and every test under
    tests/browser/ `browser`; with --no-postgres the PostgreSQL ones are deselected, so a quick run
    reports no skips."""
    keep, dropped = [], []
    for item in items:
        if "browser" in item.path.parent.parts[-1:]:
            # Every test under tests/browser/ is a browser test, also where a module forgot its
            # mark (test_import_browser.py ran in `make test-fast`, which leaves browsers out).
            item.add_marker(pytest.mark.browser)
        if _needs_postgres(item):
            item.add_marker(pytest.mark.postgres)
            if config.getoption("--no-postgres"):
                dropped.append(item)
                continue
        keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="session", autouse=True)
def one_chart_browser():
    """One kaleido Chromium per test process for every chart image. A report holds one per
    document (kpi/reports/images.py); in the tests that meant a new Chromium, about 2 s of both
    cores, for each of the many documents made. Tests of the lease itself replace images._LEASE
    and see only their own. Without Chromium nothing is held: the report tests then skip or fail
    on their own as before."""
    from kpi.reports import images

    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(images.kaleido_server())
        except images.ImageError:
            pass
        yield


@pytest.fixture(scope="session")
def pg_server(request):
    """One PostgreSQL server for the whole run; each test gets its own database in it."""
    server = pgserver.start_or_skip()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory):
    """A SQLite file migrated and seeded once per run; `engine` copies it (a file copy is ~0,3 ms,
    migrating and seeding ~0,3-0,7 s)."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    eng = make_engine(f"sqlite:///{path}")
    ensure_ready(eng)
    eng.dispose()
    return path


@pytest.fixture(scope="session")
def seeded_pg_template(pg_server):
    """A PostgreSQL database migrated and seeded once per run, the template of each test's own
    database (CREATE DATABASE ... TEMPLATE copies it on disk)."""
    url = _new_pg_database(pg_server)
    eng = make_engine(url)
    ensure_ready(eng)
    eng.dispose()  # a template must have no open connections
    return url.rsplit("/", 1)[1]


def _new_pg_database(server, template: str | None = None) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        # Both names are generated here, never user input.
        conn.execute(sa.text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    admin.dispose()
    return server.url(name)


@pytest.fixture(params=DB_KINDS)
def db_url(request, tmp_path):
    """A fresh database URL: a SQLite file under tmp_path, or a new PostgreSQL database. Empty,
    unless the test also asks for `engine`: then it is already migrated and seeded (a copy of the
    run's seeded template, identical to what `ensure_ready` makes)."""
    seeded = "engine" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        if seeded:
            shutil.copyfile(request.getfixturevalue("seeded_sqlite"), path)
        yield f"sqlite:///{path}"
    else:
        if request.config.getoption("--no-postgres"):
            pytest.skip("--no-postgres")
        server = request.getfixturevalue("pg_server")
        yield _new_pg_database(server, request.getfixturevalue("seeded_pg_template") if seeded else None)


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def engine(db_url):
    """A migrated and seeded database (reference figures and illustrative series); `ensure_ready`
    finds it ready, as the app does on a seeded database."""
    eng = make_engine(db_url)
    ensure_ready(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def empty_engine(db_url):
    """A migrated database without any rows."""
    eng = make_engine(db_url)
    migrate(eng)
    yield eng
    eng.dispose()
