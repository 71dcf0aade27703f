"""Shared fixtures: a seeded database per test, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

from kpi.db import ensure_ready, make_engine, migrate
from tests import pgserver

DB_KINDS = ["sqlite", "postgresql"]

# Property-based tests (tests/test_verdict_properties.py): at least 500 examples per property in
# `make test`; `make fuzz` sets HYPOTHESIS_PROFILE=fuzz for many more. No deadline: the machine
# is shared, and time goals live in `make bench`.
settings.register_profile("ci", max_examples=500, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz", max_examples=20_000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser):
    parser.addoption("--no-postgres", action="store_true", help="run only the SQLite variants")


@pytest.fixture(scope="session")
def pg_server(request):
    """One PostgreSQL server for the whole run; each test gets its own database in it."""
    server = pgserver.start_or_skip()
    yield server
    server.stop()


def _new_pg_database(server) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))  # name is generated, not user input
    admin.dispose()
    return server.url(name)


@pytest.fixture(params=DB_KINDS)
def db_url(request, tmp_path):
    """A fresh, empty database URL: a SQLite file under tmp_path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        if request.config.getoption("--no-postgres"):
            pytest.skip("--no-postgres")
        server = request.getfixturevalue("pg_server")
        yield _new_pg_database(server)


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def engine(db_url):
    """A migrated and seeded database (reference figures and illustrative series)."""
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
