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


UNITS: dict[str, Unit] = {u.name: u for u in (
    Unit("aantal", 0.0, math.inf),      # jobs, businesses: counts are never negative
    Unit("procent", 0.0, 100.0),        # vacancy
    Unit("cijfer", 1.0, 10.0),          # a Dutch report mark
    Unit("positie", 1.0, math.inf),     # a rank: 1 is the best
)}


def unit(name: str) -> Unit:
    """The row of a unit name (an unknown name has no bounds)."""
    return UNITS.get(name, Unit(name, -math.inf, math.inf))


def clamp(value: float | None, name: str) -> float | None:
    """A value kept inside its unit's domain (projections: no negative counts, 0-100%, rank >= 1)."""
    if value is None:
        return None
    u = unit(name)
    return min(max(value, u.lowest), u.highest)
