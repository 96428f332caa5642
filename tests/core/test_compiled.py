"""``core.compiled``: a read's SQL is compiled once per key and process, and run afresh on every call, so
the rows are the query's own (converted as ``values_list`` converts them) and an edit is seen at once."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import BooleanField, ExpressionWrapper, Q

from core.compiled import compiled_clear, compiled_values
from reference.models import SalaryThreshold

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> None:
    compiled_clear()


def _thresholds(region: str) -> Any:
    return (
        SalaryThreshold.objects.filter(region=region)
        .annotate(open_ended=ExpressionWrapper(Q(valid_to__isnull=True), output_field=BooleanField()))
        .order_by("category")
        .values_list("category", "annual_gross_eur", "valid_from", "open_ended")
    )


def _threshold(category: str, amount: int, region: str = "VLG") -> SalaryThreshold:
    return SalaryThreshold.objects.create(
        region=region,
        category=category,
        valid_from=datetime.date(2026, 1, 1),
        annual_gross_eur=Decimal(amount),
    )


def test_the_rows_are_the_querys_own_with_their_types() -> None:
    _threshold("highly_skilled", 50_000)
    _threshold("eu_blue_card", 60_000)
    rows = compiled_values(("thresholds", "VLG"), lambda: _thresholds("VLG"))
    assert rows == list(_thresholds("VLG"))
    _category, amount, valid_from, open_ended = rows[0]
    # Converted as the ORM converts them (SQLite returns text and integers for these columns).
    assert isinstance(amount, Decimal) and isinstance(valid_from, datetime.date) and open_ended is True


def test_the_sql_is_built_once_per_key_and_the_rows_read_each_time() -> None:
    built: list[str] = []

    def build(region: str) -> Any:
        built.append(region)
        return _thresholds(region)

    threshold = _threshold("highly_skilled", 50_000)
    assert compiled_values(("thresholds", "VLG"), lambda: build("VLG"))[0][1] == Decimal(50_000)
    SalaryThreshold.objects.filter(pk=threshold.pk).update(annual_gross_eur=Decimal(51_000))
    assert compiled_values(("thresholds", "VLG"), lambda: build("VLG"))[0][1] == Decimal(51_000)
    assert built == ["VLG"]  # compiled once, read twice: the edit made with update() is seen at once

    _threshold("highly_skilled", 40_000, region="BRU")
    assert compiled_values(("thresholds", "BRU"), lambda: build("BRU"))[0][1] == Decimal(40_000)
    assert built == ["VLG", "BRU"]  # another key, another query


def test_a_query_that_can_match_nothing_reads_nothing(django_assert_num_queries: Any) -> None:
    _threshold("highly_skilled", 50_000)
    with django_assert_num_queries(0):
        rows = compiled_values(
            ("none",), lambda: SalaryThreshold.objects.filter(pk__in=[]).values_list("pk", "category")
        )
    assert rows == []


def test_only_a_values_list_query_is_read() -> None:
    with pytest.raises(ValueError, match="values_list"):
        compiled_values(("models",), lambda: SalaryThreshold.objects.all())
    with pytest.raises(ValueError, match="values_list"):
        compiled_values(("flat",), lambda: SalaryThreshold.objects.values_list("pk", flat=True))
