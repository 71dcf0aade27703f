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

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kpi import formatting as fmt
from kpi import units
from kpi.facts import Facts, Measurement, Trend, horizon_phrase
from kpi.periods import YEAR, fractional_year
from kpi.statuses import ACHTER, GEEN_DATA, GEHAALD, OP_KOERS, RISICO, WORDS, decide  # noqa: F401

STATUSES = WORDS

ABSOLUTE = "absoluut"
BELOW_NATIONAL = "onder_landelijk"
# A goal stated as a change since the baseline year (Binnenstadsvisie 2021: about 700 homes
# added): target_value is the change, in the indicator's direction, from the stand in the
# baseline year (basiswaarde when known, else the measurement of that year; else unknown).
INCREASE = "toename"
COMPARISONS = (ABSOLUTE, BELOW_NATIONAL, INCREASE)


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
    # The agreement this version belongs to (issue 21): name, date and end date when closed.
    agreement: str = ""
    agreement_date: dt.date | None = None
    agreement_end: dt.date | None = None
    agreement_parties: str = ""
    agreement_source: str = ""

    @property
    def closed(self) -> bool:
        """The agreement is closed (afgesloten): it has an end date."""
        return self.agreement_end is not None

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
            agreement="" if _missing(get("agreement")) else str(get("agreement")),
            agreement_date=_day(get("agreement_date")),
            agreement_end=_day(get("agreement_end")),
            agreement_parties="" if _missing(get("parties")) else str(get("parties")),
            agreement_source="" if _missing(get("agreement_source")) else str(get("agreement_source")),
        )


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _day(v) -> dt.date | None:
    """A stored date (date, Timestamp or ISO text) as a date; None when missing."""
    if _missing(v):
        return None
    return pd.Timestamp(v).date()


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
    # Every known version of the target; each measurement is judged against the one in force then.
    versions: tuple[Target, ...] = ()
    # The facts the decision table read (kpi.statuses.RULES), and the decimals every number the
    # verdict compares is shown with (enough for two different numbers never to read the same).
    facts: Facts | None = None
    shown_decimals: int = 0

    @property
    def counted_from(self) -> dt.date | None:
        """The first date that counts toward the target (the baseline year's 1 January)."""
        return baseline_date(self.target)

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


