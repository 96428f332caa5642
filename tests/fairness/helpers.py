"""Pools for the fairness tests, written directly: matches as a recompute stores them, cases with the moves
the workflow would have logged. What is counted is under test here, not how a case moves (the workflow's
own tests cover that; tests/fairness/test_pages.py reads a case moved by the real services)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from candidates.models import Candidate
from recruitment.models import Match, Placement, PlacementTransition
from recruitment.workflow import Stage
from tests import factories
from vacancies.models import Vacancy

# The moves up to each stage a test asks for (the state machine's path; recruitment/workflow.py).
PATH = (
    Stage.SHORTLISTED,
    Stage.PROPOSED,
    Stage.EMPLOYER_INTERESTED,
    Stage.INTERVIEW,
    Stage.OFFER,
    Stage.OFFER_ACCEPTED,
)


def years_ago(years: int, days: int = 0) -> datetime.date:
    """A date of birth ``years`` (and ``days`` more) before today, computed when called."""
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = datetime.date(today.year - years, 2, 28)
    return born - datetime.timedelta(days=days)


def candidate(**fields: object) -> Candidate:
    fields.setdefault("date_of_birth", years_ago(30))
    return factories.CandidateFactory.create(**fields)


def eligible(vacancy: Vacancy, person: Candidate, outcome: str = Match.Outcome.ELIGIBLE) -> Match:
    return Match.objects.create(
        vacancy=vacancy,
        candidate=person,
        outcome=outcome,
        score=Decimal("80.00"),
        algorithm_version="test",
        vacancy_version=1,
        candidate_version=1,
        reference_date=timezone.localdate(),
        computed_at=timezone.now(),
    )


def case(vacancy: Vacancy, person: Candidate, reached: Stage = Stage.SHORTLISTED) -> Placement:
    """A case for ``person`` that moved along the path up to ``reached``."""
    now = timezone.now()
    stages = PATH[: PATH.index(reached) + 1]
    placement = Placement.objects.create(
        vacancy=vacancy,
        candidate=person,
        stage=reached,
        stage_changed_at=now,
        proposed_at=now if Stage.PROPOSED in stages else None,
    )
    previous = ""
    for stage in stages:
        PlacementTransition.objects.create(placement=placement, from_stage=previous, to_stage=stage, at=now)
        previous = stage
    return placement
