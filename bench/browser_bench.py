"""Benchmarks in headless Debian chromium: cold start, page switch, and server memory with
many sessions. Each comparison runs the dashboard and its bare baseline side by side,
interleaved, in the same run."""

from __future__ import annotations

import asyncio
import os
import statistics
import threading
import time
from pathlib import Path

from bench.common import Comparison, interleaved, rotated
from kpi.db import ensure_ready, make_engine
from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MENU,
    VIEWPORT,
    StreamlitServer,
    run_async,
    sqlite_url,
    start_streamlit,
    wait_healthy,
)

HERE = Path(__file__).resolve().parent
# The dashboard as `make run` starts it: app.py inside st.App, warmed up at process start.
DASHBOARD = Path("server.py")
BARE_METRIC_APP = HERE / "bare_metric_app.py"
BARE_DATA_APP = HERE / "bare_data_app.py"
BARE_TWO_PAGES = HERE / "bare_two_pages" / "app.py"
FRAMELESS = HERE / "frameless" / "app.py"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
CHART_DRAWN = "[data-testid=stPlotlyChart] .scatterlayer .trace"
TIMEOUT_MS = 120_000


def seeded_db(path: Path) -> str:
    """A migrated and seeded SQLite database, as after `make run` once."""
    url = sqlite_url(path)
    engine = make_engine(url)
    ensure_ready(engine)
    engine.dispose()
    return url


def _metrics_shown(n: int) -> str:
    return f"() => document.querySelectorAll('[data-testid=stMetricValue]').length >= {n}"


