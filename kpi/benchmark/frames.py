"""The werkgroep's figures of one indicator as yearly frames: one value per centre and year."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi import units

YEARLY_COLUMNS = ["area", "year", "peildatum", "precision", "value", "illustrative", "source"]


@dataclass(frozen=True)
class Denominator:
    """A figure to divide by (noemer): the indicator code it is imported as, and the scale."""

    view: str
    code: str
    label: str
    scale: float


# Denominators are ordinary figures, imported per area and year like any other indicator (and
# seeded illustratively for the demo's fictional centres only). `inwoners` is an indicator of its
# own (no KPI); floor area is the existing indicator `winkelvloeroppervlak` (m², the visie's stock).
# A centre without the denominator for a year has no value there: "niet beschikbaar", no place.
DENOMINATORS = (
    Denominator("per_inwoners", "inwoners", "per 1.000 inwoners", 1_000.0),
    Denominator("per_wvo", "winkelvloeroppervlak", "per 1.000 m² winkelvloeroppervlak", 1_000.0),
)


def divisible(unit: str) -> bool:
    """Whether figures in this unit can be divided by a denominator: counts (jobs, establishments)
    can; a percentage, a rating or a place per inhabitant means nothing."""
    u = units.unit(unit)
    return u.whole and not u.rank


def denominator(view: str) -> Denominator | None:
    """The denominator of a view, None for the plain and index views."""
    return next((d for d in DENOMINATORS if d.view == view), None)


def yearly(observations: pd.DataFrame, areas: list[str], indicator: str) -> pd.DataFrame:
    """Per centre and year the newest figure of that year (the value at the last peildatum)."""
    rows = observations[(observations["indicator"] == indicator) & observations["area"].isin(areas)]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in YEARLY_COLUMNS}).astype(
            {"year": int, "value": float, "illustrative": bool})
    rows = rows.assign(year=pd.to_datetime(rows["peildatum"]).dt.year)
    newest = rows.sort_values("peildatum").groupby(["area", "year"], as_index=False).last()
    return newest[YEARLY_COLUMNS].sort_values(["area", "year"]).reset_index(drop=True)


def per_denominator(frame: pd.DataFrame, denominators: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Values divided by the same centre's denominator of the same year, times `scale`; NaN where
    that denominator is not known (or zero). `denominators` is a `yearly` frame."""
    key = denominators.set_index(["area", "year"])["value"]
    key = key[key != 0]
    matched = pd.Series([key.get((a, y)) for a, y in zip(frame["area"], frame["year"], strict=True)],
                        index=frame.index, dtype=float)
    out = frame.copy()
    out["value"] = frame["value"] / matched * scale
    # Illustrative when either figure is.
    illustrative = pd.Series([bool(denominators[(denominators["area"] == a) & (denominators["year"] == y)]
                                   ["illustrative"].any()) for a, y in zip(frame["area"], frame["year"], strict=True)],
                             index=frame.index, dtype=bool)
    out["illustrative"] = frame["illustrative"].astype(bool) | illustrative
    return out


def shared_indicators(observations: pd.DataFrame, areas: list[str], order: list[str]) -> list[str]:
    """The indicators (in display order) with figures for at least two of these centres: the
    ones a werkgroep can compare on."""
    rows = observations[observations["area"].isin(areas)]
    counts = rows.groupby("indicator")["area"].nunique()
    return [code for code in order if counts.get(code, 0) >= 2]
