"""``match.updated``, ``match.removed``, ``vacancy.updated`` and ``vacancy.closed``: sent by the recompute
and the vacancy emitter to whom the API shows them, with ids and statuses only, and at the cost of one
small query when nobody subscribed."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from candidates.models import Candidate
from recruitment.models import Match
from recruitment.services.match_events import (
    matches_created_emit,
    matches_removed_emit,
    matches_updated_emit,
    vacancy_changed_emit,
)
from tests import factories
from tests.api.conftest import Partner, published_vacancy
from tests.api.test_matches import welder
from tests.recruitment.world import build_world, welder_vacancy
from vacancies.models import Vacancy
from vacancies.services import vacancy_close
from webhooks.events import EventType
from webhooks.models import WebhookEvent
from webhooks.services import subscription_create

pytestmark = pytest.mark.django_db

MATCH_EVENTS = [EventType.MATCH_CREATED, EventType.MATCH_UPDATED, EventType.MATCH_REMOVED]


def _subscribe(partner: Partner, event_types: Sequence[str], **fields: Any) -> None:
    subscription_create(
        organisation=partner.organisation,
        url="https://hooks.example.org/in",
        event_types=list(event_types),
        **fields,
    )


def _events(partner: Partner) -> list[tuple[str, dict[str, Any]]]:
    rows = WebhookEvent.objects.filter(organisation=partner.organisation).order_by("occurred_at", "pk")
    return [(row.type, row.data) for row in rows]


def test_the_recompute_tells_a_partner_its_matches_changed_and_went(
    api_x: APIClient,
    partner_x: Partner,
    partner_y: Partner,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _subscribe(partner_x, MATCH_EVENTS)
    _subscribe(partner_y, list(EventType.values))
    world = build_world()
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = welder_vacancy(world)
        vacancy.open_to_projects.add(partner_x.project)
    with django_capture_on_commit_callbacks(execute=True):
        candidate = api_x.post("/api/v1/candidates/", welder(world, "W-1", dutch="A2"), format="json").json()
    with django_capture_on_commit_callbacks(execute=True):
        languages = welder(world, "W-1", dutch="B1")["languages"]
        api_x.patch(f"/api/v1/candidates/{candidate['id']}/", {"languages": languages}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        api_x.delete(f"/api/v1/candidates/{candidate['id']}/")

    ids = {"candidate": candidate["id"], "external_id": "W-1", "vacancy": str(vacancy.public_id)}
    events = _events(partner_x)
    assert [event_type for event_type, _ in events] == MATCH_EVENTS
    (_, created), (_, updated), (_, removed) = events
    assert created == {**ids, "outcome": "conditional", "score": created["score"]}
    assert updated == {**ids, "outcome": "eligible", "score": updated["score"]}
    assert Decimal(updated["score"]) >= Decimal(created["score"])
    assert removed == ids  # the pair no longer matches: ids only
    assert _events(partner_y) == []


def test_min_score_filters_updates_on_the_new_score(partner_x: Partner) -> None:
    _subscribe(partner_x, [EventType.MATCH_UPDATED], min_score=Decimal("60"))
    candidate = factories.CandidateFactory.create(registered_by=partner_x.organisation)
    vacancies = [published_vacancy(partner_x.project) for _ in range(2)]
    for vacancy in vacancies:
        _store(candidate, vacancy)
    matches_updated_emit(
        updated=[
            (vacancies[0].pk, candidate.pk, "eligible", Decimal("65.00")),
            (vacancies[1].pk, candidate.pk, "eligible", Decimal("55.00")),
        ]
    )
    assert [data["vacancy"] for _, data in _events(partner_x)] == [str(vacancies[0].public_id)]


def _store(candidate: Candidate, vacancy: Vacancy) -> None:
    Match.objects.create(
        candidate=candidate,
        vacancy=vacancy,
        outcome="eligible",
        score=Decimal("65.00"),
        algorithm_version="test",
        vacancy_version=1,
        candidate_version=1,
        reference_date=timezone.localdate(),
        computed_at=timezone.now(),
    )


def test_nobody_subscribed_costs_one_small_query_per_event(
    partner_x: Partner, django_assert_num_queries: Any
) -> None:
    _subscribe(partner_x, [EventType.PLACEMENT_DECIDED])  # subscribed, but to something else
    candidate = factories.CandidateFactory.create(registered_by=partner_x.organisation)
    vacancy = published_vacancy(partner_x.project)
    pair = (vacancy.pk, candidate.pk, "eligible", Decimal("70.00"))
    with django_assert_num_queries(4):
        assert matches_created_emit(added=[pair] * 500) == 0
        assert matches_updated_emit(updated=[pair] * 500) == 0
        assert matches_removed_emit(by="vacancy", subject_id=vacancy.pk, other_ids=np.arange(500)) == 0
        assert vacancy_changed_emit(vacancy_id=vacancy.pk) == 0
    with django_assert_num_queries(0):  # nothing written, nothing asked
        matches_updated_emit(updated=[])
        matches_removed_emit(by="candidate", subject_id=candidate.pk, other_ids=np.zeros(0, dtype=np.int64))


def test_vacancy_events_reach_the_partners_whose_projects_it_is_open_to(
    partner_x: Partner, partner_y: Partner
) -> None:
    for partner in (partner_x, partner_y):
        _subscribe(partner, [EventType.VACANCY_UPDATED, EventType.VACANCY_CLOSED])
    vacancy = published_vacancy(partner_x.project)
    suspended = published_vacancy(
        partner_x.project, employer=factories.OrganisationFactory.create(employer=True, suspended=True)
    )
    draft = published_vacancy(partner_x.project, status=Vacancy.Status.DRAFT, published_at=None)
    for other in (suspended, draft):
        assert vacancy_changed_emit(vacancy_id=other.pk) == 0  # never seen by X
    vacancy_changed_emit(vacancy_id=vacancy.pk)
    vacancy_close(vacancy)
    vacancy_changed_emit(vacancy_id=vacancy.pk)
    assert _events(partner_x) == [
        (EventType.VACANCY_UPDATED, {"vacancy": str(vacancy.public_id), "status": "published"}),
        (EventType.VACANCY_CLOSED, {"vacancy": str(vacancy.public_id), "status": "closed"}),
    ]
    assert _events(partner_y) == []


def test_the_recompute_announces_each_new_version_of_a_vacancy_once(partner_x: Partner) -> None:
    from recruitment import services
    from recruitment.models import MatchJob

    def recompute(vacancy: Vacancy) -> None:
        job = services.job_create(MatchJob.Kind.VACANCY, vacancy.pk, queue=False)
        services.vacancy_matches_recompute(vacancy_id=vacancy.pk, job_id=job.pk)

    _subscribe(partner_x, [EventType.VACANCY_UPDATED, EventType.VACANCY_CLOSED])
    vacancy = published_vacancy(partner_x.project)
    recompute(vacancy)
    recompute(vacancy)  # the same version again: nothing new to tell
    vacancy_close(Vacancy.objects.get(pk=vacancy.pk))
    recompute(vacancy)
    assert _events(partner_x) == [
        (EventType.VACANCY_UPDATED, {"vacancy": str(vacancy.public_id), "status": "published"}),
        (EventType.VACANCY_CLOSED, {"vacancy": str(vacancy.public_id), "status": "closed"}),
    ]


def test_a_near_miss_under_a_new_floor_is_announced_as_removed(
    api_x: APIClient,
    partner_x: Partner,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    """A vacancy's full run deletes every near-miss under its new floor, even one whose candidate changed
    while it scored (held from its own write); that deletion is reported to the partner like any other
    (it was recorded for ``/matches/removed/`` but sent no ``match.removed``)."""
    from django.db.models import F

    from recruitment import services
    from recruitment.services import recompute as recompute_module

    _subscribe(partner_x, [EventType.MATCH_REMOVED])
    world = build_world()
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = welder_vacancy(world)
        vacancy.open_to_projects.add(partner_x.project)
    ids = {}
    for years in (1, 2, 3):  # three near-misses (Dutch A2) of different experience: distinct scores
        body = welder(world, f"W-{years}", dutch="A2")
        started = timezone.localdate() - datetime.timedelta(days=365 * years + 5)
        body["work_experience"][0]["started_on"] = started.isoformat()
        with django_capture_on_commit_callbacks(execute=True):
            ids[years] = api_x.post("/api/v1/candidates/", body, format="json").json()["id"]
    stored = dict(Match.objects.filter(vacancy=vacancy).values_list("candidate__public_id", "score"))
    assert len(set(stored.values())) == 3, stored
    lowest = min(stored, key=lambda public_id: stored[public_id])
    bump = lambda: Candidate.objects.filter(public_id=lowest).update(profile_version=F("profile_version") + 1)  # noqa: E731
    monkeypatch.setattr(recompute_module, "_test_delay", bump)  # the candidate changes while the run scores
    settings.MATCH_NEAR_MISS_LIMIT = 2
    with django_capture_on_commit_callbacks(execute=True):
        services.vacancy_matches_recompute(vacancy_id=vacancy.pk)
    assert not Match.objects.filter(vacancy=vacancy, candidate__public_id=lowest).exists()
    removed = [data for event_type, data in _events(partner_x) if event_type == EventType.MATCH_REMOVED]
    assert {"candidate": str(lowest), "vacancy": str(vacancy.public_id)}.items() <= removed[-1].items()
    assert len(removed) == 1
