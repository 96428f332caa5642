"""Cells read the Belgian way (no database)."""

import datetime
from decimal import Decimal

import pytest

from imports.columns import CellError, parse_boolean, parse_date, parse_decimal, parse_integer


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("42.000,50", Decimal("42000.50")),
        ("42000,5", Decimal("42000.5")),
        ("42000.50", Decimal("42000.50")),
        ("1,234.5", Decimal("1234.5")),
        ("42.000", Decimal("42000")),
        ("€ 2 500,00", Decimal("2500.00")),
        (38.5, Decimal("38.5")),
        ("", None),
    ],
)
def test_decimals(cell, expected):
    assert parse_decimal(cell) == expected


@pytest.mark.parametrize("cell", ["1,2,3", "abc", "NaN", "Infinity"])
def test_not_decimals(cell):
    with pytest.raises(CellError):
        parse_decimal(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("31/12/2026", datetime.date(2026, 12, 31)),
        ("1/2/2026", datetime.date(2026, 2, 1)),
        ("31-12-2026", datetime.date(2026, 12, 31)),
        ("31.12.2026", datetime.date(2026, 12, 31)),
        ("2026-12-31", datetime.date(2026, 12, 31)),
        ("31/12/2026 00:00", datetime.date(2026, 12, 31)),
        (datetime.datetime(2026, 12, 31, 0, 0), datetime.date(2026, 12, 31)),
        ("", None),
    ],
)
def test_dates_day_first(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["12/31/2026", "31/02/2026", "2026/12/31", "tomorrow", "31/12/26"])
def test_not_dates(cell):
    with pytest.raises(CellError):
        parse_date(cell)


def test_yes_and_no_in_three_languages():
    assert [parse_boolean(c) for c in ("ja", "Oui", "YES", "1", "x")] == [True] * 5
    assert [parse_boolean(c) for c in ("nee", "non", "no", "0", "")] == [False] * 5
    with pytest.raises(CellError):
        parse_boolean("misschien")


def test_whole_numbers():
    assert parse_integer("4") == 4 and parse_integer(4.0) == 4
    with pytest.raises(CellError):
        parse_integer("4,5")
