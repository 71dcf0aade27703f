"""Freshness without a browser (issue 11): the app sees a write made behind its back (as by the
CLI or another process) on its next run, and serves unchanged data from its cache."""

from __future__ import annotations

import datetime as dt

from kpi import events, importer, repository, service
from kpi.db import ensure_ready, make_engine
from tests.support.apptest import BANEN_METRIC, VISIE_METRICS, demo_banner, open_page, run_app, texts
from tests.support.importdata import SETTINGS, csv

A = "Assen binnenstad"


def _import_jobs(db_url: str, value: str) -> None:
    """Import a 2026 jobs figure through the import engine on its own engine (another 'process')."""
    engine = make_engine(db_url)
    try:
        preview = importer.prepare(engine, [("banen.csv", csv(
            f"gebied;indicator;jaar;waarde;bron\n{A};banen;2026;{value};LISA 2026"))], SETTINGS)
        assert preview.ok, [str(p) for p in preview.problems]
        assert importer.apply(engine, preview, "cli") is not None
    finally:
        engine.dispose()


def test_a_write_elsewhere_shows_on_the_next_run_and_unchanged_data_comes_from_the_cache(
        monkeypatch, sqlite_url):
    ensure_ready(make_engine(sqlite_url))
    loads = []
    real = service.load_snapshot
    monkeypatch.setattr(service, "load_snapshot", lambda *a, **kw: loads.append(1) or real(*a, **kw))

    at = run_app(monkeypatch, sqlite_url)
    assert not at.exception
    assert at.metric[BANEN_METRIC].value == "4.210"
    assert len(loads) == 1

    at.run()  # nothing changed: served from the cache
    assert at.metric[BANEN_METRIC].value == "4.210"
    assert len(loads) == 1

    _import_jobs(sqlite_url, "4.999")
    at.run()
    assert not at.exception
    assert at.metric[BANEN_METRIC].value == "4.999"
    assert len(loads) == 2

    engine = make_engine(sqlite_url)
    events.add_event(engine, dt.date(2026, 3, 1), "Nieuwe gebeurtenis")
    open_page(at, "kpi")
    at.query_params["kpi"] = "banen"
    at.run()
    assert "Nieuwe gebeurtenis" in str(at.dataframe[0].value["Gebeurtenis"].tolist())

    repository.remove_illustrative(engine)
    engine.dispose()
    open_page(at, "overzicht")
    at.run()
    assert demo_banner(at) is None, "the banner about illustrative values outlived their removal"
    assert "Illustratief" not in texts(at)


WARM_UP_SCRIPT = """
import json
from kpi import service
from tests.support.apptest import APP
from streamlit.testing.v1 import AppTest
from ui import warmup

loads = []
real = service.load_snapshot
service.load_snapshot = lambda *a, **kw: loads.append(1) or real(*a, **kw)
warmup.warm_up()  # creates, migrates and seeds the new database, then caches today's results
after_warm_up = len(loads)
at = AppTest.from_file(APP, default_timeout=60).run()
print(json.dumps({"after_warm_up": after_warm_up, "after_first_page": len(loads),
                  "exception": bool(at.exception), "metrics": [m.value for m in at.metric]}))
"""


def test_warm_up_at_start_fills_the_cache_the_first_page_uses(sqlite_url):
    """server.py runs ui.warmup.warm_up() when the process starts; the first page then loads nothing.

    In a fresh interpreter, as in a new server process: where Streamlit keeps st.cache_data
    depends on whether a Runtime already exists in the process, which earlier tests change."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "KPI_DATABASE_URL": sqlite_url, "KPI_EDITOR_PASSWORD": "geheim-test-wachtwoord"}
    res = subprocess.run([sys.executable, "-c", WARM_UP_SCRIPT], cwd=root, env=env, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["after_warm_up"] == 1
    assert not out["exception"]
    assert out["metrics"] == [*VISIE_METRICS, "4.210", "458", "13,8%", "7,3", "plaats 33"]
    assert out["after_first_page"] == 1


def test_warm_up_with_the_database_down_only_logs(monkeypatch, tmp_path, caplog):
    from ui import warmup

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("KPI_DATABASE_URL", f"sqlite:///{blocked}/sub/db.sqlite")
    warmup.warm_up()  # must not raise: the first page shows the Dutch message instead
    assert "warm-up at start skipped" in caplog.text



FREEZE_SCRIPT = """
import gc, json
from ui import warmup

warmup.warm_up()
print(json.dumps({"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects())}))
"""


def test_warm_up_takes_the_loaded_heap_out_of_streamlits_collection_after_every_run(sqlite_url):
    """Streamlit runs a full gc.collect(2) after every script run, holding the interpreter lock;
    over the libraries and caches loaded at start that cost 100-300 ms per page load, which 30
    viewers at once paid one after the other (issue 23, bench/NOTES.md). After the warm-up the
    loaded heap is frozen, so such a collection visits only what pages create afterwards.
    In a fresh interpreter, as in a new server process: freezing is per process."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "KPI_DATABASE_URL": sqlite_url, "KPI_EDITOR_PASSWORD": "geheim-test-wachtwoord"}
    res = subprocess.run([sys.executable, "-c", FREEZE_SCRIPT], cwd=root, env=env, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["frozen"] > 50_000, out  # pandas, plotly, SQLAlchemy, Streamlit and today's results
    assert out["tracked"] * 10 < out["frozen"], out
