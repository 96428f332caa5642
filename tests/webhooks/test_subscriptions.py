"""Subscriptions, their secrets and signatures, and the organisation-scoped reads."""

import base64
import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, Settings
from standardwebhooks import Webhook, WebhookVerificationError

from tests import factories
from tests.webhooks.conftest import SubscribeFn
from webhooks.delivery import event_body, secret_generate, signed_headers
from webhooks.events import EventType
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from webhooks.selectors import attempts_for, deliveries_for, subscriptions_for
from webhooks.services import (
    subscription_create,
    subscription_delete,
    subscription_rotate_secret,
    subscription_update,
    webhook_event_emit,
)

pytestmark = pytest.mark.django_db

MATCH = EventType.MATCH_CREATED.value


def test_the_secret_has_the_standard_webhooks_format_and_is_returned_once(subscribe: SubscribeFn) -> None:
    subscription, secret = subscribe()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) >= 24
    Webhook(secret)  # the reference library accepts it
    _, another = subscribe("https://other.partner.example/hook")
    assert another != secret
    # Stored (HMAC is symmetric) but never part of the object's text.
    assert WebhookSubscription.objects.get(pk=subscription.pk).secret == secret
    assert secret not in str(subscription) and secret not in repr(subscription)


def test_signatures_verify_with_the_reference_library_and_only_with_the_right_secret() -> None:
    secret, other = secret_generate(), secret_generate()
    now = timezone.now()
    body = event_body(event_type=MATCH, occurred_at=now, data={"candidate_id": 1, "score": "80.00"})
    headers = signed_headers(event_id="3f1c", body=body, secrets_=[secret], now=now)
    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert headers["webhook-timestamp"] == str(int(now.timestamp()))
    payload = Webhook(secret).verify(body.encode(), headers)
    assert payload["type"] == MATCH and payload["data"] == {"candidate_id": 1, "score": "80.00"}
    assert payload["timestamp"].endswith("Z")
    with pytest.raises(WebhookVerificationError):
        Webhook(other).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace("80.00", "99.00"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, {**headers, "webhook-id": "another-event"})


def test_the_signature_uses_utc_whatever_the_time_zone() -> None:
    secret = secret_generate()
    brussels = timezone.localtime()  # Europe/Brussels, an hour or two ahead of UTC
    body = event_body(event_type=MATCH, occurred_at=brussels, data={})
    headers = signed_headers(event_id="e", body=body, secrets_=[secret], now=brussels)
    Webhook(secret).verify(body, headers)  # "too old/new" if the offset were lost
    assert json.loads(body)["timestamp"] == brussels.astimezone(datetime.UTC).isoformat().replace(
        "+00:00", "Z"
    )


def test_only_partner_organisations_can_subscribe() -> None:
    employer = factories.OrganisationFactory.create(employer=True)
    with pytest.raises(ValidationError) as refused:
        subscription_create(organisation=employer, url="https://x.example/hook", event_types=[MATCH])
    assert "organisation" in refused.value.error_dict
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"event_types": []}, "event_types"),
        ({"event_types": ["match.created", "candidate.deleted"]}, "event_types"),
        ({"event_types": [MATCH, MATCH]}, "event_types"),
        ({"min_score": Decimal(101)}, "min_score"),
        ({"min_score": Decimal(-1)}, "min_score"),
        ({"url": "not a url"}, "url"),
    ],
)
def test_invalid_subscriptions_are_refused_field_by_field(
    subscribe: SubscribeFn, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        subscribe(**fields)
    assert field in refused.value.error_dict
    assert not WebhookSubscription.objects.exists()


def test_update_validates_and_reactivation_clears_what_the_system_recorded(subscribe: SubscribeFn) -> None:
    subscription, _ = subscribe()
    with pytest.raises(TypeError, match="secret"):
        subscription_update(subscription=subscription, secret="whsec_x")
    with pytest.raises(ValidationError):
        subscription_update(subscription=subscription, event_types=["nope"])
    now = timezone.now()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        is_active=False, disabled_reason="endpoint_failing", disabled_at=now, failing_since=now
    )
    subscription.refresh_from_db()
    subscription_update(subscription=subscription, is_active=True, description="fixed our endpoint")
    subscription.refresh_from_db()
    assert (subscription.is_active, subscription.disabled_reason, subscription.disabled_at) == (
        True,
        "",
        None,
    )
    assert subscription.failing_since is None and subscription.description == "fixed our endpoint"


