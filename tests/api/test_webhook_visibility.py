"""Webhook events obey the API's visibility rules: an event reaches a partner exactly when the API shows
that partner what the event names.

The same matrix style as ``test_authorisation.py``: partner X's and Y's candidates in the situations that
matter (active, withdrawn), against vacancies in theirs (open to X's project, to Y's only, to both, a
draft, a filled one, one of a suspended employer). For each pair the test asserts who received the event,
that this is who the API shows the match or case to, and what the rules say it must be.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone

from candidates.models import Candidate
from recruitment.models import DecisionReason, Match, MatchRemoval, Placement, PlacementTransition
from recruitment.services.match_events import (
    matches_created_emit,
    matches_removed_emit,
    matches_updated_emit,
)
from recruitment.services.placements import placement_move
from tests import factories
from tests.api.conftest import Partner, published_vacancy
from vacancies.models import Vacancy
from webhooks.events import EventType
from webhooks.models import WebhookEvent
from webhooks.services import subscription_create

pytestmark = pytest.mark.django_db

Partners = dict[str, Partner]


@pytest.fixture
def partners(partner_x: Partner, partner_y: Partner) -> Partners:
    """X and Y, each subscribed to every event."""
    for owner, partner in (("x", partner_x), ("y", partner_y)):
        subscription_create(
            organisation=partner.organisation,
            url=f"https://hooks.{owner}.example/in",
            event_types=list(EventType.values),
        )
    return {"x": partner_x, "y": partner_y}


CANDIDATES: dict[str, Callable[[Partners], Candidate]] = {
    "x-active": lambda p: factories.CandidateFactory.create(registered_by=p["x"].organisation),
    "x-withdrawn": lambda p: factories.CandidateFactory.create(
        registered_by=p["x"].organisation, status=Candidate.Status.WITHDRAWN, withdrawn_at=timezone.now()
    ),
    "y-active": lambda p: factories.CandidateFactory.create(registered_by=p["y"].organisation),
}

VACANCIES: dict[str, Callable[[Partners], Vacancy]] = {
    "open-to-x": lambda p: published_vacancy(p["x"].project),
    "open-to-y-only": lambda p: published_vacancy(p["y"].project),
    "open-to-both": lambda p: published_vacancy(p["x"].project, p["y"].project),
    "draft-for-x": lambda p: published_vacancy(p["x"].project, status=Vacancy.Status.DRAFT),
    "filled-for-x": lambda p: published_vacancy(p["x"].project, status=Vacancy.Status.FILLED),
    "suspended-employer-for-x": lambda p: published_vacancy(
        p["x"].project, employer=factories.OrganisationFactory.create(employer=True, suspended=True)
    ),
}

# Who may hear of a match: the candidate's own agency, and only when the vacancy is open to its projects.
MATCH_SEEN_BY: dict[tuple[str, str], set[str]] = {
    ("x-active", "open-to-x"): {"x"},
    ("x-active", "open-to-y-only"): set(),
    ("x-active", "open-to-both"): {"x"},
    ("x-active", "draft-for-x"): set(),
    ("x-active", "filled-for-x"): set(),
    ("x-active", "suspended-employer-for-x"): set(),
    ("y-active", "open-to-x"): set(),
    ("y-active", "open-to-y-only"): {"y"},
    ("y-active", "open-to-both"): {"y"},
    ("x-withdrawn", "open-to-x"): set(),
    ("x-withdrawn", "open-to-both"): set(),
}

# A case is the candidate's agency's to follow whatever the vacancy, as long as it sees the candidate.
CASE_SEEN_BY: dict[tuple[str, str], set[str]] = {
    ("x-active", "open-to-x"): {"x"},
    ("x-active", "open-to-y-only"): {"x"},
    ("x-active", "filled-for-x"): {"x"},
    ("x-active", "suspended-employer-for-x"): {"x"},
    ("y-active", "open-to-x"): {"y"},
    ("x-withdrawn", "open-to-x"): set(),
    ("x-withdrawn", "open-to-y-only"): set(),
}


def _ids(cases: dict[tuple[str, str], set[str]]) -> list[str]:
    return [f"{candidate} with {vacancy}" for candidate, vacancy in cases]


def _received(partners: Partners, event_type: str) -> set[str]:
    by_organisation = {p.organisation.pk: owner for owner, p in partners.items()}
    return {
        by_organisation[organisation_id]
        for organisation_id in WebhookEvent.objects.filter(type=event_type).values_list(
            "organisation_id", flat=True
        )
    }


# Who may hear that a match was removed: the candidate's own agency, whatever the candidate's status now,
# when the vacancy was open to its projects and published (closed since included), of an employer in
# good standing. Never a vacancy it could not see.
REMOVAL_SEEN_BY: dict[tuple[str, str], set[str]] = {
    **MATCH_SEEN_BY,
    ("x-active", "draft-for-x"): {"x"},  # published before (published_at): its matches go
    ("x-active", "filled-for-x"): {"x"},
    ("x-withdrawn", "open-to-x"): {"x"},
    ("x-withdrawn", "open-to-both"): {"x"},
}


def _api_lists(partners: Partners, url: str, params: dict[str, str]) -> set[str]:
    """Who of the partners sees a row in the list at ``url``."""
    return {
        owner
        for owner, partner in partners.items()
        if len(partner.client().get(url, params).json()["results"])
    }


@pytest.mark.parametrize("event_type", [EventType.MATCH_CREATED, EventType.MATCH_UPDATED])
@pytest.mark.parametrize(("candidate_is", "vacancy_is"), list(MATCH_SEEN_BY), ids=_ids(MATCH_SEEN_BY))
def test_match_created_and_updated_reach_exactly_whom_the_api_shows_the_match(
    partners: Partners, candidate_is: str, vacancy_is: str, event_type: str
) -> None:
    candidate, vacancy = CANDIDATES[candidate_is](partners), VACANCIES[vacancy_is](partners)
    Match.objects.create(
        candidate=candidate,
        vacancy=vacancy,
        outcome="eligible",
        score=Decimal("80.00"),
        algorithm_version="test",
        vacancy_version=1,
        candidate_version=1,
        reference_date=timezone.localdate(),
        computed_at=timezone.now(),
    )
    pairs = [(vacancy.pk, candidate.pk, "eligible", Decimal("80.00"))]
    if event_type == EventType.MATCH_CREATED:
        matches_created_emit(added=pairs)
    else:
        matches_updated_emit(updated=pairs)

    api_shows = _api_lists(partners, "/api/v1/matches/", {"vacancy": str(vacancy.public_id)})
    received = _received(partners, event_type)
    assert received == api_shows == MATCH_SEEN_BY[(candidate_is, vacancy_is)]
    for owner in received:  # the vacancy an event names answers 200, not 404
        answer = partners[owner].client().get(f"/api/v1/vacancies/{vacancy.public_id}/")
        assert answer.status_code == 200


@pytest.mark.parametrize(("candidate_is", "vacancy_is"), list(REMOVAL_SEEN_BY), ids=_ids(REMOVAL_SEEN_BY))
def test_match_removed_reaches_exactly_whom_the_removed_list_shows_it(
    partners: Partners, candidate_is: str, vacancy_is: str
) -> None:
    candidate, vacancy = CANDIDATES[candidate_is](partners), VACANCIES[vacancy_is](partners)
    since = (timezone.now() - datetime.timedelta(minutes=1)).isoformat()
    MatchRemoval.objects.create(vacancy=vacancy, candidate=candidate, removed_at=timezone.now())
    matches_removed_emit(by="vacancy", subject_id=vacancy.pk, other_ids=np.array([candidate.pk]))

    api_shows = _api_lists(partners, "/api/v1/matches/removed/", {"updated_since": since})
    received = _received(partners, EventType.MATCH_REMOVED)
    assert received == api_shows == REMOVAL_SEEN_BY[(candidate_is, vacancy_is)]
    for event in WebhookEvent.objects.filter(type=EventType.MATCH_REMOVED):
        assert event.data == {
            "candidate": str(candidate.public_id),
            "external_id": candidate.external_id,
            "vacancy": str(vacancy.public_id),
        }


@pytest.mark.parametrize(("candidate_is", "vacancy_is"), list(CASE_SEEN_BY), ids=_ids(CASE_SEEN_BY))
def test_placement_events_reach_exactly_whom_the_api_shows_the_case(
    partners: Partners, candidate_is: str, vacancy_is: str
) -> None:
    candidate, vacancy = CANDIDATES[candidate_is](partners), VACANCIES[vacancy_is](partners)
    placement = Placement.objects.create(
        vacancy=vacancy, candidate=candidate, stage_changed_at=timezone.now()
    )
    PlacementTransition.objects.create(placement=placement, to_stage="shortlisted", at=timezone.now())
    placement_move(
        placement=placement,
        to_stage="withdrawn",
        reason=DecisionReason.CANDIDATE_WITHDREW,
        actor=factories.UserFactory.create(),
        expected_version=placement.version,
    )

    api_shows = {
        owner
        for owner, partner in partners.items()
        if partner.client().get(f"/api/v1/placements/{placement.public_id}/").status_code == 200
    }
    received = _received(partners, EventType.PLACEMENT_STAGE_CHANGED)
    assert received == api_shows == CASE_SEEN_BY[(candidate_is, vacancy_is)]


def test_one_recompute_announces_only_the_visible_matches(partners: Partners) -> None:
    """Many pairs at once (a recompute's batch): X hears of its candidate's matches with the vacancies
    open to its projects, and of nothing else."""
    mine = CANDIDATES["x-active"](partners)
    vacancies = {name: build(partners) for name, build in VACANCIES.items()}
    added = []
    for vacancy in vacancies.values():
        Match.objects.create(
            candidate=mine,
            vacancy=vacancy,
            outcome="conditional",
            score=Decimal("55.00"),
            algorithm_version="test",
            vacancy_version=1,
            candidate_version=1,
            reference_date=timezone.localdate(),
            computed_at=timezone.now(),
        )
        added.append((vacancy.pk, mine.pk, "conditional", Decimal("55.00")))
    matches_created_emit(added=added)
    announced = set(WebhookEvent.objects.values_list("data__vacancy", flat=True))
    assert announced == {str(vacancies[name].public_id) for name in ("open-to-x", "open-to-both")}
