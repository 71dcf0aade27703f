"""Load: N viewers at once (a council meeting where every member opens the link), against the
dashboard and against a bare Streamlit data app under the same load (`bench/bare_load_app/`).

Per run: a fresh server on loopback (the dashboard as `make run` starts it, `server.py`, on a
seeded SQLite database; the bare app with `streamlit run`), one headless chromium with N browser
contexts that all start at once. Each viewer opens the overview and waits until the five metric
values are visible (page 1), waits until the script is done, then clicks through to a KPI page
(the bare app: its detail page) and waits until the plotly chart is drawn (page 2). One visit
before the viewers is not measured (the bare app's first run imports pandas and plotly; the
dashboard does that at start), so both apps are compared warm. Runs alternate (A,B / B,A). Measured per viewer: both page times, errors (a timeout,
an exception element), websocket bytes received per page; per run: the server's peak RSS
(process and children, from /proc, every 100 ms), its CPU seconds, and every script run it did
(`bench/runtimes/sitecustomize.py`).

`python -m bench --only belasting --viewers 30 --load-rounds 3`; standalone:
`python -m bench.bench_load --viewers 5 --rounds 1` prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.browser_bench import (
    CHART_DRAWN,
    DASHBOARD,
    IDLE,
    _metrics_shown,
    _RssSampler,
    _timed_env,
    seeded_db,
)
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, _process_tree, run_async, start_streamlit

HERE = Path(__file__).resolve().parent
BARE_LOAD_APP = HERE / "bare_load_app" / "app.py"
GOAL_RATIO = 2.0  # p95 page time of the dashboard at most 2x the bare app's (issue 23 point 10)
GOAL_VIEWERS = 30  # the goal is set for this many viewers at once (a council meeting)
MAX_VIEWERS = 60  # bounded: one chromium with this many contexts is all two cores can carry
PAGE_TIMEOUT_MS = 180_000  # a page not shown by then counts as an error, not as a time
CODES = ["banen", "bedrijven", "leegstand", "waardering", "ranking"]
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class App:
    """How a viewer goes through one app: the server's script, its env, the link to the KPI page."""

    name: str
    script: Path
    env: dict[str, str]
    link: str  # CSS selector; {code} is the KPI of this viewer

    def link_for(self, i: int) -> str:
        return self.link.format(code=CODES[i % len(CODES)])


