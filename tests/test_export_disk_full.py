"""Issue 23.9: a CLI export on a full disk exits 3 with the true Dutch reason and leaves no partial
file (and an earlier file of that name intact): the report is written to a temporary file beside
the target and renamed. On a real 64 KB tmpfs when the tests may mount one (root), and with the
write failing in-process (ENOSPC simulated) everywhere."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest

from kpi import cli, files
from kpi.db import ensure_ready, make_engine
from tests.support.browser import ROOT
from tests.support.required import skip_or_fail


@pytest.fixture(scope="module")
def db_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('export') / 'export.db'}"
    engine = make_engine(url)
    ensure_ready(engine)
    engine.dispose()
    return url


def test_a_full_disk_in_process_leaves_no_partial_file(db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KPI_DATABASE_URL", db_url)
    target = tmp_path / "cijfers.xlsx"
    target.write_bytes(b"het rapport van vorige week")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)  # the data does not fit: the write fails half-way
    assert cli.main(["report", "--format", "xlsx", "--output", str(target)]) == 3
    err = capsys.readouterr().err
    assert "de schijf is vol" in err and "Er is geen (half) bestand achtergelaten." in err and "Traceback" not in err
    assert target.read_bytes() == b"het rapport van vorige week"  # the old file untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cijfers.xlsx"]  # no temporary file left


def test_a_successful_export_replaces_the_file_whole(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DATABASE_URL", db_url)
    target = tmp_path / "cijfers.xlsx"
    target.write_bytes(b"oud")
    assert cli.main(["report", "--format", "xlsx", "--output", str(target)]) == 0
    assert target.read_bytes()[:2] == b"PK" and sorted(p.name for p in tmp_path.iterdir()) == ["cijfers.xlsx"]


def test_a_full_tmpfs_leaves_no_partial_file(db_url, tmp_path):
    mount = tmp_path / "klein"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        skip_or_fail("TOOLS", "no tmpfs mount possible here (needs root); the in-process test covers the rule")
    try:
        (mount / "vulling").write_bytes(b"x" * (60 * 1024))  # a few KB stay free
        res = subprocess.run([sys.executable, "-m", "kpi", "report", "--format", "xlsx", "--output",
                              str(mount / "cijfers.xlsx")], cwd=ROOT, env={**os.environ, "KPI_DATABASE_URL": db_url},
                             capture_output=True, text=True, timeout=300)
        assert res.returncode == 3, res.stdout + res.stderr
        assert "de schijf is vol" in res.stderr and "Traceback" not in res.stderr
        assert sorted(p.name for p in mount.iterdir()) == ["vulling"]
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_write_reasons_are_dutch():
    assert files.write_error_reason(OSError(errno.EROFS, "Read-only file system")) == "de schijf is alleen-lezen"
    assert files.write_error_reason(OSError(errno.ENOENT, "x")) == "de map bestaat niet"
