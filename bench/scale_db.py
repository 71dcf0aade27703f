"""The scale database of issue 21 on PostgreSQL: the seeded data plus 100 centres x 15 indicators
x 20 years of yearly figures and five years of daily counts for 20 of them (20 daily series each:
20 x 20 x 1.826 = 730.400 rows), written with COPY. `counts()` says what was made."""

from __future__ import annotations

import datetime as dt

import numpy as np
import sqlalchemy as sa

from kpi import repository, schema
from kpi.db import ensure_ready, make_engine

CENTRES = 100
YEARLY_INDICATORS = 15
YEARS = 20
FIRST_YEAR = 2005
DAILY_CENTRES = 20
DAILY_SERIES = 20
DAILY_FIRST = dt.date(2020, 1, 1)
DAILY_DAYS = 1826  # 2020-2024
CENTRE = "Schaalcentrum {:03d}"


def _indicators(conn, existing: list[str]) -> tuple[list[str], list[str]]:
    """The 15 yearly indicators (the seeded ones, topped up) and the 20 daily ones."""
    extra = [f"schaal_{i:02d}" for i in range(1, YEARLY_INDICATORS - len(existing) + 1)]
    daily = [f"schaal_dag_{i:02d}" for i in range(1, DAILY_SERIES + 1)]
    conn.execute(sa.insert(schema.indicators), [
        dict(code=c, name=f"Schaalindicator {c}", unit="aantal", direction="hoger", decimals=0, source="bench")
        for c in extra + daily
    ])
    return existing + extra, daily


def _areas(conn, names: list[str]) -> list[int]:
    rows = [dict(name=n, kind="binnenstad", description="schaalbenchmark") for n in names]
    if "slug" in schema.areas.c:  # issue 21: centres have a slug in the URL
        for r in rows:
            r["slug"] = r["name"].lower().replace(" ", "-")
    conn.execute(sa.insert(schema.areas), rows)
    ids = repository.area_ids(conn)
    return [ids[n] for n in names]


def build(url: str, seed: int = 1) -> dict:
    """Create and fill the database at `url` (a new, empty PostgreSQL database)."""
    engine = make_engine(url)
    ensure_ready(engine, seed_demo=False)
    rng = np.random.default_rng(seed)
    now = repository.utcnow()
    with engine.begin() as conn:
        seeded = [r[0] for r in conn.execute(sa.select(schema.indicators.c.code))]
        yearly, daily = _indicators(conn, seeded[:YEARLY_INDICATORS])
        ids = _areas(conn, [CENTRE.format(i) for i in range(1, CENTRES + 1)])
        batch = repository.create_batch(conn, "observaties", "bench/scale_db.py", "bench")
        repository.touch_data_version(conn)
    columns = ("area_id", "indicator_code", "peildatum", "precision", "value", "source", "note",
               "illustrative", "batch_id", "recorded_at")
    n_yearly = n_daily = 0
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur:
            with cur.copy(f"COPY observations ({', '.join(columns)}) FROM STDIN") as copy:
                for area_id in ids:
                    for code in yearly:
                        base = rng.uniform(5, 500)
                        for y in range(YEARS):
                            copy.write_row((area_id, code, dt.date(FIRST_YEAR + y, 1, 1), "jaar",
                                            float(base * (1 + 0.02 * y)), "schaalbenchmark", "", False, batch, now))
                            n_yearly += 1
                days = [DAILY_FIRST + dt.timedelta(days=k) for k in range(DAILY_DAYS)]
                for area_id in ids[:DAILY_CENTRES]:
                    for code in daily:
                        values = rng.integers(0, 20_000, DAILY_DAYS)
                        for day, v in zip(days, values, strict=True):
                            copy.write_row((area_id, code, day, "dag", float(v), "schaalbenchmark (dag)", "",
                                            False, batch, now))
                            n_daily += 1
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(schema.observations)).scalar()
        n_areas = conn.execute(sa.select(sa.func.count()).select_from(schema.areas)).scalar()
    engine.dispose()
    return {"areas": n_areas, "yearly_indicators": len(yearly), "daily_series": len(daily),
            "yearly_rows": n_yearly, "daily_rows": n_daily, "observations": total}


def build_small(url: str) -> dict:
    """The same installation with one centre's data only (the seeded database)."""
    engine = make_engine(url)
    ensure_ready(engine, seed_demo=False)
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(schema.observations)).scalar()
        n_areas = conn.execute(sa.select(sa.func.count()).select_from(schema.areas)).scalar()
    engine.dispose()
    return {"areas": n_areas, "observations": total}
