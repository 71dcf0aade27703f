"""Test data as code: small observation frames and definitions for the domain tests."""

from __future__ import annotations

import pandas as pd

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