def cold_start_once(browser, workdir: Path, app: Path, env: dict[str, str], metrics: int,
                    health: list[float] | None = None) -> float:
    """Seconds from launching the server until `metrics` st.metric values are visible
    (`health` receives the seconds until /_stcore/health answered, for the breakdown)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    log = workdir / f"cold-{app.stem}.log"
    start = time.perf_counter()
    server = start_streamlit(log, env=env, app=app, wait=False)
    try:
        wait_healthy(server.url, server.proc, log_path=log)
        if health is not None:
            health.append(time.perf_counter() - start)
        page.goto(server.url)
        page.wait_for_function(_metrics_shown(metrics))
        elapsed = time.perf_counter() - start
    finally:
        server.stop()
        context.close()
    return elapsed


def cold_start_profiled(browser, workdir: Path, app: Path, env: dict[str, str], metrics: int) -> dict[str, float]:
    """One cold start, not timed for the comparison, that records where the time went (ms after
    launching the server): health, the first script run in the server and the browser's
    main-thread time from loading the page until the values are visible."""
    run_times = workdir / f"cold-{app.stem}-runs.txt"
    run_times.unlink(missing_ok=True)
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    log = workdir / f"cold-{app.stem}-profiled.log"
    wall, start = time.time(), time.perf_counter()
    server = start_streamlit(log, env=_timed_env(run_times, env), app=app, wait=False)
    try:
        wait_healthy(server.url, server.proc, log_path=log)
        row = {"health": (time.perf_counter() - start) * 1000}
        before = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        row["goto"] = (time.perf_counter() - start) * 1000
        page.goto(server.url)
        page.wait_for_function(_metrics_shown(metrics))
        row["visible"] = (time.perf_counter() - start) * 1000
        after = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        row.update({k: (after.get(k, 0.0) - before.get(k, 0.0)) * 1000 for k in _BUSY})
        first = run_times.read_text().splitlines()[0].split() if run_times.exists() else []
        if first:
            row["run_start"] = (float(first[2]) - wall) * 1000
            row["server_run"] = float(first[0])
    finally:
        server.stop()
        context.close()
    return row


_COLD_BREAKDOWN = (
    ("health", "start → server gezond"),
    ("run_start", "start → eerste scriptrun begint"),
    ("server_run", "server: eerste scriptrun"),
    ("visible", "start → waarden zichtbaar"),
    ("TaskDuration", "browser: hoofdthread bezig (laden → zichtbaar)"),
    ("ScriptDuration", "waarvan JavaScript"),
)


def cold_start(browser, workdir: Path, runs: int, progress) -> list[Comparison]:
    db = seeded_db(workdir / "cold.db")
    health: dict[str, list[float]] = {"a": [], "b": [], "c": []}
    samples = rotated(runs, {
        "dashboard": lambda: cold_start_once(browser, workdir, DASHBOARD, {"KPI_DATABASE_URL": db}, 5,
                                             health["a"]),
        "kaal": lambda: cold_start_once(browser, workdir, BARE_METRIC_APP, {}, 1, health["b"]),
        "kaal+data": lambda: cold_start_once(browser, workdir, BARE_DATA_APP, {}, 1, health["c"]),
    }, progress, "koude start")
    steady = Comparison("koude start", "dashboard (bestaande database), 5 KPI-waarden zichtbaar",
                        "kale app met één st.metric", 1.25, samples["dashboard"], samples["kaal"])
    profiled: dict[str, list[dict[str, float]]] = {"dashboard": [], "kaal": [], "kaal+data": []}
    for _ in range(max(2, runs // 2)):  # after the timed runs: the run timer is not in those
        profiled["dashboard"].append(cold_start_profiled(browser, workdir, DASHBOARD, {"KPI_DATABASE_URL": db}, 5))
        profiled["kaal"].append(cold_start_profiled(browser, workdir, BARE_METRIC_APP, {}, 1))
        profiled["kaal+data"].append(cold_start_profiled(browser, workdir, BARE_DATA_APP, {}, 1))

    def med(name: str, key: str) -> str:
        values = [row[key] for row in profiled[name] if key in row]
        return f"{statistics.median(values):.0f}" if values else "–"

    steady.breakdown = [f"Waar de tijd van de koude start zit ({len(profiled['kaal'])} extra starts per app na de "
                        "gemeten runs, met een timer om de scriptrun in de server en Chrome DevTools-metrics, "
                        "`bench/runtimes/`):", "",
                        "| deel van de koude start (mediaan, ms) | dashboard | kale app | kale app + pandas en SQLAlchemy |",
                        "|---|---|---|---|"]
    steady.breakdown += [f"| {label} | {med('dashboard', key)} | {med('kaal', key)} | {med('kaal+data', key)} |"
                         for key, label in _COLD_BREAKDOWN]
    steady.note = (
        "Waarvan tot de server gezond meldt (mediaan): dashboard "
        f"{statistics.median(health['a']) * 1000:.0f} ms, basislijn {statistics.median(health['b']) * 1000:.0f} ms; "
        "de rest is de eerste scriptrun en het tekenen."
    )
    data = Comparison("koude start", "dashboard (bestaande database), 5 KPI-waarden zichtbaar",
                      "kale app die ook pandas en SQLAlchemy importeert", None,
                      samples["dashboard"], samples["kaal+data"],
                      note="Ter informatie: hoeveel van het verschil de imports zijn die elke data-app betaalt.")
    counter = iter(range(10_000))

    def first_ever() -> float:
        fresh = sqlite_url(workdir / f"first-{next(counter)}.db")
        return cold_start_once(browser, workdir, DASHBOARD, {"KPI_DATABASE_URL": fresh}, 5)

    first = Comparison("eerste start", "dashboard met nieuwe database (migreren en vullen)",
                       "kale app met één st.metric", None,
                       note="Eenmalig per installatie; ter informatie, geen doel.")
    interleaved(max(2, runs // 2), first_ever,
                lambda: cold_start_once(browser, workdir, BARE_METRIC_APP, {}, 1), first, progress)
    return [steady, data, first]


# Marks for the breakdown of a page switch, set by a MutationObserver in the page (ms after the
# click): the script starts running, the chart element exists, its first trace is drawn.
_MARKS_JS = """() => {
  const t0 = performance.now(), marks = {};
  const app = document.querySelector('[data-testid=stApp]');
  const mark = (k) => { if (!(k in marks)) marks[k] = performance.now() - t0; };
  const obs = new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') mark('running');
    if (!('chart' in marks) && document.querySelector('[data-testid=stPlotlyChart]')) mark('chart');
    if (!('drawn' in marks) && document.querySelector('CHART_DRAWN')) mark('drawn');
  });
  obs.observe(document.body, {subtree: true, childList: true, attributes: true});
  window.__benchMarks = () => { obs.disconnect(); return marks; };
}""".replace("CHART_DRAWN", CHART_DRAWN)
_BUSY = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
# Bench only: bench/runtimes/sitecustomize.py times each script run in the server process.
RUNTIMES = HERE / "runtimes"


class _Side:
    """One app in the page-switch benchmark: its server, page, and how to switch and return."""

    def __init__(self, browser, server: StreamlitServer, link: str, back: str, metrics: int,
                 run_times: Path | None = None):
        self.server, self.link, self.back, self.metrics = server, link, back, metrics
        self.run_times = run_times
        self.context = browser.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Performance.enable")
        self.breakdown: list[dict[str, float]] = []
        self.page.goto(server.url)
        self._at_start()

    def _at_start(self) -> None:
        self.page.wait_for_function(_metrics_shown(self.metrics))
        self.page.wait_for_selector(IDLE, state="attached")

    def _busy(self) -> dict[str, float]:
        metrics = {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}
        return {k: metrics.get(k, 0.0) for k in _BUSY}

    def switch(self) -> float:
        """Seconds from the click on the link until the chart on the next page is drawn."""
        start = time.perf_counter()
        self.page.click(self.link)
        self.page.wait_for_selector(CHART_DRAWN, state="visible")
        elapsed = time.perf_counter() - start
        self.page.wait_for_selector(IDLE, state="attached")
        self.page.click(self.back)
        self._at_start()
        return elapsed

    def profiled_switch(self) -> None:
        """One switch, not timed for the comparison, that records where the time went: marks in
        the page, the browser's main-thread time (Chrome DevTools Performance metrics) and the
        server's script run (when the server was started with the bench's run timer)."""
        lines = len(self.run_times.read_text().splitlines()) if self.run_times and self.run_times.exists() else 0
        self.page.evaluate(_MARKS_JS)
        before = self._busy()
        start = time.perf_counter()
        self.page.click(self.link)
        self.page.wait_for_selector(CHART_DRAWN, state="visible")
        elapsed = time.perf_counter() - start
        after = self._busy()
        marks = self.page.evaluate("() => window.__benchMarks()")
        self.page.wait_for_selector(IDLE, state="attached")
        row = {"wall": elapsed * 1000, **{k: v for k, v in marks.items()}}
        row.update({k: (after[k] - before[k]) * 1000 for k in _BUSY})
        if self.run_times and self.run_times.exists():
            new = self.run_times.read_text().splitlines()[lines:]
            if new:
                total, chart = new[0].split()[:2]
                row["server_run"] = float(total)
                if chart != "-":
                    row["server_chart"] = float(chart)
        self.breakdown.append(row)
        self.page.click(self.back)
        self._at_start()

    def close(self) -> None:
        self.context.close()


_BREAKDOWN = (
    ("running", "klik → script draait (browser)"),
    ("server_chart", "server: scriptrun tot de grafiek verstuurd is"),
    ("server_run", "server: hele scriptrun"),
    ("chart", "klik → grafiekelement in de pagina"),
    ("drawn", "klik → grafiek getekend"),
    ("TaskDuration", "browser: hoofdthread bezig (klik → getekend)"),
    ("ScriptDuration", "waarvan JavaScript"),
    ("LayoutDuration", "waarvan layout"),
    ("RecalcStyleDuration", "waarvan stijlberekening"),
)


def breakdown_table(sides: dict[str, _Side]) -> list[str]:
    """Markdown rows: median of each part of the profiled switches, one column per app."""
    def med(side: _Side, key: str) -> str:
        values = [row[key] for row in side.breakdown if key in row]
        return f"{statistics.median(values):.0f}" if values else "–"

    first = next(iter(sides.values()))
    rows = [f"Waar de tijd van de paginawissel zit ({len(first.breakdown)} extra wissels per app na de gemeten "
            "runs, met meetpunten in de pagina, Chrome DevTools-metrics en een timer om de scriptrun in de server, "
            "`bench/runtimes/`):", "",
            "| deel van de paginawissel (mediaan, ms) | " + " | ".join(sides) + " |",
            "|---|" + "---|" * len(sides)]
    rows += [f"| {label} | " + " | ".join(med(side, key) for side in sides.values()) + " |"
             for key, label in _BREAKDOWN]
    return rows


def _timed_env(run_times: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(RUNTIMES), os.environ.get("PYTHONPATH", "")) if p)
    return {**(env or {}), "PYTHONPATH": path, "KPI_BENCH_RUN_TIMES": str(run_times)}


def page_switch(browser, workdir: Path, runs: int, progress) -> list[Comparison]:
    db = seeded_db(workdir / "switch.db")
    times = {k: workdir / f"switch-{k}-runs.txt" for k in ("dashboard", "frameless", "bare")}
    dash = start_streamlit(workdir / "switch-dashboard.log",
                           env=_timed_env(times["dashboard"], {"KPI_DATABASE_URL": db}), app=DASHBOARD)
    frameless = start_streamlit(workdir / "switch-frameless.log",
                                env=_timed_env(times["frameless"], {"KPI_DATABASE_URL": db}), app=FRAMELESS)
    bare = start_streamlit(workdir / "switch-bare.log", env=_timed_env(times["bare"]), app=BARE_TWO_PAGES)
    try:
        card = ".st-key-card_leegstand [data-testid=stPageLink] a"
        # Back to the overview: the dashboard's own menu; the frameless app has Streamlit's.
        back = "[data-testid=stSidebarNav] a:has-text('Overzicht')"
        a = _Side(browser, dash, card, f"{MENU} a:has-text('Overzicht')", 5, times["dashboard"])
        f = _Side(browser, frameless, card, back, 5, times["frameless"])
        b = _Side(browser, bare, "[data-testid=stPageLink] a", "[data-testid=stSidebarNav] a:has-text('Een')", 1,
                  times["bare"])
        for side in (a, f, b):  # warm-up: first script compile and first figure, not measured
            side.switch()
        samples = rotated(runs, {"dashboard": a.switch, "zonder frame": f.switch, "kaal": b.switch},
                          progress, "paginawissel")
        for _ in range(runs):  # after the timed runs, so that the observers cost them nothing
            a.profiled_switch(), f.profiled_switch(), b.profiled_switch()
        comp = Comparison("paginawissel", "overzicht → KPI-pagina tot de grafiek getekend is",
                          "kale app met twee pagina's en één plotly-grafiek", 1.5,
                          samples["dashboard"], samples["kaal"])
        comp.breakdown = breakdown_table({"dashboard": a, "zelfde pagina's zonder frame": f, "kale app": b})
        frame_cost = Comparison(
            "paginawissel", "dashboard", "dezelfde twee pagina's zonder de frame (geen zijbalktekst, inlogvak, "
            "demomelding; `bench/frameless/app.py`)", None, samples["dashboard"], samples["zonder frame"],
            note="Ter informatie: wat de frame om elke pagina kost.")
        content_cost = Comparison(
            "paginawissel", "pagina's zonder frame", "kale app met twee pagina's en één plotly-grafiek", None,
            samples["zonder frame"], samples["kaal"],
            note="Ter informatie: wat de inhoud van de KPI-pagina zelf kost (titel, status, zin, vier "
                 "metrics, grafiek met doel- en landelijke lijn, tabellen, werkplan).", a_label="zonder frame")
        for side in (a, f, b):
            side.close()
    finally:
        dash.stop()
        frameless.stop()
        bare.stop()
    return [comp, frame_cost, content_cost]


class _RssSampler:
    """Samples the server's RSS (process and children) every 100 ms in a thread; keeps the peak."""

    def __init__(self, server: StreamlitServer):
        self.server, self.peak, self._stop = server, 0, threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.rss_bytes())
            time.sleep(0.1)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