@dataclass
class RunResult:
    """One run of one app with N viewers."""

    app: str
    overview_s: list[float] = field(default_factory=list)
    kpi_s: list[float] = field(default_factory=list)
    overview_bytes: list[int] = field(default_factory=list)
    kpi_bytes: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    peak_rss: int = 0
    idle_rss: int = 0
    server_cpu_s: float = 0.0
    main_thread_cpu_s: float = 0.0
    gc_ms: list[float] = field(default_factory=list)  # garbage collections of 1 ms or more
    script_runs_ms: list[float] = field(default_factory=list)

    @property
    def pages_s(self) -> list[float]:
        return self.overview_s + self.kpi_s


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the two nearest ranks."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _ticks(path: Path) -> int:
    fields = path.read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def main_thread_cpu_seconds(pid: int) -> float:
    """CPU time of the server's main thread: the event loop that serialises and sends every
    message over the websockets (script runs each have their own thread)."""
    try:
        return _ticks(Path(f"/proc/{pid}/task/{pid}/stat")) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return 0.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and its descendants, from /proc."""
    total = 0
    for p in _process_tree(pid):
        try:
            total += _ticks(Path(f"/proc/{p}/stat"))
        except (OSError, IndexError, ValueError):
            pass
    return total / CLK_TCK


async def _viewer(browser, url: str, app: App, i: int, out: RunResult) -> None:
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        page = await context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        received = [0]

        def on_ws(ws) -> None:
            ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload)))

        page.on("websocket", on_ws)
        step = "overzicht"
        try:
            start = time.perf_counter()
            await page.goto(url)
            await page.wait_for_function(_metrics_shown(5))
            overview = time.perf_counter() - start
            await page.wait_for_selector(IDLE, state="attached")
            before = received[0]
            step = "KPI-pagina"
            start = time.perf_counter()
            await page.click(app.link_for(i))
            await page.wait_for_selector(CHART_DRAWN, state="visible")
            kpi = time.perf_counter() - start
            await page.wait_for_selector(IDLE, state="attached")
            shown_errors = await page.locator("[data-testid=stException]").count()
        except Exception as exc:  # a timeout or a closed page: an error, not a time
            out.errors.append(f"kijker {i}, {step}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
            return
        if shown_errors:
            out.errors.append(f"kijker {i}: {shown_errors} foutmelding(en) op de pagina")
        out.overview_s.append(overview)
        out.kpi_s.append(kpi)
        out.overview_bytes.append(before)
        out.kpi_bytes.append(received[0] - before)
    finally:
        await context.close()


async def _first_visit(url: str, app: App) -> RunResult:
    from playwright.async_api import async_playwright

    out = RunResult(app.name)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            await _viewer(browser, url, app, 0, out)
        finally:
            await browser.close()
    return out


async def _viewers(url: str, app: App, n: int, out: RunResult) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            start = time.perf_counter()
            await asyncio.gather(*(_viewer(browser, url, app, i, out) for i in range(n)))
            out.wall_s = time.perf_counter() - start
        finally:
            await browser.close()


def run_once(app: App, viewers: int, workdir: Path, tag: str, extra_env: dict[str, str] | None = None) -> RunResult:
    """A fresh server for `app`, `viewers` viewers at once, then the server is stopped."""
    run_times = workdir / f"load-{tag}-runs.txt"
    run_times.unlink(missing_ok=True)
    server = start_streamlit(workdir / f"load-{tag}.log", env=_timed_env(run_times, {**app.env, **(extra_env or {})}),
                             app=app.script)
    out = RunResult(app.name)
    try:
        time.sleep(1.0)  # the dashboard warms up in the background at start; let it, as before a meeting
        # One visit first, not measured: the bare app imports pandas and plotly in its first
        # script run (the dashboard at start), which would otherwise fall on its viewers.
        first = run_async(lambda: _first_visit(server.url, app))
        out.errors += [f"eerste bezoek: {e}" for e in first.errors]
        run_times.unlink(missing_ok=True)
        gc_times = Path(f"{run_times}.gc")
        gc_times.unlink(missing_ok=True)
        out.idle_rss = server.rss_bytes()
        cpu_before = cpu_seconds(server.proc.pid)
        main_before = main_thread_cpu_seconds(server.proc.pid)
        with _RssSampler(server) as sampler:
            run_async(lambda: _viewers(server.url, app, viewers, out))
        out.peak_rss = sampler.peak
        out.server_cpu_s = cpu_seconds(server.proc.pid) - cpu_before
        out.main_thread_cpu_s = main_thread_cpu_seconds(server.proc.pid) - main_before
        if run_times.exists():
            out.script_runs_ms = [float(line.split()[0]) for line in run_times.read_text().splitlines() if line]
        if gc_times.exists():
            out.gc_ms = [float(line.split()[0]) for line in gc_times.read_text().splitlines() if line]
        out.errors += [f"serverlog: {line[:160]}" for line in server.alarms()[:5]]
    finally:
        server.stop()
    return out


def profile(workdir: Path, viewers: int, out_dir: Path, progress=print) -> list[Path]:
    """One run per app with every script run profiled by pyinstrument (bench/runtimes/); the
    combined profile of all runs of an app is written as text to `out_dir`. Not timed."""
    from pyinstrument.renderers import ConsoleRenderer
    from pyinstrument.session import Session

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for app in apps(workdir):
        sessions_dir = workdir / f"profile-{len(written)}"
        sessions_dir.mkdir()
        r = run_once(app, viewers, workdir, f"p{len(written)}", {"KPI_BENCH_PROFILE_DIR": str(sessions_dir)})
        sessions = [Session.load(str(p)) for p in sorted(sessions_dir.glob("*.pyisession"))]
        combined = sessions[0]
        for s in sessions[1:]:
            combined = Session.combine(combined, s)
        flat = ConsoleRenderer(unicode=True, color=False, flat=True, flat_time="self").render(combined)
        tree = ConsoleRenderer(unicode=True, color=False, show_all=False, short_mode=False).render(combined)
        text = f"Self time per function, all runs together:\n{flat}\n\nPer script run:\n{tree}"
        path = out_dir / f"load-profile-{'dashboard' if app.script == DASHBOARD else 'bare'}.txt"
        path.write_text(f"{len(sessions)} script runs, {viewers} viewers, errors: {len(r.errors)}\n\n{text}")
        written.append(path)
        progress(f"  profiel {app.name}: {len(sessions)} scriptruns -> {path}")
    return written


def apps(workdir: Path) -> tuple[App, App]:
    db = seeded_db(workdir / "load.db")
    dashboard = App("dashboard", DASHBOARD, {"KPI_DATABASE_URL": db},
                    ".st-key-card_{code} [data-testid=stPageLink] a")
    bare = App("kale data-app", BARE_LOAD_APP, {}, "[data-testid=stPageLink] a")
    return dashboard, bare


def load(workdir: Path, viewers: int, rounds: int, progress=print) -> dict:
    """`rounds` runs per app, alternating (A,B / B,A); returns every figure for RESULTS.md."""
    viewers = max(1, min(viewers, MAX_VIEWERS))
    dashboard, bare = apps(workdir)
    results: dict[str, list[RunResult]] = {dashboard.name: [], bare.name: []}
    for i in range(rounds):
        order = (dashboard, bare) if i % 2 == 0 else (bare, dashboard)
        for app in order:
            r = run_once(app, viewers, workdir, f"{'a' if app is dashboard else 'b'}{i}")
            results[app.name].append(r)
            progress(f"  belasting run {i + 1}/{rounds} {app.name}: {viewers} kijkers, "
                     f"mediaan {statistics.median(r.pages_s) * 1000 if r.pages_s else float('nan'):.0f} ms, "
                     f"p95 {percentile(r.pages_s, 95) * 1000:.0f} ms, fouten {len(r.errors)}, "
                     f"piek {r.peak_rss / 2**20:.0f} MB, {r.wall_s:.1f} s")
    return summarise(results, viewers, rounds)


def _side(runs: list[RunResult]) -> dict:
    pages = [x for r in runs for x in r.pages_s]
    overview = [x for r in runs for x in r.overview_s]
    kpi = [x for r in runs for x in r.kpi_s]
    script = [x for r in runs for x in r.script_runs_ms]
    return {
        "pages": len(pages),
        "median_s": statistics.median(pages) if pages else float("nan"),
        "p95_s": percentile(pages, 95),
        "max_s": max(pages, default=float("nan")),
        "overview_median_s": statistics.median(overview) if overview else float("nan"),
        "overview_p95_s": percentile(overview, 95),
        "kpi_median_s": statistics.median(kpi) if kpi else float("nan"),
        "kpi_p95_s": percentile(kpi, 95),
        "p95_per_run_s": [percentile(r.pages_s, 95) for r in runs],
        "wall_per_run_s": [r.wall_s for r in runs],
        "errors": [e for r in runs for e in r.errors],
        "peak_rss_mb": [r.peak_rss / 2**20 for r in runs],
        "idle_rss_mb": [r.idle_rss / 2**20 for r in runs],
        "server_cpu_s": [r.server_cpu_s for r in runs],
        "main_thread_cpu_s": [r.main_thread_cpu_s for r in runs],
        "script_runs": [len(r.script_runs_ms) for r in runs],
        "gc_s": [sum(r.gc_ms) / 1000 for r in runs],
        "gc_count": [len(r.gc_ms) for r in runs],
        "script_run_median_ms": statistics.median(script) if script else float("nan"),
        "script_run_p95_ms": percentile(script, 95),
        "script_run_total_s": [sum(r.script_runs_ms) / 1000 for r in runs],
        "ws_overview_kb": statistics.median(x for r in runs for x in r.overview_bytes) / 1024
        if any(r.overview_bytes for r in runs) else float("nan"),
        "ws_kpi_kb": statistics.median(x for r in runs for x in r.kpi_bytes) / 1024
        if any(r.kpi_bytes for r in runs) else float("nan"),
    }


def summarise(results: dict[str, list[RunResult]], viewers: int, rounds: int) -> dict:
    dash, bare = (_side(runs) for runs in results.values())
    ratio = dash["p95_s"] / bare["p95_s"]
    paired = [a / b for a, b in zip(dash["p95_per_run_s"], bare["p95_per_run_s"], strict=True)]
    return {"viewers": viewers, "rounds": rounds, "goal_ratio": GOAL_RATIO, "dashboard": dash, "bare": bare,
            "ratio_p95": ratio, "ratio_p95_per_round": paired,
            "met": None if viewers != GOAL_VIEWERS else (ratio <= GOAL_RATIO and not dash["errors"])}


def _fmt_s(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def _num(x: float, digits: int = 0) -> str:
    text = f"{x:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def result_lines(res: dict) -> list[str]:
    """Markdown for bench/RESULTS.md: the two apps side by side and whether the goal is met."""
    d, b = res["dashboard"], res["bare"]
    n, rounds = res["viewers"], res["rounds"]

    def row(label: str, key: str, fmt) -> str:
        return f"| {label} | {fmt(d[key])} | {fmt(b[key])} |"

    def runs(values: list[float], digits: int = 0) -> str:
        return ", ".join(_num(v, digits) for v in values)

    met = res["met"]
    verdict = ("geen oordeel: het doel geldt voor 30 kijkers" if met is None
               else "gehaald" if met else "NIET GEHAALD")
    ratio = res["ratio_p95"]
    lines = [
        f"### (7) Belasting: {n} kijkers tegelijk", "",
        f"Per run een verse server op 127.0.0.1 en één headless chromium met {n} browsercontexts die tegelijk "
        "beginnen, na één niet-gemeten bezoek (de kale app importeert pandas en plotly in zijn eerste scriptrun, "
        "het dashboard bij de start); elke kijker opent het overzicht tot de vijf waarden zichtbaar zijn (pagina 1) en klikt door "
        "naar een KPI-pagina tot de grafiek getekend is (pagina 2). Basislijn: een kale Streamlit-data-app met "
        "dezelfde twee stappen (`bench/bare_load_app/`: klein pandas-frame, vijf `st.metric`, één plotly-grafiek, "
        f"`st.dataframe`). {rounds} run(s) per app, om en om; de paginatijden van alle runs samen "
        f"({d['pages']} en {b['pages']} pagina's). Load generator en server delen dezelfde cores.", "",
        "| meting | dashboard | kale data-app |", "|---|---|---|",
        row("paginatijd, mediaan (s)", "median_s", _fmt_s),
        row("paginatijd, p95 (s)", "p95_s", _fmt_s),
        row("paginatijd, max (s)", "max_s", _fmt_s),
        f"| overzicht: mediaan / p95 (s) | {_fmt_s(d['overview_median_s'])} / {_fmt_s(d['overview_p95_s'])} | "
        f"{_fmt_s(b['overview_median_s'])} / {_fmt_s(b['overview_p95_s'])} |",
        f"| KPI-pagina: mediaan / p95 (s) | {_fmt_s(d['kpi_median_s'])} / {_fmt_s(d['kpi_p95_s'])} | "
        f"{_fmt_s(b['kpi_median_s'])} / {_fmt_s(b['kpi_p95_s'])} |",
        f"| p95 per run (s) | {runs(d['p95_per_run_s'], 2)} | {runs(b['p95_per_run_s'], 2)} |",
        f"| tot de laatste kijker klaar is, per run (s) | {runs(d['wall_per_run_s'], 1)} | {runs(b['wall_per_run_s'], 1)} |",
        f"| fouten | {len(d['errors'])} | {len(b['errors'])} |",
        f"| piek-RSS server, per run (MB) | {runs(d['peak_rss_mb'])} | {runs(b['peak_rss_mb'])} |",
        f"| CPU-tijd server, per run (s) | {runs(d['server_cpu_s'], 1)} | {runs(b['server_cpu_s'], 1)} |",
        f"| waarvan hoofdthread (event loop: berichten serialiseren en versturen), per run (s) | "
        f"{runs(d['main_thread_cpu_s'], 1)} | {runs(b['main_thread_cpu_s'], 1)} |",
        f"| garbage collection in de server (≥ 1 ms, interpreterlock vast): aantal / s, per run | "
        f"{', '.join(f'{n} / {_num(t, 1)}' for n, t in zip(d['gc_count'], d['gc_s'], strict=True))} | "
        f"{', '.join(f'{n} / {_num(t, 1)}' for n, t in zip(b['gc_count'], b['gc_s'], strict=True))} |",
        f"| scriptruns in de server, per run | {runs(d['script_runs'])} | {runs(b['script_runs'])} |",
        f"| scriptrun onder belasting: mediaan / p95 (ms) | {_num(d['script_run_median_ms'])} / "
        f"{_num(d['script_run_p95_ms'])} | {_num(b['script_run_median_ms'])} / {_num(b['script_run_p95_ms'])} |",
        f"| websocket naar de browser per kijker: overzicht / KPI-pagina (kB, mediaan) | "
        f"{_num(d['ws_overview_kb'])} / {_num(d['ws_kpi_kb'])} | {_num(b['ws_overview_kb'])} / {_num(b['ws_kpi_kb'])} |",
        "",
        f"**p95 dashboard / p95 kale data-app: {ratio:.2f}x".replace(".", ",")
        + f" (per run: {', '.join(f'{x:.2f}x'.replace('.', ',') for x in res['ratio_p95_per_round'])}); "
        f"doel ≤ {res['goal_ratio']:.0f}x zonder fouten: {verdict}.**"
        + ("" if met is None or met or ratio <= res["goal_ratio"] else
           f" Het dashboard zit {(ratio / res['goal_ratio'] - 1) * 100:.0f}% boven het doel."),
    ]
    errors = d["errors"] + b["errors"]
    if errors:
        lines += ["", "Fouten (hoogstens tien):", ""] + [f"- {e}" for e in errors[:10]]
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_load")
    ap.add_argument("--viewers", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--markdown", action="store_true", help="print the RESULTS.md section, not JSON")
    ap.add_argument("--profile", type=Path, metavar="DIR",
                    help="instead: one profiled run per app, pyinstrument reports to DIR")
    args = ap.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="kpi-load-"))
    try:
        if args.profile:
            profile(workdir, args.viewers, args.profile)
            return 0
        res = load(workdir, args.viewers, args.rounds, progress=lambda m: print(m, flush=True))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("\n".join(result_lines(res)) if args.markdown else json.dumps(res, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
