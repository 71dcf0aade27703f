"""Bench only: times each Streamlit script run in the server process and how long into the run
the plotly chart was sent. Put on PYTHONPATH by bench/browser_bench.py with KPI_BENCH_RUN_TIMES
set to a file; each run appends one line
`<run ms> <ms until st.plotly_chart returned, or -> <wall-clock start, s since the epoch>`.
Python imports `sitecustomize` at start-up; nothing here runs in the product."""

import os
import threading
import time

_PATH = os.environ.get("KPI_BENCH_RUN_TIMES")

if _PATH:
    import streamlit
    from streamlit.runtime.scriptrunner import script_runner

    _local = threading.local()
    _run_script = script_runner.ScriptRunner._run_script
    _plotly_chart = streamlit.plotly_chart  # what pages call (bound at Streamlit's import)

    def _timed_run(self, rerun_data):
        _local.start, _local.chart, began = time.perf_counter(), None, time.time()
        try:
            return _run_script(self, rerun_data)
        finally:
            total = (time.perf_counter() - _local.start) * 1000
            chart = "-" if _local.chart is None else f"{_local.chart:.1f}"
            with open(_PATH, "a", encoding="utf-8") as out:
                out.write(f"{total:.1f} {chart} {began:.3f}\n")

    def _timed_chart(*args, **kwargs):
        result = _plotly_chart(*args, **kwargs)
        if getattr(_local, "start", None) is not None and _local.chart is None:
            _local.chart = (time.perf_counter() - _local.start) * 1000
        return result

    script_runner.ScriptRunner._run_script = _timed_run
    streamlit.plotly_chart = _timed_chart
