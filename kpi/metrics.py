"""KPI calculations on observation frames: latest value, change, progress, required path,
trend projection, comparison with the national figure, and the status of each KPI.

The status rules are declared once, as a table, in `kpi.statuses.RULES` (the README and
the Bronnen page show that table); `evaluate` applies them in that order. Two principles
hold before any rule:

- Real crowds out illustrative: once a KPI has a real measurement after its baseline year
  (any real measurement when there is no baseline), its illustrative values and the
  illustrative national values play no part in its verdict, trend, change or projection.
  They stay in `series` with ``counts`` False. A verdict that still rests on an
  illustrative value has ``illustrative`` True.
- Every number in a reason is the number used: reasons name the measurements (how many,
  which years), and no trend is drawn from fewer than two measurements in different years.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kpi import formatting as fmt
from kpi.periods import YEAR, fractional_year
from kpi.statuses import ACHTER, GEEN_DATA, GEHAALD, OP_KOERS, RISICO, WORDS  # noqa: F401

STATUSES = WORDS

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
    # The planning horizon the regiegroep set where the akkoord names no target year (an assumption).
    horizon_year: int | None = None
    # The benchmark figure the akkoord itself names at the baseline (vacancy: 7,8% "in binnensteden").
    baseline_benchmark: float | None = None

    @property
    def horizon(self) -> int | None:
        """The year the goal should be reached by: the target year, else the planning horizon."""
        return self.target_year if self.target_year is not None else self.horizon_year

    @property
    def horizon_assumed(self) -> bool:
        """True when the horizon is a planning assumption, not a year the akkoord names."""
        return self.target_year is None and self.horizon_year is not None

    @classmethod
    def from_row(cls, row) -> Target:
        def opt(v, cast):
            return None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else cast(v)

        get = row.get if hasattr(row, "get") else (lambda k, d=None: d)

        return cls(
            indicator=row["indicator"], area=row["area"],
            baseline_value=opt(row["baseline_value"], float),
            baseline_year=opt(row["baseline_year"], int),
            target_value=opt(row["target_value"], float),
            target_year=opt(row["target_year"], int),
            comparison=row["comparison"], version=int(row["version"]), source=row["source"],
            valid_from=row["valid_from"], reason=row["reason"],
            horizon_year=opt(get("horizon_year"), int),
            baseline_benchmark=opt(get("baseline_benchmark"), float),
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
    batch_kind: str = ""  # seed | demo (installed with the app) | observaties (an import)


@dataclass(frozen=True)
class Trend:
    """Least-squares line over the measurements: value = slope * year + intercept."""

    slope: float
    intercept: float
    n: int

    def at(self, year: float) -> float:
        """Expected value at a (fractional) year."""
        return self.slope * year + self.intercept

    def from_point(self, x0: float, y0: float, year: float) -> float:
        """The value at `year` going on from (x0, y0) at the trend's pace."""
        return y0 + self.slope * (year - x0)


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
    # The first real measurement that met the target, and whether that was in or before the target year.
    reached: Measurement | None = None
    reached_on_time: bool | None = None
    # True when any value used in the verdict (own or national) is illustrative.
    illustrative: bool = False
    # Vacancy: why the national figure is not of the same year ("landelijk cijfer 2026 nog niet bekend").
    national_note: str = ""
    baseline_gap_pp: float | None = None
    baseline_gap_basis: str = ""
    trend: Trend | None = None

    @property
    def shows_illustrative(self) -> bool:
        """True when an illustrative figure is shown with this KPI (counting or greyed)."""
        return any(bool(f["illustrative"].any()) for f in (self.series, self.national_series) if not f.empty)

    @property
    def horizon(self) -> int | None:
        """The target year, or the assumed planning horizon."""
        return self.target.horizon

    @property
    def last_updated(self) -> pd.Timestamp | None:
        """When a figure of this KPI was last recorded (import or seed), naive UTC as stored."""
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
    out["counts"] = True
    return out


def counting_mask(s: pd.DataFrame, baseline_year: int | None) -> pd.Series:
    """Which rows play a part in the verdict: all of them, until there is a real measurement
    after the baseline year (any real one without a baseline); from then on only real ones."""
    if s.empty:
        return pd.Series([], dtype=bool)
    real = ~s["illustrative"].astype(bool)
    after = real if baseline_year is None else real & (s["peildatum"].dt.year > baseline_year)
    return real if after.any() else pd.Series(True, index=s.index)


