"""The Belgian minimum wage by date, from its dated data file (issue 12, item 5)."""

import datetime
from decimal import Decimal

import pytest

from reference.minimum_wage import _amounts, minimum_wage_on


@pytest.mark.parametrize(
    ("day", "amount"),
    [
        (datetime.date(2024, 3, 31), None),  # before the first recorded amount: unknown, not guessed
        (datetime.date(2024, 4, 1), Decimal("2029.88")),
        (datetime.date(2024, 12, 31), Decimal("2070.48")),
        (datetime.date(2025, 2, 1), Decimal("2111.89")),
        (datetime.date(2031, 1, 1), Decimal("2111.89")),  # the last known amount, a floor
    ],
)
def test_the_amount_valid_on_a_day(day: datetime.date, amount: Decimal | None) -> None:
    found = minimum_wage_on(day)
    assert (found.monthly_gross_eur if found else None) == amount


def test_every_amount_names_its_source_and_none_decreases() -> None:
    amounts = _amounts()
    assert all(amount.source for amount in amounts)
    monthly = [amount.monthly_gross_eur for amount in amounts]
    assert monthly == sorted(monthly)
