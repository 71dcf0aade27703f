"""The werkgroep benchmark (issue 21.4): a centre among its peer group, per indicator.

`compare` builds one `Benchmark` from stored frames (observations, indicators, centres): the
peers' yearly values in the chosen view (waarde, index, per denominator), the werkgroep's median
per year, and the ranking in one year. One indicator per benchmark, so outlets and floor area
(leegstand, leegstand_vvo) are never ranked together. Pure: no database, no streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi import formatting as fmt
from kpi.benchmark.frames import denominator, divisible, per_denominator, shared_indicators, yearly
from kpi.benchmark.ranking import indexed, medians, ranks

VALUE, INDEX = "waarde", "index"
# The views a user picks (?weergave=): code -> Dutch label.
VIEWS = {
    VALUE: "Waarde",
    INDEX: "Index (basisjaar = 100)",
    "per_inwoners": "Per 1.000 inwoners",
    "per_wvo": "Per 1.000 m² winkelvloeroppervlak",
}
NOT_AVAILABLE = "niet beschikbaar"

__all__ = ["VIEWS", "VALUE", "INDEX", "Benchmark", "compare", "shared_indicators", "ranking_table", "records"]


@dataclass(frozen=True)
class Benchmark:
    """One indicator across a werkgroep, from the chosen centre's point of view."""

    area: str
    group: str
    indicator: str
    name: str
    unit: str
    decimals: int
    direction: str
    view: str
    base_year: int | None
    series: pd.DataFrame  # area, year, peildatum, precision, value (in the view), illustrative, source
    median: pd.DataFrame  # year, value
    rank_year: int | None
    ranking: pd.DataFrame  # area, value, peildatum, precision, rank, illustrative, source, fictional
    fictional: frozenset[str]  # demo centres (illustrative areas)
    unavailable: str | None = None  # the Dutch reason the view cannot be shown
    # Per-denominator views: the denominator's indicator code, and the centres with a figure in the
    # ranking year but no denominator for it (no value, no place: never ranked with the others).
    denominator: str | None = None
    without_denominator: frozenset[str] = frozenset()

    def missing_denominator_text(self) -> str:
        """'niet beschikbaar: geen noemer (inwoners) voor 2024', for a centre without one."""
        year = f" voor {self.rank_year}" if self.rank_year else ""
        return f"{NOT_AVAILABLE}: geen noemer ({self.denominator}){year}"

    @property
    def measure(self) -> str:
        """What the series measure, said with every ranking: 'Leegstand (verkooppunten), eenheid procent,
        index 2019 = 100'."""
        word = f"eenheid {self.unit}"
        view = (f"index {self.base_year} = 100" if self.view == INDEX
                else VIEWS[self.view].lower() if self.view != VALUE else "")
        return ", ".join(p for p in (self.name, word, view) if p)

    @property
    def rank(self) -> int | None:
        """The chosen centre's place in the ranking year, None without a value."""
        row = self.ranking[self.ranking["area"] == self.area]
        return None if row.empty or pd.isna(row["rank"].iloc[0]) else int(row["rank"].iloc[0])

    @property
    def ranked(self) -> int:
        """How many centres have a place."""
        return int(self.ranking["rank"].notna().sum())

    def value_text(self, value: float | None) -> str:
        """A value as the view shows it: the unit's form for plain values, a number otherwise."""
        if value is None or pd.isna(value):
            return "–"
        if self.view == VALUE:
            return fmt.value(float(value), self.unit, self.decimals)
        return fmt.number(float(value), 1)

    def sentence(self) -> str:
        """The chosen centre's place in words (Dutch)."""
        if self.unavailable:
            return self.unavailable
        better = "lager is beter" if self.direction == "lager" else "hoger is beter"
        if self.rank is None and self.area in self.without_denominator:
            return (f"{VIEWS[self.view]}: {NOT_AVAILABLE} voor {self.area}. De noemer (indicator "
                    f"‘{self.denominator}’) is voor {self.area} niet ingelezen voor de jaren met een cijfer; "
                    "zonder noemer geen plaats in de werkgroep.")
        if self.rank is None:
            return (f"{self.area} heeft geen cijfer voor {self.rank_year}; geen plaats in de werkgroep."
                    if self.rank_year else "Er zijn geen cijfers om te vergelijken.")
        return (f"{self.area} staat in {self.rank_year} op plaats {self.rank} van "
                f"{fmt.count(self.ranked, 'centrum', 'centra')} met een cijfer ({better}).")


