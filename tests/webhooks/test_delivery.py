"""Delivery to a real HTTP receiver on loopback: signed, retried with backoff, bounded in time, once.

Tasks run eagerly here (test settings): a commit runs the first attempt in-process. A failed attempt's
countdown message also runs at once and finds the delivery not yet due (a no-op, which is the point of
the claim), so the tests wait until it is due and send the task again, as the countdown would.
"""

import datetime
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from tests.webhooks.conftest import SubscribeFn
from tests.webhooks.receiver import Answer, Receiver, fake_dns
from webhooks.events import EventType
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription
from webhooks.services import (
    delivery_claim,
    retry_delay,
    subscription_rotate_secret,
    subscription_update,
    webhook_event_emit,
)
from webhooks.tasks import deliver_webhook_task

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_settings")]

MATCH = EventType.MATCH_CREATED.value


def emit(
    subscription: WebhookSubscription, capture: DjangoCaptureOnCommitCallbacks, **data: Any
) -> WebhookDelivery:
    """Emit one event for the subscription's organisation and commit (running the first attempts)."""
    with capture(execute=True):
        webhook_event_emit(
            organisation_id=subscription.organisation_id,
            event_type=MATCH,
            data=data or {"candidate_id": "P-1", "vacancy_id": 4, "score": "88.00"},
        )
    return WebhookDelivery.objects.filter(subscription=subscription).latest("created_at")


def when_due(delivery: WebhookDelivery) -> WebhookDelivery:
    delivery.refresh_from_db()
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert wait < 1, "backoff longer than the test settings allow"
    time.sleep(max(wait, 0) + 0.01)
    return delivery


def run(delivery: WebhookDelivery) -> WebhookDelivery:
    deliver_webhook_task.delay(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def log_of(delivery: WebhookDelivery) -> list[tuple[int | None, str]]:
    return list(WebhookAttempt.objects.filter(delivery=delivery).values_list("status_code", "error"))


def test_a_signed_event_is_delivered_once(
    receiver: Receiver,
    subscribe: SubscribeFn,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    subscription, secret = subscribe(receiver.url)
    receiver.secrets = [secret]
    delivery = emit(subscription, django_capture_on_commit_callbacks, candidate_id="P-1", outcome="eligible")
    event = WebhookEvent.objects.get()

    [received] = receiver.received
    assert received.verified, "the receiver could not verify the Standard Webhooks signature"
    assert received.path == "/hooks"
    assert received.headers["webhook-id"] == str(event.id)
    assert received.headers["content-type"] == "application/json"
    assert received.payload == {
        "type": MATCH,
        "timestamp": event.occurred_at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        "data": {"candidate_id": "P-1", "outcome": "eligible"},
    }
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        "delivered",
        1,
        200,
        "",
    )
    assert delivery.delivered_at is not None and delivery.lease_expires_at is None
    assert delivery.last_duration_ms is not None
    assert log_of(delivery) == [(200, "")]


def test_after_a_rotation_the_old_secret_still_verifies_during_the_grace_period(
    receiver: Receiver,
    subscribe: SubscribeFn,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    subscription, old = subscribe(receiver.url)
    new = subscription_rotate_secret(subscription=subscription)
    for secrets in ([old], [new]):
        receiver.secrets = secrets
        emit(subscription, django_capture_on_commit_callbacks)
    assert [r.verified for r in receiver.received] == [True, True]
    assert all(len(r.headers["webhook-signature"].split(" ")) == 2 for r in receiver.received)


def test_backoff_grows_exponentially_within_its_jitter_and_is_capped(settings: Settings) -> None:
    settings.WEBHOOK_RETRY_BASE_SECONDS = 60
    settings.WEBHOOK_RETRY_MAX_SECONDS = 3600
    assert [retry_delay(n, rand=lambda: 1.0) for n in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]
    assert [retry_delay(n, rand=lambda: 0.0) for n in range(1, 4)] == [30, 60, 120]


def test_a_failing_receiver_is_retried_with_backoff_until_it_recovers(
    receiver: Receiver,
    subscribe: SubscribeFn,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    receiver.answers = [Answer(500), Answer(503)]
    subscription, _ = subscribe(receiver.url)
    delivery = emit(subscription, django_capture_on_commit_callbacks)
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        "pending",
        1,
        500,
        "http_500",
    )
    assert delivery.last_attempt_at is not None
    assert delivery.next_attempt_at - delivery.last_attempt_at >= datetime.timedelta(seconds=0.025)
    # Before the backoff is over a message is a no-op: nothing is sent.
    assert run(delivery).attempts == 1 and len(receiver.received) == 1

    delivery = run(when_due(delivery))
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 2, "http_503")
    delivery = run(when_due(delivery))
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 3, "")
    assert log_of(delivery) == [(500, "http_500"), (503, "http_503"), (200, "")]
    assert list(receiver.ids().values()) == [3]  # one event id, sent three times
    subscription.refresh_from_db()
    assert subscription.failing_since is None  # the success cleared it


