"""The sweeper heals expired leases, sends due deliveries whose message is missing, prunes old events;
and the database refuses delivery and subscription states that contradict each other."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from tests.webhooks.conftest import SubscribeFn
from tests.webhooks.receiver import Receiver
from webhooks.events import EmittedEvent, EventType
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription
from webhooks.services import (
    delivery_claim,
    delivery_retry,
    webhook_deliveries_sweep,
    webhook_event_emit,
    webhook_events_emit_many,
)
from webhooks.services.sweep import RESEND_AFTER

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_settings")]

MATCH = EventType.MATCH_CREATED.value
AGO = datetime.timedelta(minutes=10)


def queued(subscription: WebhookSubscription) -> WebhookDelivery:
    """A pending delivery whose message was captured and dropped (a lost message)."""
    webhook_event_emit(
        organisation_id=subscription.organisation_id, event_type=MATCH, data={"candidate_id": 1}
    )
    return WebhookDelivery.objects.filter(subscription=subscription).latest("created_at")


def sent_tasks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[Any, ...]]]:
    """Record the sweeper's messages instead of sending them."""
    sent: list[tuple[str, tuple[Any, ...]]] = []

    def record(name: str, *args: Any) -> None:
        sent.append((name, args))

    monkeypatch.setattr("webhooks.services.sweep.queue_task_after_commit", record)
    return sent


