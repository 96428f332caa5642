"""Rules across tables are checked in ``clean()``, so admin forms and services report them as field errors."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.choices import Region, region_for_postal_code
from core.models import User
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("postal_code", "region"),
    [
        ("1000", Region.BRUSSELS),
        ("1210", Region.BRUSSELS),
        ("1300", Region.WALLONIA),
        ("1500", Region.FLANDERS),
        ("2000", Region.FLANDERS),
        ("3500", Region.FLANDERS),
        ("4700", Region.WALLONIA),
        ("7000", Region.WALLONIA),
        ("8000", Region.FLANDERS),
        ("9000", Region.FLANDERS),
        ("0999", None),
        ("90000", None),
        ("9O00", None),
    ],
)
def test_region_follows_the_belgian_postal_code(postal_code: str, region: str | None) -> None:
    assert region_for_postal_code(postal_code) == region


def test_a_vacancy_in_the_wrong_region_for_its_postal_code_is_refused() -> None:
    vacancy = factories.VacancyFactory.build(
        employer=factories.OrganisationFactory.create(employer=True),
        occupation=factories.EscoOccupationFactory.create(),
        postal_code="1000",
        region="VLG",
    )
    with pytest.raises(ValidationError) as error:
        vacancy.full_clean()
    assert "region" in error.value.message_dict


def test_only_an_employer_posts_a_vacancy() -> None:
    vacancy = factories.VacancyFactory.build(
        employer=factories.OrganisationFactory.create(), occupation=factories.EscoOccupationFactory.create()
    )
    with pytest.raises(ValidationError) as error:
        vacancy.full_clean()
    assert "employer" in error.value.message_dict


def test_an_employer_user_cannot_belong_to_a_partner_agency() -> None:
    user = User(
        username="e", role=User.Role.EMPLOYER_USER, organisation=factories.OrganisationFactory.create()
    )
    user.set_password("a long enough password")
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "role" in error.value.message_dict


def test_a_cohort_of_another_project_is_refused() -> None:
    candidate = factories.CandidateFactory.build(
        registered_by=factories.OrganisationFactory.create(),
        project=factories.ProjectFactory.create(),
        cohort=factories.CohortFactory.create(),
    )
    with pytest.raises(ValidationError) as error:
        candidate.full_clean()
    assert "cohort" in error.value.message_dict


def test_a_coherent_vacancy_passes_full_clean() -> None:
    vacancy = factories.VacancyFactory.create()
    vacancy.full_clean()
    assert vacancy.gross_monthly_salary_eur == Decimal("3017.24")  # 42,000 / 13.92
