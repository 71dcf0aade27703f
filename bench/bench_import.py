"""Import speed: the import engine against bare pandas on the same 100.000-row CSV.

A: `kpi.importer.prepare` + `apply` (what `python -m kpi import` does, minus process start)
   on a fresh, seeded SQLite database with the 50 areas created up front;
B: `pandas.read_csv` + `DataFrame.to_sql` of the same file into a fresh SQLite database.

The file is tidy and written the Dutch-Excel way (semicolons, decimal commas, thousands
separators): 50 areas x 6 indicators x 334 monthly peildatums = 100.200 rows, cut to 100.000.
A and B alternate (A,B / B,A) so drifting machine load hits both alike; the figures are
medians of `runs` runs. Goal: A at most 2x B. Run: `python -m bench.bench_import [--runs N]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kpi import importer, schema  # noqa: E402
from kpi.db import ensure_ready, make_engine  # noqa: E402
from kpi.settings import Settings  # noqa: E402

ROWS = 100_000
AREAS = [f"Benchmarkgebied {i:02d}" for i in range(50)]
# indicator -> value for series position k (within the unit's range)
INDICATORS = {
    "banen": lambda k: f"{3000 + 7 * k:,}".replace(",", "."),
    "bedrijven": lambda k: str(400 + k % 90),
    "leegstand": lambda k: f"{5 + (k % 200) / 10:.1f}%".replace(".", ","),
    "leegstand_vvo": lambda k: f"{4 + (k % 150) / 10:.1f}".replace(".", ","),
    "waardering": lambda k: f"{6 + (k % 30) / 10:.1f}".replace(".", ","),
    "ranking": lambda k: str(1 + k % 120),
}
MONTHS = 334
GOAL_RATIO = 2.0
PACKAGES = ["pandas", "numpy", "SQLAlchemy", "pandera", "pyarrow", "openpyxl"]


def write_file(path: Path) -> int:
    """Write the benchmark CSV; returns its number of data rows."""
    lines = ["gebied;indicator;peildatum;waarde;bron;toelichting"]
    months = [dt.date(1996 + m // 12, 1 + m % 12, 1) for m in range(MONTHS)]
    for area in AREAS:
        for code, value in INDICATORS.items():
            for k, day in enumerate(months):
                lines.append(f"{area};{code};{day.day}-{day.month}-{day.year};{value(k)};Benchmarkbron {code};")
    lines = lines[: ROWS + 1]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return len(lines) - 1


def _fresh_engine(path: Path):
    """A migrated, seeded SQLite database with the benchmark areas (not timed)."""
    if path.exists():
        path.unlink()
    engine = make_engine(f"sqlite:///{path}")
    ensure_ready(engine, seed_demo=False)
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.areas), [dict(name=a, kind="benchmark") for a in AREAS])
    return engine


def time_engine(csv_path: Path, db_path: Path) -> tuple[float, float, float]:
    """Seconds for prepare+apply, and for each of the two; checks every row was stored."""
    engine = _fresh_engine(db_path)
    try:
        start = time.perf_counter()
        preview = importer.prepare(engine, [(csv_path.name, csv_path.read_bytes())], Settings())
        middle = time.perf_counter()
        batch = importer.apply(engine, preview, "benchmark")
        end = time.perf_counter()
        if not preview.ok or batch is None or len(preview.added) != ROWS:
            raise RuntimeError(f"import failed: {preview.summary()} {[str(p) for p in preview.problems[:5]]}")
    finally:
        engine.dispose()
    return end - start, middle - start, end - middle


def time_bare(csv_path: Path, db_path: Path) -> float:
    """Seconds for pandas.read_csv + DataFrame.to_sql of the same file into a fresh SQLite file."""
    if db_path.exists():
        db_path.unlink()
    engine = sa.create_engine(f"sqlite:///{db_path}")
    try:
        start = time.perf_counter()
        frame = pd.read_csv(csv_path, sep=";", decimal=",", thousands=".")
        frame.to_sql("observations_bare", engine, index=False)
        seconds = time.perf_counter() - start
    finally:
        engine.dispose()
    return seconds


def _versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(found)


def run(runs: int = 5) -> dict:
    """Measure engine and baseline side by side, `runs` times each; medians, ratio, machine."""
    engine_s: list[float] = []
    prepare_s: list[float] = []
    apply_s: list[float] = []
    bare_s: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        work = Path(tmp)
        csv_path = work / "cijfers-100000.csv"
        rows = write_file(csv_path)
        for i in range(runs):
            order = ("engine", "bare") if i % 2 == 0 else ("bare", "engine")
            for which in order:
                if which == "engine":
                    total, prep, app = time_engine(csv_path, work / "engine.db")
                    engine_s.append(total)
                    prepare_s.append(prep)
                    apply_s.append(app)
                else:
                    bare_s.append(time_bare(csv_path, work / "bare.db"))
        size_mb = csv_path.stat().st_size / 1024 / 1024
    median_engine, median_bare = statistics.median(engine_s), statistics.median(bare_s)
    ratio = median_engine / median_bare
    return {
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "versions": _versions(),
        "runs": runs,
        "rows": rows,
        "file_mb": round(size_mb, 2),
        "engine_median_ms": round(median_engine * 1000, 1),
        "engine_prepare_median_ms": round(statistics.median(prepare_s) * 1000, 1),
        "engine_apply_median_ms": round(statistics.median(apply_s) * 1000, 1),
        "bare_median_ms": round(median_bare * 1000, 1),
        "ratio": round(ratio, 3),
        "paired_ratio": round(statistics.median(a / b for a, b in zip(engine_s, bare_s, strict=True)), 3),
        "goal_ratio": GOAL_RATIO,
        "goal_met": ratio <= GOAL_RATIO,
        "engine_runs_ms": ", ".join(f"{s * 1000:.0f}" for s in engine_s),
        "bare_runs_ms": ", ".join(f"{s * 1000:.0f}" for s in bare_s),
        "load_average": ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_import")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    for key, value in run(args.runs).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