async def _sessions(url: str, n: int, on_open) -> None:
    from playwright.async_api import async_playwright

    codes = ["banen", "bedrijven", "leegstand", "waardering", "ranking"]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = [await browser.new_context(viewport=VIEWPORT) for _ in range(n)]
        pages = [await c.new_page() for c in contexts]
        for p in pages:
            p.set_default_timeout(TIMEOUT_MS * 5)

        async def visit(i: int, p) -> None:
            await p.goto(url)
            await p.wait_for_function(_metrics_shown(5))
            await p.wait_for_selector(IDLE, state="attached")
            await p.click(f".st-key-card_{codes[i % len(codes)]} [data-testid=stPageLink] a")
            await p.wait_for_selector(CHART_DRAWN, state="visible")
            await p.wait_for_selector(IDLE, state="attached")

        await asyncio.gather(*(visit(i, p) for i, p in enumerate(pages)))
        await asyncio.sleep(1.0)  # let the server settle with all sessions still open
        on_open()
        await browser.close()


def memory(workdir: Path, runs: int, sessions: int, progress) -> dict:
    """RSS of the server tree: idle after start, peak and settled with `sessions` sessions open."""
    out = {"sessions": sessions, "runs": runs, "idle": [], "peak": [], "open": []}
    for i in range(runs):
        db = seeded_db(workdir / f"mem-{i}.db")
        server = start_streamlit(workdir / f"mem-{i}.log", env={"KPI_DATABASE_URL": db}, app=DASHBOARD)
        try:
            time.sleep(1.0)
            out["idle"].append(server.rss_bytes())
            with _RssSampler(server) as sampler:
                run_async(lambda s=server: _sessions(s.url, sessions,
                                                     lambda: out["open"].append(s.rss_bytes())))
            out["peak"].append(sampler.peak)
            progress(f"  geheugen run {i + 1}/{runs}: idle {out['idle'][-1] / 2**20:.0f} MB, "
                     f"piek {sampler.peak / 2**20:.0f} MB, open {out['open'][-1] / 2**20:.0f} MB")
        finally:
            server.stop()
    return out
