"""``seed_demo``: deterministic, coherent, valid synthetic data, safe to run again and to reset."""

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import models

from candidates.models import (
    Candidate,
    CandidateSkill,
    Consent,
    Diploma,
    LanguageProficiency,
    Licence,
    RecognitionStep,
    RecruitmentCost,
    TrainingEnrolment,
    WorkExperience,
)
from core.models import Organisation, User
from core.validators import validate_enterprise_number
from demo.context import ANCHOR_DATE
from demo.employers import DEMO_LOGINS, DEMO_PASSWORD
from projects.models import Project
from reference.models import SalaryThreshold, ShortageList
from vacancies.models import Vacancy, VacancyLanguageRequirement, VacancySkill

pytestmark = pytest.mark.django_db

SMALL = {"candidates": 40, "vacancies": 10, "employers": 5}


def seed(**options: Any) -> str:
    out = StringIO()
    call_command("seed_demo", **{**SMALL, "seed": 42, **options}, stdout=out, stderr=StringIO())
    return out.getvalue()


def fingerprint() -> dict[str, list[tuple[Any, ...]]]:
    """What must come out identical for the same seed and scale (ids and timestamps excluded)."""
    candidates = []
    for candidate in (
        Candidate.objects.filter(external_id__startswith="DEMO-")
        .select_related("project", "registered_by")
        .prefetch_related("languages", "diplomas", "skills")
        .order_by("external_id")
    ):
        languages = sorted(
            (
                lang.language,
                lang.listening,
                lang.reading,
                lang.spoken_interaction,
                lang.spoken_production,
                lang.writing,
                lang.nt2_level,
            )
            for lang in candidate.languages.all()
        )
        candidates.append(
            (
                candidate.external_id,
                candidate.public_id,
                candidate.given_name,
                candidate.family_name,
                candidate.date_of_birth,
                candidate.registered_by.name,
                candidate.project and candidate.project.code,
                tuple(languages),
                sorted((d.title, d.isced_level, d.awarded_on) for d in candidate.diplomas.all()),
                candidate.skills.count(),
            )
        )
    # The generator's vacancies (its employers' enterprise-number block): the pathways' own demo rows
    # (demo/pathway_*.py, docs/pathways/) are not the generator's and survive its reset.
    vacancies = sorted(
        Vacancy.objects.filter(employer__enterprise_number__startswith="1999.").values_list(
            "public_id",
            "employer__enterprise_number",
            "title",
            "postal_code",
            "region",
            "function_vks_level",
            "gross_annual_salary_eur",
            "contract_type",
            "status",
        )
    )
    employers = sorted(
        Organisation.objects.filter(enterprise_number__startswith="1999.").values_list(
            "enterprise_number", "name", "region", "founded_on", "headcount", "compliance_status"
        )
    )
    return {"candidates": candidates, "vacancies": vacancies, "employers": employers}


def test_the_same_seed_gives_the_same_data_after_a_reset_and_another_seed_does_not() -> None:
    seed()
    first = fingerprint()
    assert len(first["candidates"]) == 40 + 1  # and the person registered twice (demo/duplicates.py)
    assert len(first["vacancies"]) == 10
    assert len(first["employers"]) == 5

    output = seed(reset=True)
    assert "candidates.Candidate" in output  # printed counts per table
    assert fingerprint() == first

    seed(reset=True, seed=43)
    other = fingerprint()
    assert other["candidates"] != first["candidates"]
    assert other["vacancies"] != first["vacancies"]


def test_a_second_run_without_reset_changes_nothing_and_reset_spares_reference_data() -> None:
    seed()
    projects = set(Project.objects.values_list("code", flat=True))
    assert {"palim", "match", "aurora", "thamm", "dt4e"} <= projects
    counts = {model: model.objects.count() for model in (Candidate, Vacancy, Organisation, Consent, Diploma)}

    output = seed()
    assert "already present" in output
    assert {model: model.objects.count() for model in counts} == counts

    output = seed(candidates=12)
    assert "--reset" in output
    assert Candidate.objects.count() == counts[Candidate]

    seed(reset=True, candidates=12, vacancies=3, employers=2)
    assert Candidate.objects.filter(external_id__startswith="DEMO-").count() == 12 + 1  # and the twin
    assert set(Project.objects.values_list("code", flat=True)) == projects
    assert Organisation.objects.filter(short_name__in=["VDAB", "ANAPEC", "IOM", "ODEPC"]).count() == 4


