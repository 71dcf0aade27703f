"""Numbers and dates as Dutch spreadsheets write them, parsed a whole column at a time.

Numbers may carry thousands separators ("3.800"), a decimal comma or point ("21,9"),
a percent sign ("21,9%") and a real minus sign. A file uses one decimal separator; it is
inferred from values that can only be read one way ("21,9", "7.45"), else it follows the
CSV separator (semicolon files come from Dutch Excel and use a decimal comma).
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from kpi.periods import YEAR, parse_peildatum

OK = "ok"
EMPTY = "leeg"
NOT_A_NUMBER = "geen_getal"
OTHER_DECIMAL = "andere_decimaal"

MIN_YEAR, MAX_YEAR = 1900, 2200
_SPACES = " \u00a0\u202f"


class Percent(float):
    """A number from a percent-formatted Excel cell (0,219 shown as 21,9%), already times 100."""


def _pattern(decimal: str) -> str:
    thousands = r"\." if decimal == "," else ","
    dec = "," if decimal == "," else r"\."
    groups = rf"\d{{1,3}}(?:{thousands}\d{{3}})+|\d{{1,3}}(?:[{_SPACES}]\d{{3}})+|\d+"
    return rf"[+-]?(?:{groups})(?:{dec}\d+)?"


_ONLY_COMMA = r"^[+-]?\d*,(?:\d{1,2}|\d{4,})$|\.\d{3},\d"
_ONLY_POINT = r"^[+-]?\d*\.(?:\d{1,2}|\d{4,})$|,\d{3}\.\d"


def none_if_missing(value):
    """None for every way a cell can be empty (None, NaN, NaT, pd.NA); the value otherwise."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def per_distinct(values: pd.Series, fn) -> np.ndarray:
    """fn applied once per distinct value, spread back over all rows (an object array).

    Columns such as gebied, indicator or peildatum hold few distinct values in many rows;
    this is much faster than a row-wise map for 100.000 rows.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    results = np.empty(len(uniques), dtype=object)
    for i, u in enumerate(uniques):  # element-wise: fn may return tuples
        results[i] = fn(u)
    return results[codes]


def _core(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The number text without its percent sign, and whether it had one."""
    # Plain string operations (no \s or $ in a regex) stay in pyarrow; regexes with them
    # fall back to Python per element.
    pct = text.str.endswith("%").astype(bool)
    core = text.where(~pct, text.str.slice(0, -1)).str.rstrip()
    return core.str.replace("\u2212", "-", regex=False), pct


def infer_decimal(texts: pd.Series, default: str) -> str:
    """',' or '.': the decimal separator the number texts use, else `default`."""
    texts = texts[texts.str.len() > 0]
    if texts.empty:
        return default
    core, _ = _core(texts)
    comma = bool(core.str.contains(_ONLY_COMMA, regex=True).any())
    point = bool(core.str.contains(_ONLY_POINT, regex=True).any())
    if comma and not point:
        return ","
    if point and not comma:
        return "."
    return default


def display_text(values: pd.Series) -> pd.Series:
    """Cell values as text, the way a message quotes them (xlsx cells may be numbers or dates)."""
    if values.dtype != object:
        return values.astype("str")
    return values.map(_text_of).astype("str")


def _text_of(v) -> str:
    if isinstance(v, str):
        return v
    if v is None:
        return ""
    if isinstance(v, Percent):
        return f"{_text_of(float(v))}%"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def parse_numbers(values: pd.Series, decimal: str) -> pd.DataFrame:
    """Per value: `getal` (float or NaN), `status` (ok | leeg | geen_getal | andere_decimaal),
    `procent` (written with a percent sign) and `tekst` (the value as text, for messages)."""
    index = values.index
    text = display_text(values)
    number = pd.Series(np.nan, index=index, dtype=float)
    pct = pd.Series(False, index=index)
    is_cell_number = pd.Series(False, index=index)
    if values.dtype == object:
        is_cell_number = values.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
        is_cell_number = is_cell_number.astype(bool)
        if is_cell_number.any():
            cell_numbers = values[is_cell_number]
            number[is_cell_number] = cell_numbers.astype(float)
            pct[is_cell_number] = cell_numbers.map(lambda v: isinstance(v, Percent)).astype(bool)
    as_text = ~is_cell_number
    core, text_pct = _core(text[as_text])
    ok = core.str.fullmatch(_pattern(decimal)).astype(bool)
    thousands = "." if decimal == "," else ","
    clean = core.str.replace(f"[{re.escape(thousands)}{_SPACES}]", "", regex=True)
    if decimal == ",":
        clean = clean.str.replace(",", ".", regex=False)
    number[as_text] = pd.to_numeric(clean.where(ok), errors="coerce").astype(float)
    # 400 nines or 1E999 overflow to infinity; such a value is no number a KPI can hold.
    number[~np.isfinite(number.to_numpy())] = np.nan
    pct[as_text] = text_pct.astype(bool)
    status = pd.Series(OK, index=index, dtype=object)
    empty = text.str.len() == 0
    bad = as_text & ~empty & number.isna()
    if bad.any():
        other = "." if decimal == "," else ","
        readable_other = core[bad[as_text]].str.fullmatch(_pattern(other)).astype(bool)
        status[bad] = np.where(readable_other, OTHER_DECIMAL, NOT_A_NUMBER)
    status[empty] = EMPTY
    return pd.DataFrame({"getal": number, "status": status.astype("str"), "procent": pct, "tekst": text},
                        index=index)


def _date_or_none(value) -> tuple[dt.date, str] | None:
    try:
        day, precision = parse_peildatum(value)
    except (ValueError, TypeError, OverflowError):
        return None
    return (day, precision) if MIN_YEAR <= day.year <= MAX_YEAR else None


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(date or None, precision 'jaar'/'dag' or None) per value; each distinct value is parsed once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    days = np.empty(len(uniques), dtype=object)
    precisions = np.empty(len(uniques), dtype=object)
    for i, value in enumerate(uniques):
        days[i], precisions[i] = _date_or_none(value) or (None, None)
    return (pd.Series(days[codes], index=values.index, dtype=object),
            pd.Series(precisions[codes], index=values.index, dtype=object))


def parse_years(values: pd.Series) -> pd.Series:
    """The year as a float (NaN when empty or not a plain year such as '2021')."""
    day, precision = parse_dates(values)
    years = day.map(lambda d: d.year if d is not None else np.nan).astype(float)
    return years.where(precision == YEAR)
