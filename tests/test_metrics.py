"""Domain calculations on exact figures."""

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from kpi import metrics as m
from kpi.metrics import Target
from tests.support.factories import (
    AREA,
    JOBS,
    JOBS_TARGET,
    NL,
    RANK,
    RANK_TARGET,
    RATING,
    RATING_TARGET,
    VACANCY,
    VACANCY_TARGET,
    obs,
)

TODAY = dt.date(2026, 11, 22)


def test_latest_and_change_since_previous():
    df = obs([(AREA, "banen", 2017, 3800, "LISA"), (AREA, "banen", 2019, 3920, "LISA 2019"), (AREA, "banen", 2018, 3850)])
    s = m.series(df, "banen", AREA)
    latest = m.latest_measurement(s)
    assert latest.value == 3920
    assert latest.peildatum == pd.Timestamp("2019-01-01") and latest.precision == "jaar"
    assert latest.source == "LISA 2019"
    assert m.previous_measurement(s).value == 3850
    assert m.change_since_previous(s) == 70


def test_change_needs_two_measurements():
    s = m.series(obs([(AREA, "banen", 2017, 3800)]), "banen", AREA)
    assert m.change_since_previous(s) is None
    assert m.latest_measurement(m.series(obs([(AREA, "banen", 2017, 3800)]), "bedrijven", AREA)) is None


@pytest.mark.parametrize(
    "value, baseline, target, expected",
    [
        (4400, 3800, 5000, 50.0),  # half way to 5.000
        (3800, 3800, 5000, 0.0),
        (5000, 3800, 5000, 100.0),
        (3500, 3800, 5000, -25.0),  # went backwards
        (39, 53, 25, 50.0),  # ranking: lower is better, 14 of 28 places
        (7.0, None, 7.5, None),  # no baseline
        (1, 1, 1, None),
    ],
)
def test_progress_pct(value, baseline, target, expected):
    assert m.progress_pct(value, baseline, target) == expected


def test_required_path_is_a_straight_line_to_the_target_year():
    path = m.required_path(RANK_TARGET, pd.Index([2016, 2017, 2018, 2019, 2021, 2023]))
    assert path.tolist() == [53.0, 53.0, 46.0, 39.0, 25.0, 25.0]
    assert m.required_value_at(RANK_TARGET, 2019.5) == 35.5
    assert m.required_value_at(JOBS_TARGET, 2020) is None  # no target year, no path


def test_trend_projection_and_year_reached():
    df = obs([(AREA, "banen", y, 3800 + 100 * (y - 2017)) for y in range(2017, 2022)])
    s = m.series(df, "banen", AREA)
    tr = m.trend(s, 2017)
    assert tr.slope == pytest.approx(100.0)
    assert tr.at(2027) == pytest.approx(4800.0)
    # 5.000 at 3.800 + 100/yr is reached in 2029
    assert m.year_reached(tr, 5000, "hoger", m.latest_measurement(s)) == 2029


def test_year_reached_none_when_moving_away():
    df = obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2018, 3700)])
    s = m.series(df, "banen", AREA)
    assert m.year_reached(m.trend(s), 5000, "hoger", m.latest_measurement(s)) is None


def test_trend_ignores_measurements_before_the_baseline_year():
    df = obs([(AREA, "banen", 2010, 9000), (AREA, "banen", 2017, 3800), (AREA, "banen", 2019, 4000)])
    tr = m.trend(m.series(df, "banen", AREA), 2017)
    assert tr.slope == pytest.approx(100.0) and tr.n == 2


def test_vacancy_compared_with_national_figure_of_the_same_measure_and_year():
    df = obs([
        (AREA, "leegstand", 2017, 21.9),
        (NL, "leegstand", 2017, 7.8, "akkoord"),
        (NL, "leegstand", "2017-01-01", 7.2, "Locatus"),
        (AREA, "leegstand", "2020-01-01", 18.0),
        (NL, "leegstand", "2020-01-01", 7.3),
        (NL, "leegstand_vvo", "2020-01-01", 7.7),  # other measure: never used
        (AREA, "leegstand", "2021-01-01", 17.0),  # no national figure in 2021
    ])
    comp = m.national_comparison(m.series(df, "leegstand", AREA), m.series(df, "leegstand", NL))
    # 2017 (a year) pairs with the national 2017 year figure, not the 1-1-2017 one
    assert comp["national"].tolist()[:2] == [7.8, 7.3]
    assert comp["gap_pp"].tolist()[:2] == pytest.approx([14.1, 10.7])
    assert pd.isna(comp["gap_pp"].iloc[2])


def test_vacancy_status_without_national_figure_is_no_recent_data():
    df = obs([(AREA, "leegstand", 2017, 21.9), (NL, "leegstand", 2017, 7.8), (AREA, "leegstand", "2026-01-01", 12.0)])
    r = m.evaluate(VACANCY, VACANCY_TARGET, df, TODAY)
    assert r.status == m.GEEN_DATA
    assert r.status_reason == ("Er is geen landelijk cijfer (zelfde maatstaf) binnen 3 jaar van de nieuwste "
                               "meting (1-1-2026); het dichtstbijzijnde landelijke cijfer is van 2017.")


