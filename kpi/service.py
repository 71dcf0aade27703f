"""One call per screen: load what is stored and evaluate every KPI of the monitored area."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import repository
from kpi.metrics import BELOW_NATIONAL, Indicator, KpiResult, Target, evaluate
from kpi.periods import iso_peildatum
from kpi.settings import Settings
from kpi.text import summary_sentence


@dataclass(frozen=True)
class Snapshot:
    """The stored data as known at one moment, ready for every view."""

    indicators: pd.DataFrame
    targets: pd.DataFrame  # every target version recorded by `as_of`; evaluation picks those in force
    observations: pd.DataFrame
    as_of: dt.datetime | None = None


def load_snapshot(engine: Engine, as_of: dt.datetime | None = None,
                  areas: tuple[str, ...] | None = None) -> Snapshot:
    """Indicators, current targets and observations (as known at `as_of`, UTC), of `areas`
    only when given: the dashboard needs the monitored and benchmark area, not every row."""
    return Snapshot(
        indicators=repository.load_indicators(engine),
        targets=repository.load_known_targets(engine, as_of),
        observations=repository.load_observations(engine, as_of, areas=areas),
        as_of=as_of,
    )


def evaluate_snapshot(snap: Snapshot, settings: Settings, today: dt.date) -> list[KpiResult]:
    """Evaluate each KPI (an indicator with a target for the monitored area), in display order,
    against the target version in force on `today` (geldig vanaf on or before it).

    A KPI whose agreement is closed (afgesloten) on or before `today` gets its final verdict:
    evaluated on the end date, with the target version in force then and only the measurements
    up to that date, so later figures never rewrite a closed agreement's outcome."""
    results = []
    targets = repository.targets_in_force(snap.targets, today)
    known = snap.targets
    if not targets.empty:
        targets = targets[targets["area"] == settings.area]
        known = known[known["area"] == settings.area]
    for code, ind_row in snap.indicators.iterrows():
        rows = targets[targets["indicator"] == code]
        if rows.empty:
            continue
        target = Target.from_row(rows.iloc[-1])
        on, observations = today, snap.observations
        if target.agreement_end is not None and target.agreement_end < today:
            on = target.agreement_end
            in_force = repository.targets_in_force(known[known["indicator"] == code], on)
            if not in_force.empty:
                target = Target.from_row(in_force.iloc[-1])
            observations = _known_until(observations, on)
        # Every known version: each measurement is judged against the one in force on its date.
        versions = [Target.from_row(v) for _, v in known[known["indicator"] == code].iterrows()]
        results.append(
            evaluate(Indicator.from_row(ind_row), target, observations, on, settings.benchmark_area,
                     versions=versions)
        )
    return results


def _known_until(observations: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The measurements with a peildatum on or before `day` (a closed agreement's final verdict)."""
    if observations.empty:
        return observations
    return observations[observations["peildatum"] <= pd.Timestamp(day)]


def evaluate_all(engine: Engine, settings: Settings, today: dt.date, as_of: dt.datetime | None = None) -> list[KpiResult]:
    """Load and evaluate in one go (CLI, reports)."""
    return evaluate_snapshot(load_snapshot(engine, as_of, settings_areas(settings)), settings, today)


def settings_areas(settings: Settings) -> tuple[str, ...]:
    """The areas the dashboard shows: the monitored centre and its benchmark."""
    return (settings.area, settings.benchmark_area)


def status_records(results: list[KpiResult], without_action: frozenset[str] | set[str] = frozenset()) -> list[dict]:
    """Machine-readable status, one dict per KPI (`python -m kpi status --json`); `without_action`
    are the KPI codes behind with no real, running, not overdue action (kpi.werkplan)."""
    out = []
    for r in results:
        relative = r.target.comparison == BELOW_NATIONAL
        t = r.target
        out.append(
            {
                "indicator": r.indicator.code,
                "name": r.indicator.name,
                "area": r.area,
                "value": None if r.latest is None else r.latest.value,
                "date": None if r.latest is None else _iso(r.latest),
                "target": "below national" if relative else r.target.target_value,
                "target_year": r.target.target_year,
                "comparison": r.target.comparison,
                "national_value": r.national.value if r.national else None,
                "national_date": None if r.national is None else _iso(r.national),
                "national_note": r.national_note or None,
                "gap_pp": None if r.gap_pp is None else round(r.gap_pp, 6),
                "baseline_gap_pp": None if r.baseline_gap_pp is None else round(r.baseline_gap_pp, 6),
                "baseline_gap_basis": r.baseline_gap_basis or None,
                "reached": None if r.reached is None else r.reached.peildatum.date().isoformat(),
                "reached_on_time": r.reached_on_time,
                "year_reached": r.year_reached,
                "horizon": t.horizon,
                "horizon_assumed": t.horizon_assumed,
                "target_version": t.version,
                "agreement": t.agreement or None,
                "agreement_date": None if t.agreement_date is None else t.agreement_date.isoformat(),
                "agreement_end": None if t.agreement_end is None else t.agreement_end.isoformat(),
                "status": r.status,
                "status_reason": r.status_reason,
                "progress_pct": None if r.progress_pct is None else round(r.progress_pct, 2),
                "source": None if r.latest is None else r.latest.source,
                "illustrative": r.illustrative,
                "summary": summary_sentence(r),
                "counted_from": None if r.counted_from is None else r.counted_from.isoformat(),
                "no_running_action": r.indicator.code in without_action,
                "plausibility": (r.latest.plausibility or None) if r.latest is not None else None,
            }
        )
    return out


def _iso(m) -> str:
    return iso_peildatum(m.peildatum, m.precision)
