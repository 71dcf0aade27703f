"""Benchmark: a full PDF briefing and a full PowerPoint deck, all charts included, on a seeded
SQLite database. Goal: under 5 s each (median), as a user or the CLI gets them: loading the
data, starting one Chromium for the report, every chart as PNG, building the document.

    .venv/bin/python -m bench.bench_reports [RUNS]

Also reported: the same with a browser already running ("warm"), which shows how much of
the time is the browser start. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

GOAL_S = 5.0
PACKAGES = ["fpdf2", "python-pptx", "kaleido", "choreographer", "plotly", "pandas", "SQLAlchemy", "openpyxl"]


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "-"
    try:
        from choreographer.browsers.chromium import Chromium

        out["chromium"] = Chromium.find_browser(skip_local=False) or "-"
    except Exception:  # only descriptive
        out["chromium"] = "-"
    return out


def _machine() -> dict[str, object]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {"platform": platform.platform(), "cpu_count": os.cpu_count(), "cpu": cpu,
            "load_average_1m_at_start": round(load[0], 2)}


def _seeded_engine(folder: Path):
    from kpi import events
    from kpi.db import ensure_ready, make_engine

    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    ensure_ready(engine)
    events.add_event(engine, dt.date(2019, 6, 1), "Opening parkeergarage", indicator="banen")
    events.add_event(engine, dt.date(2020, 3, 15), "Lockdown")
    return engine


def run(runs: int = 3) -> dict:
    """Time `runs` full PDF and PPTX reports (interleaved) and return medians and context."""
    from kpi import reports
    from kpi.reports.images import kaleido_server
    from kpi.settings import Settings

    settings = Settings()
    timings: dict[str, list[float]] = {"pdf": [], "pptx": [], "pdf_warm": [], "pptx_warm": []}
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        engine = _seeded_engine(Path(tmp))
        kpis = len(reports.load_report(engine, settings).results)
        for i in range(runs):
            for fmt in (["pdf", "pptx"] if i % 2 == 0 else ["pptx", "pdf"]):
                start = time.perf_counter()
                data = reports.build(engine, settings, fmt)
                timings[fmt].append(time.perf_counter() - start)
                sizes[fmt] = len(data)
        with kaleido_server():
            reports.build(engine, settings, "pdf")  # the browser is up: measure without its start
            for _ in range(runs):
                for fmt in ("pdf", "pptx"):
                    start = time.perf_counter()
                    reports.build(engine, settings, fmt)
                    timings[f"{fmt}_warm"].append(time.perf_counter() - start)
        engine.dispose()
    medians = {k: round(statistics.median(v), 3) for k, v in timings.items()}
    return {
        "machine": _machine(),
        "versions": _versions(),
        "runs": runs,
        "kpis": kpis,
        "goal_s": GOAL_S,
        "median_s": medians,
        "samples_s": {k: [round(x, 3) for x in v] for k, v in timings.items()},
        "bytes": sizes,
        "goal_met": medians["pdf"] < GOAL_S and medians["pptx"] < GOAL_S,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    m = result["machine"]
    print(f"Machine: {m['platform']}, {m['cpu_count']} CPU ({m['cpu']}), "
          f"load {m['load_average_1m_at_start']} at start")
    print("Versions: " + ", ".join(f"{k} {v}" for k, v in result["versions"].items()))
    print(f"{result['runs']} runs, {result['kpis']} KPIs with charts; goal < {GOAL_S:.0f} s each")
    for key, label in [("pdf", "PDF, full (browser start included)"), ("pptx", "PPTX, full (browser start included)"),
                       ("pdf_warm", "PDF, browser already running"), ("pptx_warm", "PPTX, browser already running")]:
        print(f"  {label:<40} median {result['median_s'][key]:.2f} s   runs {result['samples_s'][key]}")
    print("Goal met" if result["goal_met"] else "Goal NOT met")
