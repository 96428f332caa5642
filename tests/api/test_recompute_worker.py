"""A candidate update through the API reaches a real Celery worker over Redis (PostgreSQL and Redis
required; run in CI with REQUIRE_SERVICES=1). The worker fixture is the recompute tests' own."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from recruitment.models import Match
from tests.api.conftest import Partner
from tests.api.test_matches import welder
from tests.recruitment.test_recompute_worker import (  # noqa: F401 (the fixture is used by name)
    RecomputeWorkers,
    assert_consistent,
    settled,
    workers,
)
from tests.recruitment.world import World, build_world, welder_vacancy
from tests.workers import wait_for

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]


def _outcome(api: APIClient, candidate: str) -> str | None:
    rows = api.get("/api/v1/matches/", {"candidate": candidate}).json()["results"]
    return rows[0]["outcome"] if rows else None


def test_an_api_update_is_recomputed_by_the_worker(workers: RecomputeWorkers, partner_x: Partner) -> None:  # noqa: F811
    with workers.in_process():
        world: World = build_world()
        vacancy = welder_vacancy(world)
        vacancy.open_to_projects.add(partner_x.project)
    workers.start()
    api = partner_x.client()
    created = api.post("/api/v1/candidates/", welder(world, "RW-1", dutch="A2"), format="json")
    assert created.status_code == 201, created.content
    candidate: str = created.json()["id"]
    wait_for(settled, "the worker to compute the new candidate's matches")
    assert _outcome(api, candidate) == "conditional"

    languages: list[dict[str, Any]] = welder(world, "RW-1", dutch="B1")["languages"]
    response = api.patch(f"/api/v1/candidates/{candidate}/", {"languages": languages}, format="json")
    assert response.status_code == 200
    assert response.json()["matches_current"] is False  # queued, not yet recomputed
    wait_for(settled, "the worker to recompute after the update")
    assert _outcome(api, candidate) == "eligible"
    assert api.get(f"/api/v1/candidates/{candidate}/").json()["matches_current"] is True

    assert api.delete(f"/api/v1/candidates/{candidate}/").status_code == 204
    wait_for(lambda: not Match.objects.exists(), "the withdrawn candidate's matches to disappear")
    assert_consistent()
