"""Bulk upsert by the partner's own external id: one result per item, each item on its own."""

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from candidates.models import Candidate
from tests.api.conftest import Partner

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/bulk/"
Body = Callable[..., dict[str, Any]]


def test_each_item_is_created_updated_left_unchanged_or_refused(
    api_x: APIClient, candidate_body: Body, django_capture_on_commit_callbacks: Any
) -> None:
    api_x.post(URL, {"items": [candidate_body(external_id="B-1"), candidate_body(external_id="B-2")]})
    items = [
        candidate_body(external_id="B-1"),  # as before
        candidate_body(external_id="B-2", phone="+212611111111"),  # changed
        candidate_body(external_id="B-3"),  # new
        candidate_body(
            external_id="B-4", date_of_birth="17/05/1996", languages=[{"language": "nl", "reading": "B9"}]
        ),
        candidate_body(external_id="B-3", given_name="Twice"),  # repeats an earlier item
        ["not", "an", "object"],
    ]
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_x.post(URL, {"items": items}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert [r["status"] for r in body["results"]] == [
        "unchanged",
        "updated",
        "created",
        "error",
        "error",
        "error",
    ]
    assert body["summary"] == {"created": 1, "updated": 1, "unchanged": 1, "error": 3}
    assert [r["index"] for r in body["results"]] == list(range(6))
    refused = body["results"][3]
    assert refused["id"] is None
    assert {e["pointer"] for e in refused["errors"]} == {"#/date_of_birth", "#/languages/0/reading"}
    assert body["results"][4]["errors"][0]["code"] == "duplicate"
    assert body["results"][5]["errors"][0]["pointer"] == "#"
    assert len(callbacks) == 1  # one recompute of B-2 and B-3 together; B-1 is not recomputed
    assert sorted(Candidate.objects.values_list("external_id", flat=True)) == ["B-1", "B-2", "B-3"]
    assert Candidate.objects.get(external_id="B-3").given_name == "Amina"


def test_the_same_bulk_twice_changes_nothing_the_second_time(api_x: APIClient, candidate_body: Body) -> None:
    items = [candidate_body(external_id=f"I-{n}", family_name=f"Family {n}") for n in range(5)]
    first = api_x.post(URL, {"items": items}, format="json").json()
    versions = dict(Candidate.objects.values_list("external_id", "profile_version"))
    second = api_x.post(URL, {"items": items}, format="json").json()
    assert [r["status"] for r in first["results"]] == ["created"] * 5
    assert [r["status"] for r in second["results"]] == ["unchanged"] * 5
    assert [r["id"] for r in first["results"]] == [r["id"] for r in second["results"]]
    assert dict(Candidate.objects.values_list("external_id", "profile_version")) == versions


def test_an_item_that_breaks_a_database_rule_is_refused_alone(api_x: APIClient, candidate_body: Body) -> None:
    bad_step = {"authority": "naric_vl", "outcome": "full_equivalence", "requested_on": "2026-01-01"}
    diploma = {"title": "BSc Nursing", "institution": "GCN", "country": "IN", "isced_level": 6}
    items = [
        candidate_body(external_id="C-1", diplomas=[{**diploma, "recognition_steps": [bad_step]}]),
        candidate_body(external_id="C-2"),
    ]
    results = api_x.post(URL, {"items": items}, format="json").json()["results"]
    assert [r["status"] for r in results] == ["error", "created"]
    pointers = {e["pointer"] for e in results[0]["errors"]}
    assert pointers == {"#/diplomas/0/recognition_steps/0"}
    assert list(Candidate.objects.values_list("external_id", flat=True)) == ["C-2"]


def test_a_withdrawn_candidate_is_not_brought_back(api_x: APIClient, candidate_body: Body) -> None:
    created = api_x.post("/api/v1/candidates/", candidate_body(external_id="W-1"), format="json").json()
    api_x.delete(f"/api/v1/candidates/{created['id']}/")
    result = api_x.post(URL, {"items": [candidate_body(external_id="W-1")]}, format="json").json()["results"][
        0
    ]
    assert result["status"] == "error"
    assert result["errors"][0]["code"] == "withdrawn"
    assert Candidate.objects.get(external_id="W-1").status == Candidate.Status.WITHDRAWN


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"items": []}, "#/items"),
        ({"items": "all"}, "#/items"),
        ({}, "#/items"),
        ({"items": [{}], "registered_by": 1}, "#/registered_by"),
    ],
)
def test_a_malformed_envelope_is_refused_whole(api_x: APIClient, body: dict[str, Any], pointer: str) -> None:
    response = api_x.post(URL, body, format="json")
    assert response.status_code == 400
    assert pointer in {e["pointer"] for e in response.json()["errors"]}
    assert not Candidate.objects.exists()


def test_more_than_a_hundred_items_is_refused(api_x: APIClient, candidate_body: Body) -> None:
    items = [candidate_body(external_id=f"M-{n}") for n in range(101)]
    response = api_x.post(URL, {"items": items}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "#/items"
    assert not Candidate.objects.exists()


def test_bulk_requests_have_their_own_rate_limit(
    api_x: APIClient, candidate_body: Body, settings: Any
) -> None:
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "bulk": "2/minute"}
    settings.REST_FRAMEWORK = rest
    body = {"items": [candidate_body()]}
    statuses = [api_x.post(URL, body, format="json").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = api_x.post(URL, body, format="json")
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert api_x.get("/api/v1/candidates/").status_code == 200  # other requests go on


def test_the_rate_limit_is_per_client(partner_x: Partner, partner_y: Partner, settings: Any) -> None:
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "client": "3/minute"}
    settings.REST_FRAMEWORK = rest
    x, y = partner_x.client(), partner_y.client()
    assert [x.get("/api/v1/candidates/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert y.get("/api/v1/candidates/").status_code == 200