def _measurement(row) -> Measurement:
    return Measurement(
        value=float(row["value"]), peildatum=row["peildatum"], precision=row["precision"],
        source=row["source"], note=row.get("note", ""), illustrative=bool(row["illustrative"]),
        batch_id=None if pd.isna(row.get("batch_id")) else int(row["batch_id"]),
        batch_file=row.get("batch_file") or "", recorded_at=row.get("recorded_at"),
        batch_kind=row.get("batch_kind") or "",
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
    the baseline to the target in the horizon year (the target year, else the planning
    horizon); None without baseline or horizon."""
    t = target
    if None in (t.baseline_value, t.baseline_year, t.target_value, t.horizon):
        return None
    if t.horizon <= t.baseline_year:
        return t.target_value
    frac = (year - t.baseline_year) / (t.horizon - t.baseline_year)
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
    if len(s) < 2 or s["year_x"].astype(int).nunique() < 2:
        return None
    slope, intercept = np.polyfit(s["year_x"].to_numpy(float), s[column].to_numpy(float), 1)
    return Trend(float(slope), float(intercept), len(s))


def moves_toward(tr: Trend | None, direction: str) -> bool:
    """True when the trend moves in the indicator's good direction."""
    if tr is None:
        return False
    return tr.slope > 0 if direction == "hoger" else tr.slope < 0


def year_reached(tr: Trend | None, target: float, direction: str, latest: Measurement | None) -> int | None:
    """The year the target is reached going on from the newest measurement at the trend's pace;
    None when not at this pace. Never a year before the newest measurement."""
    if latest is None:
        return None
    if meets(latest.value, target, direction):
        return latest.peildatum.year
    if not moves_toward(tr, direction):
        return None
    x0 = _fy(latest.peildatum, latest.precision)
    x = x0 + (target - latest.value) / tr.slope
    return max(int(math.ceil(x - 1e-9)), latest.peildatum.year)


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


def year_x(day: pd.Timestamp, precision: str) -> float:
    """A peildatum as a (fractional) year: a year-only peildatum is the year itself."""
    return float(day.year) if precision == YEAR else fractional_year(day.date())


def _fy(day: pd.Timestamp, precision: str) -> float:
    return float(day.year) if precision == YEAR else fractional_year(day.date())



def _age_exceeded(day: pd.Timestamp, max_age_years: int, today: dt.date) -> bool:
    """True when more than `max_age_years` have passed from the peildatum to today."""
    d = day.date()
    try:
        limit = d.replace(year=d.year + max_age_years)
    except ValueError:  # 29 February
        limit = d.replace(year=d.year + max_age_years, day=28)
    return today > limit


def _when(m: Measurement) -> str:
    return fmt.peildatum(m.peildatum, m.precision)


def measurements_text(rows: pd.DataFrame) -> str:
    """'één meting (2026)', '3 metingen (2018, 2020, 2024)' or '9 metingen (2017–2025)'."""
    years = sorted({int(d.year) for d in rows["peildatum"]})
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(str(y) for y in r) for r in runs]
    n = len(rows)
    label = "één meting" if n == 1 else f"{n} metingen"
    return f"{label} ({', '.join(parts)})"


def _in_verdict(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["counts"]] if not frame.empty else frame


def _real_mode(s: pd.DataFrame, baseline_year: int | None) -> bool:
    """True when the series has a real measurement after its baseline year (or any, without one)."""
    if s.empty:
        return False
    real = s[~s["illustrative"].astype(bool)]
    if baseline_year is not None:
        real = real[real["peildatum"].dt.year > baseline_year]
    return not real.empty


def _first_met(rows: pd.DataFrame, meets_row) -> Measurement | None:
    for _, row in rows.iterrows():
        if not row["illustrative"] and meets_row(row):
            return _measurement(row)
    return None


def _on_time(reached: Measurement | None, target: Target) -> bool | None:
    if reached is None or target.target_year is None:
        return None
    return reached.peildatum.year <= target.target_year


