"""Issue 21's scale run on a real PostgreSQL server (started here, like the tests do).

Two databases on one server: *een* (one centre's data: the seeded installation) and *schaal*
(the same plus 100 centres x 15 indicators x 20 years and 730.400 daily counts: bench/scale_db.py).
- Pages: each page in its own AppTest process per database, the two alternating (een, schaal /
  schaal, een) per round; per round the median of 3 reruns after st.cache_data.clear() (what a
  viewer waits for after an import) and of 3 warm reruns. Goal: schaal at most 1,5x een (cold).
- Import: 100.000 daily rows (20 centres x 3 indicators x 1.826 days in 1990-1994, a Dutch CSV)
  through kpi.importer prepare + apply into a fresh copy of *schaal*, against pandas.read_csv +
  DataFrame.to_sql of the same file into the same server. Goal: at most 2x.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from bench import scale_db
from bench.common import ROOT, Comparison

PAGE_GOAL = 1.5
IMPORT_GOAL = 2.0
IMPORT_ROWS = 100_000
# (URL path, title); the benchmark page is measured once it exists.
PAGES = [("", "overzicht (één centrum: Assen)"), ("vergelijken", "vergelijkingspagina (werkgroep)")]


def _database(server, template: str | None = None) -> str:
    name = f"b_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # generated names, never user input
        conn.execute(sa.text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    admin.dispose()
    return name


def _drop(server, name: str) -> None:
    admin = sa.create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _page_run(url: str, page: str) -> dict:
    res = subprocess.run([sys.executable, "-m", "bench.scale_page", "--url", url, "--page", page, "--runs", "3"],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)
    if res.returncode != 0:
        raise RuntimeError(res.stdout[-2000:] + res.stderr[-3000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def _page_exists(page: str) -> bool:
    from ui.frame import PAGES as FRAME_PAGES

    return not page or any(p.url == page for p in FRAME_PAGES)


def write_import_file(path: Path) -> int:
    lines = ["gebied;indicator;peildatum;waarde;bron"]
    days = [dt.date(1990, 1, 1) + dt.timedelta(days=k) for k in range(scale_db.DAILY_DAYS)]
    for i in range(1, scale_db.DAILY_CENTRES + 1):
        for code in ("schaal_dag_01", "schaal_dag_02", "schaal_dag_03"):
            for k, d in enumerate(days):
                lines.append(f"{scale_db.CENTRE.format(i)};{code};{d.day}-{d.month}-{d.year};"
                             f"{1000 + (k * 37) % 9000:,};Telling".replace(",", "."))
    lines = lines[: IMPORT_ROWS + 1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def _time_engine(server, template: str, csv: Path) -> tuple[float, float]:
    """(seconds for prepare + apply, of which apply)."""
    from kpi import importer
    from kpi.db import make_engine
    from kpi.settings import Settings

    name = _database(server, template)
    engine = make_engine(server.url(name))
    try:
        start = time.perf_counter()
        preview = importer.prepare(engine, [(csv.name, csv.read_bytes())], Settings(max_rows=200_000))
        prepared = time.perf_counter()
        batch = importer.apply(engine, preview, "bench", confirmed=True)  # generated counts jump
        seconds = time.perf_counter() - start
        if not preview.ok or batch is None or len(preview.added) != IMPORT_ROWS:
            raise RuntimeError(f"import failed: {preview.summary()} {[str(p) for p in preview.problems[:5]]}")
    finally:
        engine.dispose()
        _drop(server, name)
    return seconds, start + seconds - prepared


def _time_floor(server, template: str, csv: Path) -> float:
    """pandas.read_csv plus the importer's own bulk write (COPY) of the same rows straight into
    `observations` of a fresh copy of the big database, with its indexes and foreign keys: what any
    import into this schema costs, without checks, comparison, batch bookkeeping or undo."""
    from kpi import repository, schema
    from kpi.importer.store import bulk_insert

    name = _database(server, template)
    engine = sa.create_engine(server.url(name))
    try:
        start = time.perf_counter()
        frame = pd.read_csv(csv, sep=";", decimal=",", thousands=".")
        with engine.begin() as conn:
            ids = repository.area_ids(conn)
            batch = repository.create_batch(conn, "observaties", csv.name, "bench")
            rows = pd.DataFrame({
                "area_id": frame["gebied"].map(ids), "indicator_code": frame["indicator"],
                "peildatum": pd.to_datetime(frame["peildatum"], format="%d-%m-%Y").dt.date,
                "precision": "dag", "value": frame["waarde"].astype(float), "source": frame["bron"], "note": "",
            })
            bulk_insert(conn, schema.observations, rows,
                        constants={"illustrative": False, "batch_id": batch, "recorded_at": repository.utcnow()})
        seconds = time.perf_counter() - start
    finally:
        engine.dispose()
        _drop(server, name)
    return seconds


def _time_bare(server, csv: Path) -> float:
    name = _database(server)
    engine = sa.create_engine(server.url(name))
    try:
        start = time.perf_counter()
        frame = pd.read_csv(csv, sep=";", decimal=",", thousands=".")
        frame.to_sql("observations_bare", engine, index=False)
        seconds = time.perf_counter() - start
    finally:
        engine.dispose()
        _drop(server, name)
    return seconds


def run(runs: int, workdir: Path, progress=print) -> dict:
    from tests.support import pgserver

    server = pgserver.start()
    try:
        small, big = _database(server), _database(server)
        progress("  schaal: databases vullen")
        t0 = time.perf_counter()
        small_counts = scale_db.build_small(server.url(small))
        big_counts = scale_db.build(server.url(big))
        build_s = time.perf_counter() - t0
        pages = []
        for page, title in PAGES:
            if not _page_exists(page):
                pages.append({"page": page, "title": title, "missing": True})
                continue
            comp = Comparison(f"schaal: {title}", "100 centra", "één centrum", PAGE_GOAL, a_label="100 centra")
            warm_a, warm_b = [], []
            for i in range(runs):
                for which in (("b", "a") if i % 2 == 0 else ("a", "b")):
                    r = _page_run(server.url(big if which == "a" else small), page)
                    getattr(comp, which).append(statistics.median(r["cold_s"]))
                    (warm_a if which == "a" else warm_b).append(statistics.median(r["warm_s"]))
                    progress(f"  {title} ronde {i + 1}/{runs} {which}: {statistics.median(r['cold_s']) * 1000:.0f} ms")
            pages.append({"page": page, "title": title, "comp": comp, "warm_a": warm_a, "warm_b": warm_b})
        csv = workdir / "dagtellingen-100000.csv"
        rows = write_import_file(csv)
        imp = Comparison("schaal: import 100.000 dagcijfers", "kpi.importer prepare + apply",
                         "pandas.read_csv + to_sql", IMPORT_GOAL, a_label="importer")
        applied, floor = [], []
        for i in range(runs):
            for which in (("a", "b", "c") if i % 2 == 0 else ("c", "b", "a")):
                if which == "a":
                    seconds, apply_s = _time_engine(server, big, csv)
                    applied.append(apply_s)
                elif which == "b":
                    seconds = _time_bare(server, csv)
                else:
                    seconds = _time_floor(server, big, csv)
                (floor if which == "c" else getattr(imp, which)).append(seconds)
                progress(f"  import ronde {i + 1}/{runs} {which}: {seconds * 1000:.0f} ms")
        imp.breakdown = _import_breakdown(imp, applied, floor)
        return {"small": small_counts, "big": big_counts, "build_s": build_s, "pages": pages,
                "import": imp, "import_rows": rows, "file_mb": csv.stat().st_size / 2**20}
    finally:
        server.stop()


def _ms(seconds: float) -> str:
    return _n(round(seconds * 1000))


def _import_breakdown(imp: Comparison, applied: list[float], floor: list[float]) -> list[str]:
    prepared = [total - a for total, a in zip(imp.a, applied, strict=True)]
    ratio = f"{statistics.median(floor) / statistics.median(imp.b):.2f}".replace(".", ",")
    return [
        f"- waar de tijd van de importer zit (mediaan): voorbereiden (lezen, controleren, vergelijken) "
        f"{_ms(statistics.median(prepared))} ms, opslaan {_ms(statistics.median(applied))} ms; "
        f"opslaan per run: {', '.join(_ms(x) for x in applied)}.",
        f"- ondergrens van het schema: pandas.read_csv + de `COPY` van de importer van dezelfde rijen rechtstreeks "
        f"in `observations` van een verse kopie van de grote database (met zijn indexen en foreign keys, zonder "
        f"controles of vergelijking): mediaan {_ms(statistics.median(floor))} ms ({ratio}x de basislijn); "
        f"alle runs: {', '.join(_ms(x) for x in floor)}.",
    ]


def _n(x: int) -> str:
    return f"{x:,}".replace(",", ".")


def result_lines(r: dict, comparison_rows) -> list[str]:
    b = r["big"]
    mb = f"{r['file_mb']:.1f}".replace(".", ",")
    lines = [
        "### (8) Schaal: 100 centra op PostgreSQL (issue 21)", "",
        f"Databases op één echte PostgreSQL-server (door de bench gestart, fsync uit zoals in de tests): "
        f"*één centrum* = de startgegevens ({_n(r['small']['observations'])} metingen, {r['small']['areas']} gebieden); "
        f"*100 centra* = dezelfde plus {_n(b['yearly_rows'])} jaarcijfers (100 centra x {b['yearly_indicators']} "
        f"indicatoren x 20 jaar) en {_n(b['daily_rows'])} dagtellingen (20 centra x {b['daily_series']} reeksen x "
        f"1.826 dagen): {_n(b['observations'])} metingen, {b['areas']} gebieden (opbouw {r['build_s']:.0f} s, niet gemeten).",
        "Pagina's: per ronde een eigen AppTest-proces per database, om en om; per ronde de mediaan van 3 reruns na "
        "`st.cache_data.clear()` (wat een kijker na een import wacht). Import: "
        f"{_n(r['import_rows'])} dagcijfers ({mb} MB CSV) in een verse kopie van de grote database, "
        + "tegen pandas.read_csv + to_sql van hetzelfde bestand op dezelfde server.", "",
    ]
    comps = [p["comp"] for p in r["pages"] if "comp" in p] + [r["import"]]
    lines += comparison_rows(comps)
    for p in r["pages"]:
        if p.get("missing"):
            lines += ["", f"- {p['title']}: **niet gemeten**, de pagina `/{p['page']}` bestaat nog niet."]
        else:
            lines += ["", f"- {p['title']}, warme rerun (mediaan per ronde, ms): 100 centra "
                      f"{', '.join(f'{x * 1000:.0f}' for x in p['warm_a'])}; één centrum "
                      f"{', '.join(f'{x * 1000:.0f}' for x in p['warm_b'])}."]
    return lines
