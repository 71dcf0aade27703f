"""The browser tests' fixtures (one chromium per run, a page per test, servers stopped at teardown),
from tests.support.browser; and one PostgreSQL database that several dashboard processes share."""

import os
import subprocess
import sys

import pytest

from tests.conftest import _new_pg_database
from tests.support.browser import (  # noqa: F401
    ROOT,
    chromium,
    iphone,
    page,
    server_factory,
    shared_tmp,
    streamlit_server,
)


@pytest.fixture
def shared_postgres(request) -> str:
    """A new PostgreSQL database, migrated and seeded once by `python -m kpi init` (as the
    operator does before starting several processes: docs/beheer.md, Opschalen)."""
    if request.config.getoption("--no-postgres"):
        pytest.skip("--no-postgres")
    url = _new_pg_database(request.getfixturevalue("pg_server"))
    res = subprocess.run([sys.executable, "-m", "kpi", "init"], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "KPI_DATABASE_URL": url}, timeout=300)
    assert res.returncode == 0, res.stderr
    return url
