"""The load benchmark's arithmetic and verdict (bench/bench_load.py): the browsers and servers it
drives are `make bench`'s business; what it concludes from their times is tested here."""

from __future__ import annotations

from bench.bench_load import GOAL_VIEWERS, RunResult, percentile, result_lines, summarise


def test_percentile_interpolates_between_ranks():
    values = [float(x) for x in range(1, 21)]  # 1..20
    assert percentile(values, 50) == 10.5
    assert percentile(values, 95) == 19.05
    assert percentile([3.0], 95) == 3.0
    assert percentile(list(reversed(values)), 100) == 20.0


def _run(app: str, pages: list[float], errors: list[str] | None = None) -> RunResult:
    half = len(pages) // 2
    return RunResult(app, overview_s=pages[:half], kpi_s=pages[half:], overview_bytes=[1024] * half,
                     kpi_bytes=[2048] * half, errors=errors or [], wall_s=max(pages), peak_rss=200 * 2**20)


def _verdict(dash: list[float], bare: list[float], viewers: int = GOAL_VIEWERS, errors=None) -> str:
    res = summarise({"dashboard": [_run("dashboard", dash, errors)], "kale data-app": [_run("kale", bare)]},
                    viewers, 1)
    return "\n".join(result_lines(res))


def test_the_goal_is_p95_at_most_twice_the_bare_apps_and_says_by_how_much_when_missed():
    bare = [1.0] * 19 + [2.0]  # p95 1,95 s
    assert "doel ≤ 2x zonder fouten: gehaald." in _verdict([x * 1.9 for x in bare], bare)
    missed = _verdict([x * 2.5 for x in bare], bare)
    assert "p95 dashboard / p95 kale data-app: 2,50x" in missed
    assert "NIET GEHAALD" in missed and "25% boven het doel" in missed


def test_an_error_fails_the_goal_and_is_listed():
    bare = [1.0] * 20
    out = _verdict(bare, bare, errors=["kijker 3, KPI-pagina: TimeoutError: 180000 ms"])
    assert "NIET GEHAALD" in out and "kijker 3, KPI-pagina: TimeoutError" in out


def test_other_viewer_counts_give_figures_but_no_verdict():
    bare = [1.0] * 20
    out = _verdict([x * 3 for x in bare], bare, viewers=5)
    assert "geen oordeel: het doel geldt voor 30 kijkers" in out
    assert "NIET GEHAALD" not in out and "gehaald." not in out
