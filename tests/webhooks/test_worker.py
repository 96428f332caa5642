"""Webhook delivery with real Celery workers, the Redis broker and PostgreSQL.

Each test starts worker processes on a queue of its own and routes the webhook tasks there from this
process (which otherwise runs tasks eagerly). The workers run with eager mode off (``-- task.always_eager
=false``), as in production, so a retry's countdown message goes back through Redis to their queue.
The receiver is a loopback HTTP server in this process. Every wait has a deadline; workers are always
stopped in teardown.
"""

import subprocess
from collections.abc import Callable, Iterator

import pytest
from django.db import transaction
from django.utils import timezone

from config.celery import app
from core.models import WorkerHeartbeat
from tests.webhooks.conftest import SubscribeFn
from tests.webhooks.receiver import Answer, Receiver
from tests.workers import DEADLINE, Workers, routed_to, wait_for
from webhooks.events import EventType
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from webhooks.services import webhook_deliveries_sweep, webhook_event_emit
from webhooks.tasks import deliver_webhook_task

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

WORKER_SETTINGS = {
    "WEBHOOK_TIMEOUT_SECONDS": "3",
    "WEBHOOK_RETRY_BASE_SECONDS": "1",
    "WEBHOOK_RETRY_MAX_SECONDS": "2",
    "WEBHOOK_MAX_ATTEMPTS": "4",
}


class WebhookWorkers(Workers):
    """Workers with short webhook timeouts and retries, eager mode off as in production."""

    def __init__(self) -> None:
        super().__init__("test-webhooks")

    def start(
        self,
        *,
        env: dict[str, str] | None = None,
        eager_off: bool = True,
        prefork: bool = False,
        concurrency: int = 1,
    ) -> subprocess.Popen[str]:
        return super().start(
            # Messages the worker sends itself (a hand-on to a waiting delivery) go to this queue too.
            env={**WORKER_SETTINGS, "WEBHOOK_QUEUE": self.queue, **(env or {})},
            eager_off=eager_off,
            prefork=prefork,
            concurrency=concurrency,
        )

    def drained(self, index: int) -> Callable[[], bool]:
        """Send a marker behind everything on the queue; true once worker ``index`` ran it."""
        app.send_task("core.tasks.record_heartbeat_task", queue=self.queue)
        return lambda: WorkerHeartbeat.objects.filter(worker=self.node(index)).exists()


@pytest.fixture
def workers() -> Iterator[WebhookWorkers]:
    with routed_to(WebhookWorkers(), "webhooks.tasks.*") as pool:
        yield pool


def emit(subscription: WebhookSubscription) -> None:
    with transaction.atomic():  # the caller's transaction: the message goes out on commit
        webhook_event_emit(
            organisation_id=subscription.organisation_id,
            event_type=EventType.PLACEMENT_DECIDED,
            data={"placement_id": "7b0e", "decision": "interested"},
        )


def status_of(subscription: WebhookSubscription) -> Callable[[], str | None]:
    return lambda: (
        WebhookDelivery.objects.filter(subscription=subscription).values_list("status", flat=True).first()
    )


def test_the_worker_delivers_after_commit_and_retries_through_redis(
    workers: WebhookWorkers, receiver: Receiver, subscribe: SubscribeFn
) -> None:
    workers.start()
    subscription, secret = subscribe(receiver.url)
    receiver.secrets = [secret]
    receiver.answers = [Answer(500)]  # the first attempt fails; the countdown message brings the second
    emit(subscription)
    wait_for(lambda: status_of(subscription)() == "delivered", "the worker to deliver")
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 2
    assert list(WebhookAttempt.objects.filter(delivery=delivery).values_list("status_code", flat=True)) == [
        500,
        200,
    ]
    assert all(r.verified for r in receiver.received) and list(receiver.ids().values()) == [2]


def test_a_message_sent_three_times_delivers_once(
    workers: WebhookWorkers, receiver: Receiver, subscribe: SubscribeFn
) -> None:
    subscription, _ = subscribe(receiver.url)
    emit(subscription)  # the first message waits in Redis: no worker yet
    delivery = WebhookDelivery.objects.get()
    deliver_webhook_task.apply_async((delivery.pk,))
    deliver_webhook_task.apply_async((delivery.pk,))
    workers.start()
    wait_for(workers.drained(0), "the worker to consume all three messages")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert list(receiver.ids().values()) == [1]


def test_a_worker_killed_mid_delivery_is_healed_by_the_sweeper(
    workers: WebhookWorkers, receiver: Receiver, subscribe: SubscribeFn
) -> None:
    receiver.answers = [Answer(delay=2.0)]  # slow enough to be killed in the middle
    subscription, _ = subscribe(receiver.url)
    doomed = workers.start()
    emit(subscription)
    assert receiver.arrived.wait(DEADLINE), "the worker did not start the delivery"
    workers.kill(doomed)  # SIGKILL while the request is in flight
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.delivered_at) == ("delivering", 1, None)

    # Time passes: the lease expires. A new worker starts, and the sweeper (beat, every minute) runs.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(lease_expires_at=timezone.now())
    workers.start()
    report = webhook_deliveries_sweep()
    assert report.expired_requeued == 1
    wait_for(lambda: status_of(subscription)() == "delivered", "the re-queued delivery")
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert list(WebhookAttempt.objects.filter(delivery=delivery).values_list("error", flat=True)) == [
        "lease_expired",
        "",
    ]
    # At least once: the receiver saw the event twice, under one id, and deduplicates by it.
    assert list(receiver.ids().values()) == [2]
    assert webhook_deliveries_sweep().expired_requeued == 0
    assert WebhookSubscription.objects.get(pk=subscription.pk).is_active
