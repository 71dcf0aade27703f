"""`python -m kpi ARGS` run in the test process: the same `kpi.cli.main` and the same output,
without starting an interpreter (3-4 s each). Tests where the process itself is the point
(SIGKILL mid-write, read-only files, peak memory, a cold start, a second process beside a
running server) start a real one instead."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import traceback
from unittest import mock

from kpi import cli


def run_kpi(db_url: str | None, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the CLI as an operator would, with a clean KPI_* environment (plus `env`); returns what
    subprocess.run would: the exit code, stdout and stderr. An uncaught exception is printed as the
    interpreter would print it, so tests asserting 'no Traceback' keep their meaning."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KPI_")}
    clean |= {"LOGNAME": "cli-tester"} | ({"KPI_DATABASE_URL": db_url} if db_url else {}) | (env or {})
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, clean, clear=True), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception:  # noqa: BLE001 - shown as the interpreter would show it
            traceback.print_exc()
            code = 1
    return subprocess.CompletedProcess(["python", "-m", "kpi", *args], code, out.getvalue(), err.getvalue())
