"""KPI calculations on observation frames: latest value, change, progress, required path,
trend projection, comparison with the national figure, and the status of each KPI.

Status rules (the README repeats them; `evaluate` applies them in this order):

1. ``geen recente data``: no measurement in the monitored area, the newest is older than
   the indicator's ``max_age_years`` (counted from its peildatum), or, for a target
   relative to the national figure, there is no national figure of the same measure and
   year to compare with.
2. ``gehaald``: the newest value meets the target (``hoger``: at or above it; ``lager``: at
   or below it; ``onder_landelijk``: strictly below the national figure of the same year).
3. With a target year:
   - the target year has ended and the target is not met: ``achter``;
   - the newest value is on or ahead of the required path (the straight line from the
     baseline to the target in the target year) at its peildatum: ``op koers``;
   - behind the path, but the trend over the measurements reaches the target by the
     target year: ``risico``;
   - otherwise ``achter``.
4. Without a target year: two signals count, *the trend moves toward the target*
   (at least two measurements since the baseline year) and *the newest value is better
   than the baseline*. Both (or the trend, when there is no baseline): ``op koers``;
   one of the two: ``risico``; neither: ``achter``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kpi.periods import YEAR, fractional_year

GEHAALD = "gehaald"
OP_KOERS = "op koers"
RISICO = "risico"
ACHTER = "achter"
GEEN_DATA = "geen recente data"
STATUSES = (GEHAALD, OP_KOERS, RISICO, ACHTER, GEEN_DATA)

ABSOLUTE = "absoluut"
BELOW_NATIONAL = "onder_landelijk"
COMPARISONS = (ABSOLUTE, BELOW_NATIONAL)


@dataclass(frozen=True)
class Indicator:
    """An indicator's definition (indicator)."""

    code: str
    name: str
    unit: str
    direction: str  # hoger | lager
    decimals: int = 0
    max_age_years: int = 3
    definition: str = ""
    source: str = ""
    frequency: str = ""
    theme: str = ""

    @classmethod
    def from_row(cls, row) -> Indicator:
        return cls(
            code=row["code"], name=row["name"], unit=row["unit"], direction=row["direction"],
            decimals=int(row["decimals"]), max_age_years=int(row["max_age_years"]),
            definition=row["definition"], source=row["source"], frequency=row["frequency"],
            theme=row["theme"],
        )


@dataclass(frozen=True)
class Target:
    """A target version (doel): baseline (basiswaarde), target value (doelwaarde), year."""

    indicator: str
    area: str
    baseline_value: float | None = None
    baseline_year: int | None = None
    target_value: float | None = None
    target_year: int | None = None
    comparison: str = ABSOLUTE
    version: int = 1
    source: str = ""
    valid_from: dt.date | None = None
    reason: str = ""

    @classmethod
    def from_row(cls, row) -> Target:
        def opt(v, cast):
            return None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else cast(v)

        return cls(
            indicator=row["indicator"], area=row["area"],
            baseline_value=opt(row["baseline_value"], float),
            baseline_year=opt(row["baseline_year"], int),
            target_value=opt(row["target_value"], float),
            target_year=opt(row["target_year"], int),
            comparison=row["comparison"], version=int(row["version"]), source=row["source"],
            valid_from=row["valid_from"], reason=row["reason"],
        )


@dataclass(frozen=True)
class Measurement:
    """One stored figure with its provenance."""

    value: float
    peildatum: pd.Timestamp
    precision: str
    source: str
    note: str = ""
    illustrative: bool = False
    batch_id: int | None = None
    batch_file: str = ""
    recorded_at: pd.Timestamp | None = None


@dataclass(frozen=True)
class Trend:
    """Least-squares line over the measurements: value = slope * year + intercept."""

    slope: float
    intercept: float
    n: int

    def at(self, year: float) -> float:
        """Expected value at a (fractional) year."""
        return self.slope * year + self.intercept