def test_vacancy_gap_progress_and_status():
    df = obs([
        (AREA, "leegstand", 2017, 21.9), (NL, "leegstand", 2017, 7.8),
        (AREA, "leegstand", "2024-01-01", 14.9), (NL, "leegstand", "2024-01-01", 7.0),
        (AREA, "leegstand", "2025-01-01", 13.8), (NL, "leegstand", "2025-01-01", 7.0),
    ])
    r = m.evaluate(VACANCY, VACANCY_TARGET, df, TODAY)
    assert r.gap_pp == pytest.approx(6.8)
    assert r.national.value == 7.0
    # baseline gap 14,1 pp (measured pair of 2017, no akkoord pair on this target) -> now 6,8 pp
    assert r.progress_pct == pytest.approx((14.1 - 6.8) / 14.1 * 100)
    assert r.baseline_gap_basis == "gemeten in 2017: 21,9% tegen landelijk 7,8%"
    # gap 14,1 (2017), 7,9 (2024), 6,8 (2025): without a horizon never "op koers"
    assert r.status == m.RISICO
    r = m.evaluate(VACANCY, replace(VACANCY_TARGET, horizon_year=2035), df, TODAY)  # pace: 2033
    assert r.status == m.OP_KOERS, r.status_reason


def test_vacancy_below_national_is_met():
    df = obs([(AREA, "leegstand", "2025-01-01", 6.5), (NL, "leegstand", "2025-01-01", 7.0)])
    assert m.evaluate(VACANCY, VACANCY_TARGET, df, TODAY).status == m.GEHAALD


def test_vacancy_equal_to_national_is_not_below():
    df = obs([(AREA, "leegstand", "2025-01-01", 7.0), (NL, "leegstand", "2025-01-01", 7.0)])
    assert m.evaluate(VACANCY, VACANCY_TARGET, df, TODAY).status != m.GEHAALD


def test_ranking_deadline_passed_shows_not_met():
    df = obs([(AREA, "ranking", 2017, 53), (AREA, "ranking", 2025, 33)])
    r = m.evaluate(RANK, RANK_TARGET, df, TODAY)
    assert r.status == m.ACHTER
    assert r.status_reason == ("De nieuwste meting, plaats 33 (2025), haalt het doel (plaats 25) niet. "
                               "Het doeljaar 2021 is voorbij.")
    assert r.progress_pct == pytest.approx(20 / 28 * 100)
    assert r.projected_at_target_year is None  # no projection into a year that has passed
    assert r.year_reached == 2029  # 53 -> 33 over 8 years: 2,5 places a year, 25 in 2029


def test_projection_to_a_future_target_year():
    df = obs([(AREA, "ranking", 2017, 53), (AREA, "ranking", 2019, 45)])
    r = m.evaluate(RANK, RANK_TARGET, df, dt.date(2019, 6, 1))
    assert r.projected_at_target_year == pytest.approx(37.0)


def test_ranking_met_after_deadline_counts_as_met():
    df = obs([(AREA, "ranking", 2017, 53), (AREA, "ranking", 2025, 24)])
    assert m.evaluate(RANK, RANK_TARGET, df, TODAY).status == m.GEHAALD


@pytest.mark.parametrize(
    "values, expected",
    [
        ({2017: 53, 2019: 39}, m.OP_KOERS),  # exactly on the path (39 in 2019)
        ({2017: 53, 2019: 41, 2020: 31}, m.OP_KOERS),  # 31 in 2020 is ahead of 32
        ({2018: 50, 2019: 40, 2020: 33}, m.OP_KOERS),  # 8,5 places a year from 33: 25 in 2021
        ({2017: 53, 2019: 52, 2020: 50}, m.ACHTER),  # behind and too slow
    ],
)
def test_status_with_target_year_before_the_deadline(values, expected):
    df = obs([(AREA, "ranking", y, v) for y, v in values.items()])
    r = m.evaluate(RANK, RANK_TARGET, df, dt.date(2020, 6, 1))
    assert r.status == expected, r.status_reason


@pytest.mark.parametrize(
    "values, expected",
    [
        ({2017: 3800, 2025: 4200}, m.RISICO),  # 50 a year: 5.000 in 2041, and no horizon
        ({2017: 3800, 2018: 4600, 2020: 4400, 2022: 4200, 2025: 3900}, m.ACHTER),  # trend down
        ({2017: 3800, 2018: 3000, 2025: 3700}, m.RISICO),  # trend up, no horizon
        ({2017: 3800, 2024: 3700, 2025: 3600}, m.ACHTER),
        ({2017: 3800, 2024: 5000}, m.GEHAALD),
        ({2017: 3800, 2020: 4500}, m.GEEN_DATA),  # newest figure older than 3 years
    ],
)
def test_status_without_target_year(values, expected):
    df = obs([(AREA, "banen", y, v) for y, v in values.items()])
    r = m.evaluate(JOBS, JOBS_TARGET, df, TODAY)
    assert r.status == expected, r.status_reason


def test_status_without_any_measurement():
    r = m.evaluate(RATING, RATING_TARGET, obs([(AREA, "banen", 2025, 1)]), TODAY)
    assert r.status == m.GEEN_DATA and r.latest is None


def test_rating_without_baseline_uses_trend_only():
    df = obs([(AREA, "waardering", 2022, 7.2), (AREA, "waardering", 2024, 7.3)])
    r = m.evaluate(RATING, replace(RATING_TARGET, horizon_year=2030), df, TODAY)
    assert r.status == m.OP_KOERS
    assert r.progress_pct is None
    assert r.year_reached == 2028  # 7,3 + 0,05/yr reaches 7,5 in 2028


def test_unknown_target_value_gives_no_status():
    t = Target("banen", AREA, baseline_value=3800, baseline_year=2017)
    assert m.evaluate(JOBS, t, obs([(AREA, "banen", 2025, 4000)]), TODAY).status == m.GEEN_DATA
