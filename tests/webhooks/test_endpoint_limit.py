"""One endpoint gets at most ``WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT`` attempts at once; its other deliveries
wait in the database, and the sweeper sends no more messages than the endpoint has free slots, never
one on top of a message still waiting in the queue, and again one the broker lost (docs/adr/0009).

The messages go to a real queue of the broker this process uses (``tests.broker_queue``), eager mode
off, as with a worker; the real worker and a slow endpoint: ``test_endpoint_limit_worker.py``."""

import datetime

import pytest
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from tests.broker_queue import drop_messages, held_queue, length
from tests.factories import OrganisationFactory
from tests.webhooks.conftest import SubscribeFn
from webhooks.events import EventType
from webhooks.models import WebhookDelivery, WebhookSubscription
from webhooks.services import delivery_claim, webhook_deliveries_sweep, webhook_event_emit
from webhooks.services.deliveries import SWEEP_PERIOD

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fast_settings"),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

DELIVER = "webhooks.tasks.deliver_webhook_task"
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def two_per_endpoint(settings: Settings) -> None:
    settings.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT = 2


def emit(subscription: WebhookSubscription, count: int) -> list[WebhookDelivery]:
    for n in range(count):
        webhook_event_emit(
            organisation_id=subscription.organisation_id,
            event_type=EventType.MATCH_CREATED,
            data={"candidate_id": n},
        )
    return list(WebhookDelivery.objects.filter(subscription=subscription).order_by("pk"))


def test_a_busy_endpoint_refuses_a_claim_and_the_delivery_waits_without_a_message(
    subscribe: SubscribeFn,
) -> None:
    subscription, _ = subscribe()
    first, second, third = emit(subscription, 3)
    assert delivery_claim(first.pk) is not None
    assert delivery_claim(second.pk) is not None
    assert delivery_claim(third.pk) is None  # two attempts under way: the endpoint is busy
    third.refresh_from_db()
    assert (third.status, third.attempts, third.message_sent_at) == ("pending", 0, None)

    other, _ = subscribe("https://other.partner.example/hooks", organisation=OrganisationFactory.create())
    (elsewhere,) = emit(other, 1)
    assert delivery_claim(elsewhere.pk) is not None  # another endpoint has its own slots

    WebhookDelivery.objects.filter(pk=first.pk).update(
        status="delivered", delivered_at=timezone.now(), lease_expires_at=None
    )
    assert delivery_claim(third.pk) is not None  # a slot came free


def test_an_expired_lease_does_not_hold_a_slot(subscribe: SubscribeFn) -> None:
    subscription, _ = subscribe()
    first, second, third = emit(subscription, 3)
    assert delivery_claim(first.pk) and delivery_claim(second.pk)
    # The worker of the first died: its lease ran out (the sweeper will hand it back).
    WebhookDelivery.objects.filter(pk=first.pk).update(lease_expires_at=timezone.now() - SECOND)
    assert delivery_claim(third.pk) is not None


def test_the_sweeper_sends_no_more_than_the_free_slots_of_each_endpoint(
    subscribe: SubscribeFn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    slow, _ = subscribe()
    other, _ = subscribe("https://other.partner.example/hooks", organisation=OrganisationFactory.create())
    with held_queue(DELIVER) as queue:
        deliveries = emit(slow, 6)
        (elsewhere,) = emit(other, 1)
        assert delivery_claim(deliveries[0].pk) is not None  # one attempt under way
        # The rest wait without a message (refused while the endpoint was busy, or a bulk emit).
        WebhookDelivery.objects.filter(status="pending").update(message_sent_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            assert webhook_deliveries_sweep().sent == 2  # one free slot at the slow endpoint, one here
        assert length(queue) == 2
        on_way = WebhookDelivery.objects.filter(status="pending", message_sent_at__isnull=False)
        sent = set(on_way.values_list("pk", flat=True))
        assert sent == {deliveries[1].pk, elsewhere.pk}  # the endpoint's oldest waiting delivery
        with django_capture_on_commit_callbacks(execute=True):
            assert webhook_deliveries_sweep().sent == 0  # its message on its way holds the slot
        assert length(queue) == 2


def test_the_sweeper_does_not_send_again_a_message_still_queued_but_does_one_lost(
    subscribe: SubscribeFn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    subscription, _ = subscribe()
    with held_queue(DELIVER) as queue:
        with django_capture_on_commit_callbacks(execute=True):
            (delivery,) = emit(subscription, 1)
        assert length(queue) == 1

        # Behind a backlog for ten minutes: still in the queue, so not sent again on top of it.
        long_ago = timezone.now() - datetime.timedelta(minutes=10)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(message_sent_at=long_ago)
        with django_capture_on_commit_callbacks(execute=True):
            assert webhook_deliveries_sweep().sent == 0
        assert length(queue) == 1

        # Redis restarted empty; two sweeper periods after the message went out, it is sent again.
        drop_messages(queue)
        two_periods_ago = timezone.now() - 2 * SWEEP_PERIOD - SECOND
        WebhookDelivery.objects.filter(pk=delivery.pk).update(message_sent_at=two_periods_ago)
        with django_capture_on_commit_callbacks(execute=True):
            assert webhook_deliveries_sweep().sent == 1
        assert length(queue) == 1
