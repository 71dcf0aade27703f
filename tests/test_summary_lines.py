"""kpi.tables.summary_lines: the overview's first screen, one line per KPI, words from kpi/."""

import datetime as dt

from kpi import metrics as m
from kpi import statuses
from kpi.tables import summary_lines
from tests.support.factories import (
    AREA,
    JOBS,
    JOBS_TARGET,
    NL,
    RATING,
    RATING_TARGET,
    VACANCY,
    VACANCY_TARGET,
    obs,
)

TODAY = dt.date(2026, 11, 22)


def test_one_line_per_kpi_in_the_given_order_with_dutch_formats():
    results = [
        m.evaluate(VACANCY, VACANCY_TARGET, obs([(AREA, "leegstand", "1-1-2025", 13.8), (NL, "leegstand", "1-1-2025", 7.0)]),
                   TODAY),
        m.evaluate(JOBS, JOBS_TARGET, obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2025, 4210)]), TODAY),
    ]
    lines = summary_lines(results)
    assert [(x.code, x.name, x.value, x.peildatum, x.illustrative) for x in lines] == [
        ("leegstand", VACANCY.name, "13,8%", "1-1-2025", False),
        ("banen", JOBS.name, "4.210", "2025", False),
    ]
    assert [x.status for x in lines] == [statuses.status(r.status) for r in results]


def test_illustrative_verdict_and_missing_measurement_are_said():
    shaky = m.evaluate(JOBS, JOBS_TARGET, obs([(AREA, "banen", 2025, 4100)], illustrative=True), TODAY)
    empty = m.evaluate(RATING, RATING_TARGET, obs([(AREA, "waardering", 2017, 7.0)]).iloc[0:0], TODAY)
    first, second = summary_lines([shaky, empty])
    assert (first.value, first.illustrative) == ("4.100", True)
    assert (second.value, second.peildatum, second.status.word) == ("–", "nog geen meting", statuses.GEEN_DATA)


def test_each_line_names_its_target_and_an_assumed_horizon():
    """Issue 19.15: the lines said 'achter' without saying against what."""
    from dataclasses import replace

    assumed = replace(JOBS_TARGET, horizon_year=2030)  # the akkoord names no year: an assumption
    vacancy = replace(VACANCY_TARGET, horizon_year=2030)
    dated = replace(JOBS_TARGET, target_year=2028)
    results = [
        m.evaluate(JOBS, assumed, obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2025, 4210)]), TODAY),
        m.evaluate(VACANCY, vacancy, obs([(AREA, "leegstand", "1-1-2025", 13.8), (NL, "leegstand", "1-1-2025", 7.0)]),
                   TODAY),
        m.evaluate(JOBS, dated, obs([(AREA, "banen", 2017, 3800), (AREA, "banen", 2025, 4210)]), TODAY),
        m.evaluate(RATING, RATING_TARGET, obs([(AREA, "waardering", 2025, 7.2)]), TODAY),
    ]
    assert [line.target for line in summary_lines(results)] == [
        "doel 5.000 in 2030*", "doel onder 7,0% in 2030*", "doel 5.000 in 2028", "doel 7,5",
    ]
    from kpi.text import ASSUMED_NOTE

    assert ASSUMED_NOTE.startswith("* Aangenomen horizon")  # the overview explains the mark once
