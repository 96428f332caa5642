"""The operators' admin: every list works, the secret never shows, the outbox is read-only."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.webhooks.conftest import SubscribeFn
from webhooks.events import EventType
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from webhooks.services import subscription_rotate_secret, webhook_event_emit

pytestmark = pytest.mark.django_db

MODELS = ("webhooksubscription", "webhookevent", "webhookdelivery", "webhookattempt")


@pytest.fixture
def admin_client() -> Client:
    """A superuser's client; where staff need a second factor, one that has passed it."""
    user = factories.UserFactory.create(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    if apps.is_installed("django_otp"):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def world(subscribe: SubscribeFn) -> tuple[WebhookSubscription, str, str]:
    subscription, old = subscribe()
    new = subscription_rotate_secret(subscription=subscription)
    webhook_event_emit(
        organisation_id=subscription.organisation_id, event_type="match.created", data={"candidate_id": 1}
    )
    delivery = WebhookDelivery.objects.get()
    WebhookAttempt.objects.create(
        delivery=delivery, number=1, attempted_at=timezone.now(), status_code=500, error="http_500"
    )
    return subscription, old, new


def test_lists_and_pages_work_and_never_show_a_secret(
    admin_client: Client, world: tuple[WebhookSubscription, str, str]
) -> None:
    subscription, old, new = world
    delivery = WebhookDelivery.objects.get()
    pages = [reverse(f"admin:webhooks_{model}_changelist") for model in MODELS]
    pages += [
        reverse("admin:webhooks_webhooksubscription_change", args=[subscription.pk]),
        reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk]),
        reverse("admin:webhooks_webhookevent_change", args=[delivery.event_id]),
    ]
    for page in pages:
        for query in ({}, {"q": "a"}):
            response = admin_client.get(page, query)
            assert response.status_code == 200, page
            html = response.content.decode()
            assert old not in html and new not in html
            assert old.removeprefix("whsec_") not in html and new.removeprefix("whsec_") not in html


def test_nothing_is_added_by_hand_and_the_outbox_is_read_only(
    admin_client: Client, world: tuple[WebhookSubscription, str, str]
) -> None:
    for model in MODELS:
        assert admin_client.get(reverse(f"admin:webhooks_{model}_add")).status_code == 403
    delivery = WebhookDelivery.objects.get()
    url = reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk])
    admin_client.post(url, {"status": "delivered"})
    delivery.refresh_from_db()
    assert delivery.status == "pending"


def test_an_operator_edits_through_the_service_with_its_validation(
    admin_client: Client, world: tuple[WebhookSubscription, str, str]
) -> None:
    subscription = world[0]
    url = reverse("admin:webhooks_webhooksubscription_change", args=[subscription.pk])
    form = {
        "url": subscription.url,
        "event_types": '["placement.decided"]',
        "min_score": "",
        "description": "only decisions",
    }
    assert admin_client.post(url, {**form, "event_types": '["nope"]'}).status_code == 200  # form errors
    subscription.refresh_from_db()
    assert subscription.event_types == list(EventType.values)
    assert admin_client.post(url, form).status_code == 302
    subscription.refresh_from_db()
    assert (subscription.event_types, subscription.description) == (["placement.decided"], "only decisions")


def test_deactivate_and_reactivate_actions(
    admin_client: Client, world: tuple[WebhookSubscription, str, str]
) -> None:
    subscription = world[0]
    changelist = reverse("admin:webhooks_webhooksubscription_changelist")
    now = timezone.now()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        is_active=False, disabled_reason="endpoint_failing", disabled_at=now
    )
    admin_client.post(changelist, {"action": "reactivate", "_selected_action": [subscription.pk]})
    subscription.refresh_from_db()
    assert (subscription.is_active, subscription.disabled_reason) == (True, "")
    admin_client.post(changelist, {"action": "deactivate", "_selected_action": [subscription.pk]})
    subscription.refresh_from_db()
    assert (subscription.is_active, subscription.disabled_reason) == (False, "")