def test_an_expired_lease_goes_back_to_pending_and_is_delivered(
    receiver: Receiver,
    subscribe: SubscribeFn,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    subscription, _ = subscribe(receiver.url)
    delivery = queued(subscription)
    assert delivery_claim(delivery.pk) is not None  # a worker claimed it, then died
    WebhookDelivery.objects.filter(pk=delivery.pk).update(lease_expires_at=timezone.now() - AGO)
    with django_capture_on_commit_callbacks(execute=True):
        report = webhook_deliveries_sweep()
    assert (report.expired_requeued, report.expired_failed) == (1, 0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert list(WebhookAttempt.objects.filter(delivery=delivery).values_list("error", flat=True)) == [
        "lease_expired",
        "",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        again = webhook_deliveries_sweep()  # idempotent: nothing left to do
    assert (again.expired_requeued, again.sent) == (0, 0) and len(receiver.received) == 1


def test_an_expired_lease_on_the_last_attempt_fails(subscribe: SubscribeFn, settings: Settings) -> None:
    subscription, _ = subscribe()
    delivery = queued(subscription)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status="delivering", attempts=settings.WEBHOOK_MAX_ATTEMPTS, lease_expires_at=timezone.now() - AGO
    )
    report = webhook_deliveries_sweep()
    delivery.refresh_from_db()
    assert report.expired_failed == 1
    assert (delivery.status, delivery.last_error, delivery.lease_expires_at) == (
        "failed",
        "lease_expired",
        None,
    )


def test_a_live_lease_is_left_alone(subscribe: SubscribeFn, monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sent_tasks(monkeypatch)
    subscription, _ = subscribe()
    delivery = queued(subscription)
    delivery_claim(delivery.pk)
    report = webhook_deliveries_sweep()
    delivery.refresh_from_db()
    assert (report.expired_requeued, delivery.status, sent) == (0, "delivering", [])


def test_due_deliveries_without_a_message_on_its_way_are_sent(
    subscribe: SubscribeFn, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    settings.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT = 10  # the endpoint's limit: test_endpoint_limit.py
    sent = sent_tasks(monkeypatch)
    subscription, _ = subscribe()
    now = timezone.now()
    lost = queued(subscription)  # its message went out long ago and never arrived
    WebhookDelivery.objects.filter(pk=lost.pk).update(message_sent_at=now - RESEND_AFTER - AGO)
    unsent = queued(subscription)  # after a long backoff, left to the sweeper
    WebhookDelivery.objects.filter(pk=unsent.pk).update(message_sent_at=None)
    in_flight = queued(subscription)  # its message was sent a moment ago
    later = queued(subscription)  # backing off
    WebhookDelivery.objects.filter(pk=later.pk).update(message_sent_at=None, next_attempt_at=now + AGO)

    report = webhook_deliveries_sweep()
    assert report.sent == 2
    assert sorted(args[0] for _, args in sent) == sorted([lost.pk, unsent.pk])
    assert webhook_deliveries_sweep().sent == 0  # stamped: not sent again on the next run
    assert in_flight.pk not in [args[0] for _, args in sent]


def test_a_bulk_emit_is_sent_by_the_sweeper_in_batches(
    receiver: Receiver,
    subscribe: SubscribeFn,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    subscription, _ = subscribe(receiver.url)
    events = [EmittedEvent(subscription.organisation_id, MATCH, {"candidate_id": n}) for n in range(25)]
    with django_capture_on_commit_callbacks(execute=False):
        webhook_events_emit_many(events=events)
    sent = sent_tasks(monkeypatch)
    report = webhook_deliveries_sweep(limit=10)
    assert report.sent == 10
    assert sent.count(("webhooks.tasks.sweep_webhook_deliveries_task", ())) == 1  # more to do: again
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        webhook_deliveries_sweep(limit=10)  # sends 10, queues itself, which sends the last 5
    assert WebhookDelivery.objects.filter(status="delivered").count() == 15  # the first 10 were only recorded
    assert len(receiver.ids()) == 15


def test_old_finished_events_are_pruned_open_ones_kept(subscribe: SubscribeFn, settings: Settings) -> None:
    settings.WEBHOOK_RETENTION_DAYS = 30
    subscription, _ = subscribe()
    old_done, old_open, recent = (queued(subscription) for _ in range(3))
    WebhookDelivery.objects.filter(pk=old_done.pk).update(status="failed")
    WebhookDelivery.objects.filter(pk=recent.pk).update(status="failed")
    long_ago = timezone.now() - datetime.timedelta(days=31)
    WebhookEvent.objects.filter(pk__in=[old_done.event_id, old_open.event_id]).update(occurred_at=long_ago)
    assert webhook_deliveries_sweep().pruned == 1
    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {old_open.pk, recent.pk}


def test_a_failed_delivery_can_be_sent_again_from_fresh_attempts(
    receiver: Receiver,
    subscribe: SubscribeFn,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    subscription, _ = subscribe(receiver.url)
    delivery = queued(subscription)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=3, last_error="http_500")
    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry(delivery=delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    with translation.override("en"), pytest.raises(Exception, match="Only a failed delivery"):
        delivery_retry(delivery=delivery)


def _refused(make: Callable[[], object]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_the_database_refuses_incoherent_states(subscribe: SubscribeFn) -> None:
    subscription, _ = subscribe()
    delivery = queued(subscription)
    rows = WebhookDelivery.objects.filter(pk=delivery.pk)
    subscriptions = WebhookSubscription.objects.filter(pk=subscription.pk)
    _refused(lambda: rows.update(status="delivering"))  # no lease
    _refused(lambda: rows.update(lease_expires_at=timezone.now()))  # a lease while pending
    _refused(lambda: rows.update(status="delivered", attempts=1))  # no delivered_at
    _refused(lambda: rows.update(delivered_at=timezone.now()))  # delivered_at while pending
    _refused(lambda: rows.update(status="lost"))
    _refused(lambda: WebhookDelivery.objects.create(event=delivery.event, subscription=subscription))  # twice
    _refused(lambda: subscriptions.update(min_score=101))
    _refused(lambda: subscriptions.update(disabled_reason="endpoint_failing", disabled_at=timezone.now()))
    _refused(lambda: subscriptions.update(previous_secret="whsec_old"))  # without an expiry
    _refused(lambda: subscriptions.update(secret=""))
    _refused(lambda: WebhookEvent.objects.filter(pk=delivery.event_id).update(type="candidate.deleted"))
    _refused(lambda: WebhookAttempt.objects.create(delivery=delivery, number=1, attempted_at=timezone.now()))
    _refused(
        lambda: WebhookAttempt.objects.create(
            delivery=delivery, number=1, attempted_at=timezone.now(), status_code=42
        )
    )
