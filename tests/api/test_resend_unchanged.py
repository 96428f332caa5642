"""A partner re-sending the very same candidate through the API gets "unchanged", even when its rows
leave out fields that have a default (a choices default, a decimal default): no new profile version,
no recompute queued."""

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from candidates.models import Candidate
from tests import factories

pytestmark = pytest.mark.django_db

Body = Callable[..., dict[str, Any]]


@pytest.fixture
def lean_body(candidate_body: Body) -> dict[str, Any]:
    """The candidate with nested rows that name only what they must."""
    occupation = factories.EscoOccupationFactory.create()
    body = candidate_body(
        languages=[{"language": "nl", "reading": "B1"}],  # evidence: a choices default
        work_experience=[{"occupation": occupation.uri, "country": "MA", "started_on": "2020-01-01"}],
        diplomas=[
            {
                "title": "Bachelor in nursing",
                "institution": "Université Mohammed V",
                "country": "MA",
                "isced_level": 6,
                "duration_years": "3",  # stored as 3.0
            }
        ],
    )
    del body["preferred_language"]  # the candidate's own choices default
    return body


def test_the_same_bulk_item_twice_is_unchanged(
    api_x: APIClient, lean_body: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    items = {"items": [lean_body]}
    first = api_x.post("/api/v1/candidates/bulk/", items, format="json")
    assert first.json()["results"][0]["status"] == "created", first.content
    with django_capture_on_commit_callbacks() as callbacks:
        second = api_x.post("/api/v1/candidates/bulk/", items, format="json")
    assert second.json()["results"][0]["status"] == "unchanged"
    assert callbacks == []
    assert Candidate.objects.get().profile_version == 1


def test_the_same_put_twice_bumps_nothing(
    api_x: APIClient, lean_body: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    created = api_x.post("/api/v1/candidates/", lean_body, format="json")
    assert created.status_code == 201, created.content
    url = f"/api/v1/candidates/{created.json()['id']}/"
    with django_capture_on_commit_callbacks() as callbacks:
        replaced = api_x.put(url, lean_body, format="json")
    assert replaced.status_code == 200, replaced.content
    assert callbacks == []
    assert Candidate.objects.get().profile_version == 1
    assert replaced.json()["updated_at"] == created.json()["updated_at"]
