import datetime as dt

import pandas as pd
import pytest

from kpi import formatting as fmt
from kpi.periods import parse_peildatum


@pytest.mark.parametrize(
    "value, unit, decimals, expected",
    [
        (5000, "aantal", 0, "5.000"),
        (3800.0, "aantal", 0, "3.800"),
        (21.9, "procent", 1, "21,9%"),
        (7.5, "cijfer", 1, "7,5"),
        (25, "positie", 0, "plaats 25"),
        (1234567.891, "aantal", 2, "1.234.567,89"),
        (None, "aantal", 0, "–"),
        (float("nan"), "procent", 1, "–"),
    ],
)
def test_value(value, unit, decimals, expected):
    assert fmt.value(value, unit, decimals) == expected


def test_signed_changes():
    assert fmt.signed(60, "aantal") == "+60"
    assert fmt.signed(-0.8, "procent", 1) == "\u22120,8 procentpunt"
    assert fmt.signed(-1, "positie") == "1 plaats gestegen"  # a lower position is better
    assert fmt.signed(-3, "positie") == "3 plaatsen gestegen"
    assert fmt.signed(4, "positie") == "4 plaatsen gedaald"
    assert fmt.signed(0, "positie") == "gelijk gebleven"
    assert fmt.signed(0, "cijfer", 1) == "0,0"


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        (7.25, 1, "7,3"),  # half away from zero, not half to even (7,2)
        (21.85, 1, "21,9"),  # 21.85 is 21.8499... in binary: still 21,9
        (0.125, 2, "0,13"),
        (2.5, 0, "3"),
        (-2.5, 0, "\u22123"),
        (-0.04, 1, "0,0"),  # never "-0,0"
        (-0.4, 0, "0"),  # never "-0"
    ],
)
def test_rounding_half_away_from_zero_and_no_negative_zero(value, decimals, expected):
    assert fmt.number(value, decimals) == expected


def test_signed_never_shows_a_sign_on_zero():
    assert fmt.signed(0.04, "procent", 1) == "0,0 procentpunt"
    assert fmt.signed(-0.04, "procent", 1) == "0,0 procentpunt"
    assert fmt.signed(-0.3, "positie") == "gelijk gebleven"


@pytest.mark.parametrize(
    "value, threshold, direction, expected",
    [
        (7.46, 7.5, "hoger", "7,46"),  # 7,5 would look as if it meets "minimaal 7,5"
        (7.5, 7.5, "hoger", "7,5"),
        (7.44, 7.5, "hoger", "7,4"),  # rounding does not flip: stays one decimal
        (7.04, 7.0, "lager", "7,04"),  # 7,0 would look as if it is at the national 7,0
        (6.96, 7.0, "lager", "7,0"),  # meets, and 7,0 still reads as meeting (at or below)
    ],
)
def test_one_more_decimal_where_rounding_would_flip(value, threshold, direction, expected):
    assert fmt.value_against(value, "cijfer", 1, threshold, direction) == expected


def test_progress_never_reads_100_before_the_target():
    assert fmt.percent_against(99.72) == "99,7%"
    assert fmt.percent_against(100.0) == "100%"
    assert fmt.percent_against(35.5) == "36%"


def test_peildatum():
    assert fmt.peildatum(pd.Timestamp("2017-01-01"), "jaar") == "2017"
    assert fmt.peildatum(pd.Timestamp("2025-01-01"), "dag") == "1-1-2025"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2017", (dt.date(2017, 1, 1), "jaar")),
        (2017, (dt.date(2017, 1, 1), "jaar")),
        (2017.0, (dt.date(2017, 1, 1), "jaar")),
        ("2016-01-01", (dt.date(2016, 1, 1), "dag")),
        ("1-4-2023", (dt.date(2023, 4, 1), "dag")),
        ("01/04/2023", (dt.date(2023, 4, 1), "dag")),
        (dt.date(2020, 5, 6), (dt.date(2020, 5, 6), "dag")),
    ],
)
def test_parse_peildatum(text, expected):
    assert parse_peildatum(text) == expected


@pytest.mark.parametrize("bad", ["", "twintig", "2017-13-01", "31-02-2020", "1800", "17"])
def test_parse_peildatum_rejects(bad):
    with pytest.raises(ValueError):
        parse_peildatum(bad)


@pytest.mark.parametrize("stored, shown", [
    (dt.datetime(2026, 11, 23, 14, 43), "23-11-2026 15:43"),  # winter: CET, UTC+1
    (dt.datetime(2026, 7, 1, 9, 30), "1-7-2026 11:30"),  # summer: CEST, UTC+2
    (dt.datetime(2026, 12, 31, 23, 30), "1-1-2027 00:30"),  # the local date can be the next day
    (pd.Timestamp("2026-03-29 01:00"), "29-3-2026 03:00"),  # the hour summer time starts
])
def test_timestamp_shows_stored_utc_in_amsterdam_time(stored, shown):
    assert fmt.timestamp(stored) == shown


def test_utc_is_the_inverse_of_local():
    assert fmt.utc(dt.datetime(2026, 11, 23, 15, 43)) == dt.datetime(2026, 11, 23, 14, 43)
    assert fmt.utc(dt.datetime(2026, 7, 1, 11, 30)) == dt.datetime(2026, 7, 1, 9, 30)
    assert fmt.local(fmt.utc(dt.datetime(2026, 1, 31, 23, 59, 59, 999999))) == dt.datetime(2026, 1, 31, 23, 59, 59, 999999)


def test_timestamp_of_nothing_is_a_dash():
    assert fmt.timestamp(None) == fmt.timestamp(pd.NaT) == "–"


def test_count_never_says_1_acties():
    assert fmt.count(1, "actie", "acties") == "1 actie"
    assert fmt.count(0, "actie", "acties") == "0 acties"
    assert fmt.count(1200, "actie", "acties") == "1.200 acties"