def test_a_slow_receiver_times_out_within_the_limit_and_is_retried(
    receiver: Receiver,
    subscribe: SubscribeFn,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    receiver.answers = [Answer(delay=3.0)]
    subscription, _ = subscribe(receiver.url)
    started = time.monotonic()
    delivery = emit(subscription, django_capture_on_commit_callbacks)
    assert time.monotonic() - started < 2.5  # timeout 1 s, not the receiver's 3 s
    assert (delivery.status, delivery.last_status_code, delivery.last_error) == (
        "pending",
        None,
        "ReadTimeout",
    )
    assert delivery.last_duration_ms is not None and 900 <= delivery.last_duration_ms < 2500
    delivery = run(when_due(delivery))
    assert delivery.status == "delivered" and list(receiver.ids().values()) == [2]


@pytest.fixture
def trickler() -> Iterator[int]:
    """A receiver that answers one byte every 0.1 s for 3 s: no single read ever times out."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(5)
    stop = threading.Event()

    def serve() -> None:
        try:
            connection, _ = server.accept()
        except OSError:
            return
        with connection:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"x" * 30:
                if stop.is_set():
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(0.1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    server.close()
    thread.join(timeout=5)


def test_a_trickling_receiver_is_cut_off_at_the_attempt_deadline(
    trickler: int, subscribe: SubscribeFn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    subscription, _ = subscribe(f"http://127.0.0.1:{trickler}/hooks")
    started = time.monotonic()
    delivery = emit(subscription, django_capture_on_commit_callbacks)
    assert time.monotonic() - started < 2.5  # the deadline (1 s), not the 3+ s of trickling
    assert (delivery.status, delivery.last_error) == ("pending", "ReadTimeout")


def test_a_receiver_that_always_fails_fails_for_good_and_others_proceed(
    receiver: Receiver,
    subscribe: SubscribeFn,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with Receiver() as broken:
        broken.default = Answer(500)
        failing, _ = subscribe(broken.url)
        healthy, _ = subscribe(receiver.url)
        bad = emit(failing, django_capture_on_commit_callbacks)
        good = WebhookDelivery.objects.get(subscription=healthy)
        assert good.status == "delivered" and bad.status == "pending"
        while bad.status == "pending":
            bad = run(when_due(bad))
        assert (bad.status, bad.attempts, bad.last_error) == ("failed", 3, "http_500")  # WEBHOOK_MAX_ATTEMPTS
        assert log_of(bad) == [(500, "http_500")] * 3
        assert run(bad).attempts == 3 and len(broken.received) == 3  # nothing more is sent
    later = emit(healthy, django_capture_on_commit_callbacks)
    assert later.status == "delivered" and len(receiver.received) == 2
    failing.refresh_from_db()
    assert failing.failing_since is not None and failing.is_active  # five days before disabling


def test_an_endpoint_failing_for_days_is_disabled_when_a_delivery_fails_for_good(
    settings: Settings,
    subscribe: SubscribeFn,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    with Receiver() as broken:
        broken.default = Answer(500)
        subscription, _ = subscribe(broken.url)
        WebhookSubscription.objects.filter(pk=subscription.pk).update(
            failing_since=timezone.now() - datetime.timedelta(days=5, minutes=1)
        )
        assert emit(subscription, django_capture_on_commit_callbacks).status == "failed"
    subscription.refresh_from_db()
    assert (subscription.is_active, subscription.disabled_reason) == (False, "endpoint_failing")
    assert subscription.disabled_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            webhook_event_emit(organisation_id=subscription.organisation_id, event_type=MATCH, data={}) == 0
        )


def test_a_message_delivered_twice_sends_once(
    receiver: Receiver,
    subscribe: SubscribeFn,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    subscription, _ = subscribe(receiver.url)
    delivery = emit(subscription, django_capture_on_commit_callbacks)
    assert run(run(delivery)).attempts == 1
    # A duplicate arriving while another worker holds the claim is a no-op as well.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        webhook_event_emit(organisation_id=subscription.organisation_id, event_type=MATCH, data={})
    second = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert delivery_claim(second.pk) is not None  # "another worker"
    for callback in callbacks:
        callback()
    second.refresh_from_db()
    assert (second.status, second.attempts) == ("delivering", 1)
    assert list(receiver.ids().values()) == [1]


def test_redirects_are_not_followed(
    receiver: Receiver,
    subscribe: SubscribeFn,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    receiver.answers = [Answer(302, headers={"location": "http://127.0.0.1:1/elsewhere"})]
    subscription, _ = subscribe(receiver.url)
    delivery = emit(subscription, django_capture_on_commit_callbacks)
    assert (delivery.status, delivery.last_status_code, delivery.last_error) == ("pending", 302, "http_302")
    assert len(receiver.received) == 1


def test_the_connection_goes_to_the_address_that_was_checked(
    receiver: Receiver,
    subscribe: SubscribeFn,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # The first lookup says loopback, any later one would fail: a second resolution (by the HTTP
    # client) would lose the delivery. DNS rebinding is the same trick with a private second answer.
    looked_up = fake_dns(monkeypatch, {"rebind.test": ["127.0.0.1", "NXDOMAIN"]})
    subscription, _ = subscribe(f"http://rebind.test:{receiver.port}/hooks")
    delivery = emit(subscription, django_capture_on_commit_callbacks)
    assert delivery.status == "delivered"
    assert looked_up == ["rebind.test"]
    assert receiver.received[0].headers["host"] == f"rebind.test:{receiver.port}"


def test_the_guard_runs_again_before_each_attempt(
    receiver: Receiver,
    subscribe: SubscribeFn,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    subscription, _ = subscribe(f"https://127.0.0.1:{receiver.port}/hooks")  # accepted where allowed
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    delivery = emit(subscription, django_capture_on_commit_callbacks)
    assert (delivery.status, delivery.last_status_code, delivery.last_error) == (
        "pending",
        None,
        "private_address",
    )
    assert receiver.received == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_survives_a_failed_or_broken_delivery(
    subscribe: SubscribeFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No broker: the attempt runs in-process after commit. Neither a dead endpoint nor an unexpected
    error in the delivery code reaches the caller; the delivery waits for its retry."""
    subscription, _ = subscribe(f"http://127.0.0.1:{_closed_port()}/hooks")
    with transaction.atomic():
        webhook_event_emit(
            organisation_id=subscription.organisation_id, event_type=MATCH, data={"candidate_id": 1}
        )
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "ConnectError")

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("a bug in the delivery code")

    monkeypatch.setattr("webhooks.services.deliveries.post", broken)
    with transaction.atomic():
        webhook_event_emit(
            organisation_id=subscription.organisation_id, event_type=MATCH, data={"candidate_id": 2}
        )
    second = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert (second.status, second.attempts, second.last_error, second.lease_expires_at) == (
        "pending",
        1,
        "RuntimeError",
        None,
    )
    assert log_of(second) == [(None, "RuntimeError")]
    assert WebhookEvent.objects.count() == 2


def test_a_subscription_deactivated_before_the_attempt_sends_nothing(
    receiver: Receiver,
    subscribe: SubscribeFn,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    subscription, _ = subscribe(receiver.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        webhook_event_emit(organisation_id=subscription.organisation_id, event_type=MATCH, data={})
    subscription_update(subscription=subscription, is_active=False)
    for callback in callbacks:
        callback()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_error) == ("failed", "subscription_inactive")
    assert receiver.received == []
