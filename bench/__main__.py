"""`python -m bench` (`make bench`): every benchmark, results into bench/RESULTS.md.

Options: --runs N (default 5), --only NAME[,NAME] (koud, wissel, overzicht, kpi-dag, import,
rapporten, geheugen, belasting, schaal), --sessions N (default 20), --viewers N and --load-rounds N for the
load run (default 30 viewers, 3 runs per app; bench/bench_load.py), --profile (pyinstrument profile
of the overview reruns to bench/out/). Comparisons are measured side by side and interleaved in the same run, because
these machines are noisy; the figures are medians.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench.common import ROOT, Comparison, machine

RESULTS = ROOT / "bench" / "RESULTS.md"
OUT = ROOT / "bench" / "out"
ALL = ["koud", "wissel", "overzicht", "kpi-dag", "import", "rapporten", "geheugen", "belasting", "schaal"]
OVERVIEW_GOAL_MS = 150
# KPI page with 90.000 daily values, caches warm (a viewer clicks): was 5,5-6 s (issue 12).
DAILY_KPI_GOAL_MS = 500
MEMORY_GOAL_MB = 500
KEEP_EARLIER = 4
MARK = "\n## Meting "


def progress(msg: str) -> None:
    print(msg, flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}".replace(",", ".")


def ratio(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def verdict(met: bool | None) -> str:
    return "–" if met is None else ("gehaald" if met else "**niet gehaald**")


def comparison_rows(comps: list[Comparison]) -> list[str]:
    rows = ["| meting | runs | mediaan dashboard (ms) | mediaan basislijn (ms) | verhouding | verhouding per paar | doel | |",
            "|---|---|---|---|---|---|---|---|"]
    for c in comps:
        goal = f"≤ {ratio(c.goal_ratio)}x" if c.goal_ratio else "–"
        rows.append(f"| {c.name}: {c.subject}; basislijn: {c.baseline} | {len(c.a)} | {ms(statistics.median(c.a))} "
                    f"| {ms(statistics.median(c.b))} | {ratio(c.ratio)}x | {ratio(c.paired_ratio)}x | {goal} "
                    f"| {verdict(c.met)} |")
    for c in comps:
        rows.append("")
        rows.append(f"- {c.name}, alle runs (ms), {c.a_label}: {', '.join(ms(x) for x in c.a)}; "
                    f"basislijn: {', '.join(ms(x) for x in c.b)}." + (f" {c.note}" if c.note else ""))
        if c.breakdown:
            rows += ["", *c.breakdown]
    return rows


def run_overview(runs: int, workdir: Path, profile: bool) -> dict:
    cmd = [sys.executable, "-m", "bench.overview_bench", "--runs", str(runs), "--workdir", str(workdir)]
    if profile:
        OUT.mkdir(exist_ok=True)
        cmd += ["--profile", str(OUT / "overview-profile.txt")]
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    if res.returncode != 0:
        raise RuntimeError(res.stdout[-2000:] + res.stderr[-3000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def run_kpi_page(runs: int, workdir: Path) -> dict:
    cmd = [sys.executable, "-m", "bench.kpi_page_bench", "--runs", str(runs), "--workdir", str(workdir)]
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    if res.returncode != 0:
        raise RuntimeError(res.stdout[-2000:] + res.stderr[-3000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def run_helper(module: str, runs: int) -> dict | None:
    """bench.bench_import / bench.bench_reports, written by their owners; None when absent."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise
    return mod.run(runs)


def dict_rows(result: dict) -> list[str]:
    rows = ["| sleutel | waarde |", "|---|---|"]
    for k, v in result.items():
        if isinstance(v, float):
            v = f"{v:.3f}".replace(".", ",")
        rows.append(f"| {k} | {v} |")
    return rows


def write_results(section: str) -> None:
    head = ("# Benchmarkresultaten\n\n"
            "Geschreven door `make bench` (`python -m bench`); nieuwste meting bovenaan, daaronder "
            f"hoogstens {KEEP_EARLIER} eerdere. Vergelijkingen zijn in dezelfde run gemeten, om en om "
            "(A,B / B,A), omdat deze machines wisselend belast zijn; de cijfers zijn medianen.\n")
    earlier: list[str] = []
    if RESULTS.exists():
        text = RESULTS.read_text()
        earlier = [MARK.lstrip("\n") + part for part in text.split(MARK)[1:]]
    body = [section.strip() + "\n"] + [e.strip() + "\n" for e in earlier[:KEEP_EARLIER]]
    RESULTS.write_text(head + "\n" + "\n".join(body))


