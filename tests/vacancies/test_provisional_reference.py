"""A vacancy that starts after the last published thresholds and lists (issue 12, item 4): its salary is
checked and its list membership known against the latest published ones, said to be provisional."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from recruitment.vacancy_findings import findings_view
from reference.models import SalaryThreshold, ShortageList, ShortageListEntry, ShortageListOccupation
from tests import factories
from vacancies.checks import vacancy_check

pytestmark = pytest.mark.django_db


def test_a_vacancy_starting_next_year_is_checked_against_this_years_reference_provisionally() -> None:
    today = timezone.localdate()
    this_start, this_end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    for category, amount in (("highly_skilled", "48912"), ("eu_blue_card", "63586")):
        SalaryThreshold.objects.create(
            region="VLG", category=category, valid_from=this_start, valid_to=this_end, annual_gross_eur=amount
        )
    occupation = factories.EscoOccupationFactory.create()
    vdab = ShortageList.objects.create(
        kind="vdab_shortage", region="VLG", title="VDAB", valid_from=this_start, valid_to=this_end
    )
    entry = ShortageListEntry.objects.create(shortage_list=vdab, title_nl="lasser")
    ShortageListOccupation.objects.create(entry=entry, occupation=occupation)
    start = datetime.date(today.year + 1, 3, 1)  # a permit takes months: the job starts next year
    vacancy = factories.VacancyFactory.create(
        occupation=occupation,
        start_date=start,
        gross_annual_salary_eur=Decimal("42000"),
        function_vks_level=4,
        vdab_published_on=today,
        eures_published_on=today,
    )

    result = vacancy_check(vacancy, today=today)

    codes = [finding.code for finding in result.findings]
    assert "reference.no_threshold" not in codes  # the salary was checked ...
    below = [f.params for f in result.findings if f.code == "salary.below_threshold"]
    assert {(p["route"], p["threshold"]) for p in below} == {
        ("highly_skilled", "48912.00"),
        ("eu_blue_card", "63586.00"),
    }
    # ... and the occupation's list membership known: not "on no shortage list".
    assert "reference.no_shortage_lists" not in codes and "occupation.not_on_shortage_list" not in codes
    assert "other_vdab_list" in result.open_routes
    provisional = [f.params for f in result.findings if f.code == "reference.provisional"]
    assert [p["part"] for p in provisional] == ["thresholds", "vdab_shortage"]
    with translation.override("en"):
        lines = [
            line.sentence for line in findings_view(result).lines if line.code == "reference.provisional"
        ]
    assert lines[0] == (
        f"The salary thresholds of {today.year} apply provisionally: those for {today.year + 1} are not "
        "published yet."
    )
    assert "VDAB" in lines[1] and "provisionally" in lines[1]


def test_a_vacancy_within_the_published_period_says_nothing_provisional() -> None:
    today = timezone.localdate()
    SalaryThreshold.objects.create(
        region="VLG",
        category="highly_skilled",
        valid_from=datetime.date(today.year, 1, 1),
        valid_to=None,
        annual_gross_eur=Decimal("48912"),
    )
    vacancy = factories.VacancyFactory.create(start_date=datetime.date(today.year + 1, 3, 1))
    codes = [finding.code for finding in vacancy_check(vacancy, today=today).findings]
    assert "reference.provisional" not in codes
