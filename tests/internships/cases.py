"""Internship cases for the tests, made through the services as staff make them."""

import datetime
from decimal import Decimal

from django.utils import timezone

from candidates.models import Candidate, Consent
from core.models import User
from projects.models import Project
from recruitment.models import Match, Placement
from recruitment.services.placements import placement_move, placement_propose, placement_shortlist
from tests import factories
from vacancies.models import Vacancy

# From the proposal to the return home, the internship's path (recruitment.workflow).
TO_RETURN = [
    "employer_interested",
    "interview",
    "offer",
    "offer_accepted",
    "permit_filed",
    "permit_granted",
    "visa",
    "arrived",
    "started",
    "internship_completed",
    "returned",
]


def staff() -> User:
    return factories.UserFactory.create(
        role=User.Role.RECRUITER, organisation=factories.OrganisationFactory.create(pes=True)
    )


def internship_vacancy(**overrides: object) -> Vacancy:
    fields: dict[str, object] = {
        "kind": Vacancy.Kind.INTERNSHIP,
        "contract_type": Vacancy.ContractType.FIXED_TERM,
        "contract_months": 6,
        "status": "published",
        "published_at": timezone.now(),
        "title": "Internship: junior developer",
    }
    fields.update(overrides)
    return factories.VacancyFactory.create(**fields)


def proposed_case(
    actor: User, *, vacancy: Vacancy | None = None, project: Project | None = None, **candidate: object
) -> Placement:
    """A case proposed to the vacancy's employer (an internship vacancy unless one is given)."""
    vacancy = vacancy or internship_vacancy()
    person: Candidate = factories.CandidateFactory.create(project=project, nationalities=["TN"], **candidate)
    factories.ConsentFactory.create(
        candidate=person, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient=vacancy.employer
    )
    Match.objects.create(
        vacancy=vacancy,
        candidate=person,
        outcome=Match.Outcome.ELIGIBLE,
        score=Decimal("80.00"),
        algorithm_version="test",
        vacancy_version=1,
        candidate_version=1,
        reference_date=timezone.localdate(),
        computed_at=timezone.now(),
    )
    placement = placement_shortlist(vacancy=vacancy, candidate=person, actor=actor)
    return placement_propose(placement=placement, actor=actor, expected_version=placement.version)


def walk(placement: Placement, actor: User, stages: list[str]) -> Placement:
    for stage in stages:
        placement = placement_move(
            placement=placement, to_stage=stage, actor=actor, expected_version=placement.version
        )
    return placement


def returned_case(actor: User, **kwargs: object) -> Placement:
    return walk(proposed_case(actor, **kwargs), actor, TO_RETURN)  # type: ignore[arg-type]


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)
