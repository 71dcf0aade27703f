"""Faults without a browser: an import killed with SIGKILL in the middle of writing leaves the
database exactly as it was (every row of every table), on SQLite and PostgreSQL, and the next
start works; an import into a read-only database says so and changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support.browser import ROOT

ROWS = 100_000
AREAS = 200


def _big_file(path: Path) -> Path:
    """ROWS new figures for AREAS new areas: enough work that the write takes a while."""
    first = dt.date(2001, 1, 1)
    per_area = ROWS // AREAS
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("gebied;indicator;peildatum;waarde;bron\n")
        for a in range(AREAS):
            for k in range(per_area):
                day = first + dt.timedelta(days=k)
                fh.write(f"Killgebied {a:03d};banen;{day.isoformat()};{a + k};killtest\n")
    return path


def _state(engine) -> dict[str, list[tuple]]:
    """Every row of every table (the migration table included), in a stable order."""
    out = {}
    with engine.connect() as conn:
        for name in sorted(sa.inspect(conn).get_table_names()):
            table = sa.Table(name, sa.MetaData(), autoload_with=conn)
            rows = conn.execute(sa.select(table)).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def _writing(db_url: str, engine) -> bool:
    """True once the import holds an open write transaction."""
    if db_url.startswith("sqlite"):
        path = db_url.removeprefix("sqlite:///")
        return os.path.exists(path + "-journal") or (
            os.path.exists(path + "-wal") and os.path.getsize(path + "-wal") > 0
        )
    with engine.connect() as conn:
        return bool(conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
        )).scalar())


def _writers_gone(engine) -> bool:
    with engine.connect() as conn:
        return not conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )).scalar()


def _kpi(db_url: str, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "KPI_DATABASE_URL": db_url}
    return subprocess.run([sys.executable, "-m", "kpi", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.slow
def test_import_killed_mid_write_leaves_the_database_as_it_was(engine, db_url, tmp_path):
    if not (ROOT / "kpi" / "importer").is_dir():
        pytest.fail("kpi/importer is missing: `python -m kpi import` is what this test kills")
    big = _big_file(tmp_path / "groot.csv")
    before = _state(engine)
    status_before = _kpi(db_url, "status", "--json")
    assert status_before.returncode == 0, status_before.stderr

    env = {**os.environ, "KPI_DATABASE_URL": db_url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpi", "import", str(big), "--nieuw-gebied", "--gebruiker", "killtest"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 600
        while not _writing(db_url, engine):
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"the import ended (rc {proc.returncode}) before it was seen writing; "
                            f"make the file bigger.\n{out[-1000:]}\n{err[-2000:]}")
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.002)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL

    if db_url.startswith("postgresql"):
        deadline = time.monotonic() + 60
        while not _writers_gone(engine):  # the server notices the dead client and rolls back
            assert time.monotonic() < deadline
            time.sleep(0.05)
    engine.dispose()  # nothing cached from before the kill
    after = _state(engine)
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], f"table {table} changed by a killed import"

    # The next start works: status as before, and a new import goes through.
    status_after = _kpi(db_url, "status", "--json")
    assert status_after.returncode == 0, status_after.stderr
    assert json.loads(status_after.stdout) == json.loads(status_before.stdout)
    small = tmp_path / "klein.csv"
    small.write_text("gebied;indicator;jaar;waarde;bron\nAssen binnenstad;bedrijven;2025;470;LISA\n")
    done = _kpi(db_url, "import", str(small), "--gebruiker", "na-de-kill")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Opgeslagen als importbatch" in done.stdout


def test_import_into_a_read_only_database_says_so_and_changes_nothing(tmp_path):
    """The service account may not write: a clear Dutch message, exit code 2, no traceback."""
    from kpi.db import ensure_ready, make_engine
    from tests.support.browser import WITHOUT_DAC_OVERRIDE

    folder = Path(tempfile.mkdtemp(prefix="kpi-ro-"))
    try:
        folder.chmod(0o755)
        db_file = folder / "binnenstad.db"
        db_url = f"sqlite:///{db_file}"
        engine = make_engine(db_url)
        ensure_ready(engine)
        engine.dispose()
        before = db_file.read_bytes()
        db_file.chmod(0o444)
        folder.chmod(0o555)
        small = tmp_path / "klein.csv"
        small.write_text("gebied;indicator;jaar;waarde;bron\nAssen binnenstad;bedrijven;2025;470;LISA\n")
        res = subprocess.run(
            [*WITHOUT_DAC_OVERRIDE, sys.executable, "-m", "kpi", "import", str(small), "--gebruiker", "ro"],
            cwd=ROOT, env={**os.environ, "KPI_DATABASE_URL": db_url}, capture_output=True, text=True, timeout=300,
        )
        assert res.returncode == 2, res.stdout + res.stderr
        assert "kon niet worden bijgewerkt" in res.stderr and "niets opgeslagen" in res.stderr, res.stderr
        assert "Traceback" not in res.stderr
        assert db_file.read_bytes() == before
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)
