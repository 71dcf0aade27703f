"""KPI page on daily data under AppTest (run in its own process by bench/__main__): the seeded
database plus 90.000 daily values of banen, `/kpi?kpi=banen` opened and rerun.

`python -m bench.kpi_page_bench --runs 5 --workdir DIR` prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from bench.common import ROOT


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workdir", type=Path, required=True)
    args = ap.parse_args()

    from kpi.db import ensure_ready, make_engine
    from tests.support.factories import DAILY_VALUES, add_daily_values

    url = f"sqlite:///{args.workdir / 'daily.db'}"
    t0 = time.perf_counter()
    engine = make_engine(url)
    ensure_ready(engine)
    add_daily_values(engine)
    engine.dispose()
    build_s = time.perf_counter() - t0
    os.environ["KPI_DATABASE_URL"] = url

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.support.apptest import open_page

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["kpi"] = "banen"
    at.run()
    open_page(at, "kpi")

    def one_run() -> float:
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception or not at.get("plotly_chart"):
            raise SystemExit(f"KPI page did not render: {at.exception}")
        return elapsed

    first = one_run()  # results, figure and table of this data version computed
    warm, cold = [], []
    for _ in range(args.runs):
        warm.append(one_run())
        st.cache_data.clear()  # as after an import: results, figure and table computed again
        cold.append(one_run())
    print(json.dumps({
        "daily_values": DAILY_VALUES, "build_s": build_s, "first_s": first, "warm_s": warm, "cold_s": cold,
        "warm_median_ms": statistics.median(warm) * 1000, "cold_median_ms": statistics.median(cold) * 1000,
    }))


if __name__ == "__main__":
    main()
