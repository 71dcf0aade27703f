"""The published tables: tidy figures, target versions and current verdicts of one area.

Machine-readable on purpose: numbers with a decimal point, dates as ISO 8601 (a peildatum
known only by its year as '2017'), headers as in the import files, so that a published CSV
can be read back by `python -m kpi import`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from kpi.periods import iso_peildatum
from kpi.service import Snapshot, evaluate_snapshot
from kpi.settings import Settings

FIGURE_COLUMNS = ["gebied", "indicator", "peildatum", "waarde", "eenheid", "bron"]
TARGET_COLUMNS = ["gebied", "indicator", "versie", "geldig_vanaf", "basiswaarde", "basisjaar", "doelwaarde",
                  "doeljaar", "planningshorizon", "basis_landelijk", "vergelijking", "reden", "bron"]
VERDICT_COLUMNS = ["gebied", "indicator", "beoordeeld_op", "status", "toelichting", "waarde", "peildatum",
                   "doelversie"]


def real_only(snap: Snapshot) -> Snapshot:
    """The snapshot without illustrative figures: what may be published, and judged."""
    return dataclasses.replace(snap, observations=snap.observations[~snap.observations["illustrative"]])


def figures(snap: Snapshot, area: str) -> pd.DataFrame:
    """The area's current real figures, one row per figure, oldest first per indicator."""
    obs = snap.observations
    obs = obs[(obs["area"] == area) & ~obs["illustrative"]]
    units = snap.indicators["unit"].to_dict()
    out = pd.DataFrame({
        "gebied": obs["area"],
        "indicator": obs["indicator"],
        "peildatum": [iso_peildatum(pd.Timestamp(d).date(), p) for d, p in zip(obs["peildatum"], obs["precision"])],
        "waarde": obs["value"].astype(float),
        "eenheid": obs["indicator"].map(units),
        "bron": obs["source"],
        "_dag": obs["peildatum"],
    }, columns=[*FIGURE_COLUMNS, "_dag"])
    return out.sort_values(["indicator", "_dag"]).drop(columns="_dag").reset_index(drop=True)


def _int(v):
    return None if v is None or pd.isna(v) else int(v)


def _float(v):
    return None if v is None or pd.isna(v) else float(v)


def targets(history: pd.DataFrame, area: str) -> pd.DataFrame:
    """Every target version of the area (repository.load_target_history rows), oldest first."""
    h = history[history["area"] == area]
    out = pd.DataFrame({
        "gebied": h["area"], "indicator": h["indicator"], "versie": h["version"].astype(int),
        "geldig_vanaf": [pd.Timestamp(d).date().isoformat() for d in h["valid_from"]],
        "basiswaarde": [_float(v) for v in h["baseline_value"]], "basisjaar": [_int(v) for v in h["baseline_year"]],
        "doelwaarde": [_float(v) for v in h["target_value"]], "doeljaar": [_int(v) for v in h["target_year"]],
        "planningshorizon": [_int(v) for v in h["horizon_year"]],
        "basis_landelijk": [_float(v) for v in h["baseline_benchmark"]],
        "vergelijking": h["comparison"], "reden": h["reason"], "bron": h["source"],
    }, columns=TARGET_COLUMNS)
    for col in ("basisjaar", "doeljaar", "planningshorizon"):
        out[col] = out[col].astype("Int64")
    return out.sort_values(["indicator", "versie"]).reset_index(drop=True)


def verdicts(snap: Snapshot, settings: Settings, area: str, today: dt.date) -> pd.DataFrame:
    """The area's verdicts on `today`, by kpi.statuses' rules over the real figures only."""
    results = evaluate_snapshot(real_only(snap), dataclasses.replace(settings, area=area), today)
    return pd.DataFrame([{
        "gebied": area, "indicator": r.indicator.code, "beoordeeld_op": today.isoformat(), "status": r.status,
        "toelichting": r.status_reason,
        "waarde": None if r.latest is None else float(r.latest.value),
        "peildatum": None if r.latest is None else iso_peildatum(r.latest.peildatum.date(), r.latest.precision),
        "doelversie": int(r.target.version),
    } for r in results], columns=VERDICT_COLUMNS)
