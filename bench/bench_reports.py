"""Benchmark: a full PDF briefing and a full PowerPoint deck, all charts included, on a seeded
SQLite database, beside a bare fpdf2 document with the same charts (the baseline). Goal: under 5 s each (median), as a user or the CLI gets them: loading the
data, starting one Chromium for the report, every chart as PNG, building the document.

    .venv/bin/python -m bench.bench_reports [RUNS]

Also reported: the same with a browser already running ("warm"), which shows how much of
the time is the browser start, and the CPU seconds of a full report (this process and its
Chromium), which a busy shared machine disturbs less than wall time. Not a test: nothing
here asserts a time.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import platform
import resource
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
    from bench.common import cpu_model

    cpu = cpu_model()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {"platform": platform.platform(), "cpu_count": os.cpu_count(), "cpu": cpu,
            "load_average_1m_at_start": round(load[0], 2)}


def _cpu_seconds() -> float:
    """CPU time of this process plus its finished children (Chromium, once a report closed it).

    Wall time on a shared machine depends on the neighbours' load; CPU time much less so."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _seeded_engine(folder: Path):
    from kpi import events
    from kpi.db import ensure_ready, make_engine

    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    ensure_ready(engine)
    events.add_event(engine, dt.date(2019, 6, 1), "Opening parkeergarage", indicator="banen")
    events.add_event(engine, dt.date(2020, 3, 15), "Lockdown")
    return engine


def bare_pdf(engine, settings) -> bytes:
    """The baseline: a bare fpdf2 document with the same charts (the small multiples, one Chromium
    started for it) and nothing else: the least a PDF with these charts can cost."""
    from fpdf import FPDF

    from kpi import reports
    from kpi.reports.pdf import OVERVIEW_PX

    with reports.kaleido_server():
        report = reports.load_report(engine, settings)
        image = reports.overview_png(report, OVERVIEW_PX, cols=2)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(image), x=10, w=190)
    return bytes(pdf.output())


def run(runs: int = 3) -> dict:
    """Time `runs` full PDF and PPTX reports (interleaved) and return medians and context."""
    from kpi import reports
    from kpi.reports.images import kaleido_server
    from kpi.settings import Settings

    machine = _machine()  # the load average before the runs: these machines are shared
    settings = Settings()
    timings: dict[str, list[float]] = {"pdf": [], "pptx": [], "bare_pdf": [], "pdf_warm": [], "pptx_warm": []}
    sizes: dict[str, int] = {}
    cpu_used: dict[str, list[float]] = {"pdf": [], "pptx": []}
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        engine = _seeded_engine(Path(tmp))
        kpis = len(reports.load_report(engine, settings).results)
        for i in range(runs):
            for fmt in (["pdf", "pptx", "bare_pdf"] if i % 2 == 0 else ["bare_pdf", "pptx", "pdf"]):
                cpu = _cpu_seconds()
                start = time.perf_counter()
                data = bare_pdf(engine, settings) if fmt == "bare_pdf" else reports.build(engine, settings, fmt)
                timings[fmt].append(time.perf_counter() - start)
                if fmt in cpu_used:
                    cpu_used[fmt].append(_cpu_seconds() - cpu)
                sizes[fmt] = len(data)
        with kaleido_server():
            reports.build(engine, settings, "pdf")  # the browser is up: measure without its start
            for _ in range(runs):
                for fmt in ("pdf", "pptx"):
                    start = time.perf_counter()
                    reports.build(engine, settings, fmt)
                    timings[f"{fmt}_warm"].append(time.perf_counter() - start)
        engine.dispose()
    medians = {k: statistics.median(v) for k, v in timings.items()}
    versions = _versions()
    # Flat keys and plain values: `python -m bench` prints this dict as a table.
    out: dict[str, object] = {
        "machine": f"{machine['platform']}, {machine['cpu_count']} CPU ({machine['cpu']})",
        "load_average_1m_at_start": machine["load_average_1m_at_start"],
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        "versions": ", ".join(f"{k} {v}" for k, v in versions.items()),
        "runs": runs, "kpis": kpis, "goal_s": GOAL_S,
    }
    for key in ("pdf", "pptx", "bare_pdf", "pdf_warm", "pptx_warm"):
        out[f"{key}_median_s"] = medians[key]
        out[f"{key}_runs_s"] = ", ".join(f"{x:.2f}" for x in timings[key])
    for key in ("pdf", "pptx"):
        out[f"{key}_cpu_median_s"] = statistics.median(cpu_used[key])
    out["pdf_bytes"], out["pptx_bytes"] = sizes["pdf"], sizes["pptx"]
    out["goal_met"] = medians["pdf"] < GOAL_S and medians["pptx"] < GOAL_S
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    print(f"Machine: {result['machine']}, load average {result['load_average_1m_at_start']} at start, "
          f"{result['load_average_1m_at_end']} at end")
    print(f"Versions: {result['versions']}")
    print(f"{result['runs']} runs, {result['kpis']} KPIs with charts; goal < {GOAL_S:.0f} s each")
    for key, label in [("pdf", "PDF, full (browser start included)"), ("pptx", "PPTX, full (browser start included)"),
                       ("bare_pdf", "bare fpdf2 PDF, same charts (baseline)"),
                       ("pdf_warm", "PDF, browser already running"), ("pptx_warm", "PPTX, browser already running")]:
        print(f"  {label:<40} median {result[key + '_median_s']:.2f} s   runs {result[key + '_runs_s']}")
    print(f"  CPU seconds per full report (this process + Chromium): PDF {result['pdf_cpu_median_s']:.2f}, "
          f"PPTX {result['pptx_cpu_median_s']:.2f}")
    print("Goal met" if result["goal_met"] else "Goal NOT met")