def _run_notes(args, only: list[str]) -> str:
    """The run counts of the parts that count differently, only for the parts this run measures."""
    notes = [text for part, text in (
        ("geheugen", f"geheugen: {args.memory_runs} run(s) met {args.sessions} sessies"),
        ("belasting", f"belasting: {args.load_rounds} run(s) per app met {args.viewers} kijkers"),
    ) if part in only]
    return f" ({'; '.join(notes)})" if notes else ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--memory-runs", type=int, default=1, help="20 sessions on 2 cores take minutes")
    ap.add_argument("--viewers", type=int, default=30, help="viewers at once in the load run (at most 60)")
    ap.add_argument("--load-rounds", type=int, default=3, help="runs per app in the load run, alternating")
    ap.add_argument("--only", default=",".join(ALL))
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)
    only = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = set(only) - set(ALL)
    if unknown:
        ap.error(f"onbekend: {', '.join(sorted(unknown))}; kies uit {', '.join(ALL)}")

    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    info = machine()
    lines = [f"## Meting {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC (commit {info['commit']})", "",
             f"- machine: {info['platform']}; {info['cpu']}; geheugen {info['memory']}",
             f"- Python {info['python']}; {info['chromium']}; {info['packages']}",
             f"- runs per meting: {args.runs}{_run_notes(args, only)}",
             "- LOAD", ""]
    failures: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="kpi-bench-"))

    browser_parts = [x for x in only if x in ("koud", "wissel")]
    comps: list[Comparison] = []
    if browser_parts:
        from playwright.sync_api import sync_playwright

        from bench import browser_bench
        from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            if "koud" in browser_parts:
                progress("(1) koude start")
                comps += browser_bench.cold_start(browser, workdir, args.runs, progress)
            if "wissel" in browser_parts:
                progress("(2) paginawissel")
                comps += browser_bench.page_switch(browser, workdir, args.runs, progress)
            browser.close()
        lines += ["### (1) Koude start en (2) paginawissel in headless chromium", "",
                  "Koude start: van het starten van het serverproces tot de waarden zichtbaar zijn "
                  "(browser draait al, nieuwe context per run). Paginawissel: van de klik op de link "
                  "tot de plotly-grafiek getekend is (na één niet-gemeten opwarmronde).", "",
                  *comparison_rows(comps), ""]

    if "overzicht" in only:
        progress("(3) overzicht-rerun op een grote database")
        try:
            ov = run_overview(args.runs, workdir, args.profile)
            c = ov["counts"]
            warm, cold = ov["warm_median_ms"], ov["cold_median_ms"]
            lines += [
                "### (3) Overzicht opnieuw draaien (AppTest), grote database", "",
                f"Database: {c['areas']} gebieden, {c['indicators']} indicatoren, {c['yearly']} jaarcijfers "
                f"(50 x 6 x 20) plus {c['extra']} extra dagcijfers; {c['observations']} metingen in totaal.", "",
                "| meting | runs | mediaan (ms) | alle runs (ms) | doel | |", "|---|---|---|---|---|---|",
                f"| rerun, caches warm (een gebruiker klikt) | {len(ov['warm_s'])} | {warm:.0f} | "
                f"{', '.join(ms(x) for x in ov['warm_s'])} | < {OVERVIEW_GOAL_MS} ms | "
                f"{verdict(warm < OVERVIEW_GOAL_MS)} |",
                f"| rerun na legen van st.cache_data (na een import of na de TTL van 10 min) | "
                f"{len(ov['cold_s'])} | {cold:.0f} | {', '.join(ms(x) for x in ov['cold_s'])} | "
                f"< {OVERVIEW_GOAL_MS} ms | {verdict(cold < OVERVIEW_GOAL_MS)} |",
                f"| eerste run (engine, migratiecontrole, alle caches) | 1 | {ov['first_s'] * 1000:.0f} | | – | |",
                "",
            ]
        except Exception:
            failures.append("overzicht")
            lines += ["### (3) Overzicht opnieuw draaien", "", "Mislukt:", "```",
                      traceback.format_exc()[-3000:], "```", ""]

    if "kpi-dag" in only:
        progress("(3b) KPI-pagina met 90.000 dagwaarden")
        try:
            kp = run_kpi_page(args.runs, workdir)
            warm, cold = kp["warm_median_ms"], kp["cold_median_ms"]
            lines += [
                "### (3b) KPI-pagina met dagcijfers (AppTest), `/kpi?kpi=banen`", "",
                f"Database: de startgegevens plus {kp['daily_values']:,} dagwaarden".replace(",", ".") + " van banen (één per dag). "
                "Grafiek: één punt per periode boven 500 punten; tabel: de nieuwste 500; CSV pas bij klikken.", "",
                "| meting | runs | mediaan (ms) | alle runs (ms) | doel | |", "|---|---|---|---|---|---|",
                f"| rerun, caches warm (een gebruiker klikt) | {len(kp['warm_s'])} | {warm:.0f} | "
                f"{', '.join(ms(x) for x in kp['warm_s'])} | < {DAILY_KPI_GOAL_MS} ms | "
                f"{verdict(warm < DAILY_KPI_GOAL_MS)} |",
                f"| rerun na legen van st.cache_data (oordeel, grafiek en tabel opnieuw) | {len(kp['cold_s'])} | "
                f"{cold:.0f} | {', '.join(ms(x) for x in kp['cold_s'])} | – | |",
                "",
            ]
        except Exception:
            failures.append("kpi-dag")
            lines += ["### (3b) KPI-pagina met dagcijfers", "", "Mislukt:", "```",
                      traceback.format_exc()[-3000:], "```", ""]

    for key, module, title in (("import", "bench.bench_import", "(4) Import"),
                               ("rapporten", "bench.bench_reports", "(5) Rapporten")):
        if key not in only:
            continue
        progress(title)
        try:
            result = run_helper(module, args.runs)
            lines += [f"### {title}", ""]
            lines += (["niet beschikbaar (`" + module.replace(".", "/") + ".py` bestaat nog niet)"]
                      if result is None else dict_rows(result))
            lines.append("")
        except Exception:
            failures.append(key)
            lines += [f"### {title}", "", "Mislukt:", "```", traceback.format_exc()[-3000:], "```", ""]

    if "geheugen" in only:
        progress(f"(6) geheugen met {args.sessions} sessies")
        from bench import browser_bench

        mem = browser_bench.memory(workdir, args.memory_runs, args.sessions, progress)
        mb = {k: [v / 2**20 for v in mem[k]] for k in ("idle", "peak", "open")}
        peak = statistics.median(mb["peak"])
        lines += [
            f"### (6) Geheugen van de server met {args.sessions} gelijktijdige browsersessies", "",
            "RSS van het serverproces en al zijn kinderen (uit /proc), elke 100 ms bemonsterd terwijl "
            f"{args.sessions} browsercontexts tegelijk het overzicht openen en doorklikken naar een KPI-pagina.", "",
            "| meting | runs | mediaan (MB) | alle runs (MB) | doel | |", "|---|---|---|---|---|---|",
            f"| na start, geen sessie | {mem['runs']} | {statistics.median(mb['idle']):.0f} | "
            f"{', '.join(f'{x:.0f}' for x in mb['idle'])} | – | |",
            f"| piek tijdens {args.sessions} sessies | {mem['runs']} | {peak:.0f} | "
            f"{', '.join(f'{x:.0f}' for x in mb['peak'])} | < {MEMORY_GOAL_MB} MB | {verdict(peak < MEMORY_GOAL_MB)} |",
            f"| {args.sessions} sessies open, na afloop | {mem['runs']} | {statistics.median(mb['open']):.0f} | "
            f"{', '.join(f'{x:.0f}' for x in mb['open'])} | – | |",
            "",
        ]

    if "belasting" in only:
        progress(f"(7) belasting: {args.viewers} kijkers tegelijk, {args.load_rounds} run(s) per app")
        from bench import bench_load

        try:
            lines += [*bench_load.result_lines(bench_load.load(workdir, args.viewers, args.load_rounds, progress)), ""]
        except Exception:
            failures.append("belasting")
            lines += ["### (7) Belasting", "", "Mislukt:", "```", traceback.format_exc()[-3000:], "```", ""]

    if "schaal" in only:
        progress("(8) schaal: 100 centra op PostgreSQL")
        from bench import bench_scale

        try:
            lines += [*bench_scale.result_lines(bench_scale.run(args.runs, workdir, progress), comparison_rows), ""]
        except Exception:
            failures.append("schaal")
            lines += ["### (8) Schaal", "", "Mislukt:", "```", traceback.format_exc()[-3000:], "```", ""]

    lines.append(f"Duur van deze benchmarkrun: {time.perf_counter() - started:.0f} s.")
    # The machine's load (1-minute average) says whether it was quiet; the bench itself adds up to 2.
    lines[lines.index("- LOAD")] = (
        f"- delen: {', '.join(only)}; load average (1 min) bij de start {ratio(load_start)}, aan het einde "
        f"{ratio(os.getloadavg()[0])} (de bench zelf belast tot 2 cores)")
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    shutil.rmtree(workdir, ignore_errors=True)
    write_results("\n".join(lines))
    progress(f"Resultaten geschreven naar {RESULTS.relative_to(ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
