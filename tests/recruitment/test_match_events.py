"""A partner agency hears, by webhook, when one of its candidates newly matches a vacancy."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates.models import LanguageProficiency
from candidates.services import candidate_profile_changed
from projects.models import Project, ProjectPartner
from recruitment.models import Match
from tests.factories import OrganisationFactory, ProjectFactory
from tests.recruitment.world import World, build_world, welder_candidate, welder_vacancy
from vacancies.models import Vacancy
from webhooks.models import WebhookDelivery, WebhookEvent
from webhooks.services import subscription_create

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Callable[[], AbstractContextManager[Any]]:
    """``with commit():`` runs the after-commit callbacks (the queued tasks) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def project(world: World) -> Project:
    """A project of the world's partner agency: it hears of matches with the vacancies open to it."""
    project = ProjectFactory.create()
    ProjectPartner.objects.create(
        project=project, organisation=world.partner, role=ProjectPartner.Role.ORIGIN_PES
    )
    return project


def _open_vacancy(world: World, project: Project) -> Vacancy:
    """A welder vacancy open to ``project`` (before the commit that runs its recompute)."""
    vacancy = welder_vacancy(world)
    vacancy.open_to_projects.add(project)
    return vacancy


def _subscribe(world: World, *, min_score: Decimal | None = None) -> None:
    subscription_create(
        organisation=world.partner,
        url="https://partner.example/hooks",
        event_types=["match.created"],
        min_score=min_score,
    )


def test_a_new_vacancy_announces_each_new_match_once(world: World, project: Project, commit: Any) -> None:
    _subscribe(world)
    with commit():
        b1, a2 = welder_candidate(world), welder_candidate(world, dutch="A2")
        vacancy = _open_vacancy(world, project)
    events = {event.data["candidate"]: event for event in WebhookEvent.objects.filter(type="match.created")}
    assert set(events) == {str(b1.public_id), str(a2.public_id)}
    eligible = events[str(b1.public_id)].data
    assert eligible["vacancy"] == str(vacancy.public_id) and eligible["outcome"] == "eligible"
    assert eligible["external_id"] == b1.external_id
    assert Decimal(eligible["score"]) == Match.objects.get(vacancy=vacancy, candidate=b1).score
    assert events[str(a2.public_id)].data["outcome"] == "conditional"
    assert WebhookDelivery.objects.count() == 2

    # A re-score of an existing match is not news.
    with commit():
        LanguageProficiency.objects.filter(candidate=b1).update(writing="B2")
        candidate_profile_changed(b1.pk)
    assert WebhookEvent.objects.filter(type="match.created").count() == 2


def test_the_subscriptions_minimum_score_filters_and_other_agencies_hear_nothing(
    world: World, project: Project, commit: Any
) -> None:
    _subscribe(world, min_score=Decimal("99.5"))
    other = OrganisationFactory.create()
    subscription_create(organisation=other, url="https://other.example/hooks", event_types=["match.created"])
    with commit():
        welder_candidate(world)
        _open_vacancy(world, project)
    assert Match.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_a_vacancy_not_open_to_the_agencys_projects_is_not_announced(world: World, commit: Any) -> None:
    """Its API answers 404 for that vacancy and hides the match: the webhook says nothing either."""
    _subscribe(world)
    with commit():
        welder_candidate(world)
        welder_vacancy(world)
    assert Match.objects.exists()
    assert not WebhookEvent.objects.exists()


def test_without_subscribers_a_recompute_writes_no_outbox_rows(world: World, commit: Any) -> None:
    with commit():
        welder_candidate(world)
    with CaptureQueriesContext(connection) as queries, commit():
        welder_vacancy(world)
    assert Match.objects.exists()
    assert not WebhookEvent.objects.exists()
    assert not any("webhooks_webhookevent" in query["sql"] for query in queries.captured_queries)
