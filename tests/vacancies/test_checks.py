"""The checker's reads: the reference data valid on the checked day, from the database."""

import datetime
from decimal import Decimal
from typing import Any

import pytest

from reference.models import SalaryThreshold, ShortageList, ShortageListEntry, ShortageListOccupation
from tests import factories
from vacancies.checks import check_reference_for, vacancy_check

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def _threshold(category: str, amount: str, start: datetime.date, end: datetime.date | None = None) -> None:
    SalaryThreshold.objects.create(
        region="VLG", category=category, valid_from=start, valid_to=end, annual_gross_eur=Decimal(amount)
    )


def _list(
    kind: str, start: datetime.date, end: datetime.date | None = None, region: str = "VLG"
) -> ShortageList:
    return ShortageList.objects.create(
        kind=kind, region=region, title=f"{kind} {start}", valid_from=start, valid_to=end
    )


def _name(shortage_list: ShortageList, occupation: Any) -> None:
    entry = ShortageListEntry.objects.create(shortage_list=shortage_list, title_nl=f"entry {occupation.pk}")
    ShortageListOccupation.objects.create(entry=entry, occupation=occupation)


def test_the_reference_is_taken_on_the_start_date(django_assert_num_queries: Any) -> None:
    occupation = factories.EscoOccupationFactory.create()
    _threshold("highly_skilled", "48912", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    _threshold("highly_skilled", "50000", datetime.date(2027, 1, 1))
    _threshold("eu_blue_card", "63586", datetime.date(2026, 1, 1))
    SalaryThreshold.objects.create(
        region="BRU",
        category="highly_skilled",
        valid_from=datetime.date(2026, 1, 1),
        annual_gross_eur=Decimal(1),
    )
    ending = _list("migration_medium_skilled", datetime.date(2023, 9, 1), datetime.date(2026, 12, 31))
    _name(ending, occupation)
    starting = _list("vdab_shortage", datetime.date(2027, 1, 1))
    _name(starting, occupation)
    brussels = _list("vdab_shortage", datetime.date(2020, 1, 1), region="BRU")
    _name(brussels, occupation)

    with django_assert_num_queries(2):
        now = check_reference_for(occupation_id=occupation.pk, start_date=None, today=TODAY)
    assert now.day == TODAY
    assert now.thresholds == {"highly_skilled": Decimal("48912.00"), "eu_blue_card": Decimal("63586.00")}
    assert now.lists_known and now.occupation_list_kinds == {"migration_medium_skilled"}

    later = check_reference_for(
        occupation_id=occupation.pk, start_date=datetime.date(2027, 2, 1), today=TODAY
    )
    assert later.day == datetime.date(2027, 2, 1)
    assert later.thresholds["highly_skilled"] == Decimal("50000.00")
    # The migration list has ended and no later one is published: it applies provisionally (issue 12,
    # item 4). Brussels' list never applies.
    assert later.occupation_list_kinds == {"vdab_shortage", "migration_medium_skilled"}
    assert later.provisional == (("migration_medium_skilled", "2023-09-01", "2026-12-31"),)


def test_a_list_without_the_occupation_is_known_but_does_not_name_it() -> None:
    occupation = factories.EscoOccupationFactory.create()
    other = factories.EscoOccupationFactory.create()
    _name(_list("vdab_shortage", datetime.date(2025, 1, 1)), other)
    reference = check_reference_for(occupation_id=occupation.pk, start_date=None, today=TODAY)
    assert reference.lists_known and reference.occupation_list_kinds == frozenset()
    empty = check_reference_for(
        occupation_id=occupation.pk, start_date=datetime.date(2024, 1, 1), today=datetime.date(2024, 1, 1)
    )
    assert not empty.lists_known


def test_a_saved_vacancy_is_checked_with_its_language_requirements(django_assert_num_queries: Any) -> None:
    vacancy = factories.VacancyFactory.create(start_date=None)
    _threshold("highly_skilled", "48912", datetime.date(2020, 1, 1))
    _threshold("eu_blue_card", "63586", datetime.date(2020, 1, 1))
    _list("vdab_shortage", datetime.date(2020, 1, 1))
    with django_assert_num_queries(3):
        result = vacancy_check(vacancy, today=TODAY)
    codes = [finding.code for finding in result.findings]
    assert "language.none_required" in codes and "start_date.missing" in codes
    assert "occupation.not_on_shortage_list" in codes and result.blocking
    factories.VacancyLanguageRequirementFactory.create(vacancy=vacancy)
    again = vacancy_check(vacancy, today=TODAY)
    assert "language.none_required" not in [finding.code for finding in again.findings]
