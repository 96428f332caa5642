"""A small selection world: a project with a partner's candidates, two employers, two steps (a scored
online test, then an interview), and consents to share with the first employer."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from candidates.models import Candidate, Consent
from core.models import Organisation, User
from projects.models import Project
from selection import services
from selection.models import SelectionStep
from tests import factories


@dataclass
class SelectionWorld:
    project: Project
    employer_a: Organisation
    employer_b: Organisation
    recruiter: User
    candidates: list[Candidate]
    test_step: SelectionStep
    interview: SelectionStep


def share(
    candidate: Candidate, employer: Organisation, purpose: str = Consent.Purpose.SHARE_WITH_EMPLOYER
) -> Consent:
    return factories.ConsentFactory.create(
        candidate=candidate,
        purpose=purpose,
        recipient=employer,
        granted_at=timezone.now() - datetime.timedelta(days=1),
    )


def build_selection_world(candidates: int = 3) -> SelectionWorld:
    project = factories.ProjectFactory.create()
    partner = factories.OrganisationFactory.create()
    people = [
        factories.CandidateFactory.create(project=project, registered_by=partner) for _ in range(candidates)
    ]
    employer_a = factories.OrganisationFactory.create(employer=True)
    employer_b = factories.OrganisationFactory.create(employer=True)
    for person in people:
        share(person, employer_a)
    test_step = services.selection_step_add(
        project=project, name="Online test", kind=SelectionStep.Kind.ONLINE_TEST, pass_mark=Decimal("60")
    )
    interview = services.selection_step_add(
        project=project, name="Interview", kind=SelectionStep.Kind.INTERVIEW
    )
    return SelectionWorld(
        project=project,
        employer_a=employer_a,
        employer_b=employer_b,
        recruiter=factories.UserFactory.create(),
        candidates=people,
        test_step=test_step,
        interview=interview,
    )


def record(
    world: SelectionWorld, candidate: Candidate, step: SelectionStep, verdict: str, score: str | None = None
) -> None:
    services.selection_result_record(
        step=step,
        candidate=candidate,
        verdict=verdict,
        score=Decimal(score) if score is not None else None,
        actor=world.recruiter,
        now=timezone.now(),
    )
