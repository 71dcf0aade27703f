"""Ranking, median and index among the centres of a werkgroep: pure functions on pandas objects."""

from __future__ import annotations

import numpy as np
import pandas as pd

LOWER_IS_BETTER = "lager"


def ranks(values: pd.Series, direction: str) -> pd.Series:
    """Each value's place among the others (plaats): 1 + how many are strictly better, so ties share
    the better place; lower is better when `direction` is 'lager' (vacancy, ranking position).
    A missing value has no place (<NA>)."""
    v = values.to_numpy(dtype=float)
    known = ~np.isnan(v)
    present = v[known]
    if direction == LOWER_IS_BETTER:
        better = (present[None, :] < v[:, None]).sum(axis=1)
    else:
        better = (present[None, :] > v[:, None]).sum(axis=1)
    out = pd.Series(better + 1, index=values.index, dtype="Int64")
    out[~known] = pd.NA
    return out


def median(values: pd.Series) -> float | None:
    """The median of the known values (mediaan van de werkgroep); None when none is known."""
    known = values.dropna()
    return float(known.median()) if not known.empty else None


def medians(frame: pd.DataFrame) -> pd.DataFrame:
    """Per year the median of the centres' values (columns year, value), years with a value only."""
    if frame.empty:
        return pd.DataFrame({"year": pd.Series(dtype=int), "value": pd.Series(dtype=float)})
    out = frame.dropna(subset=["value"]).groupby("year", as_index=False)["value"].median()
    return out.sort_values("year").reset_index(drop=True)


def indexed(frame: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Each centre's values as an index: its value in `base_year` = 100. A centre without a
    (non-zero) value in that year gets no index values (NaN): there is nothing to compare with."""
    out = frame.copy()
    base = frame[frame["year"] == base_year].set_index("area")["value"]
    base = base[(base != 0) & base.notna()]
    out["value"] = frame["value"] / frame["area"].map(base) * 100
    return out