def evaluate(
    indicator: Indicator,
    target: Target,
    observations: pd.DataFrame,
    today: dt.date,
    benchmark_area: str = "Nederland",
) -> KpiResult:
    """Apply the principles (module docstring) and the status rules (kpi.statuses.RULES) to one KPI."""
    s = series(observations, indicator.code, target.area)
    s["counts"] = counting_mask(s, target.baseline_year)
    used = _in_verdict(s)
    latest, previous = latest_measurement(used), previous_measurement(used)
    base = dict(
        indicator=indicator, target=target, area=target.area, latest=latest, previous=previous,
        change=change_since_previous(used), series=s,
    )
    if target.comparison == BELOW_NATIONAL:
        return _evaluate_relative(indicator, target, s, used, observations, today, benchmark_area, base)

    tr = trend(used, target.baseline_year)
    goal, direction = target.target_value, indicator.direction
    reached = None
    if goal is not None:
        reached = _first_met(used, lambda row: meets(float(row["value"]), goal, direction))
    result = KpiResult(
        **base,
        progress_pct=progress_pct(latest.value if latest else None, target.baseline_value, goal),
        required_now=required_value_at(target, _fy(latest.peildatum, latest.precision)) if latest else None,
        projected_at_target_year=_projected(tr, latest, target.horizon, today),
        year_reached=year_reached(tr, goal, direction, latest) if goal is not None else None,
        status="", status_reason="", reached=reached, reached_on_time=_on_time(reached, target),
        illustrative=bool(used["illustrative"].any()) if not used.empty else False, trend=tr,
    )
    _status_absolute(result, indicator, target, today, tr, used)
    return result


def _projected(tr: Trend | None, latest: Measurement | None, horizon: int | None, today: dt.date) -> float | None:
    """The value in the horizon year at the current pace; only for a horizon still ahead."""
    if tr is None or latest is None or horizon is None or horizon < today.year:
        return None
    return tr.from_point(_fy(latest.peildatum, latest.precision), latest.value, horizon)


def _evaluate_relative(ind: Indicator, target: Target, s: pd.DataFrame, used: pd.DataFrame,
                       observations: pd.DataFrame, today: dt.date, benchmark_area: str, base: dict) -> KpiResult:
    nat_s = series(observations, ind.code, benchmark_area)
    if _real_mode(s, target.baseline_year):
        # Real crowds out illustrative for the comparator too.
        nat_s["counts"] = ~nat_s["illustrative"].astype(bool)
    nat_used = _in_verdict(nat_s)
    comp = national_comparison(used, nat_used)
    pairs = comp.dropna(subset=["gap_pp"])
    tr = trend(pairs, target.baseline_year, column="gap_pp")
    latest = base["latest"]
    national, note, stale_nat = None, "", None
    if latest is not None:
        last = comp.iloc[-1]
        if not pd.isna(last["gap_pp"]):
            match = nat_used[(nat_used["peildatum"] == last["national_peildatum"])
                             & (nat_used["precision"] == last["national_precision"])]
            national = _measurement(match.iloc[-1])
        else:
            earlier = nat_used[nat_used["peildatum"].dt.year < latest.peildatum.year]
            if not earlier.empty:
                newest = _measurement(earlier.iloc[-1])
                if _age_exceeded(newest.peildatum, ind.max_age_years, today):
                    stale_nat = newest
                else:
                    national = newest
                    kind = "illustratieve " if newest.illustrative else ""
                    note = (f"landelijk cijfer {latest.peildatum.year} nog niet bekend; vergeleken met het "
                            f"nieuwste {kind}landelijke cijfer ({_when(newest)})")
    gap = None if national is None or latest is None else float(latest.value - national.value)
    baseline_gap, basis = _baseline_gap(target, comp, ind)
    real_pairs = pairs[~pairs["illustrative"] & ~pairs["national_illustrative"].astype(bool)]
    first = real_pairs[real_pairs["gap_pp"] < 0]
    reached = None
    if not first.empty:
        row = used[used["peildatum"] == first.iloc[0]["peildatum"]].iloc[-1]
        reached = _measurement(row)
    trend_pairs = pairs if target.baseline_year is None else pairs[pairs["year_x"] >= target.baseline_year]
    illustrative = (
        (bool(used["illustrative"].any()) if not used.empty else False)
        or (national is not None and national.illustrative)
        or (tr is not None and bool(trend_pairs["national_illustrative"].astype(bool).any()))
    )
    gap_point = None
    if gap is not None:
        gap_point = Measurement(value=gap, peildatum=latest.peildatum, precision=latest.precision, source="")
    result = KpiResult(
        **base, progress_pct=progress_pct(gap, baseline_gap, 0.0), required_now=None,
        projected_at_target_year=_projected_gap(tr, latest, national, target.horizon, today),
        # Equal to the national figure is not below it: the gap must become negative.
        year_reached=year_reached(tr, -1e-9, "lager", gap_point) if gap_point is not None else None,
        status="", status_reason="", national=national, gap_pp=gap, national_series=nat_s,
        comparison_series=comp, reached=reached, reached_on_time=_on_time(reached, target),
        illustrative=illustrative, national_note=note, baseline_gap_pp=baseline_gap, baseline_gap_basis=basis,
        trend=tr,
    )
    _status_relative(result, ind, target, today, tr, trend_pairs, stale_nat)
    return result


