"""Overview rerun under AppTest on a large database (run in its own process by bench/__main__).

`python -m bench.overview_bench --runs 5 --workdir DIR [--profile FILE]` prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from bench import bigdb
from bench.common import ROOT


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workdir", type=Path, required=True)
    ap.add_argument("--profile", type=Path, help="write a pyinstrument profile of the reruns here")
    args = ap.parse_args()

    url = f"sqlite:///{args.workdir / 'big.db'}"
    t0 = time.perf_counter()
    counts = bigdb.build(url)
    build_s = time.perf_counter() - t0
    os.environ["KPI_DATABASE_URL"] = url

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)

    def one_run() -> float:
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception or len(at.metric) != 5:
            raise SystemExit(f"overview did not render: {at.exception} / {len(at.metric)} metrics")
        return elapsed

    first = one_run()  # engine, migration check and every cache filled
    warm, cold = [], []
    for _ in range(args.runs):
        warm.append(one_run())
        st.cache_data.clear()  # as after an import, or when the 10-minute TTL runs out
        cold.append(one_run())
    if args.profile:
        profile_data_path(url, args.runs, args.profile)
    print(json.dumps({
        "counts": counts, "build_s": build_s, "first_s": first, "warm_s": warm, "cold_s": cold,
        "warm_median_ms": statistics.median(warm) * 1000, "cold_median_ms": statistics.median(cold) * 1000,
    }))


def profile_data_path(url: str, runs: int, out: Path) -> None:
    """What a rerun with empty data caches does outside the UI (AppTest runs the script in a
    thread of its own, where the profiler cannot see): load the snapshot and evaluate."""
    import datetime as dt

    from pyinstrument import Profiler

    from kpi import repository, service
    from kpi.db import make_engine
    from kpi.settings import Settings

    settings = Settings.from_env()
    engine = make_engine(url)
    profiler = Profiler(interval=0.001)
    profiler.start()
    for _ in range(runs):
        repository.count_illustrative(engine)
        service.evaluate_snapshot(service.load_snapshot(engine), settings, dt.date.today())
    profiler.stop()
    out.write_text(profiler.output_text(unicode=True, color=False))
    engine.dispose()


if __name__ == "__main__":
    main()
