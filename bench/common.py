"""What every benchmark shares: the machine description, medians, and interleaved runs."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["streamlit", "pandas", "plotly", "SQLAlchemy", "playwright", "numpy", "pyinstrument"]


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo ('' where unknown)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine() -> dict[str, str]:
    """Platform, cores, memory and versions, for the head of RESULTS.md."""
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = cpu_model()
    try:
        chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True,
                                  timeout=30).stdout.strip().splitlines()[-1]
    except (OSError, subprocess.SubprocessError, IndexError):
        chromium = "niet gevonden"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = "?"
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "-"
    return {
        "platform": platform.platform(),
        "cpu": f"{os.cpu_count()} x {cpu}".strip(),
        "memory": mem,
        "python": platform.python_version(),
        "chromium": chromium,
        "commit": commit,
        "packages": ", ".join(f"{k} {v}" for k, v in versions.items()),
    }


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


@dataclass
class Comparison:
    """Two things measured side by side in the same run (interleaved)."""

    name: str
    subject: str
    baseline: str
    goal_ratio: float | None
    a: list[float] = field(default_factory=list)  # seconds, the dashboard
    b: list[float] = field(default_factory=list)  # seconds, the baseline
    note: str = ""
    breakdown: list[str] = field(default_factory=list)
    a_label: str = "dashboard"  # what `a` is called in the list of all runs  # Markdown table rows: where the time went

    @property
    def ratio(self) -> float:
        return statistics.median(self.a) / statistics.median(self.b)

    @property
    def paired_ratio(self) -> float:
        """Median of per-run ratios: robust against a slow phase that hits one pair."""
        return statistics.median(x / y for x, y in zip(self.a, self.b, strict=True))

    @property
    def met(self) -> bool | None:
        return None if self.goal_ratio is None else self.ratio <= self.goal_ratio


def interleaved(runs: int, a: Callable[[], float], b: Callable[[], float], comp: Comparison,
                progress: Callable[[str], None] = print) -> Comparison:
    """Alternate A,B / B,A for `runs` rounds so that drifting load hits both alike."""
    for i in range(runs):
        order = [("a", a), ("b", b)] if i % 2 == 0 else [("b", b), ("a", a)]
        for which, fn in order:
            seconds = fn()
            getattr(comp, which).append(seconds)
            progress(f"  {comp.name} run {i + 1}/{runs} {which}: {seconds * 1000:.0f} ms")
    return comp


def rotated(runs: int, fns: dict[str, Callable[[], float]],
            progress: Callable[[str], None] = print, label: str = "") -> dict[str, list[float]]:
    """Like `interleaved` for more than two: run i starts at a different one each time."""
    names = list(fns)
    out: dict[str, list[float]] = {n: [] for n in names}
    for i in range(runs):
        for name in names[i % len(names):] + names[:i % len(names)]:
            seconds = fns[name]()
            out[name].append(seconds)
            progress(f"  {label} run {i + 1}/{runs} {name}: {seconds * 1000:.0f} ms")
    return out


class Stopwatch:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
