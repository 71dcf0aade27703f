"""One page of the dashboard under AppTest against a given database, in a process of its own (run
by bench/bench_scale.py): `python -m bench.scale_page --url URL --page PATH --runs N` prints one
JSON line with warm reruns and reruns after st.cache_data.clear()."""

from __future__ import annotations

import argparse
import json
import os
import time

from bench.common import ROOT


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--page", default="", help="URL path of the page ('' = overview)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    os.environ["KPI_DATABASE_URL"] = args.url

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.support.apptest import open_page

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    if args.page:
        open_page(at, args.page)

    def one_run() -> float:
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            raise SystemExit(f"page {args.page or 'overzicht'} failed: {at.exception}")
        return elapsed

    one_run()
    warm, cold = [], []
    for _ in range(args.runs):
        warm.append(one_run())
        st.cache_data.clear()
        cold.append(one_run())
    print(json.dumps({"warm_s": warm, "cold_s": cold}))


if __name__ == "__main__":
    main()
