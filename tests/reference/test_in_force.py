"""The one rule for the thresholds and lists in force on a day (issue 12, item 4): what is valid on the day,
else the latest published one, provisionally; never backwards."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from reference.in_force import THRESHOLDS, in_force_on, lists_in_force, thresholds_in_force
from reference.models import SalaryThreshold, ShortageList, ShortageListEntry, ShortageListOccupation
from reference.wording import provisional_sentence
from tests import factories

pytestmark = pytest.mark.django_db


def _year(offset: int = 0) -> tuple[datetime.date, datetime.date]:
    year = timezone.localdate().year + offset
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _threshold(category: str, amount: str, start: datetime.date, end: datetime.date | None) -> None:
    SalaryThreshold.objects.create(
        region="VLG", category=category, valid_from=start, valid_to=end, annual_gross_eur=Decimal(amount)
    )


def _list(kind: str, start: datetime.date, end: datetime.date | None, region: str = "VLG") -> ShortageList:
    return ShortageList.objects.create(
        kind=kind, region=region, title=f"{kind} {start}", valid_from=start, valid_to=end
    )


def test_the_latest_published_thresholds_apply_provisionally_after_their_period() -> None:
    last_start, last_end = _year(-1)
    this_start, this_end = _year()
    _threshold("highly_skilled", "46000", last_start, last_end)
    _threshold("highly_skilled", "48000", this_start, this_end)
    _threshold("eu_blue_card", "60000", this_start, this_end)
    next_year = this_end + datetime.timedelta(days=200)

    found = thresholds_in_force(next_year)

    assert found["highly_skilled"].amount == Decimal("48000.00")
    assert found["highly_skilled"].provisional
    assert (found["highly_skilled"].valid_from, found["highly_skilled"].valid_to) == (this_start, this_end)
    assert found["eu_blue_card"].provisional
    parts = in_force_on(next_year).provisional_parts()
    assert [(p.part, p.valid_from, p.valid_to) for p in parts] == [(THRESHOLDS, this_start, this_end)]


def test_a_day_with_published_data_is_not_provisional_and_nothing_before_the_first() -> None:
    this_start, this_end = _year()
    _threshold("highly_skilled", "48000", this_start, this_end)
    _list("vdab_shortage", this_start, this_end)

    today = in_force_on(this_start + datetime.timedelta(days=10))
    assert today.thresholds["highly_skilled"].provisional is False
    assert today.lists["vdab_shortage"].provisional is False
    assert today.provisional_parts() == ()

    before = in_force_on(this_start - datetime.timedelta(days=1))
    assert before.thresholds == {} and before.lists == {}  # never extrapolated backwards


def test_a_list_that_stopped_more_than_a_year_ago_was_discontinued_not_late() -> None:
    start, end = _year(-3)
    _list("vdab_shortage", start, end)
    _threshold("manager", "70000", start, end)
    a_year_on = end.replace(year=end.year + 1)
    assert in_force_on(a_year_on).lists["vdab_shortage"].provisional
    later = in_force_on(a_year_on + datetime.timedelta(days=1))
    assert later.lists == {} and later.thresholds == {}


def test_overlapping_thresholds_the_later_start_wins() -> None:
    this_start, this_end = _year()
    _threshold("highly_skilled", "48000", this_start, this_end)
    _threshold("highly_skilled", "49000", this_start + datetime.timedelta(days=120), None)
    found = thresholds_in_force(this_end)
    assert found["highly_skilled"].amount == Decimal("49000.00") and not found["highly_skilled"].provisional


def test_lists_per_kind_ended_ones_provisional_open_ended_ones_not_other_regions_ignored() -> None:
    last_start, last_end = _year(-1)
    this_start, this_end = _year()
    _list("vdab_shortage", last_start, last_end)
    latest_vdab = _list("vdab_shortage", this_start, this_end)
    migration = _list("migration_medium_skilled", last_start, None)
    _list("vdab_shortage", this_start, None, region="BRU")
    next_year = this_end + datetime.timedelta(days=1)

    found = lists_in_force(next_year)

    assert found["vdab_shortage"].list_ids == (latest_vdab.pk,) and found["vdab_shortage"].provisional
    assert found["migration_medium_skilled"].list_ids == (migration.pk,)
    assert not found["migration_medium_skilled"].provisional


def test_naming_says_whether_a_list_applied_names_the_occupation() -> None:
    this_start, this_end = _year()
    occupation = factories.EscoOccupationFactory.create()
    vdab = _list("vdab_shortage", this_start, this_end)
    entry = ShortageListEntry.objects.create(shortage_list=vdab, title_nl="lasser")
    ShortageListOccupation.objects.create(entry=entry, occupation=occupation)
    _list("migration_medium_skilled", this_start, None)

    found = lists_in_force(this_end + datetime.timedelta(days=30), naming=occupation.pk)

    assert found["vdab_shortage"].names_occupation and found["vdab_shortage"].provisional
    assert not found["migration_medium_skilled"].names_occupation


def test_two_queries_whatever_the_data(django_assert_num_queries: Any) -> None:
    for offset in (-2, -1, 0):
        start, end = _year(offset)
        _threshold("highly_skilled", "48000", start, end)
        _list("vdab_shortage", start, end)
    with django_assert_num_queries(2):
        in_force_on(timezone.localdate() + datetime.timedelta(days=400), naming=1)


def test_the_provisional_sentence_names_both_years() -> None:
    this_start, this_end = _year()
    day = this_end + datetime.timedelta(days=60)
    with translation.override("en"):
        thresholds = provisional_sentence(THRESHOLDS, this_start, this_end, day)
        vdab = provisional_sentence("vdab_shortage", this_start.isoformat(), this_end.isoformat(), day)
    assert thresholds == (
        f"The salary thresholds of {this_start.year} apply provisionally: those for {day.year} are not "
        "published yet."
    )
    assert "VDAB" in vdab and str(this_start.year) in vdab and str(day.year) in vdab
