"""The werkgroep benchmark (issue 21.4): ranking, median, index and per-denominator views,
examples and invariants on generated data (Hypothesis), and the small multiples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi.benchmark import INDEX, VALUE, compare, ranking_table, records, shared_indicators
from kpi.benchmark.charts import MEDIAN_NAME, small_multiples
from kpi.benchmark.frames import per_denominator, yearly
from kpi.benchmark.ranking import indexed, median, medians, ranks

INDICATORS = pd.DataFrame({
    "code": ["leegstand", "leegstand_vvo", "banen", "inwoners"],
    "name": ["Leegstand (verkooppunten)", "Leegstand (winkelvloeroppervlak)", "Aantal banen", "Inwoners"],
    "unit": ["procent", "procent", "aantal", "aantal"],
    "decimals": [1, 1, 0, 0],
    "direction": ["lager", "lager", "hoger", "hoger"],
}).set_index("code", drop=False)
CENTRES = pd.DataFrame({
    "slug": ["a", "b", "c", "d", "x"], "name": ["A", "B", "C", "D", "X"], "kind": "binnenstad",
    "peer_group": ["g", "g", "g", "g", "other"], "illustrative": [False, True, False, False, False],
})


def obs(rows) -> pd.DataFrame:
    """Observations from (area, indicator, year, value[, illustrative])."""
    frame = pd.DataFrame([(*r, False)[:5] for r in rows],
                         columns=["area", "indicator", "year", "value", "illustrative"])
    frame["peildatum"] = pd.to_datetime(frame["year"].astype(str) + "-01-01")
    frame["precision"] = "jaar"
    frame["source"] = "Bron " + frame["area"]
    frame["value"] = frame["value"].astype(float)
    return frame.drop(columns="year")


FIGURES = obs([
    ("A", "leegstand", 2023, 12.0), ("A", "leegstand", 2024, 11.0),
    ("B", "leegstand", 2023, 9.0), ("B", "leegstand", 2024, 11.0, True),
    ("C", "leegstand", 2024, 15.0), ("D", "leegstand", 2022, 4.0),
    ("X", "leegstand", 2024, 1.0),  # another werkgroep: never ranked with A
    ("C", "leegstand_vvo", 2024, 2.0), ("D", "leegstand_vvo", 2024, 3.0),
    ("A", "banen", 2023, 4000), ("A", "banen", 2024, 4400), ("B", "banen", 2023, 2000), ("B", "banen", 2024, 2000),
    ("A", "inwoners", 2024, 20000), ("B", "inwoners", 2024, 10000),
])


# ---- examples ----------------------------------------------------------------------------------

def test_ranks_share_the_better_place_on_ties_and_follow_the_direction():
    values = pd.Series([11.0, 11.0, 15.0, np.nan, 9.0])
    assert ranks(values, "lager").tolist() == [2, 2, 4, pd.NA, 1]
    assert ranks(values, "hoger").tolist() == [2, 2, 1, pd.NA, 4]


def test_the_ranking_is_of_one_werkgroep_one_indicator_and_one_year():
    b = compare(FIGURES, INDICATORS, CENTRES, "A", "leegstand")
    assert b.rank_year == 2024  # the newest year in which A and another centre have a figure
    assert list(b.ranking["area"]) == ["A", "B", "C", "D"]  # X is in another werkgroep
    places = b.ranking.set_index("area")["rank"]
    assert [places["A"], places["B"], places["C"]] == [1, 1, 3] and pd.isna(places["D"])  # D: none for 2024
    assert b.rank == 1 and b.ranked == 3
    assert b.sentence() == "A staat in 2024 op plaats 1 van 3 centra met een cijfer (lager is beter)."
    assert "verkooppunten" in b.measure and "winkelvloeroppervlak" not in b.measure
    vvo = compare(FIGURES, INDICATORS, CENTRES, "A", "leegstand_vvo")  # floor area: C and D only
    assert vvo.rank is None and set(vvo.ranking.dropna(subset=["rank"])["area"]) == {"C", "D"}
    assert "winkelvloeroppervlak" in vvo.measure


def test_the_table_labels_fictional_and_illustrative_peers_and_missing_figures():
    table = ranking_table(compare(FIGURES, INDICATORS, CENTRES, "A", "leegstand")).set_index("Centrum")
    assert table.loc["A (gekozen)", "Waarde"] == "11,0%" and table.loc["A (gekozen)", "Herkomst"] == "Bron A"
    assert table.loc["B", "Herkomst"] == "illustratief (fictief centrum)"
    assert table.loc["D", "Peildatum"] == "geen cijfer voor 2024" and table.loc["D", "Plaats"] == "–"
    assert set(table["Maatstaf"]) == {"Leegstand (verkooppunten), eenheid procent"}


def test_records_give_value_date_measure_and_place_per_peer():
    rows = records(compare(FIGURES, INDICATORS, CENTRES, "A", "leegstand"), {"A": "a", "B": "b"})
    a = rows[0]
    assert (a["gebied"], a["slug"], a["waarde"], a["peildatum"], a["rang"], a["gekozen"]) == \
        ("A", "a", 11.0, "2024-01-01", 1, True)
    d = next(r for r in rows if r["gebied"] == "D")
    assert d["waarde"] is None and d["rang"] is None and d["maatstaf"] == a["maatstaf"]
    assert next(r for r in rows if r["gebied"] == "B")["fictief"] is True


def test_index_view_sets_the_base_year_to_100():
    b = compare(FIGURES, INDICATORS, CENTRES, "A", "banen", INDEX, 2023)
    values = b.series.set_index(["area", "year"])["value"]
    assert values[("A", 2023)] == 100 and values[("A", 2024)] == pytest.approx(110)
    assert values[("B", 2024)] == 100 and b.rank == 1
    assert b.measure.endswith("index 2023 = 100")
    # An unknown base year falls back to the centre's own first year.
    assert compare(FIGURES, INDICATORS, CENTRES, "A", "banen", INDEX, 1990).base_year == 2023


def test_per_denominator_only_where_the_denominator_is_imported_and_the_unit_is_a_count():
    per = compare(FIGURES, INDICATORS, CENTRES, "A", "banen", "per_inwoners")
    assert per.unavailable is None
    assert per.series.set_index("area")["value"].to_dict() == {"A": 220.0, "B": 200.0}  # 2024 only
    floor = compare(FIGURES, INDICATORS, CENTRES, "A", "banen", "per_wvo")
    assert "niet beschikbaar" in floor.unavailable and "winkelvloeroppervlak" in floor.unavailable
    assert floor.series.empty
    vacancy = compare(FIGURES, INDICATORS, CENTRES, "A", "leegstand", "per_inwoners")
    assert "niet beschikbaar" in vacancy.unavailable and vacancy.rank is None


def test_shared_indicators_need_two_centres_with_figures():
    assert shared_indicators(FIGURES, ["A", "B", "C", "D"], list(INDICATORS.index)) == \
        ["leegstand", "leegstand_vvo", "banen", "inwoners"]
    assert shared_indicators(FIGURES, ["A", "C"], list(INDICATORS.index)) == ["leegstand"]


def test_yearly_takes_the_newest_figure_of_each_year():
    rows = obs([("A", "banen", 2024, 1.0)])
    later = rows.assign(peildatum=pd.Timestamp("2024-06-01"), value=2.0)
    frame = yearly(pd.concat([later, rows]), ["A"], "banen")
    assert frame["value"].tolist() == [2.0] and frame["year"].tolist() == [2024]


def test_small_multiples_one_panel_per_centre_chosen_first_with_the_median():
    b = compare(FIGURES, INDICATORS, CENTRES, "A", "leegstand")
    fig = small_multiples(b)
    titles = [a.text for a in fig.layout.annotations]
    assert titles[0] == "<b>1. A<br>(gekozen)</b>" and "B<br>(fictief, illustratief)" in titles[1]
    assert len(titles) == 4
    medians_drawn = [t for t in fig.data if t.name == MEDIAN_NAME]
    assert len(medians_drawn) == 4 and sum(bool(t.showlegend) for t in medians_drawn) == 1
    b_trace = next(t for t in fig.data if t.name == "B")
    assert set(b_trace.marker.symbol) == {"circle-open"}  # a fictional centre's points are open
    assert next(t for t in fig.data if t.name == "A").line.width > b_trace.line.width


# ---- invariants (Hypothesis) -------------------------------------------------------------------

values_lists = st.lists(st.one_of(st.integers(0, 50).map(float), st.just(float("nan"))), min_size=1, max_size=8)
directions = st.sampled_from(["hoger", "lager"])


@given(values=values_lists, direction=directions, data=st.data())
def test_rank_is_a_permutation_invariant_function_of_the_values(values, direction, data):
    order = data.draw(st.permutations(range(len(values))))
    before = ranks(pd.Series(values), direction)
    after = ranks(pd.Series([values[i] for i in order]), direction)
    for j, i in enumerate(order):
        assert (pd.isna(after[j]) and pd.isna(before[i])) or after[j] == before[i]


@given(values=values_lists, direction=directions)
def test_a_centres_place_is_one_plus_the_number_strictly_better(values, direction):
    got = ranks(pd.Series(values), direction)
    known = [v for v in values if not np.isnan(v)]
    for v, r in zip(values, got, strict=True):
        if np.isnan(v):
            assert pd.isna(r)
        else:
            better = sum(1 for w in known if (w < v if direction == "lager" else w > v))
            assert r == 1 + better


@given(values=values_lists)
def test_the_median_lies_between_min_and_max(values):
    m = median(pd.Series(values))
    known = [v for v in values if not np.isnan(v)]
    if not known:
        assert m is None
    else:
        assert min(known) <= m <= max(known)


@given(years=st.lists(st.tuples(st.sampled_from("ABC"), st.integers(2015, 2025), st.integers(1, 900).map(float)),
                      min_size=1, max_size=20, unique_by=lambda t: (t[0], t[1])),
       base=st.integers(2015, 2025))
def test_the_index_of_the_base_year_is_100(years, base):
    frame = pd.DataFrame(years, columns=["area", "year", "value"])
    out = indexed(frame, base)
    at_base = out[out["year"] == base]
    assert np.allclose(at_base["value"], 100)
    without = set(frame["area"]) - set(frame.loc[frame["year"] == base, "area"])
    assert out[out["area"].isin(without)]["value"].isna().all()


@given(years=st.lists(st.tuples(st.sampled_from("ABCD"), st.integers(2020, 2024), st.integers(0, 100).map(float)),
                      min_size=1, max_size=20, unique_by=lambda t: (t[0], t[1])))
def test_every_yearly_median_lies_between_that_years_min_and_max(years):
    frame = pd.DataFrame(years, columns=["area", "year", "value"])
    for row in medians(frame).itertuples():
        year = frame[frame["year"] == row.year]["value"]
        assert year.min() <= row.value <= year.max()


def test_per_denominator_is_nan_without_a_denominator_of_that_year():
    frame = pd.DataFrame({"area": ["A", "A"], "year": [2023, 2024], "value": [10.0, 20.0], "illustrative": False})
    den = pd.DataFrame({"area": ["A"], "year": [2024], "value": [4.0], "illustrative": [True]})
    out = per_denominator(frame, den, 1000)
    assert np.isnan(out["value"][0]) and out["value"][1] == 5000 and out["illustrative"].tolist() == [False, True]


def test_plain_view_is_the_default():
    assert compare(FIGURES, INDICATORS, CENTRES, "A", "leegstand").view == VALUE


# ---- denominators: a centre without one is never ranked (issue 21.4) ----------------------------

def test_a_centre_without_a_denominator_has_no_place_and_is_named():
    # C has jobs in 2024 but no inhabitants: never ranked with A and B, and the table says why.
    figures = pd.concat([FIGURES, obs([("C", "banen", 2024, 9000)])])
    b = compare(figures, INDICATORS, CENTRES, "A", "banen", "per_inwoners")
    places = b.ranking.set_index("area")["rank"]
    assert places["A"] == 1 and places["B"] == 2 and pd.isna(places["C"]) and b.ranked == 2
    assert b.without_denominator == {"C"} and b.denominator == "inwoners"
    table = ranking_table(b).set_index("Centrum")
    assert table.loc["C", "Peildatum"] == "niet beschikbaar: geen noemer (inwoners) voor 2024"
    assert table.loc["C", "Plaats"] == "–" and table.loc["C", "Waarde"] == "–"
    # Seen from C: the view is not available for C itself, and the sentence names the denominator.
    own = compare(figures, INDICATORS, CENTRES, "C", "banen", "per_inwoners")
    assert own.rank is None and own.ranked == 2 and "C" in own.without_denominator
    assert own.sentence().startswith("Per 1.000 inwoners: niet beschikbaar voor C. De noemer (indicator ‘inwoners’)")


@given(rows=st.lists(st.tuples(st.sampled_from("ABCD"), st.integers(2022, 2024), st.integers(1, 900).map(float)),
                     min_size=1, max_size=12, unique_by=lambda t: (t[0], t[1])),
       dens=st.lists(st.tuples(st.sampled_from("ABCD"), st.integers(2022, 2024), st.integers(1, 90000).map(float)),
                     max_size=12, unique_by=lambda t: (t[0], t[1])),
       chosen=st.sampled_from("ABCD"))
def test_a_ranking_never_mixes_in_a_centre_without_its_denominator(rows, dens, chosen):
    figures = obs([(a, "banen", y, v) for a, y, v in rows] + [(a, "inwoners", y, v) for a, y, v in dens])
    b = compare(figures, INDICATORS, CENTRES, chosen, "banen", "per_inwoners")
    has_den = {(a, y) for a, y, _ in dens}
    for r in b.ranking.itertuples():
        if not pd.isna(r.rank):
            assert (r.area, b.rank_year) in has_den  # every ranked centre has its denominator that year
        elif (r.area, b.rank_year) in {(a, y) for a, y, _ in rows}:
            assert r.area in b.without_denominator  # a figure but no place: said why
    assert b.ranked == sum(1 for a in "ABCD" if (a, b.rank_year) in has_den
                           and (a, b.rank_year) in {(x, y) for x, y, _ in rows})