def _illustrative_areas(centres: pd.DataFrame) -> frozenset[str]:
    if "illustrative" not in centres:
        return frozenset()
    return frozenset(centres.loc[centres["illustrative"].astype(bool), "name"])


def compare(observations: pd.DataFrame, indicators: pd.DataFrame, centres: pd.DataFrame, area: str,
            indicator: str, view: str = VALUE, base_year: int | None = None) -> Benchmark:
    """The benchmark of `area` among the centres of its peer group (centres: name, peer_group,
    illustrative) on one indicator, in one view. The ranking year is the newest year with a value
    for `area` (else the newest with any value); the index base year defaults to the first year
    with a value for `area`."""
    row = indicators.loc[indicator]
    group = centres.loc[centres["name"] == area, "peer_group"]
    group = str(group.iloc[0]) if not group.empty else ""
    members = list(centres.loc[centres["peer_group"] == group, "name"]) if group else [area]
    if area not in members:
        members.insert(0, area)
    series = yearly(observations, members, indicator)
    unavailable = None
    den = None
    missing: set[tuple[str, int]] = set()  # (centre, year) with a figure but no denominator
    if view == INDEX:
        own_years = series.loc[(series["area"] == area) & series["value"].notna(), "year"]
        years = sorted(series["year"].unique())
        if base_year is None or base_year not in years:
            base_year = int(own_years.min()) if not own_years.empty else (int(years[0]) if years else None)
        series = indexed(series, base_year) if base_year is not None else series.assign(value=float("nan"))
    elif (den := denominator(view)) is not None:
        if not divisible(str(row["unit"])):
            unavailable = (f"{VIEWS[view]}: {NOT_AVAILABLE} voor deze indicator (eenheid {row['unit']}); alleen "
                           "aantallen worden per noemer gedeeld.")
        elif den.code not in indicators.index:
            unavailable = (f"{VIEWS[view]}: {NOT_AVAILABLE}. De noemer (indicator ‘{den.code}’) is niet "
                           "ingelezen.")
        counted = series.dropna(subset=["value"])
        series = per_denominator(series, yearly(observations, members, den.code), den.scale)
        lost = counted.index.difference(series.dropna(subset=["value"]).index)
        missing = set(zip(counted.loc[lost, "area"], counted.loc[lost, "year"].astype(int), strict=True))
        if unavailable is None and series["value"].isna().all():
            unavailable = f"{VIEWS[view]}: {NOT_AVAILABLE}. Geen noemer voor de jaren met een cijfer."
    series = series.dropna(subset=["value"]).reset_index(drop=True) if unavailable is None else series.iloc[0:0]
    fictional = _illustrative_areas(centres) & set(members)
    rank_year = _rank_year(series, area)
    ranking = _ranking(series, members, rank_year, str(row["direction"]), fictional)
    return Benchmark(
        area=area, group=group, indicator=indicator, name=str(row["name"]), unit=str(row["unit"]),
        decimals=int(row["decimals"]), direction=str(row["direction"]), view=view,
        base_year=base_year if view == INDEX else None, series=series, median=medians(series),
        rank_year=rank_year, ranking=ranking, fictional=frozenset(fictional), unavailable=unavailable,
        denominator=den.code if den is not None else None,
        without_denominator=_without_denominator(series, missing, area, rank_year) if unavailable is None
        else frozenset(),
    )


