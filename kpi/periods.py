"""Reference dates (peildatum): a year or an exact date."""

from __future__ import annotations

import datetime as dt
import re

YEAR = "jaar"
DAY = "dag"
# The earliest date a page accepts in its URL (?stand=, ?sinds=): long before any figure, late
# enough that the conversion to Amsterdam time and back never leaves Python's date range.
EARLIEST_DAY = dt.date(1900, 1, 2)

_YEAR_RE = re.compile(r"^\s*(\d{4})(?:\.0+)?\s*$")
_ISO_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?\s*$")
_NL_RE = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")


def parse_peildatum(text: object) -> tuple[dt.date, str]:
    """(date, precision) for '2017', '2017-01-01', '1-1-2017' or a date; ValueError otherwise.

    A bare year is stored as 1 January of that year with precision 'jaar', so it is shown
    as the year alone and never mistaken for a measurement on 1 January.
    """
    if isinstance(text, dt.datetime):
        return text.date(), DAY
    if isinstance(text, dt.date):
        return text, DAY
    if isinstance(text, (int,)) and not isinstance(text, bool):
        text = str(text)
    if isinstance(text, float) and text.is_integer():
        text = str(int(text))
    s = str(text)
    if m := _YEAR_RE.match(s):
        year = int(m.group(1))
        if year < 1900 or year > 2200:
            raise ValueError(s)
        return dt.date(year, 1, 1), YEAR
    if m := _ISO_RE.match(s):
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), DAY
    if m := _NL_RE.match(s):
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))), DAY
    raise ValueError(s)


def iso_peildatum(day: dt.date, precision: str) -> str:
    """The machine-readable form: '2017' for a year, '2025-01-01' for an exact date."""
    return str(day.year) if precision == YEAR else day.strftime("%Y-%m-%d")


def fractional_year(day: dt.date) -> float:
    """The date as a year with fraction, for trend lines (1 July 2020 -> about 2020.5)."""
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


_TIME_RE = re.compile(r"^\s*(\S+?)(?:[T ](\d{1,2}):(\d{2}))?\s*$")


def parse_moment(text: str) -> tuple[dt.datetime, bool]:
    """('as known at' moment, whether a time was given) for '2026-11-23', '23-11-2026',
    '2026-11-23T14:05' or '23-11-2026 14:05'; ValueError otherwise.

    A date alone means the end of that day; a time means the end of that minute, so that a
    change recorded at 14:05:30 counts as known at 14:05. Times are local (Amsterdam), as users
    give them; kpi.formatting.utc turns them into stored time.
    """
    m = _TIME_RE.match(str(text))
    if not m:
        raise ValueError(text)
    day, precision = parse_peildatum(m.group(1))
    if precision != DAY:
        raise ValueError(text)
    if m.group(2) is None:
        return dt.datetime.combine(day, dt.time.max), False
    hour, minute = int(m.group(2)), int(m.group(3))
    if hour > 23 or minute > 59:
        raise ValueError(text)
    return dt.datetime.combine(day, dt.time(hour, minute, 59, 999999)), True
