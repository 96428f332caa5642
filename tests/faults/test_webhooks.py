"""Fault scenario: a partner's webhook endpoint down, then slow, then back (quality.md section 2).

Retried with backoff and timeouts, delivered once, and no worker starvation: while a slow endpoint
holds deliveries for their whole timeout, an unrelated vacancy edit's recompute still completes within
its bound. The workers are started the way docs/adr/0009-faults.md says: the main worker on the default
queue and, when the settings route the webhook deliveries to a queue of their own (``WEBHOOK_QUEUE``),
a worker of four processes for that queue (``-Q webhooks``). The endpoint is a loopback HTTP server in
this process (tests/webhooks/receiver.py).
"""

from collections import Counter

import pytest

from config.celery import app
from tests.faults.conftest import Scenario
from tests.faults.harness import PROCESS_ENV, healed_within, record, wait_until
from tests.faults.steps import edit, recomputed
from tests.faults.world import assert_invariants, human_work, probing, settled
from tests.webhooks.receiver import Answer, Receiver
from webhooks.events import EventType
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services import subscription_create, webhook_event_emit

pytestmark = [
    pytest.mark.faults,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

DELIVER_TASK = "webhooks.tasks.deliver_webhook_task"
EVENTS = 24  # with a 2 s timeout each, a minute of deliveries: more than two pool processes absorb
TIMEOUT = float(PROCESS_ENV["WEBHOOK_TIMEOUT_SECONDS"])
RECOMPUTE_BOUND = 15  # seconds for an unrelated recompute (it takes about one) while the endpoint is slow
WEBHOOK_PROCESSES = 4  # the webhook worker's processes (docs/adr/0009-faults.md)
DELIVERED_BOUND = 90  # seconds, once the endpoint is back, for every event to be delivered


def webhook_queue() -> str | None:
    """The queue the settings route webhook deliveries to, when it is not the default one."""
    queue = app.amqp.router.route({}, DELIVER_TASK)["queue"].name
    return None if queue == app.conf.task_default_queue else str(queue)


def test_partner_endpoint_down_slow_then_back(scenario: Scenario) -> None:
    name = "Partner webhook endpoint down, slow, then back"
    before = human_work()
    scenario.start()
    queue = webhook_queue()
    if queue is not None:
        scenario.stack.start_worker("webhooks", queues=queue, concurrency=WEBHOOK_PROCESSES)
    fault_world = scenario.world
    unrelated = fault_world.vacancies[2]
    with Receiver() as receiver, probing(fault_world) as probe:
        subscription, secret = subscription_create(
            organisation=fault_world.partner.organisation,
            url=receiver.url,
            event_types=[EventType.PLACEMENT_DECIDED],
        )
        receiver.secrets.append(secret)
        receiver.default = Answer(status=503)  # down
        for number in range(EVENTS):
            webhook_event_emit(
                organisation_id=subscription.organisation_id,
                event_type=EventType.PLACEMENT_DECIDED,
                data={"placement_id": f"fault-{number}", "decision": "interested"},
            )
        wait_until(lambda: len(receiver.ids()) >= EVENTS, "every event tried while down", timeout=60)
        receiver.default = Answer(delay=TIMEOUT + 1.5)  # slow: every attempt runs into its timeout
        slow_from = len(receiver.received)
        wait_until(
            lambda: len(receiver.received) >= slow_from + 2, "attempts at the slow endpoint", timeout=30
        )
        edit(unrelated, 1)
        recompute_s = healed_within(
            f"{name} (an unrelated recompute meanwhile)",
            recomputed(unrelated),
            "the unrelated vacancy's recompute while the endpoint is slow",
            bound=RECOMPUTE_BOUND,
            errors=lambda: len(probe.errors),
        )
        receiver.default = Answer()  # back
        back_from = len(receiver.received)
        deliveries = WebhookDelivery.objects.filter(subscription=subscription)
        healed = healed_within(
            name,
            lambda: deliveries.filter(status=DeliveryStatus.DELIVERED).count() == EVENTS,
            "every event delivered",
            bound=DELIVERED_BOUND,
            errors=lambda: len(probe.errors),
        )
        wait_until(settled, "the recomputes settled", timeout=60)
    record(name, healed, len(probe.errors), seen=probe.errors, unrelated_recompute_s=round(recompute_s, 1))
    # Delivered once: after the endpoint came back each event arrived (and was answered 200) once.
    with receiver.lock:
        answered = Counter(r.headers["webhook-id"] for r in receiver.received[back_from:])
    assert len(answered) == EVENTS and set(answered.values()) == {1}, answered
    # Retried with backoff and timeouts: each delivery took more than one attempt, none was given up.
    assert not deliveries.filter(attempts__lt=2).exists()
    assert all(r.verified for r in receiver.received)
    assert_invariants(before)
    assert probe.errors == []
