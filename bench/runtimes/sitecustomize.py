"""Bench only: times (and optionally profiles) each Streamlit script run in the server process
and how long into the run the plotly chart was sent. Put on PYTHONPATH by bench/browser_bench.py with KPI_BENCH_RUN_TIMES
set to a file; each run appends one line
`<run ms> <ms until st.plotly_chart returned, or -> <wall-clock start, s since the epoch>`;
every garbage collection of 1 ms or more (in any thread, with the interpreter lock held) is
appended to the same file name plus `.gc` as `<ms> <generation>`. Python imports `sitecustomize` at start-up; nothing here runs in the product."""

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

    import gc

    _gc_start = [0.0]

    def _gc_timer(phase, info):
        if phase == "start":
            _gc_start[0] = time.perf_counter()
            return
        ms = (time.perf_counter() - _gc_start[0]) * 1000
        if ms >= 1.0:
            with open(_PATH + ".gc", "a", encoding="utf-8") as out:
                out.write(f"{ms:.1f} {info['generation']}\n")

    gc.callbacks.append(_gc_timer)

# Bench only: with KPI_BENCH_PROFILE_DIR set, every script run is profiled with pyinstrument (in
# its own thread) and its session saved there; bench/bench_load.py combines them into one report.
_PROFILE_DIR = os.environ.get("KPI_BENCH_PROFILE_DIR")

if _PROFILE_DIR:
    import itertools

    from pyinstrument import Profiler
    from streamlit.runtime.scriptrunner import script_runner as _sr

    _count = itertools.count()
    _profiled_run = _sr.ScriptRunner._run_script

    def _profile_run(self, rerun_data):
        profiler = Profiler(interval=0.002)
        profiler.start()
        try:
            return _profiled_run(self, rerun_data)
        finally:
            profiler.stop()
            profiler.last_session.save(os.path.join(_PROFILE_DIR, f"run-{os.getpid()}-{next(_count)}.pyisession"))

    _sr.ScriptRunner._run_script = _profile_run
