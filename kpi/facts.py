"""The facts a verdict rests on, read once per KPI (`kpi.metrics.facts_for`), and the value
types they are made of. `kpi.statuses.RULES` decides from a `Facts` value alone, and builds
its reason sentence from the same value, so the word and the sentence cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kpi import formatting as fmt


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
    # The Dutch warning the editor confirmed when this figure was imported past the plausibility check.
    plausibility: str = ""

    @property
    def when(self) -> str:
        """The peildatum as users read it: '2017' or '1-3-2027'."""
        return fmt.peildatum(self.peildatum, self.precision)


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


@dataclass(frozen=True)
class Facts:
    """Everything the status rules look at, for one KPI on one day.

    `judged` is what the target is about: the value itself for an absolute target, the gap
    with the national figure (percentage points) for a relative one. Every measurement that
    counts lies on or after `counted_from` (the baseline year's first day).
    """

    name: str
    unit: str
    decimals: int  # shown decimals: enough for every pair the verdict compares to read apart
    relative: bool
    direction: str  # hoger | lager, of `judged`
    today: dt.date
    max_age_years: int
    counted_from: dt.date | None
    latest: Measurement | None  # the newest measurement that counts
    stale: bool
    goal: float | None  # absolute: the target value in force at the latest peildatum
    goal_version: int | None
    current_version: int | None
    met_now: bool
    national: Measurement | None  # relative: the national figure the latest is compared with
    national_note: str
    national_missing: str  # relative: why there is no national figure to compare with
    judged: float | None  # value (absolute) or gap (relative) of the latest measurement
    target_year: int | None
    horizon: int | None
    horizon_assumed: bool
    reached: Measurement | None  # first real counted measurement that met the target in force then
    reached_target_year: int | None  # the target year of the version in force when it was reached
    reached_goal_value: float | None  # absolute: the target value in force when it was reached
    trend: Trend | None
    trend_text: str
    year_reached: int | None
    required_now: float | None  # on the required path, in `judged` terms
    path_exists: bool
    # An increase goal (toename, issue 21): the baseline year it counts from, the stand then
    # (None: unknown) and where that stand comes from ('basiswaarde' or the measurement's date).
    # `goal`, `judged` and the path stay in value terms (stand + change), so one rule table decides.
    increase_since: int | None = None
    increase_base: float | None = None
    increase_base_from: str = ""

    @property
    def increase(self) -> bool:
        """The goal is a change since the baseline year."""
        return self.increase_since is not None

    @property
    def base_unknown(self) -> bool:
        """An increase goal whose stand in the baseline year is not known: no verdict."""
        return self.increase and self.increase_base is None

    @property
    def deadline_passed(self) -> bool:
        """The target year is set and over."""
        return self.target_year is not None and self.today > dt.date(self.target_year, 12, 31)

    @property
    def horizon_passed(self) -> bool:
        """The horizon (target year or planning horizon) is set and over."""
        return self.horizon is not None and self.today > dt.date(self.horizon, 12, 31)

    @property
    def met_in_time(self) -> bool:
        """The target was met in or before its target year (by the version in force then)."""
        return (self.reached is not None and self.reached_target_year is not None
                and self.reached.peildatum.year <= self.reached_target_year)

    @property
    def reached_on_time(self) -> bool | None:
        """'Op tijd' is only decided once the target year is over: True, False, or None."""
        if not self.deadline_passed:
            return None
        return self.met_in_time

    @property
    def has_goal(self) -> bool:
        return self.relative or self.goal is not None

    @property
    def trend_toward(self) -> bool:
        if self.trend is None:
            return False
        return self.trend.slope > 0 if self.direction == "hoger" else self.trend.slope < 0

    @property
    def behind_path(self) -> bool:
        """The latest value lies behind the straight line from baseline to target."""
        if self.required_now is None or self.judged is None:
            return False
        return self.judged < self.required_now if self.direction == "hoger" else self.judged > self.required_now

    def shown_change(self, v: float | None) -> str:
        """A change since the baseline year, with its sign, in this KPI's unit."""
        return fmt.signed(v, self.unit, self.decimals)

    def shown(self, v: float | None) -> str:
        """A value of this KPI in its unit, with the KPI's shown decimals."""
        return fmt.value(v, self.unit, self.decimals)

    def shown_gap(self, v: float | None) -> str:
        """A gap in percentage points with the KPI's shown decimals."""
        return f"{fmt.number(v, self.decimals)} procentpunt"


def horizon_phrase(horizon: int | None, assumed: bool) -> str:
    """'het doeljaar 2021' or 'de planningshorizon 2030 (aanname: het akkoord noemt geen jaar)'."""
    if horizon is None:
        return "er is geen doeljaar of planningshorizon vastgelegd"
    if assumed:
        return f"de planningshorizon {horizon} (aanname: het akkoord noemt geen jaar)"
    return f"het doeljaar {horizon}"