def test_rotation_signs_with_both_secrets_during_the_grace_period(
    settings: Settings, subscribe: SubscribeFn
) -> None:
    settings.WEBHOOK_SECRET_ROTATION_GRACE_SECONDS = 3600
    subscription, old = subscribe()
    new = subscription_rotate_secret(subscription=subscription)
    assert new != old and new.startswith("whsec_")
    subscription.refresh_from_db()
    assert (subscription.secret, subscription.previous_secret) == (new, old)
    assert subscription.previous_secret_expires_at is not None
    assert subscription.previous_secret_expires_at > timezone.now() + datetime.timedelta(minutes=59)
    # Both keys verify the same message; see test_delivery for the headers actually sent.
    body, now = "{}", timezone.now()
    headers = signed_headers(event_id="e", body=body, secrets_=[new, old], now=now)
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(new).verify(body, headers)
    Webhook(old).verify(body, headers)

    settings.WEBHOOK_SECRET_ROTATION_GRACE_SECONDS = 0
    newest = subscription_rotate_secret(subscription=subscription)
    subscription.refresh_from_db()
    assert (subscription.secret, subscription.previous_secret, subscription.previous_secret_expires_at) == (
        newest,
        "",
        None,
    )


def test_delete_takes_the_deliveries_and_their_attempts_along(subscribe: SubscribeFn) -> None:
    subscription, _ = subscribe()
    webhook_event_emit(
        organisation_id=subscription.organisation_id, event_type=MATCH, data={"candidate_id": 1}
    )
    delivery = WebhookDelivery.objects.get()
    WebhookAttempt.objects.create(delivery=delivery, number=1, attempted_at=timezone.now(), status_code=500)
    subscription_delete(subscription=subscription)
    assert not WebhookSubscription.objects.exists()
    assert not WebhookDelivery.objects.exists() and not WebhookAttempt.objects.exists()


def test_reads_are_scoped_to_the_organisation(subscribe: SubscribeFn) -> None:
    mine, _ = subscribe()
    other_org = factories.OrganisationFactory.create()
    theirs, _ = subscribe("https://theirs.example/hook", organisation=other_org)
    second_of_mine, _ = subscribe("https://second.example/hook", event_types=[MATCH])
    for subscription in (mine, theirs):
        webhook_event_emit(
            organisation_id=subscription.organisation_id, event_type=MATCH, data={"candidate_id": 1}
        )
    their_delivery = WebhookDelivery.objects.get(subscription=theirs)
    WebhookAttempt.objects.create(
        delivery=their_delivery, number=1, attempted_at=timezone.now(), status_code=200
    )

    assert set(subscriptions_for(organisation=mine.organisation)) == {mine, second_of_mine}
    assert {d.subscription_id for d in deliveries_for(organisation=mine.organisation)} == {
        mine.pk,
        second_of_mine.pk,
    }
    assert [
        d.subscription_id for d in deliveries_for(organisation=mine.organisation, subscription_id=mine.pk)
    ] == [mine.pk]
    assert not deliveries_for(organisation=mine.organisation, subscription_id=theirs.pk).exists()
    assert not attempts_for(organisation=mine.organisation, delivery_id=their_delivery.pk).exists()
    assert attempts_for(organisation=other_org, delivery_id=their_delivery.pk).count() == 1


def test_the_delivery_list_has_a_fixed_query_count(
    subscribe: SubscribeFn, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    subscription, _ = subscribe()
    for n in range(5):
        webhook_event_emit(
            organisation_id=subscription.organisation_id, event_type=MATCH, data={"candidate_id": n}
        )
    with django_assert_num_queries(1):
        rows = [
            (d.event.type, d.subscription.public_id)
            for d in deliveries_for(organisation=subscription.organisation)
        ]
    assert len(rows) == 5