def _without_denominator(series: pd.DataFrame, missing: set[tuple[str, int]], area: str,
                         year: int | None) -> frozenset[str]:
    """The centres with a figure but no denominator in the ranking year; the chosen centre also
    when it has no denominator for any year with a figure."""
    out = {a for a, y in missing if y == year}
    if area not in set(series["area"]) and any(a == area for a, _ in missing):
        out.add(area)
    return frozenset(out)


def _rank_year(series: pd.DataFrame, area: str) -> int | None:
    """The newest year in which `area` and at least one other centre have a value; else the
    newest year of `area`; else the newest year of any centre."""
    own = set(series.loc[series["area"] == area, "year"])
    counts = series.groupby("year")["area"].nunique()
    shared = own & set(counts[counts >= 2].index)
    for years in (shared, own, set(series["year"])):
        if years:
            return int(max(years))
    return None


def _ranking(series: pd.DataFrame, members: list[str], year: int | None, direction: str,
             fictional: frozenset[str]) -> pd.DataFrame:
    in_year = series[series["year"] == year] if year is not None else series.iloc[0:0]
    columns = ["area", "value", "peildatum", "precision", "illustrative", "source"]
    frame = pd.DataFrame({"area": members}).merge(in_year[columns], on="area", how="left")
    frame["value"] = frame["value"].astype(float)
    frame["rank"] = ranks(frame["value"], direction)
    frame["fictional"] = frame["area"].isin(fictional)
    frame["illustrative"] = frame["illustrative"].fillna(False).astype(bool) | frame["fictional"]
    order = frame["rank"].fillna(len(frame) + 1).astype(int)
    return frame.assign(_o=order).sort_values(["_o", "area"]).drop(columns="_o").reset_index(drop=True)


def ranking_table(b: Benchmark) -> pd.DataFrame:
    """The ranking as the page shows it (Dutch headers, Dutch numbers)."""
    return pd.DataFrame({
        "Plaats": ["–" if pd.isna(r) else str(int(r)) for r in b.ranking["rank"]],
        "Centrum": [f"{a} (gekozen)" if a == b.area else a for a in b.ranking["area"]],
        "Waarde": [b.value_text(v) for v in b.ranking["value"]],
        "Peildatum": [fmt.peildatum(pd.Timestamp(d), p) if isinstance(p, str) and not pd.isna(v)
                      else b.missing_denominator_text() if a in b.without_denominator
                      else (f"geen cijfer voor {b.rank_year}" if b.rank_year else "geen cijfer")
                      for a, d, p, v in zip(b.ranking["area"], b.ranking["peildatum"], b.ranking["precision"],
                                            b.ranking["value"], strict=True)],
        "Maatstaf": b.measure,
        "Herkomst": ["illustratief (fictief centrum)" if f else "–" if pd.isna(v) else "illustratief" if i
                     else (s or "onbekend")
                     for f, i, s, v in zip(b.ranking["fictional"], b.ranking["illustrative"],
                                           b.ranking["source"].fillna(""), b.ranking["value"], strict=True)],
    })


def records(b: Benchmark, slugs: dict[str, str]) -> list[dict]:
    """Per peer value, date, measure and place, for `python -m kpi benchmark --json`."""
    out = []
    for r in b.ranking.itertuples():
        has = not pd.isna(r.value)
        out.append({
            "gebied": r.area, "slug": slugs.get(r.area, ""), "gekozen": r.area == b.area,
            "waarde": float(r.value) if has else None,
            "peildatum": pd.Timestamp(r.peildatum).date().isoformat() if has else None,
            "jaar": b.rank_year if has else None,
            "maatstaf": b.measure, "indicator": b.indicator, "weergave": b.view,
            "rang": None if pd.isna(r.rank) else int(r.rank), "van": b.ranked,
            "illustratief": bool(r.illustrative), "fictief": bool(r.fictional),
            "bron": (r.source or "onbekend") if has else None,
        })
    return out