def test_the_demo_logins_exist_authenticate_and_belong_where_their_role_says() -> None:
    seed()
    for login in DEMO_LOGINS:
        user = authenticate(username=login.username, password=DEMO_PASSWORD)
        assert isinstance(user, User), login.username
        assert user.role == login.role
        user.full_clean()  # the role fits the kind of organisation
    users = {user.username: user for user in User.objects.select_related("organisation")}
    employer, employer2 = users["employer"].organisation, users["employer2"].organisation
    assert employer is not None and employer2 is not None
    assert employer.kind == employer2.kind == Organisation.Kind.EMPLOYER
    assert employer != employer2
    assert employer.vacancies.exists()
    assert (
        users["recruiter"].organisation is not None and users["recruiter"].organisation.short_name == "VDAB"
    )
    assert users["recruiter"].is_staff and users["coordinator"].is_staff
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not users["employer"].is_staff and not users["partner"].is_staff


SAMPLED: list[type[models.Model]] = [
    Organisation,
    Candidate,
    LanguageProficiency,
    Diploma,
    RecognitionStep,
    WorkExperience,
    CandidateSkill,
    Licence,
    Consent,
    RecruitmentCost,
    TrainingEnrolment,
    Vacancy,
    VacancySkill,
    VacancyLanguageRequirement,
]


def test_the_data_passes_validation_and_tells_the_stories_the_demo_needs() -> None:
    seed(candidates=60)
    for model in SAMPLED:
        rows = list(model._default_manager.order_by("-pk")[:15])
        assert rows, model
        for row in rows:
            row.full_clean()

    demo_employers = Organisation.objects.filter(enterprise_number__startswith="1999.")
    for number in demo_employers.values_list("enterprise_number", flat=True):
        validate_enterprise_number(number)
    assert demo_employers.filter(compliance_status=Organisation.Compliance.SUSPENDED).exclude(
        suspension_reason=""
    )

    candidates = Candidate.objects.filter(external_id__startswith="DEMO-")
    assert not candidates.exclude(consents__purpose=Consent.Purpose.PROFILE_VISIBILITY).exists()
    assert Consent.objects.filter(
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient__isnull=False
    ).exists()
    assert 1 <= RecruitmentCost.objects.filter(paid_by=RecruitmentCost.Payer.CANDIDATE).count() <= 2
    for candidate in candidates.select_related("project"):
        age = (ANCHOR_DATE - candidate.date_of_birth).days // 365
        assert 21 <= age <= 45
        if candidate.project and candidate.project.code == "aurora":
            assert candidate.nationalities == ["IN"]

    on_current_list = ShortageList.objects.valid_on(ANCHOR_DATE).filter(region="VLG")
    assert Vacancy.objects.filter(
        region="VLG", occupation__shortage_links__entry__shortage_list__in=on_current_list
    ).exists()
    threshold = SalaryThreshold.objects.valid_on(ANCHOR_DATE).get(
        region="VLG", category=SalaryThreshold.Category.HIGHLY_SKILLED
    )
    highly_skilled = Vacancy.objects.filter(function_vks_level__gte=5)
    assert highly_skilled.filter(gross_annual_salary_eur__lt=threshold.annual_gross_eur).exists()
    assert Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED, published_at__isnull=False).exists()
    assert Vacancy.objects.filter(open_to_projects__isnull=False).exists()


def test_a_person_registered_twice_waits_in_the_duplicates_review_queue() -> None:
    from duplicates.models import DuplicatePair

    seed()
    twin = Candidate.objects.get(external_id__startswith="DEMO-", external_id__endswith="-TWIN")
    original = Candidate.objects.get(external_id=twin.external_id.removesuffix("-TWIN"))
    assert twin.registered_by != original.registered_by  # a second agency typed the person in
    low, high = sorted((twin.pk, original.pk))
    pair = DuplicatePair.objects.get(low_id=low, high_id=high)
    assert pair.status == DuplicatePair.Status.OPEN
    seed()  # a second run adds no second twin
    assert Candidate.objects.filter(external_id__endswith="-TWIN").count() == 1