def _projected_gap(tr: Trend | None, latest: Measurement | None, national: Measurement | None,
                   horizon: int | None, today: dt.date) -> float | None:
    """Vacancy in the horizon year at the current pace of the gap, the national figure held."""
    if tr is None or latest is None or national is None or horizon is None or horizon < today.year:
        return None
    gap_now = latest.value - national.value
    return national.value + tr.from_point(_fy(latest.peildatum, latest.precision), gap_now, horizon)


def _baseline_gap(target: Target, comp: pd.DataFrame, ind: Indicator) -> tuple[float | None, str]:
    """The gap at the start with both numbers from one place: the akkoord's own pair, or else the
    area and national figures measured in the baseline year. Returns (gap, where it comes from)."""
    if target.baseline_value is None:
        return None, ""
    if target.baseline_benchmark is not None:
        gap = target.baseline_value - target.baseline_benchmark
        return gap, (f"volgens het akkoord: {fmt.value(target.baseline_value, ind.unit, ind.decimals)} tegen "
                     f"landelijk {fmt.value(target.baseline_benchmark, ind.unit, ind.decimals)}"
                     + (f" ({target.baseline_year})" if target.baseline_year else ""))
    if target.baseline_year is None or comp.empty:
        return None, ""
    pairs = comp[comp["peildatum"].dt.year == target.baseline_year].dropna(subset=["gap_pp"])
    if pairs.empty:
        return None, ""
    row = pairs.iloc[0]
    return float(row["gap_pp"]), (
        f"gemeten in {target.baseline_year}: {fmt.value(float(row['value']), ind.unit, ind.decimals)} tegen "
        f"landelijk {fmt.value(float(row['national']), ind.unit, ind.decimals)}"
    )


def _stale(latest: Measurement | None, indicator: Indicator, today: dt.date) -> str | None:
    if latest is None:
        return "Er is nog geen meting."
    if _age_exceeded(latest.peildatum, indicator.max_age_years, today):
        return (f"De nieuwste meting is van {_when(latest)}: meer dan {indicator.max_age_years} jaar oud "
                "(gerekend vanaf de peildatum).")
    return None


def _trend_text(tr: Trend | None, rows: pd.DataFrame, since: int | None, what: str = "") -> str:
    if since is not None and not rows.empty:
        rows = rows[rows["peildatum"].dt.year >= since]
    counted = measurements_text(rows) if not rows.empty else "geen meting"
    if tr is None:
        return f"Nog geen trend: {counted}; daarvoor zijn minstens twee metingen in verschillende jaren nodig."
    return f"De trend{what} over {counted}"


def horizon_text(t: Target) -> str:
    """'het doeljaar 2021' or 'de planningshorizon 2030 (aanname: het akkoord noemt geen jaar)'."""
    if t.horizon is None:
        return "er is geen doeljaar of planningshorizon vastgelegd"
    if t.horizon_assumed:
        return f"de planningshorizon {t.horizon} (aanname: het akkoord noemt geen jaar)"
    return f"het doeljaar {t.horizon}"


