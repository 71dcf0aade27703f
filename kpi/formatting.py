"""Dutch (nl-NL) number and date formats: 5.000; 21,9%; 7,5; 1-1-2025."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from babel.numbers import format_decimal

from kpi.periods import YEAR

MINUS = "\u2212"  # a real minus sign reads better on a projector than a hyphen


def number(value: float | None, decimals: int = 0) -> str:
    """5000 -> '5.000'; 21.94 with 1 decimal -> '21,9'; None -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = format_decimal(value, format=pattern, locale="nl_NL")
    return text.replace("-", MINUS)


def value(v: float | None, unit: str, decimals: int = 0) -> str:
    """A value in its unit: '21,9%', '5.000', '7,5', 'plaats 33'."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if unit == "procent":
        return f"{number(v, decimals)}%"
    if unit == "positie":
        return f"plaats {number(v, 0)}"
    return number(v, decimals)


def signed(delta: float | None, unit: str, decimals: int = 0) -> str:
    """A change with its sign: '+60', '−0,8 procentpunt', '+0,1', '−4 plaatsen'."""
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return "–"
    sign = "+" if delta > 0 else ("" if delta == 0 else MINUS)
    body = number(abs(delta), decimals)
    if unit == "procent":
        return f"{sign}{body} procentpunt"
    if unit == "positie":
        return f"{sign}{body} {'plaats' if abs(delta) == 1 else 'plaatsen'}"
    return f"{sign}{body}"


def percent(p: float | None, decimals: int = 0) -> str:
    """A plain percentage such as progress: '35%'."""
    return "–" if p is None else f"{number(p, decimals)}%"


def peildatum(day: dt.date | pd.Timestamp | None, precision: str) -> str:
    """'2017' for a year, '1-1-2025' for an exact date."""
    if day is None or (isinstance(day, float) and math.isnan(day)) or day is pd.NaT:
        return "–"
    if precision == YEAR:
        return str(day.year)
    return f"{day.day}-{day.month}-{day.year}"


def timestamp(moment: dt.datetime | pd.Timestamp | None) -> str:
    """'22-11-2026 14:05' (UTC as stored)."""
    if moment is None or moment is pd.NaT:
        return "–"
    return f"{moment.day}-{moment.month}-{moment.year} {moment:%H:%M}"


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
