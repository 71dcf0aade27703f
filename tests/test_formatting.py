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
    assert fmt.signed(-1, "positie") == "\u22121 plaats"
    assert fmt.signed(0, "cijfer", 1) == "0,0"


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
