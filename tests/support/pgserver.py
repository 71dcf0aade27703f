"""A real, throwaway PostgreSQL server for the test run (started and stopped by the tests).

As root, initdb refuses to run, so the server runs as the `postgres` OS user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise PostgresUnavailable("PostgreSQL binaries (initdb) not found; `make test` installs them")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    datadir: Path
    port: int
    bindir: Path
    as_user: list[str]

    @property
    def base_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def url(self, dbname: str) -> str:
        return f"{self.base_url}/{dbname}"

    def stop(self) -> None:
        subprocess.run(
            [*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.datadir.parent, ignore_errors=True)

    def pg_ctl(self, action: str) -> None:
        """start or stop (used by fault tests: a server that goes down and comes back)."""
        args = [*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-w"]
        if action == "start":
            args += ["-l", str(self.datadir / "log"), "-o", f"-h 127.0.0.1 -p {self.port} -k {self.datadir.parent}", "start"]
        else:
            args += ["-m", "fast", "stop"]
        subprocess.run(args, check=True, capture_output=True)


def start_or_skip() -> PostgresServer:
    """Start a server for a test; where PostgreSQL is required (CI), failing to is a failure."""
    from tests.support.required import skip_or_fail

    try:
        return start()
    except PostgresUnavailable as exc:
        skip_or_fail("POSTGRES", f"PostgreSQL not available: {exc}")


def start() -> PostgresServer:
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="kpi-pg-"))
    datadir = root / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        os.chmod(root, 0o755)
        subprocess.run(["chown", "postgres:postgres", str(root)], check=True)
    cmd = [*as_user, str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust",
           "-E", "UTF8", "--locale=C.UTF-8"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {res.stderr[-2000:]}")
    server = PostgresServer(datadir=datadir, port=free_port(), bindir=bindir, as_user=as_user)
    conf = datadir / "postgresql.conf"
    with open(conf, "a") as fh:
        fh.write("\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n")
    try:
        server.pg_ctl("start")
    except subprocess.CalledProcessError as exc:
        log = (datadir / "log").read_text() if (datadir / "log").exists() else ""
        raise PostgresUnavailable(f"pg_ctl start failed: {exc.stderr!r} {log[-2000:]}") from exc
    return server
