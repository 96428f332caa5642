"""Structural rules live in the database: each CHECK and unique constraint refuses what it must.

Every case writes through ``QuerySet.update`` or ``save`` without ``full_clean``, as a buggy import or
a raw SQL script would, and the database itself says no.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from candidates.models import Consent, RecognitionStep, RecruitmentCost
from core.models import Organisation, User
from core.validators import validate_enterprise_number
from reference.models import IscoGroup, SalaryThreshold, ShortageList
from tests import factories

pytestmark = pytest.mark.django_db

JAN_1 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def _refused(make: Callable[[], object]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


CASES: dict[str, Callable[[], object]] = {
    "suspended employer without a reason": lambda: factories.OrganisationFactory(
        employer=True, compliance_status="suspended", suspension_reason=""
    ),
    "Belgian employer without a region": lambda: factories.OrganisationFactory(employer=True, region=""),
    "region for an organisation abroad": lambda: factories.OrganisationFactory(country="MA", region="VLG"),
    "two organisations with one enterprise number": lambda: [
        factories.OrganisationFactory(employer=True, enterprise_number="0403.170.701"),
        factories.OrganisationFactory(employer=True, enterprise_number="0403.170.701"),
    ],
    "a recruiter without an organisation": lambda: User.objects.create(
        username="x", role="recruiter", organisation=None
    ),
    "an ISCO code whose length is not its level": lambda: IscoGroup.objects.create(
        code="22", level=1, label_en="x"
    ),
    "a unit group without a parent": lambda: IscoGroup.objects.create(code="2221", level=4, label_en="x"),
    "a list that ends before it starts": lambda: ShortageList.objects.create(
        kind="vdab_shortage",
        title="x",
        valid_from=datetime.date(2026, 1, 1),
        valid_to=datetime.date(2025, 1, 1),
    ),
    "two thresholds for one region, category and start": lambda: [
        SalaryThreshold.objects.create(
            region="VLG",
            category="highly_skilled",
            valid_from=datetime.date(2025, 1, 1),
            annual_gross_eur=Decimal(48912),
        )
        for _ in range(2)
    ],
    "a zero threshold": lambda: SalaryThreshold.objects.create(
        region="VLG",
        category="highly_skilled",
        valid_from=datetime.date(2025, 1, 1),
        annual_gross_eur=Decimal(0),
    ),
    "a cohort without its project": lambda: factories.CandidateFactory(
        cohort=factories.CohortFactory(), project=None
    ),
    "one partner reference used twice": lambda: [
        factories.CandidateFactory(registered_by=org, external_id="A-1")
        for org in [factories.OrganisationFactory()] * 2
    ],
    "a CEFR level that does not exist": lambda: factories.LanguageProficiencyFactory(listening="B3"),
    "an NT2 level for English": lambda: factories.LanguageProficiencyFactory(language="en", nt2_level="2.4"),
    "a recognition decision without a date": lambda: factories.RecognitionStepFactory(
        outcome=RecognitionStep.Outcome.REFUSED, decided_on=None
    ),
    "a pending request with a decision date": lambda: factories.RecognitionStepFactory(
        decided_on=datetime.date(2026, 10, 1)
    ),
    "full equivalence without the Flemish diploma": lambda: factories.RecognitionStepFactory(
        outcome="full_equivalence", decided_on=datetime.date(2026, 10, 1), equivalent_flemish_title=""
    ),
    "sharing with an employer without naming it": lambda: factories.ConsentFactory(
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient=None
    ),
    "a consent withdrawn before it was granted": lambda: factories.ConsentFactory(
        withdrawn_at=JAN_1 - datetime.timedelta(days=30)
    ),
    "two open consents for one purpose and recipient": lambda: [
        factories.ConsentFactory(candidate=candidate) for candidate in [factories.CandidateFactory()] * 2
    ],
    "a cost of zero": lambda: factories.RecruitmentCostFactory(amount=Decimal(0)),
    "an employer's cost repaid to the candidate": lambda: factories.RecruitmentCostFactory(
        paid_by=RecruitmentCost.Payer.EMPLOYER, repaid_on=datetime.date(2026, 7, 1)
    ),
    "a fixed-term contract without a length": lambda: factories.VacancyFactory(
        contract_type="fixed_term", contract_months=None
    ),
    "an open-ended contract with a length": lambda: factories.VacancyFactory(
        contract_type="indefinite", contract_months=12
    ),
    "a published vacancy without a publication time": lambda: factories.VacancyFactory(
        status="published", published_at=None
    ),
    "a function level above VKS 8": lambda: factories.VacancyFactory(function_vks_level=9),
    "zero positions": lambda: factories.VacancyFactory(positions=0),
    "a language requirement on no skill": lambda: factories.VacancyLanguageRequirementFactory(
        listening="", spoken_interaction=""
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_database_refuses(case: str) -> None:
    _refused(CASES[case])


def test_valid_rows_are_accepted() -> None:
    """The factories' defaults satisfy every constraint, so each refusal above is about its one change."""
    candidate = factories.CandidateFactory.create(with_b1_dutch=True, with_pending_recognition=True)
    factories.ConsentFactory(candidate=candidate)
    factories.RecruitmentCostFactory(
        candidate=candidate, paid_by="candidate", repaid_on=datetime.date(2026, 7, 1)
    )
    factories.VacancyLanguageRequirementFactory()
    factories.OrganisationFactory(employer=True, suspended=True)
    assert candidate.languages.get().nt2_level == "2.4"
    assert candidate.diplomas.get().recognition_steps.get().outcome == "requested"


def test_a_consent_can_be_renewed_after_withdrawal() -> None:
    consent = factories.ConsentFactory.create(withdrawn_at=JAN_1 + datetime.timedelta(days=10))
    factories.ConsentFactory(candidate=consent.candidate)
    assert consent.candidate.consents.in_force().count() == 1


@pytest.mark.parametrize(
    ("number", "valid"),
    [("0403.170.701", True), ("0403.170.702", False), ("403170701", False), ("2403.170.701", False)],
)
def test_enterprise_numbers_carry_their_check_digits(number: str, valid: bool) -> None:
    if valid:
        validate_enterprise_number(number)
    else:
        with pytest.raises(ValidationError):
            validate_enterprise_number(number)


def test_organisation_kinds_and_roles_are_declared_together() -> None:
    assert set(User.ROLE_ORGANISATION_KINDS) == set(User.Role.values)
    assert Organisation.Kind.EMPLOYER in User.ROLE_ORGANISATION_KINDS[User.Role.EMPLOYER_USER]
