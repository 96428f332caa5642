"""A partner tests its endpoint: ``POST /webhooks/subscriptions/{id}/ping/`` sends a signed ``ping`` event
through the normal delivery, whatever events the subscription asked for, and answers the delivery."""

from typing import Any

import pytest
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from tests.webhooks.receiver import Answer, Receiver
from webhooks.models import WebhookDelivery, WebhookEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhooks/subscriptions/"


def _subscribe(api: APIClient, url: str) -> dict[str, Any]:
    response = api.post(URL, {"url": url, "event_types": ["placement.decided"]}, format="json")
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_a_ping_reaches_the_endpoint_signed_and_the_answer_is_its_delivery(
    api_x: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    with Receiver() as receiver:
        created = _subscribe(api_x, receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            response = api_x.post(f"{URL}{created['id']}/ping/")
        assert response.status_code == 201, response.content
        [received] = receiver.received
    payload = Webhook(created["secret"]).verify(received.body, received.headers)
    assert payload["type"] == "ping"
    assert payload["data"] == {"subscription": created["id"]}
    delivery = response.json()
    assert delivery["event_type"] == "ping" and delivery["event_id"] == received.headers["webhook-id"]
    assert response["Location"] == f"/api/v1/webhooks/deliveries/{delivery['id']}/"
    logged = api_x.get(response["Location"]).json()
    assert (logged["status"], [a["status_code"] for a in logged["attempt_log"]]) == ("delivered", [200])


def test_a_failing_endpoint_shows_in_the_pinged_delivery(
    api_x: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    with Receiver() as receiver:
        receiver.default = Answer(status=500)
        created = _subscribe(api_x, receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            response = api_x.post(f"{URL}{created['id']}/ping/")
    logged = api_x.get(response["Location"]).json()
    assert (logged["status"], logged["last_status_code"]) == ("pending", 500)  # retried with backoff


def test_a_paused_subscription_is_not_pinged(api_x: APIClient) -> None:
    created = _subscribe(api_x, "https://hooks.partner.example/in")
    api_x.patch(f"{URL}{created['id']}/", {"is_active": False}, format="json")
    response = api_x.post(f"{URL}{created['id']}/ping/")
    assert response.status_code == 409, response.content
    assert not WebhookEvent.objects.exists() and not WebhookDelivery.objects.exists()


def test_ping_is_not_an_event_to_subscribe_to(api_x: APIClient) -> None:
    response = api_x.post(
        URL, {"url": "https://hooks.partner.example/in", "event_types": ["ping"]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "#/event_types/0"


def test_another_partners_subscription_cannot_be_pinged(api_x: APIClient, api_y: APIClient) -> None:
    theirs = _subscribe(api_y, "https://hooks.partner.example/in")
    assert api_x.post(f"{URL}{theirs['id']}/ping/").status_code == 404
    assert not WebhookDelivery.objects.exists()