@dataclass
class KpiResult:
    """Everything the dashboard, the CLI and the reports show about one KPI."""

    indicator: Indicator
    target: Target
    area: str
    latest: Measurement | None
    previous: Measurement | None
    change: float | None
    progress_pct: float | None
    required_now: float | None
    projected_at_target_year: float | None
    year_reached: int | None
    status: str
    status_reason: str
    national: Measurement | None = None
    gap_pp: float | None = None
    series: pd.DataFrame = field(default_factory=pd.DataFrame)
    national_series: pd.DataFrame = field(default_factory=pd.DataFrame)
    comparison_series: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def illustrative(self) -> bool:
        """True when any shown figure for this KPI is illustrative."""
        return bool(self.series["illustrative"].any()) if not self.series.empty else False

    @property
    def last_updated(self) -> pd.Timestamp | None:
        """When a figure of this KPI was last recorded (import or seed), UTC."""
        frames = [f for f in (self.series, self.national_series) if not f.empty]
        if not frames:
            return None
        return max(pd.Timestamp(f["recorded_at"].max()) for f in frames)

    @property
    def target_display_value(self) -> float | None:
        """The number the KPI is measured against now (the national figure when relative)."""
        if self.target.comparison == BELOW_NATIONAL:
            return self.national.value if self.national else None
        return self.target.target_value


def series(observations: pd.DataFrame, indicator: str, area: str) -> pd.DataFrame:
    """The observations of one indicator in one area, oldest first."""
    mask = (observations["indicator"] == indicator) & (observations["area"] == area)
    out = observations.loc[mask].sort_values(["peildatum", "precision"]).reset_index(drop=True)
    out["year_x"] = [fractional_year(d.date()) for d in out["peildatum"]]
    return out


def _measurement(row) -> Measurement:
    return Measurement(
        value=float(row["value"]), peildatum=row["peildatum"], precision=row["precision"],
        source=row["source"], note=row.get("note", ""), illustrative=bool(row["illustrative"]),
        batch_id=None if pd.isna(row.get("batch_id")) else int(row["batch_id"]),
        batch_file=row.get("batch_file") or "", recorded_at=row.get("recorded_at"),
    )


def latest_measurement(s: pd.DataFrame) -> Measurement | None:
    """The newest measurement of a series, with its peildatum and source."""
    return None if s.empty else _measurement(s.iloc[-1])


def previous_measurement(s: pd.DataFrame) -> Measurement | None:
    """The measurement before the newest one."""
    return None if len(s) < 2 else _measurement(s.iloc[-2])


def change_since_previous(s: pd.DataFrame) -> float | None:
    """Newest value minus the one before it."""
    return None if len(s) < 2 else float(s["value"].iloc[-1] - s["value"].iloc[-2])


def progress_pct(value: float | None, baseline: float | None, target: float | None) -> float | None:
    """How far the value has come from baseline toward target, in % (may be <0 or >100)."""
    if value is None or baseline is None or target is None or target == baseline:
        return None
    return (value - baseline) / (target - baseline) * 100.0


def meets(value: float, target: float, direction: str) -> bool:
    """True when the value satisfies the target in the indicator's direction."""
    return value >= target if direction == "hoger" else value <= target


def required_value_at(target: Target, year: float) -> float | None:
    """Where the indicator should stand at a (fractional) year on the straight line from
    the baseline to the target in the target year; None without baseline or target year."""
    t = target
    if None in (t.baseline_value, t.baseline_year, t.target_value, t.target_year):
        return None
    if t.target_year == t.baseline_year:
        return t.target_value
    frac = (year - t.baseline_year) / (t.target_year - t.baseline_year)
    frac = min(max(frac, 0.0), 1.0)
    return t.baseline_value + frac * (t.target_value - t.baseline_value)


def required_path(target: Target, years: pd.Index) -> pd.Series:
    """Where the indicator should stand each year on a straight line to the target."""
    return pd.Series([required_value_at(target, float(y)) for y in years], index=years, dtype=float)


def trend(s: pd.DataFrame, since_year: int | None = None, column: str = "value") -> Trend | None:
    """Least-squares trend over the measurements (from `since_year` on); None below 2 points."""
    if since_year is not None:
        s = s[s["year_x"] >= since_year]
    s = s.dropna(subset=[column])
    if len(s) < 2 or s["year_x"].nunique() < 2:
        return None
    slope, intercept = np.polyfit(s["year_x"].to_numpy(float), s[column].to_numpy(float), 1)
    return Trend(float(slope), float(intercept), len(s))


def moves_toward(tr: Trend | None, direction: str) -> bool:
    """True when the trend moves in the indicator's good direction."""
    if tr is None:
        return False
    return tr.slope > 0 if direction == "hoger" else tr.slope < 0


def year_reached(tr: Trend | None, target: float, direction: str, latest: Measurement | None) -> int | None:
    """The year the target is reached at the current pace; None when not at this pace."""
    if latest is not None and meets(latest.value, target, direction):
        return latest.peildatum.year
    if not moves_toward(tr, direction):
        return None
    x = (target - tr.intercept) / tr.slope
    return int(math.ceil(x - 1e-9))


