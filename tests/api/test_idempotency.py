"""``Idempotency-Key`` on POST: a retry gets the first answer; a reused key with another body does not."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import IdempotencyRecord
from candidates.models import Candidate

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/"
Body = Callable[..., dict[str, Any]]


def test_a_retry_with_the_same_key_gets_the_first_answer(api_x: APIClient, candidate_body: Body) -> None:
    first = api_x.post(URL, candidate_body(), format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    again = api_x.post(URL, candidate_body(), format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again["Location"] == first["Location"]
    assert Candidate.objects.count() == 1
    # Nothing personal is kept with the key: only a reference to what was written.
    assert IdempotencyRecord.objects.get().response == {"candidate": first.json()["id"]}


def test_the_same_key_with_another_body_is_refused(api_x: APIClient, candidate_body: Body) -> None:
    api_x.post(URL, candidate_body(), format="json", HTTP_IDEMPOTENCY_KEY="key-2")
    other = api_x.post(URL, candidate_body(external_id="X-2"), format="json", HTTP_IDEMPOTENCY_KEY="key-2")
    assert other.status_code == 422
    assert other.json()["type"] == "urn:talentbrug:problem:idempotency-key-reused"
    assert Candidate.objects.count() == 1


def test_a_failed_request_frees_its_key(api_x: APIClient, candidate_body: Body) -> None:
    bad = api_x.post(URL, candidate_body(date_of_birth="yesterday"), format="json", HTTP_IDEMPOTENCY_KEY="k3")
    assert bad.status_code == 400
    good = api_x.post(URL, candidate_body(), format="json", HTTP_IDEMPOTENCY_KEY="k3")
    assert good.status_code == 201
    assert "Idempotent-Replayed" not in good


def test_a_key_still_being_processed_is_a_409(api_x: APIClient, candidate_body: Body) -> None:
    assert api_x.post(URL, candidate_body(), format="json", HTTP_IDEMPOTENCY_KEY="busy").status_code == 201
    # As if that first request were still running (its answer not yet stored, its lease not expired).
    IdempotencyRecord.objects.filter(key="busy").update(
        status_code=None, response=None, locked_until=timezone.now() + datetime.timedelta(seconds=30)
    )
    running = api_x.post(URL, candidate_body(), format="json", HTTP_IDEMPOTENCY_KEY="busy")
    assert running.status_code == 409
    assert running.json()["type"] == "urn:talentbrug:problem:idempotency-key-in-progress"
    assert running["Retry-After"] == "1"
    assert Candidate.objects.count() == 1


def test_a_crashed_first_request_frees_its_key_after_the_lease(
    api_x: APIClient, candidate_body: Body
) -> None:
    api_x.post(URL, candidate_body(external_id="L-0"), format="json", HTTP_IDEMPOTENCY_KEY="lease")
    IdempotencyRecord.objects.filter(key="lease").update(
        status_code=None, response=None, locked_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    Candidate.objects.all().delete()  # as if the first request had died before writing
    retried = api_x.post(URL, candidate_body(external_id="L-0"), format="json", HTTP_IDEMPOTENCY_KEY="lease")
    assert retried.status_code == 201


def test_keys_are_per_client(api_x: APIClient, api_y: APIClient, candidate_body: Body) -> None:
    assert api_x.post(URL, candidate_body(), format="json", HTTP_IDEMPOTENCY_KEY="shared").status_code == 201
    response = api_y.post(
        URL, candidate_body(external_id="Y-1"), format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response


@pytest.mark.parametrize("key", ["", "with space", "x" * 256, "caf\u00e9"])
def test_a_malformed_key_is_refused(api_x: APIClient, candidate_body: Body, key: str) -> None:
    response = api_x.post(
        URL, candidate_body(), format="json", HTTP_IDEMPOTENCY_KEY=key.encode().decode("latin-1")
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["header"] == "Idempotency-Key"
    assert not Candidate.objects.exists()


def test_a_bulk_replay_returns_the_stored_results(api_x: APIClient, candidate_body: Body) -> None:
    body = {"items": [candidate_body(external_id="R-1")]}
    first = api_x.post("/api/v1/candidates/bulk/", body, format="json", HTTP_IDEMPOTENCY_KEY="bulk-1")
    again = api_x.post("/api/v1/candidates/bulk/", body, format="json", HTTP_IDEMPOTENCY_KEY="bulk-1")
    assert first.json() == again.json()
    assert again.json()["results"][0]["status"] == "created"  # the first answer, not "unchanged"
    assert again["Idempotent-Replayed"] == "true"


def test_replay_after_withdrawal_says_it_is_gone(api_x: APIClient, candidate_body: Body) -> None:
    first = api_x.post(URL, candidate_body(), format="json", HTTP_IDEMPOTENCY_KEY="gone")
    api_x.delete(f"{URL}{first.json()['id']}/")
    again = api_x.post(URL, candidate_body(), format="json", HTTP_IDEMPOTENCY_KEY="gone")
    assert again.status_code == 404
