"""The units an indicator can be measured in, declared once: the domain a value (and so a
projection) can take. A new unit is one row here."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Unit:
    """One unit (eenheid): its name in data/indicatoren.csv, the values it can take, and how
    its values are written, checked and drawn. Formatting, texts, tables, charts and the
    importer's checks read this row instead of branching on the name."""

    name: str
    lowest: float
    highest: float
    # The default largest plausible change between two successive figures (plausibility check
    # at import), where the indicator sets none: a share of the previous value for counts
    # (a count of 430 and one of 5.000 move on different scales), else in the unit itself.
    plausible_jump: float = math.inf
    jump_is_share: bool = False
    whole: bool = False              # only whole numbers (a count, a rank)
    out_of_range: str = "{v} valt buiten het bereik."  # the import's message ({v}: the value)
    suffix: str = ""                 # '21,9%'
    prefix: str = ""                 # 'plaats 33'
    change_word: str = ""            # '−0,8 procentpunt'
    target_word: str = ""            # 'top 25', 'minimaal 7,5'
    rank: bool = False               # 1 is best: a lower number is a rise, drawn on a reversed axis
    # The value axis: where it may start and end, and the smallest span it shows (None: a share
    # of the largest value, kpi.charts.MIN_SPAN_SHARE).
    axis_floor: float | None = None
    axis_ceiling: float | None = None
    axis_from_zero: bool = False
    min_span: float | None = None
    change_decimals: int = 0         # a change is shown with at least this many decimals
    example: float = 100.0           # a plain, valid value (the import template's example row)
    example_target: float | None = None  # a plain target, when not the same as `example`


UNITS: dict[str, Unit] = {u.name: u for u in (
    # jobs, businesses: never negative; ±30% a step
    Unit("aantal", 0.0, math.inf, 0.3, True, whole=True, example=100.0,
         out_of_range="{v} is geen geldig aantal (een geheel getal vanaf 0).", axis_floor=0.0),
    # vacancy: 10 procentpunt a step
    Unit("procent", 0.0, 100.0, 10.0, out_of_range="{v} ligt buiten het bereik van een percentage (0 tot en met 100).",
         suffix="%", change_word=" procentpunt", axis_floor=0.0, axis_ceiling=100.0, axis_from_zero=True,
         change_decimals=1, example=10.0),
    # a Dutch report mark
    Unit("cijfer", 1.0, 10.0, 1.5, out_of_range="{v} is geen rapportcijfer tussen 1 en 10.",
         target_word="minimaal ", axis_floor=0.0, axis_ceiling=10.0, min_span=3.0, example=7.0),
    # a rank: 1 is the best
    Unit("positie", 1.0, math.inf, 30.0, whole=True,
         out_of_range="{v} is geen geldige positie in een ranglijst (een geheel getal vanaf 1).",
         prefix="plaats ", target_word="top ", rank=True, axis_floor=0.5, example=1.0, example_target=10.0),
    # floor area (winkelvloeroppervlak): square metres, never negative; ±25% a step
    Unit("m2", 0.0, math.inf, 0.25, True, whole=True, example=10000.0,
         out_of_range="{v} is geen geldige oppervlakte (een geheel aantal m², vanaf 0).", suffix=" m²",
         change_word=" m²",
         axis_floor=0.0),
)}


def unit(name: str) -> Unit:
    """The row of a unit name (an unknown name has no bounds)."""
    return UNITS.get(name, Unit(name, -math.inf, math.inf))


def plausible_jump(name: str, previous: float, jump: float | None) -> float:
    """The largest plausible change from `previous`: the indicator's own `jump` when set,
    else the unit's default."""
    if jump is not None and not math.isnan(jump):
        return jump
    u = unit(name)
    return u.plausible_jump * abs(previous) if u.jump_is_share else u.plausible_jump


def clamp(value: float | None, name: str) -> float | None:
    """A value kept inside its unit's domain (projections: no negative counts, 0-100%, rank >= 1)."""
    if value is None:
        return None
    u = unit(name)
    return min(max(value, u.lowest), u.highest)


def fits(values: pd.Series, names: pd.Series) -> pd.Series:
    """True where a number fits its unit (range, whole), or there is no number or no known unit."""
    ok = pd.Series(True, index=values.index)
    for u in UNITS.values():
        mask = (names == u.name) & values.notna()
        if not mask.any():
            continue
        v = values[mask]
        good = (v >= u.lowest) & (v <= u.highest)
        if u.whole:
            good &= v == np.floor(v)
        ok[mask] = good
    return ok