def _status_absolute(r: KpiResult, ind: Indicator, t: Target, today: dt.date, tr: Trend | None,
                     used: pd.DataFrame) -> None:
    if (why := _stale(r.latest, ind, today)) is not None:
        r.status, r.status_reason = GEEN_DATA, why
        return
    if t.target_value is None:
        r.status, r.status_reason = GEEN_DATA, "Er is geen doelwaarde vastgelegd."
        return
    v = r.latest.value
    now = f"{fmt.value_against(v, ind.unit, ind.decimals, t.target_value, ind.direction)} ({_when(r.latest)})"
    goal = fmt.value(t.target_value, ind.unit, ind.decimals)
    if meets(v, t.target_value, ind.direction):
        r.status = GEHAALD
        r.status_reason = f"De nieuwste meting, {now}, haalt het doel ({goal})."
        if r.reached_on_time is False:
            r.status_reason += f" Eerst gehaald in {r.reached.peildatum.year}: na het doeljaar {t.target_year}."
        return
    if t.target_year is not None and today > dt.date(t.target_year, 12, 31) and r.reached_on_time:
        m = r.reached
        r.status = GEHAALD
        r.status_reason = (f"Het doel ({goal} in {t.target_year}) is op tijd gehaald: "
                           f"{fmt.value(m.value, ind.unit, ind.decimals)} ({_when(m)}). "
                           f"De nieuwste meting, {now}, haalt het niet meer.")
        return
    lead = f"De nieuwste meting, {now}, haalt het doel ({goal}) niet."
    _pace_status(r, ind.direction, t, today, tr, lead, _trend_text(tr, used, t.baseline_year))


def _pace_status(r: KpiResult, direction: str, t: Target, today: dt.date, tr: Trend | None,
                 lead: str, trend_txt: str) -> None:
    """The rules achter, op koers and risico: the horizon and the pace (both kinds of target)."""
    horizon = horizon_text(t)
    if t.horizon is not None and today > dt.date(t.horizon, 12, 31):
        r.status = ACHTER
        r.status_reason = f"{lead} {horizon[0].upper()}{horizon[1:]} is voorbij."
    elif tr is None:
        r.status, r.status_reason = RISICO, f"{lead} {trend_txt}"
    elif not moves_toward(tr, direction):
        r.status, r.status_reason = ACHTER, f"{lead} {trend_txt} gaat niet richting het doel."
    elif t.horizon is not None and r.year_reached is not None and r.year_reached <= t.horizon:
        r.status = OP_KOERS
        r.status_reason = f"{lead} {trend_txt} haalt het doel in {r.year_reached}: binnen {horizon}."
    elif r.required_now is not None and not meets(r.latest.value, r.required_now, direction):
        r.status = ACHTER
        r.status_reason = (f"{lead} {trend_txt} haalt het doel pas in {r.year_reached}, na {horizon}, en de "
                           f"waarde ligt achter op het benodigde pad (nu "
                           f"{fmt.value(r.required_now, r.indicator.unit, r.indicator.decimals)}).")
    else:
        r.status = RISICO
        r.status_reason = (f"{lead} {trend_txt} gaat richting het doel, maar haalt het pas in "
                           f"{r.year_reached}; {horizon}.")


def _status_relative(r: KpiResult, ind: Indicator, t: Target, today: dt.date, tr: Trend | None,
                     pairs: pd.DataFrame, stale_nat: Measurement | None) -> None:
    if (why := _stale(r.latest, ind, today)) is not None:
        r.status, r.status_reason = GEEN_DATA, why
        return
    if r.national is None:
        r.status = GEEN_DATA
        r.status_reason = f"Het landelijke cijfer {r.latest.peildatum.year} (zelfde maatstaf) is nog niet bekend"
        if stale_nat is not None:
            r.status_reason += (f"; het nieuwste {'illustratieve ' if stale_nat.illustrative else ''}landelijke "
                                f"cijfer is van {_when(stale_nat)}, meer dan {ind.max_age_years} jaar oud")
        r.status_reason += "."
        return
    nat = r.national
    decimals = fmt.decimals_for(r.gap_pp, ind.decimals, 0.0, "lager") if r.gap_pp >= 0 else ind.decimals
    now = f"{fmt.value(r.latest.value, ind.unit, decimals)} ({_when(r.latest)})"
    nat_txt = f"landelijk {fmt.value(nat.value, ind.unit, decimals)} ({_when(nat)})"
    extra = f"; {r.national_note}" if r.national_note else ""
    if r.gap_pp < 0:
        r.status = GEHAALD
        r.status_reason = f"De leegstand, {now}, ligt onder het landelijke cijfer: {nat_txt}{extra}."
        return
    lead = f"De leegstand, {now}, ligt niet onder {nat_txt}{extra}."
    shown = pairs.assign(value=pairs["gap_pp"]) if not pairs.empty else pairs
    _pace_status(r, "lager", t, today, tr, lead,
                 _trend_text(tr, shown, None, " van het verschil met landelijk"))