def national_comparison(area_series: pd.DataFrame, national_series: pd.DataFrame) -> pd.DataFrame:
    """Each area figure beside the national figure of the same measure and year.

    Same measure means the same indicator code (``leegstand`` counts outlets,
    ``leegstand_vvo`` floor area). Within a year, a national figure with the same
    peildatum and precision is preferred; otherwise the newest national figure of that year.
    Columns: peildatum, precision, year_x, value, illustrative, national, national_peildatum,
    national_precision, national_source, national_illustrative, gap_pp.
    """
    rows = []
    for _, r in area_series.iterrows():
        same_year = national_series[national_series["peildatum"].dt.year == r["peildatum"].year]
        exact = same_year[
            (same_year["peildatum"] == r["peildatum"]) & (same_year["precision"] == r["precision"])
        ]
        pick = exact if not exact.empty else same_year.sort_values("peildatum")
        if pick.empty:
            nat = None
        else:
            nat = pick.iloc[-1]
        rows.append(
            dict(
                peildatum=r["peildatum"], precision=r["precision"], year_x=r["year_x"],
                value=r["value"], illustrative=bool(r["illustrative"]),
                national=None if nat is None else float(nat["value"]),
                national_peildatum=None if nat is None else nat["peildatum"],
                national_precision=None if nat is None else nat["precision"],
                national_source=None if nat is None else nat["source"],
                national_illustrative=None if nat is None else bool(nat["illustrative"]),
                gap_pp=None if nat is None else float(r["value"] - nat["value"]),
            )
        )
    cols = [
        "peildatum", "precision", "year_x", "value", "illustrative", "national",
        "national_peildatum", "national_precision", "national_source",
        "national_illustrative", "gap_pp",
    ]
    out = pd.DataFrame(rows, columns=cols)
    out["gap_pp"] = out["gap_pp"].astype(float)
    return out


def _fy(day: pd.Timestamp, precision: str) -> float:
    return float(day.year) if precision == YEAR else fractional_year(day.date())


def evaluate(
    indicator: Indicator,
    target: Target,
    observations: pd.DataFrame,
    today: dt.date,
    benchmark_area: str = "Nederland",
) -> KpiResult:
    """Apply the calculations and status rules (module docstring) to one KPI."""
    s = series(observations, indicator.code, target.area)
    latest, previous = latest_measurement(s), previous_measurement(s)
    base = dict(
        indicator=indicator, target=target, area=target.area, latest=latest, previous=previous,
        change=change_since_previous(s), series=s,
    )
    since = target.baseline_year
    relative = target.comparison == BELOW_NATIONAL
    nat_s = series(observations, indicator.code, benchmark_area) if relative else pd.DataFrame()

    if relative:
        comp = national_comparison(s, nat_s)
        comp_tr = comp.dropna(subset=["gap_pp"])
        tr = trend(comp_tr, since, column="gap_pp")
        last_cmp = comp.iloc[-1] if not comp.empty else None
        national = None
        gap = None
        if last_cmp is not None and last_cmp["national"] is not None and not pd.isna(last_cmp["national"]):
            match = nat_s[(nat_s["peildatum"] == last_cmp["national_peildatum"]) & (nat_s["precision"] == last_cmp["national_precision"])]
            national = _measurement(match.iloc[-1])
            gap = float(last_cmp["gap_pp"])
        baseline_gap = None
        if target.baseline_value is not None and target.baseline_year is not None:
            base_nat = comp[(comp["peildatum"].dt.year == target.baseline_year)].dropna(subset=["gap_pp"])
            if not base_nat.empty:
                baseline_gap = float(target.baseline_value - base_nat.iloc[0]["national"])
        progress = progress_pct(gap, baseline_gap, 0.0)
        projected = tr.at(target.target_year) if (tr and target.target_year and target.target_year >= today.year) else None
        reached = year_reached(tr, 0.0, "lager", None) if gap is not None and gap >= 0 else (
            latest.peildatum.year if latest and gap is not None else None
        )
        result = KpiResult(
            **base, progress_pct=progress, required_now=None, projected_at_target_year=projected,
            year_reached=reached, status="", status_reason="", national=national, gap_pp=gap,
            national_series=nat_s, comparison_series=comp,
        )
        _status_relative(result, indicator, target, today, tr, baseline_gap)
        return result

    tr = trend(s, since)
    value = latest.value if latest else None
    progress = progress_pct(value, target.baseline_value, target.target_value)
    required_now = (
        required_value_at(target, _fy(latest.peildatum, latest.precision)) if latest else None
    )
    # Projecting to a target year that has already passed says nothing: only ahead.
    projected = tr.at(target.target_year) if (tr and target.target_year and target.target_year >= today.year) else None
    reached = (
        year_reached(tr, target.target_value, indicator.direction, latest)
        if target.target_value is not None
        else None
    )
    result = KpiResult(
        **base, progress_pct=progress, required_now=required_now,
        projected_at_target_year=projected, year_reached=reached, status="", status_reason="",
    )
    _status_absolute(result, indicator, target, today, tr)
    return result


