"""Test data as code: small observation frames and definitions for the domain tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from kpi.metrics import Indicator, Target
from kpi.periods import parse_peildatum

AREA = "Assen binnenstad"
NL = "Nederland"

JOBS = Indicator(code="banen", name="Aantal banen", unit="aantal", direction="hoger", decimals=0, max_age_years=3)
VACANCY = Indicator(code="leegstand", name="Leegstand (verkooppunten)", unit="procent", direction="lager", decimals=1, max_age_years=3)
RANK = Indicator(code="ranking", name="Positie in ranking", unit="positie", direction="lager", decimals=0, max_age_years=3)
RATING = Indicator(code="waardering", name="Rapportcijfer", unit="cijfer", direction="hoger", decimals=1, max_age_years=3)

JOBS_TARGET = Target("banen", AREA, baseline_value=3800, baseline_year=2017, target_value=5000)
VACANCY_TARGET = Target("leegstand", AREA, baseline_value=21.9, baseline_year=2017, comparison="onder_landelijk")
RANK_TARGET = Target("ranking", AREA, baseline_value=53, baseline_year=2017, target_value=25, target_year=2021)
RATING_TARGET = Target("waardering", AREA, target_value=7.5)


def obs(rows: list[tuple], illustrative: bool = False) -> pd.DataFrame:
    """Rows of (area, indicator, peildatum, value[, source]) as an observations frame."""
    out = []
    for i, r in enumerate(rows):
        area, ind, peil, value = r[:4]
        source = r[4] if len(r) > 4 else "testbron"
        day, precision = parse_peildatum(peil)
        out.append(
            dict(
                id=i + 1, area=area, indicator=ind, peildatum=pd.Timestamp(day), precision=precision,
                value=float(value), source=source, note="", illustrative=illustrative, batch_id=None,
                batch_file="", batch_kind="seed", recorded_at=pd.Timestamp("2026-01-01"), superseded_at=None,
            )
        )
    return pd.DataFrame(out)


DAILY_VALUES = 90_000


def daily_value(k: int) -> float:
    """The k-th value of add_daily_values (k = 0 is the oldest)."""
    return 4000.0 + (k * 37) % 1001


def add_daily_values(engine, n: int = DAILY_VALUES, indicator: str = "banen", area: str = AREA,
                     last_day: dt.date | None = None) -> dt.date:
    """Store `n` real daily values of one indicator in one area, one per day up to `last_day`
    (today), in one batch named 'dagcijfers.csv'; returns the last day."""
    from kpi import repository, schema

    last_day = last_day or dt.date.today()
    first = last_day - dt.timedelta(days=n - 1)
    now = repository.utcnow()
    with engine.begin() as conn:
        area_id = repository.area_ids(conn)[area]
        batch = repository.create_batch(conn, "observaties", "dagcijfers.csv", "test", rows_total=n)
        conn.execute(sa.insert(schema.observations), [
            dict(area_id=area_id, indicator_code=indicator, peildatum=first + dt.timedelta(days=k), precision="dag",
                 value=daily_value(k), source="Dagtelling", note="", illustrative=False, batch_id=batch,
                 recorded_at=now)
            for k in range(n)
        ])
    return last_day
