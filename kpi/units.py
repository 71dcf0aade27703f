"""The units an indicator can be measured in, declared once: the domain a value (and so a
projection) can take. A new unit is one row here."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """One unit (eenheid): its name in data/indicatoren.csv and the range its values can take."""

    name: str
    lowest: float
    highest: float
    # The default largest plausible change between two successive figures (plausibility check
    # at import), where the indicator sets none: a share of the previous value for counts
    # (a count of 430 and one of 5.000 move on different scales), else in the unit itself.
    plausible_jump: float = math.inf
    jump_is_share: bool = False


UNITS: dict[str, Unit] = {u.name: u for u in (
    Unit("aantal", 0.0, math.inf, 0.3, True),     # jobs, businesses: never negative; ±30% a step
    Unit("procent", 0.0, 100.0, 10.0),            # vacancy: 10 procentpunt a step
    Unit("cijfer", 1.0, 10.0, 1.5),               # a Dutch report mark
    Unit("positie", 1.0, math.inf, 30.0),         # a rank: 1 is the best
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
