"""Dutch (nl-NL) number and date formats: 5.000; 21,9%; 7,5; 1-1-2025."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from zoneinfo import ZoneInfo

import pandas as pd
from babel.numbers import format_decimal

from kpi import units
from kpi.periods import EARLIEST_DAY, YEAR

# Enough digits for any finite float (about 309 before the comma) rounded to a few decimals:
# a stored value must never make a page or report fail to format it.
_WIDE = Context(prec=400)

MINUS = "\u2212"  # a real minus sign reads better on a projector than a hyphen
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")  # where the users live; stored times are naive UTC


def rounded(value: float, decimals: int = 0) -> Decimal:
    """Round half away from zero, as Dutch statistics and Excel do (7,25 -> 7,3; 21,85 -> 21,9).

    The float's shortest decimal text is rounded, not its binary value, so 21.85 (stored as
    21.8499999...) still gives 21,9. A result of zero is always plain zero, never -0.
    """
    out = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_WIDE)
    return out.copy_abs() if out == 0 else out


def number(value: float | None, decimals: int = 0) -> str:
    """5000 -> '5.000'; 21.94 with 1 decimal -> '21,9'; None -> '–'; never '-0' or '-0,0'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if math.isinf(value):  # a sum of stored amounts that overflowed: say so, never fail
        return "∞" if value > 0 else f"{MINUS}∞"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    with localcontext(_WIDE):  # Babel quantizes too, in the current context
        text = format_decimal(rounded(value, decimals), format=pattern, locale="nl_NL")
    return text.replace("-", MINUS)


def as_imported(value: float | None, decimals: int = 0) -> str:
    """A figure as a file gives it: at least the indicator's decimals (7,0 for leegstand), more
    when the file has more (7,46 stays 7,46, never rounded to look like 7,5); None -> '–'."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0." + "0" * decimals + "#" * 6
    with localcontext(_WIDE):
        return format_decimal(value, format=pattern, locale="nl_NL").replace("-", MINUS)


def decimals_for(value: float, decimals: int, threshold: float | None, direction: str) -> int:
    """The decimals to show `value` with beside `threshold`: one more where rounding would make
    it look as if it meets (or misses) the threshold when it does not (7,46 beside 7,5 -> 7,46)."""
    if threshold is None or value is None:
        return decimals
    meets = value >= threshold if direction == "hoger" else value <= threshold
    shown = float(rounded(value, decimals))
    shown_meets = shown >= threshold if direction == "hoger" else shown <= threshold
    return decimals + 1 if meets != shown_meets else decimals


def distinct_decimals(a: float | None, b: float | None, decimals: int, most: int = 10) -> int:
    """The fewest decimals, at least `decimals`, at which two different numbers read apart
    (4.999,6 beside 5.000; 7,46 beside 7,5). Rounding half away from zero keeps their order,
    so numbers that read apart also read in the right order. Equal numbers read equal."""
    if a is None or b is None or a == b or math.isnan(a) or math.isnan(b):
        return decimals
    d = decimals
    while d < most and rounded(a, d) == rounded(b, d):
        d += 1
    return d


def value_against(v: float | None, unit: str, decimals: int, threshold: float | None, direction: str) -> str:
    """A value in its unit, with one more decimal where rounding would flip meets/misses."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return value(v, unit, decimals_for(v, decimals, threshold, direction))