def _measurement(row) -> Measurement:
    return Measurement(
        value=float(row["value"]), peildatum=row["peildatum"], precision=row["precision"],
        source=row["source"], note=row.get("note", ""), illustrative=bool(row["illustrative"]),
        batch_id=None if pd.isna(row.get("batch_id")) else int(row["batch_id"]),
        batch_file=row.get("batch_file") or "", recorded_at=row.get("recorded_at"),
        batch_kind=row.get("batch_kind") or "",
        plausibility=row.get("plausibility") or "",
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
    label = "één meting" if n == 1 else f"{fmt.number(n)} metingen"
    return f"{label} ({', '.join(parts)})"




def horizon_text(t: Target) -> str:
    """'het doeljaar 2021' or 'de planningshorizon 2030 (aanname: het akkoord noemt geen jaar)'."""
    return horizon_phrase(t.horizon, t.horizon_assumed)


def baseline_date(target: Target) -> dt.date | None:
    """The first date that counts toward the target: 1 January of the baseline year."""
    return None if target.baseline_year is None else dt.date(target.baseline_year, 1, 1)


def in_window(s: pd.DataFrame, baseline_year: int | None) -> pd.Series:
    """Rows on or after the baseline date; older rows are history, shown but never counted."""
    if baseline_year is None or s.empty:
        return pd.Series(True, index=s.index, dtype=bool)
    return s["peildatum"].dt.year >= baseline_year


def counting_mask(s: pd.DataFrame, baseline_year: int | None) -> pd.Series:
    """Which rows play a part in the verdict: rows from the baseline date on; among those, once
    there is a real measurement after the baseline year (any real one without a baseline),
    only the real ones."""
    if s.empty:
        return pd.Series([], dtype=bool)
    window = in_window(s, baseline_year)
    real = ~s["illustrative"].astype(bool)
    after = real if baseline_year is None else real & (s["peildatum"].dt.year > baseline_year)
    return (window & real) if after.any() else window


def target_at(versions: list[Target], day: pd.Timestamp | dt.date) -> Target:
    """The target version in force on a day: the newest whose geldig vanaf is on or before it;
    before the first version's date, the first version (the akkoord's own target)."""
    d = day.date() if isinstance(day, pd.Timestamp) else day
    in_force = [t for t in versions if t.valid_from is None or pd.Timestamp(t.valid_from).date() <= d]
    return max(in_force, key=lambda t: t.version) if in_force else min(versions, key=lambda t: t.version)


def year_reached(tr: Trend | None, target: float, direction: str, latest: Measurement | None) -> int | None:
    """The year the target is reached going on from the newest measurement at the trend's pace;
    None when not at this pace. A target not met at the newest figure is reached at the
    earliest in the year after it."""
    if latest is None:
        return None
    if meets(latest.value, target, direction):
        return latest.peildatum.year
    if not moves_toward(tr, direction):
        return None
    x0 = _fy(latest.peildatum, latest.precision)
    x = x0 + (target - latest.value) / tr.slope
    return max(int(math.ceil(x - 1e-9)), latest.peildatum.year + 1)


def national_comparison(area_series: pd.DataFrame, national_series: pd.DataFrame,
                        max_age_years: int | None = None) -> pd.DataFrame:
    """Each area figure beside the national figure of the same measure nearest in time.

    Same measure means the same indicator code (``leegstand`` counts outlets,
    ``leegstand_vvo`` floor area). Preferred: the same peildatum and precision; then the
    newest of the same year; then the nearest in time, before or after, within
    `max_age_years` of the area figure (none when no limit is given).
    Columns: peildatum, precision, year_x, value, illustrative, national, national_peildatum,
    national_precision, national_source, national_illustrative, gap_pp.
    """
    rows = []
    nat = national_series.sort_values("peildatum") if not national_series.empty else national_series
    for _, r in area_series.iterrows():
        pick = _national_for(r, nat, max_age_years)
        rows.append(
            dict(
                peildatum=r["peildatum"], precision=r["precision"], year_x=r["year_x"],
                value=r["value"], illustrative=bool(r["illustrative"]),
                national=None if pick is None else float(pick["value"]),
                national_peildatum=None if pick is None else pick["peildatum"],
                national_precision=None if pick is None else pick["precision"],
                national_source=None if pick is None else pick["source"],
                national_illustrative=None if pick is None else bool(pick["illustrative"]),
                gap_pp=None if pick is None else float(r["value"] - pick["value"]),
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


def _national_for(r, nat: pd.DataFrame, max_age_years: int | None):
    if nat.empty:
        return None
    exact = nat[(nat["peildatum"] == r["peildatum"]) & (nat["precision"] == r["precision"])]
    if not exact.empty:
        return exact.iloc[-1]
    same_year = nat[nat["peildatum"].dt.year == r["peildatum"].year]
    if not same_year.empty:
        return same_year.iloc[-1]
    if max_age_years is None:
        return None
    distance = (nat["peildatum"] - r["peildatum"]).abs()
    near = nat.assign(_d=distance)
    near = near[[_within(r["peildatum"], p, max_age_years) for p in near["peildatum"]]]
    if near.empty:
        return None
    # The nearest; of two equally near, the earlier (known longer).
    return near.sort_values(["_d", "peildatum"]).iloc[0]


def _within(a: pd.Timestamp, b: pd.Timestamp, years: int) -> bool:
    early, late = (a, b) if a <= b else (b, a)
    return not _age_exceeded(early, years, late.date())


def _nearest_national(r, nat: pd.DataFrame):
    """The nearest national figure in time, whatever its distance (for the message that none is near)."""
    if nat.empty:
        return None
    d = (nat["peildatum"] - r.peildatum).abs()
    return _measurement(nat.assign(_d=d).sort_values(["_d", "peildatum"]).iloc[0])


def _frequency(precision: str) -> str:
    return "jaarcijfers" if precision == YEAR else "cijfers met een datum"


def trend_rows(used: pd.DataFrame, latest: Measurement | None) -> tuple[pd.DataFrame, str]:
    """The counted rows a trend is drawn through: one frequency only, that of the newest
    figure (yearly and dated figures are never mixed in one line), and a note saying so."""
    if latest is None or used.empty:
        return used, ""
    same = used[used["precision"] == latest.precision]
    if len(same) == len(used):
        return used, ""
    return same, f"alleen {_frequency(latest.precision)}"


def _trend_text(tr: Trend | None, rows: pd.DataFrame, note: str, what: str = "") -> str:
    counted = measurements_text(rows) if not rows.empty else "geen meting"
    if note:
        counted = counted[:-1] + f"; {note})" if counted.endswith(")") else f"{counted} ({note})"
    if tr is None:
        return f"Nog geen trend: {counted}; daarvoor zijn minstens twee metingen in verschillende jaren nodig."
    return f"De trend{what} over {counted}"


def _shown_decimals(base: int, pairs: list[tuple[float | None, float | None]]) -> int:
    return max([base] + [fmt.distinct_decimals(a, b, base) for a, b in pairs])


def _progress(value: float | None, baseline: float | None, goal: float | None, status: str) -> float | None:
    """Progress from baseline to goal in %: 100% or more only when the status is gehaald, and
    none without a current figure (geen recente data)."""
    p = progress_pct(value, baseline, goal)
    if p is None or status == GEEN_DATA:
        return None
    if status != GEHAALD and p >= 100.0:
        return 99.9
    return p


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


def _stale(latest: Measurement | None, indicator: Indicator, today: dt.date) -> bool:
    return latest is not None and _age_exceeded(latest.peildatum, indicator.max_age_years, today)


def evaluate(
    indicator: Indicator,
    target: Target,
    observations: pd.DataFrame,
    today: dt.date,
    benchmark_area: str = "Nederland",
    versions: list[Target] | None = None,
) -> KpiResult:
    """Read the facts of one KPI once and let the decision table (kpi.statuses.RULES) decide.

    `target` is the version in force today (shown as the target); `versions` are all known
    versions of it: each measurement is judged against the version in force on its peildatum.
    """
    versions = list(versions) if versions else [target]
    s = series(observations, indicator.code, target.area)
    s["history"] = ~in_window(s, target.baseline_year)
    s["counts"] = counting_mask(s, target.baseline_year)
    used = _in_verdict(s)
    latest, previous = latest_measurement(used), previous_measurement(used)
    base = dict(indicator=indicator, target=target, area=target.area, latest=latest, previous=previous,
                change=change_since_previous(used), series=s, versions=tuple(versions))
    if target.comparison == BELOW_NATIONAL:
        return _evaluate_relative(indicator, target, s, used, observations, today, benchmark_area, base)
    if target.comparison == INCREASE:
        # An increase goal is an absolute goal on the stand in the baseline year plus the change:
        # one set of rules decides; the facts keep the stand so the sentences speak of the change.
        stands = {v.version: increase_base(v, used) for v in [*versions, target]}
        versions = [as_absolute(v, stands[v.version][0]) for v in versions]
        judged = as_absolute(target, stands[target.version][0])
        return _evaluate_absolute(indicator, judged, versions, used, today, base, stands=stands)
    return _evaluate_absolute(indicator, target, versions, used, today, base)


def increase_base(target: Target, used: pd.DataFrame) -> tuple[float | None, str]:
    """The stand an increase goal counts from: the basiswaarde when known, else the earliest
    counted measurement in the baseline year; (None, '') when unknown. Second: where it comes from."""
    if target.baseline_value is not None:
        return target.baseline_value, "basiswaarde"
    if target.baseline_year is None or used.empty:
        return None, ""
    same = used[used["peildatum"].dt.year == target.baseline_year]
    if same.empty:
        return None, ""
    first = same.iloc[0]
    return float(first["value"]), fmt.peildatum(first["peildatum"], first["precision"])


def as_absolute(target: Target, base: float | None) -> Target:
    """An increase goal as the absolute goal it amounts to (stand + change); no goal without a stand."""
    if target.comparison != INCREASE:
        return target
    goal = None if base is None or target.target_value is None else base + target.target_value
    return dataclasses.replace(target, baseline_value=base, target_value=goal)


def _common_facts(ind: Indicator, target: Target, today: dt.date) -> dict:
    return dict(name=ind.name, unit=ind.unit, today=today, max_age_years=ind.max_age_years,
                counted_from=baseline_date(target), target_year=target.target_year, horizon=target.horizon,
                horizon_assumed=target.horizon_assumed, current_version=target.version)


def _evaluate_absolute(ind: Indicator, target: Target, versions: list[Target], used: pd.DataFrame,
                       today: dt.date, base: dict,
                       stands: dict[int, tuple[float | None, str]] | None = None) -> KpiResult:
    """`stands`: for an increase goal, per target version the stand it counts from (increase_base)."""
    latest = base["latest"]
    judged_by = target_at(versions, latest.peildatum) if latest is not None else target
    goal = judged_by.target_value
    direction = ind.direction

    def met(row) -> bool:
        t = target_at(versions, row["peildatum"])
        return t.target_value is not None and meets(float(row["value"]), t.target_value, direction)

    reached_row = next((row for _, row in used.iterrows() if not row["illustrative"] and met(row)), None)
    reached = None if reached_row is None else _measurement(reached_row)
    reached_by = None if reached is None else target_at(versions, reached.peildatum)
    rows, note = trend_rows(used, latest)
    tr = trend(rows)
    met_now = latest is not None and goal is not None and meets(latest.value, goal, direction)
    required = (required_value_at(judged_by, _fy(latest.peildatum, latest.precision))
                if latest is not None else None)
    yr = year_reached(tr, goal, direction, latest) if goal is not None else None
    facts = Facts(
        **_common_facts(ind, target, today),
        decimals=_shown_decimals(ind.decimals, [(latest.value if latest else None, goal),
                                                (latest.value if latest else None, required)]),
        relative=False, direction=direction, latest=latest, stale=_stale(latest, ind, today),
        goal=goal, goal_version=judged_by.version, met_now=met_now, national=None, national_note="",
        national_missing="", judged=latest.value if latest else None,
        reached=reached, reached_target_year=None if reached_by is None else reached_by.target_year,
        reached_goal_value=None if reached_by is None else reached_by.target_value,
        trend=tr, trend_text=_trend_text(tr, rows, note), year_reached=yr,
        required_now=required, path_exists=required is not None,
        increase_since=judged_by.baseline_year if stands is not None else None,
        increase_base=None if stands is None else stands[judged_by.version][0],
        increase_base_from="" if stands is None else stands[judged_by.version][1],
    )
    status, reason = decide(facts)
    return KpiResult(
        **base,
        progress_pct=_progress(latest.value if latest else None, judged_by.baseline_value, goal, status),
        required_now=required,
        projected_at_target_year=units.clamp(_projected(tr, latest, target.horizon, today), ind.unit),
        year_reached=yr, status=status, status_reason=reason, reached=reached,
        reached_on_time=facts.reached_on_time,
        illustrative=bool(used["illustrative"].any()) if not used.empty else False, trend=tr,
        facts=facts, shown_decimals=facts.decimals,
    )


def _projected(tr: Trend | None, latest: Measurement | None, horizon: int | None, today: dt.date) -> float | None:
    """The value in the horizon year at the current pace; only for a horizon still ahead."""
    if tr is None or latest is None or horizon is None or horizon < today.year:
        return None
    return tr.from_point(_fy(latest.peildatum, latest.precision), latest.value, horizon)


def required_gap_at(target: Target, baseline_gap: float | None, year: float) -> float | None:
    """The required path of a relative target: the gap with the national figure on a straight
    line from the gap at the start (the akkoord's pair) to 0 in the horizon year."""
    if baseline_gap is None:
        return None
    t = Target(target.indicator, target.area, baseline_value=baseline_gap, baseline_year=target.baseline_year,
               target_value=0.0, target_year=target.target_year, horizon_year=target.horizon_year)
    return required_value_at(t, year)


def _evaluate_relative(ind: Indicator, target: Target, s: pd.DataFrame, used: pd.DataFrame,
                       observations: pd.DataFrame, today: dt.date, benchmark_area: str, base: dict) -> KpiResult:
    nat_s = series(observations, ind.code, benchmark_area)
    nat_s["history"] = False
    if _real_mode(s, target.baseline_year):
        # Real crowds out illustrative for the comparator too.
        nat_s["counts"] = ~nat_s["illustrative"].astype(bool)
    nat_used = _in_verdict(nat_s)
    comp = national_comparison(used, nat_used, ind.max_age_years)
    latest = base["latest"]
    national, note, missing = None, "", ""
    if latest is not None:
        last = comp.iloc[-1]
        if not pd.isna(last["gap_pp"]):
            match = nat_used[(nat_used["peildatum"] == last["national_peildatum"])
                             & (nat_used["precision"] == last["national_precision"])]
            national = _measurement(match.iloc[-1])
            if national.peildatum.year != latest.peildatum.year:
                kind = "illustratieve " if national.illustrative else ""
                note = (f"geen landelijk cijfer van {latest.peildatum.year}; vergeleken met het "
                        f"dichtstbijzijnde {kind}landelijke cijfer ({national.when})")
        else:
            nearest = _nearest_national(latest, nat_used)
            missing = (f"Er is geen landelijk cijfer (zelfde maatstaf) binnen {ind.max_age_years} jaar van de "
                       f"nieuwste meting ({latest.when})")
            if nearest is not None:
                kind = "illustratieve " if nearest.illustrative else ""
                missing += f"; het dichtstbijzijnde {kind}landelijke cijfer is van {nearest.when}"
            missing += "."
    gap = None if national is None or latest is None else float(latest.value - national.value)
    baseline_gap, basis = _baseline_gap(target, comp, ind)
    pairs = comp.dropna(subset=["gap_pp"])
    gap_latest = None if latest is None else Measurement(value=gap if gap is not None else math.nan,
                                                           peildatum=latest.peildatum,
                                                           precision=latest.precision, source="")
    rows, freq_note = trend_rows(pairs.assign(value=pairs["gap_pp"]), gap_latest)
    tr = trend(rows, column="gap_pp")
    real_pairs = pairs[~pairs["illustrative"] & ~pairs["national_illustrative"].astype(bool)]
    first = real_pairs[real_pairs["gap_pp"] < 0]
    reached = None
    if not first.empty:
        row = used[used["peildatum"] == first.iloc[0]["peildatum"]].iloc[-1]
        reached = _measurement(row)
    illustrative = (
        (bool(used["illustrative"].any()) if not used.empty else False)
        or (national is not None and national.illustrative)
        or (tr is not None and bool(rows["national_illustrative"].astype(bool).any()))
    )
    met_now = gap is not None and gap < 0
    required = (required_gap_at(target, baseline_gap, _fy(latest.peildatum, latest.precision))
                if latest is not None else None)
    # Equal to the national figure is not below it: the gap must become negative.
    yr = year_reached(tr, -1e-9, "lager", gap_latest) if gap is not None else None
    facts = Facts(
        **_common_facts(ind, target, today),
        decimals=_shown_decimals(ind.decimals, [(latest.value if latest else None,
                                                 national.value if national else None),
                                                (gap, required)]),
        relative=True, direction="lager", latest=latest, stale=_stale(latest, ind, today),
        goal=None, goal_version=None, met_now=met_now, national=national, national_note=note,
        national_missing=missing, judged=gap, reached=reached,
        reached_target_year=target.target_year if reached is not None else None, reached_goal_value=None,
        trend=tr, trend_text=_trend_text(tr, rows, freq_note, " van het verschil met landelijk"),
        year_reached=yr, required_now=required, path_exists=required is not None,
    )
    status, reason = decide(facts)
    return KpiResult(
        **base, progress_pct=_progress(gap, baseline_gap, 0.0, status), required_now=required,
        projected_at_target_year=units.clamp(_projected_gap(tr, latest, national, target.horizon, today), ind.unit),
        year_reached=yr, status=status, status_reason=reason, national=national, gap_pp=gap,
        national_series=nat_s, comparison_series=comp, reached=reached, reached_on_time=facts.reached_on_time,
        illustrative=illustrative, national_note=note, baseline_gap_pp=baseline_gap, baseline_gap_basis=basis,
        trend=tr, facts=facts, shown_decimals=facts.decimals,
    )


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
