"""factory_boy factories; traits are named after business situations (architecture.md, Tests)."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from candidates.models import (
    Candidate,
    Consent,
    Diploma,
    LanguageProficiency,
    RecognitionStep,
    RecruitmentCost,
)
from core.models import Organisation, User
from projects.models import Cohort, Project
from reference.models import EscoOccupation, EscoSkill, IscoGroup
from vacancies.models import Vacancy, VacancyLanguageRequirement


def isco_unit_group(code: str, label: str = "unit group") -> IscoGroup:
    """The unit group ``code`` with its three ancestors, created when missing."""
    parent = None
    for level in range(1, 5):
        parent, _ = IscoGroup.objects.get_or_create(
            code=code[:level],
            defaults={"level": level, "parent": parent, "label_en": f"{label} {code[:level]}"},
        )
    assert parent is not None
    return parent


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.PARTNER_AGENCY
    country = "MA"

    class Params:
        employer = factory.Trait(kind=Organisation.Kind.EMPLOYER, country="BE", region="VLG")
        pes = factory.Trait(kind=Organisation.Kind.PES, country="BE", region="VLG")
        suspended = factory.Trait(
            compliance_status=Organisation.Compliance.SUSPENDED, suspension_reason="Social debts"
        )


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    organisation = factory.SubFactory(OrganisationFactory, pes=True)
    role = User.Role.RECRUITER
    password = factory.django.Password("correct horse battery staple")


class EscoOccupationFactory(DjangoModelFactory[EscoOccupation]):
    class Meta:
        model = EscoOccupation

    uri = factory.Sequence(lambda n: f"http://data.europa.eu/esco/occupation/test-{n}")
    esco_version = "v1.2.0"
    label_en = factory.Sequence(lambda n: f"occupation {n}")
    isco_group = factory.LazyFunction(lambda: isco_unit_group("7212"))


class EscoSkillFactory(DjangoModelFactory[EscoSkill]):
    class Meta:
        model = EscoSkill

    uri = factory.Sequence(lambda n: f"http://data.europa.eu/esco/skill/test-{n}")
    esco_version = "v1.2.0"
    label_en = factory.Sequence(lambda n: f"skill {n}")
    skill_type = EscoSkill.SkillType.SKILL


class ProjectFactory(DjangoModelFactory[Project]):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"project-{n}")
    name = factory.Sequence(lambda n: f"Project {n}")
    origin_countries = ["MA"]
    destination_countries = ["BE"]
    starts_on = datetime.date(2025, 1, 1)


class CohortFactory(DjangoModelFactory[Cohort]):
    class Meta:
        model = Cohort

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = datetime.date(2025, 3, 1)


class CandidateFactory(DjangoModelFactory[Candidate]):
    class Meta:
        model = Candidate
        skip_postgeneration_save = True

    registered_by = factory.SubFactory(OrganisationFactory)
    external_id = factory.Sequence(lambda n: f"EXT-{n}")
    given_name = "Amina"
    family_name = factory.Sequence(lambda n: f"Candidate{n}")
    date_of_birth = datetime.date(1996, 5, 17)
    nationalities = ["MA"]
    country_of_residence = "MA"

    class Params:
        with_b1_dutch = factory.Trait(
            dutch=factory.RelatedFactory(
                "tests.factories.LanguageProficiencyFactory",
                factory_related_name="candidate",
                listening="B1",
                reading="B1",
                spoken_interaction="B1",
                spoken_production="B1",
                writing="A2",
                nt2_level="2.4",
            )
        )
        with_pending_recognition = factory.Trait(
            diploma=factory.RelatedFactory(
                "tests.factories.PendingRecognitionDiplomaFactory", factory_related_name="candidate"
            )
        )


class LanguageProficiencyFactory(DjangoModelFactory[LanguageProficiency]):
    class Meta:
        model = LanguageProficiency

    candidate = factory.SubFactory(CandidateFactory)
    language = "nl"


class DiplomaFactory(DjangoModelFactory[Diploma]):
    class Meta:
        model = Diploma

    candidate = factory.SubFactory(CandidateFactory)
    title = "Bachelor of Science in Nursing"
    institution = "Government College of Nursing"
    country = "IN"
    field = "0913"
    isced_level = 6
    duration_years = Decimal("4.0")


class PendingRecognitionDiplomaFactory(DiplomaFactory):
    class Meta:
        skip_postgeneration_save = True

    recognition = factory.RelatedFactory(
        "tests.factories.RecognitionStepFactory", factory_related_name="diploma"
    )


class RecognitionStepFactory(DjangoModelFactory[RecognitionStep]):
    class Meta:
        model = RecognitionStep

    diploma = factory.SubFactory(DiplomaFactory)
    authority = RecognitionStep.Authority.NARIC_VLAANDEREN
    outcome = RecognitionStep.Outcome.REQUESTED
    requested_on = datetime.date(2026, 9, 1)


class ConsentFactory(DjangoModelFactory[Consent]):
    class Meta:
        model = Consent

    candidate = factory.SubFactory(CandidateFactory)
    purpose = Consent.Purpose.PROFILE_VISIBILITY
    text_version = "2026-01"
    granted_at = factory.LazyFunction(lambda: datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))


class RecruitmentCostFactory(DjangoModelFactory[RecruitmentCost]):
    class Meta:
        model = RecruitmentCost

    candidate = factory.SubFactory(CandidateFactory)
    cost_type = RecruitmentCost.CostType.VISA
    amount = Decimal("180.00")
    paid_by = RecruitmentCost.Payer.EMPLOYER
    incurred_on = datetime.date(2026, 6, 1)


class VacancyFactory(DjangoModelFactory[Vacancy]):
    class Meta:
        model = Vacancy

    employer = factory.SubFactory(OrganisationFactory, employer=True)
    occupation = factory.SubFactory(EscoOccupationFactory)
    title = "Lasser"
    municipality = "Gent"
    postal_code = "9000"
    region = "VLG"
    function_vks_level = 4
    gross_annual_salary_eur = Decimal("42000.00")
    contract_type = Vacancy.ContractType.INDEFINITE


class VacancyLanguageRequirementFactory(DjangoModelFactory[VacancyLanguageRequirement]):
    class Meta:
        model = VacancyLanguageRequirement

    vacancy = factory.SubFactory(VacancyFactory)
    language = "nl"
    listening = "B1"
    spoken_interaction = "B1"