def _stale(latest: Measurement | None, indicator: Indicator, today: dt.date) -> str | None:
    if latest is None:
        return "Er is nog geen meting."
    if today.year - latest.peildatum.year > indicator.max_age_years:
        return (
            f"De nieuwste meting is van {latest.peildatum.year}, ouder dan "
            f"{indicator.max_age_years} jaar."
        )
    return None


def _status_absolute(r: KpiResult, ind: Indicator, t: Target, today: dt.date, tr: Trend | None) -> None:
    if (why := _stale(r.latest, ind, today)) is not None:
        r.status, r.status_reason = GEEN_DATA, why
        return
    if t.target_value is None:
        r.status, r.status_reason = GEEN_DATA, "Er is geen doelwaarde vastgelegd."
        return
    v = r.latest.value
    if meets(v, t.target_value, ind.direction):
        r.status, r.status_reason = GEHAALD, "De nieuwste meting haalt het doel."
        return
    toward = moves_toward(tr, ind.direction)
    if t.target_year is not None:
        if today > dt.date(t.target_year, 12, 31):
            r.status = ACHTER
            r.status_reason = f"Het doeljaar {t.target_year} is verstreken en het doel is niet gehaald."
        elif r.required_now is not None and meets(v, r.required_now, ind.direction):
            r.status, r.status_reason = OP_KOERS, "De nieuwste meting ligt op of voor het benodigde pad."
        elif r.projected_at_target_year is not None and meets(r.projected_at_target_year, t.target_value, ind.direction):
            r.status = RISICO
            r.status_reason = "Achter op het benodigde pad, maar de trend haalt het doel in het doeljaar."
        else:
            r.status = ACHTER
            r.status_reason = "Achter op het benodigde pad en de trend haalt het doel niet op tijd."
        return
    improved = t.baseline_value is not None and (
        v > t.baseline_value if ind.direction == "hoger" else v < t.baseline_value
    )
    _two_signals(r, toward, improved, t.baseline_value is None)


def _status_relative(
    r: KpiResult, ind: Indicator, t: Target, today: dt.date, tr: Trend | None, baseline_gap: float | None
) -> None:
    if (why := _stale(r.latest, ind, today)) is not None:
        r.status, r.status_reason = GEEN_DATA, why
        return
    if r.gap_pp is None:
        r.status = GEEN_DATA
        r.status_reason = (
            f"Er is geen landelijk cijfer van dezelfde maatstaf voor {r.latest.peildatum.year}."
        )
        return
    if r.gap_pp < 0:
        r.status, r.status_reason = GEHAALD, "De leegstand ligt onder het landelijke cijfer van hetzelfde jaar."
        return
    toward = moves_toward(tr, "lager")
    if t.target_year is not None and today > dt.date(t.target_year, 12, 31):
        r.status = ACHTER
        r.status_reason = f"Het doeljaar {t.target_year} is verstreken en het doel is niet gehaald."
        return
    improved = baseline_gap is not None and r.gap_pp < baseline_gap
    _two_signals(r, toward, improved, baseline_gap is None)


def _two_signals(r: KpiResult, toward: bool, improved: bool, no_baseline: bool) -> None:
    if toward and (improved or no_baseline):
        r.status = OP_KOERS
        r.status_reason = (
            "De trend gaat richting het doel (er is geen basiswaarde)."
            if no_baseline
            else "De trend gaat richting het doel en de waarde is beter dan bij de start."
        )
    elif toward or improved:
        r.status = RISICO
        r.status_reason = (
            "Beter dan bij de start, maar de trend gaat niet richting het doel."
            if improved
            else "De trend gaat richting het doel, maar de waarde is nog niet beter dan bij de start."
        )
    else:
        r.status = ACHTER
        r.status_reason = (
            "De trend gaat niet richting het doel."
            if no_baseline
            else "Niet beter dan bij de start en de trend gaat niet richting het doel."
        )
