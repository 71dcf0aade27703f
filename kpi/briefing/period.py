"""Briefing periods as users write them: year and quarter, '2026-K4' (K for kwartaal, as Dutch
municipal planning-and-control cycles name their quarterly reports)."""

from __future__ import annotations

import datetime as dt
import re

# '2026-K4', '2026 k4', '2026K4', 'K4 2026' and 'K4-2026' all read as '2026-K4'.
_YEAR_FIRST = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*[kK]\s*([1-4])\s*$")
_QUARTER_FIRST = re.compile(r"^\s*[kK]\s*([1-4])\s*[-/ ]?\s*(\d{4})\s*$")
EXAMPLE = "2026-K4"
HINT = f"schrijf het jaar en het kwartaal, bijvoorbeeld {EXAMPLE} voor oktober-december 2026"


def period_of(day: dt.date) -> str:
    """The briefing period a date falls in: 1-11-2026 -> '2026-K4'."""
    return f"{day.year}-K{(day.month - 1) // 3 + 1}"


def parse_period(text: object) -> str | None:
    """A period as stored ('2026-K4'), or None when the text is no period."""
    if not isinstance(text, str):
        return None
    if m := _YEAR_FIRST.match(text):
        year, quarter = m.group(1), m.group(2)
    elif m := _QUARTER_FIRST.match(text):
        quarter, year = m.group(1), m.group(2)
    else:
        return None
    return f"{year}-K{quarter}" if 1900 <= int(year) <= 2999 else None


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a stored period."""
    year, quarter = int(period[:4]), int(period[-1])
    first = dt.date(year, 3 * quarter - 2, 1)
    after = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, after - dt.timedelta(days=1)


def period_label(period: str) -> str:
    """'2026-K4' -> '4e kwartaal 2026'."""
    return f"{period[-1]}e kwartaal {period[:4]}"
