"""Where the scale import's time goes: one `kpi.importer` prepare + apply of the 100.000 daily rows of
the scale bench (bench/bench_scale.py) into a fresh copy of its PostgreSQL database (bench/scale_db.py),
under pyinstrument, with the statements sent counted per phase.

Run: `python -m bench.profile_import [--runs N] [--out bench/out/import-profile.txt]`. Prints per run
the seconds of prepare and apply and the statements each sent (reads of the observations table
apart); the profile of the first run goes to --out. The database is built once (about 15-25 s).
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench import bench_scale, scale_db
from bench.common import ROOT

SERIES_READ = re.compile(r"^\s*SELECT\b.*\bFROM observations\b", re.IGNORECASE | re.DOTALL)


def _recorder(statements: list[str]):
    def seen(conn, cursor, statement, *rest) -> None:
        statements.append(statement)
    return seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "import-profile.txt")
    args = parser.parse_args(argv)

    from pyinstrument import Profiler

    from kpi import importer
    from kpi.db import make_engine
    from kpi.settings import Settings
    from tests.support import pgserver

    server = pgserver.start()
    try:
        big = bench_scale._database(server)
        scale_db.build(server.url(big))
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "dagtellingen-100000.csv"
            bench_scale.write_import_file(csv)
            data = csv.read_bytes()
            for run in range(args.runs):
                name = bench_scale._database(server, big)
                engine = make_engine(server.url(name))
                statements: list[str] = []
                sa.event.listen(engine, "before_cursor_execute", _recorder(statements))
                profiler = Profiler(interval=0.001)
                try:
                    profiler.start()
                    t0 = time.perf_counter()
                    preview = importer.prepare(engine, [(csv.name, data)], Settings(max_rows=200_000))
                    t1, sent = time.perf_counter(), len(statements)
                    importer.apply(engine, preview, "bench", confirmed=True)
                    t2 = time.perf_counter()
                    profiler.stop()
                finally:
                    engine.dispose()
                    bench_scale._drop(server, name)
                reads = [s for s in statements if SERIES_READ.match(s)]
                print(f"run {run + 1}: prepare {t1 - t0:.2f} s ({sent} statements), apply {t2 - t1:.2f} s "
                      f"({len(statements) - sent} statements); reads of observations: {len(reads)}; "
                      f"{len(preview.added)} new, {len(preview.questions)} plausibility questions", flush=True)
                if run == 0:
                    args.out.parent.mkdir(parents=True, exist_ok=True)
                    args.out.write_text(profiler.output_text(unicode=True, color=False))
                    print(f"profile: {args.out}")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
