"""Webhook subscriptions through the partner API, and a signed event received end to end."""

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from tests.api.conftest import Partner
from tests.webhooks.receiver import Receiver
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from webhooks.services import webhook_event_emit

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhooks/subscriptions/"
DELIVERIES = "/api/v1/webhooks/deliveries/"
ENDPOINT = "https://hooks.partner.example/talentbrug"


def _subscribe(api: APIClient, **fields: Any) -> dict[str, Any]:
    body = {"url": ENDPOINT, "event_types": ["match.created", "placement.stage_changed"], **fields}
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_the_secret_is_shown_once(api_x: APIClient) -> None:
    created = _subscribe(api_x, min_score="70.00", description="CRM")
    assert created["secret"].startswith("whsec_")
    read = api_x.get(f"{URL}{created['id']}/").json()
    assert "secret" not in read
    assert read["min_score"] == "70.00"
    listed = api_x.get(URL).json()["results"]
    assert [s["id"] for s in listed] == [created["id"]]
    assert "secret" not in listed[0]


def test_a_replayed_create_does_not_show_the_secret_again(api_x: APIClient) -> None:
    body = {"url": ENDPOINT, "event_types": ["match.created"]}
    first = api_x.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="sub-1")
    again = api_x.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="sub-1")
    assert first.json()["secret"] and again.json()["secret"] is None
    assert again.json()["id"] == first.json()["id"]
    assert WebhookSubscription.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"url": ENDPOINT, "event_types": ["candidate.hired"]}, "#/event_types/0"),
        ({"url": ENDPOINT, "event_types": []}, "#/event_types"),
        ({"url": ENDPOINT, "event_types": ["match.created"], "min_score": 150}, "#/min_score"),
        ({"url": ENDPOINT, "event_types": ["match.created"], "organisation": 1}, "#/organisation"),
        ({"url": "ftp://example.org/x", "event_types": ["match.created"]}, "#/url"),
    ],
)
def test_bad_subscriptions_are_refused(api_x: APIClient, body: dict[str, Any], pointer: str) -> None:
    response = api_x.post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert pointer in {e["pointer"] for e in response.json()["errors"]}
    assert not WebhookSubscription.objects.exists()


def test_a_private_address_is_refused_in_production(api_x: APIClient, settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    response = api_x.post(
        URL, {"url": "https://127.0.0.1/hooks", "event_types": ["match.created"]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "#/url"


def test_change_rotate_and_delete(api_x: APIClient) -> None:
    created = _subscribe(api_x)
    url = f"{URL}{created['id']}/"
    changed = api_x.patch(
        url, {"is_active": False, "event_types": ["placement.proposed"]}, format="json"
    ).json()
    assert (changed["is_active"], changed["event_types"]) == (False, ["placement.proposed"])
    rotated = api_x.post(f"{url}rotate-secret/")
    assert rotated.status_code == 200
    assert rotated.json()["secret"].startswith("whsec_") and rotated.json()["secret"] != created["secret"]
    assert api_x.delete(url).status_code == 204
    assert api_x.get(url).status_code == 404


def test_another_partners_subscriptions_are_out_of_reach(api_x: APIClient, api_y: APIClient) -> None:
    theirs = _subscribe(api_y)
    url = f"{URL}{theirs['id']}/"
    assert api_x.get(url).status_code == 404
    assert api_x.patch(url, {"is_active": False}, format="json").status_code == 404
    assert api_x.post(f"{url}rotate-secret/").status_code == 404
    assert api_x.delete(url).status_code == 404
    assert len(api_x.get(URL).json()["results"]) == 0
    assert WebhookSubscription.objects.get().is_active


def test_a_signed_event_reaches_the_partner_and_the_log_shows_it(
    api_x: APIClient, partner_x: Partner, django_capture_on_commit_callbacks: Any
) -> None:
    """The quickstart of docs/api.md in one test: subscribe, receive, verify the signature."""
    with Receiver() as receiver:
        created = _subscribe(api_x, url=receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            webhook_event_emit(
                organisation_id=partner_x.organisation.pk,
                event_type="match.created",
                data={"candidate_id": "c1", "vacancy_id": "v1", "outcome": "eligible", "score": "88.00"},
                score=88,
            )
        [received] = receiver.received
        payload = Webhook(created["secret"]).verify(received.body, received.headers)
        assert payload["type"] == "match.created"
    [delivery] = api_x.get(DELIVERIES, {"subscription": created["id"]}).json()["results"]
    assert (delivery["status"], delivery["event_id"]) == ("delivered", received.headers["webhook-id"])
    detail = api_x.get(f"{DELIVERIES}{delivery['id']}/").json()
    assert detail["data"]["outcome"] == "eligible"
    assert [a["status_code"] for a in detail["attempt_log"]] == [200]


def test_a_failed_delivery_can_be_sent_again(
    api_x: APIClient, partner_x: Partner, django_capture_on_commit_callbacks: Any
) -> None:
    created = _subscribe(api_x)
    with django_capture_on_commit_callbacks():  # not sent: the sweeper's business
        webhook_event_emit(
            organisation_id=partner_x.organisation.pk,
            event_type="placement.stage_changed",
            data={"stage": "visa"},
        )
    delivery = WebhookDelivery.objects.get()
    url = f"{DELIVERIES}{delivery.public_id}/retry/"
    assert api_x.post(url).status_code == 409  # pending, not failed
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, attempts=8, last_attempt_at=timezone.now(), last_error="timeout"
    )
    with django_capture_on_commit_callbacks():
        retried = api_x.post(url)
    assert retried.status_code == 200
    assert retried.json()["status"] == "pending"
    assert len(api_x.get(DELIVERIES, {"status": "failed"}).json()["results"]) == 0
    assert len(api_x.get(DELIVERIES, {"subscription": created["id"]}).json()["results"]) == 1


def test_the_delivery_log_has_a_query_budget(
    api_x: APIClient,
    partner_x: Partner,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    _subscribe(api_x)
    with django_capture_on_commit_callbacks():
        for stage in ("proposed", "interview", "offer", "visa"):
            webhook_event_emit(
                organisation_id=partner_x.organisation.pk,
                event_type="placement.stage_changed",
                data={"stage": stage},
            )
    with django_assert_max_num_queries(6):
        assert len(api_x.get(DELIVERIES).json()["results"]) == 4
    with django_assert_max_num_queries(6):
        assert len(api_x.get(URL).json()["results"]) == 1
