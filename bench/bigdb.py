"""A large database for the overview benchmark: the seeded data, plus 50 areas x 6 indicators
x 20 years of yearly figures, plus 100.000 extra daily observations spread over those series."""

from __future__ import annotations

import datetime as dt

import numpy as np
import sqlalchemy as sa

from kpi import repository, schema
from kpi.db import ensure_ready, make_engine

AREAS = 50
YEARS = 20
EXTRA = 100_000
FIRST_YEAR = 2006


def build(url: str, areas: int = AREAS, years: int = YEARS, extra: int = EXTRA, seed: int = 1) -> dict:
    """Create and fill the database at `url`; returns the row counts."""
    engine = make_engine(url)
    ensure_ready(engine, seed_demo=True)
    rng = np.random.default_rng(seed)
    now = repository.utcnow()
    with engine.begin() as conn:
        codes = [r[0] for r in conn.execute(sa.select(schema.indicators.c.code))]
        conn.execute(sa.insert(schema.areas), [
            dict(name=f"Benchmarkgebied {i:03d}", kind="binnenstad", description="benchmark") for i in range(areas)
        ])
        ids = [i for name, i in repository.area_ids(conn).items() if name.startswith("Benchmarkgebied")]
        batch = repository.create_batch(conn, "observaties", "bench/bigdb.py", "bench",
                                        rows_total=areas * len(codes) * years + extra)
        rows = []
        for area_id in ids:
            for code in codes:
                base = rng.uniform(5, 500)
                for y in range(years):
                    rows.append(dict(
                        area_id=area_id, indicator_code=code, peildatum=dt.date(FIRST_YEAR + y, 1, 1),
                        precision="jaar", value=float(base * (1 + 0.02 * y)), source="benchmark",
                        note="", illustrative=False, batch_id=batch, recorded_at=now,
                    ))
        yearly = len(rows)
        series = [(a, c) for a in ids for c in codes]
        per_series = -(-extra // len(series))
        start = dt.date(2000, 1, 2)
        n = 0
        for area_id, code in series:
            for k in range(per_series):
                if n == extra:
                    break
                rows.append(dict(
                    area_id=area_id, indicator_code=code, peildatum=start + dt.timedelta(days=7 * k),
                    precision="dag", value=float(rng.uniform(0, 1000)), source="benchmark (dag)",
                    note="", illustrative=False, batch_id=batch, recorded_at=now,
                ))
                n += 1
        conn.execute(sa.insert(schema.observations), rows)
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(schema.observations)).scalar()
        n_areas = conn.execute(sa.select(sa.func.count()).select_from(schema.areas)).scalar()
    engine.dispose()
    return {"areas": n_areas, "indicators": len(codes), "yearly": yearly, "extra": n, "observations": total}