def value(v: float | None, unit: str, decimals: int = 0) -> str:
    """A value in its unit: '21,9%', '5.000', '7,5', 'plaats 33'."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    u = units.unit(unit)
    return f"{u.prefix}{number(v, 0 if u.rank else decimals)}{u.suffix}"


def signed(delta: float | None, unit: str, decimals: int = 0) -> str:
    """A change with its sign: '+60', '−0,8 procentpunt', '+0,1'; in a ranking in words,
    '3 plaatsen gestegen' (a lower number is better) or '1 plaats gedaald'. A change that
    rounds to zero has no sign ('0,0 procentpunt', 'gelijk gebleven')."""
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return "–"
    shown = rounded(delta, decimals)
    body = number(abs(delta), decimals)
    u = units.unit(unit)
    if u.rank:
        if shown == 0:
            return "gelijk gebleven"
        places = "plaats" if abs(shown) == 1 else "plaatsen"
        return f"{body} {places} {'gestegen' if shown < 0 else 'gedaald'}"
    sign = "+" if shown > 0 else ("" if shown == 0 else MINUS)
    return f"{sign}{body}{u.change_word}"


def count(n: int, one: str, many: str) -> str:
    """'1 actie', '3 acties', '1.200 acties': never '1 acties'."""
    return f"{number(n)} {one if n == 1 else many}"


def percent(p: float | None, decimals: int = 0) -> str:
    """A plain percentage such as progress: '35%'."""
    return "–" if p is None else f"{number(p, decimals)}%"


def percent_against(p: float | None, decimals: int = 0) -> str:
    """Progress toward a target in %: never '100%' before the target is reached (99,6 -> '99,6%')."""
    if p is None:
        return "–"
    text = percent(p, decimals_for(p, decimals, 100.0, "hoger"))
    return text + " (meer dan het doel)" if rounded(p, decimals) > 100 else text


def peildatum(day: dt.date | pd.Timestamp | None, precision: str) -> str:
    """'2017' for a year, '1-1-2025' for an exact date."""
    if day is None or (isinstance(day, float) and math.isnan(day)) or day is pd.NaT:
        return "–"
    if precision == YEAR:
        return str(day.year)
    return f"{day.day}-{day.month}-{day.year}"


def local(moment: dt.datetime | pd.Timestamp) -> dt.datetime:
    """A stored moment (naive UTC) as naive local time in Europe/Amsterdam (CET/CEST)."""
    moment = pd.Timestamp(moment).to_pydatetime()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL_ZONE).replace(tzinfo=None)


def utc(moment: dt.datetime) -> dt.datetime:
    """A naive local time in Europe/Amsterdam as naive UTC, the way times are stored.

    In the autumn hour that occurs twice, the first (summer time) is meant; a spring time that
    does not exist moves on by the hour skipped."""
    return moment.replace(tzinfo=LOCAL_ZONE).astimezone(dt.UTC).replace(tzinfo=None)


# The regiegroep meets about every four weeks: "since the last meeting" when no date is given.
MEETING_INTERVAL = dt.timedelta(days=28)


def since_date(text: str, today: dt.date) -> dt.date:
    """The date of the last meeting from a URL value (?sinds=2026-10-26), else four weeks ago;
    never after today."""
    try:
        since = dt.date.fromisoformat(str(text))
    except ValueError:
        since = today - MEETING_INTERVAL
    return max(min(since, today), EARLIEST_DAY)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of a date in Amsterdam, as stored (naive UTC): 'as known on 31-1-2026'."""
    return utc(dt.datetime.combine(day, dt.time.max))


def known_at(day: dt.date, at: dt.time | None = None) -> dt.datetime:
    """'As known at' a date (end of the day) or a time of that date (end of that minute), both
    Amsterdam time as users give it, returned as stored (naive UTC)."""
    if at is None:
        return end_of_day(day)
    return utc(dt.datetime.combine(day, at.replace(second=59, microsecond=999999)))


def compared_moment(moment: dt.datetime, installed: dt.datetime | None) -> tuple[dt.datetime, dt.datetime | None]:
    """(the moment to compare with, the installation moment when that replaced `moment`).

    Start data from the installation is not news: a moment before the installation (of the
    figures, of the werkplan) is compared with the data as installed, not with nothing."""
    if installed is not None and moment < installed:
        return installed, installed
    return moment, None


def timestamp(moment: dt.datetime | pd.Timestamp | None) -> str:
    """A stored moment (naive UTC) in Amsterdam time: '22-11-2026 15:05'."""
    if moment is None or moment is pd.NaT or (isinstance(moment, float) and math.isnan(moment)):
        return "–"
    shown = local(moment)
    return f"{shown.day}-{shown.month}-{shown.year} {shown:%H:%M}"


def euro(amount: float | None) -> str:
    """An amount in euros: '€ 12.500'; cents only when there are any ('€ 12.500,50')."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "–"
    decimals = 0 if float(amount).is_integer() else 2
    return f"€ {number(amount, decimals)}"


def day(moment: dt.date | pd.Timestamp | None) -> str:
    """A calendar date as '1-3-2027'; '–' when not known."""
    if moment is None or moment is pd.NaT or (isinstance(moment, float) and math.isnan(moment)):
        return "–"
    return peildatum(moment, "dag")
