"""A slow partner endpoint cannot starve the recomputes, nor take more than its share of the webhook
worker (docs/adr/0009): real worker processes, the Redis broker and PostgreSQL.

Two workers, as in production: one on the recompute queue, one (four pool processes) on the webhook
queue, each a private queue of this test. The endpoint holds every request until the test lets go
(bounded), and counts the requests it holds at once. Every wait has a deadline; workers are always
stopped and the endpoint always released in teardown.
"""

import threading
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import transaction

from config.celery import app
from core.models import WorkerHeartbeat
from recruitment.models import MatchJob
from tests.recruitment.world import build_world, welder_vacancy
from tests.webhooks.conftest import SubscribeFn
from tests.workers import Workers, wait_for
from vacancies.models import Vacancy
from vacancies.services import vacancy_update
from webhooks.events import EventType
from webhooks.models import WebhookDelivery
from webhooks.services import webhook_event_emit

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

PER_ENDPOINT = 2
HOLD_AT_MOST = 60  # seconds a request is held if the test never lets go
STARTUP = 90  # seconds for a worker to take its first message


class SlowEndpoint:
    """Holds each request until ``release`` is set; ``held`` now, ``most_held`` ever, ids seen."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.held = 0
        self.most_held = 0
        self.ids: Counter[str] = Counter()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", "0")))
                with endpoint.lock:
                    endpoint.held += 1
                    endpoint.most_held = max(endpoint.most_held, endpoint.held)
                    endpoint.ids[self.headers["webhook-id"]] += 1
                endpoint.release.wait(HOLD_AT_MOST)
                with endpoint.lock:
                    endpoint.held -= 1
                try:
                    self.send_response(200)
                    self.send_header("content-length", "0")
                    self.end_headers()
                except OSError:
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.daemon = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def now_held(self) -> int:
        with self.lock:
            return self.held


@pytest.fixture
def endpoint() -> Iterator[SlowEndpoint]:
    running = SlowEndpoint()
    running.thread.start()
    try:
        yield running
    finally:
        running.release.set()
        running.server.shutdown()
        running.server.server_close()


@pytest.fixture
def pools() -> Iterator[tuple[Workers, Workers]]:
    """A recompute worker pool and a webhook worker pool, each on a private queue; the webhook tasks
    are routed to theirs here and, through ``WEBHOOK_QUEUE``, in both workers (hand-ons, emits)."""
    recompute, webhooks = Workers("test-recompute"), Workers("test-webhooks")
    conf = app.conf
    saved = (conf.task_always_eager, conf.task_routes)
    conf.task_always_eager = False
    conf.task_routes = {
        "recruitment.tasks.*": {"queue": recompute.queue},
        "webhooks.tasks.deliver_webhook_task": {"queue": webhooks.queue},
    }
    app.amqp.flush_routes()
    del app.amqp.router
    try:
        yield recompute, webhooks
    finally:
        recompute.stop_all()
        webhooks.stop_all()
        conf.task_always_eager, conf.task_routes = saved
        app.amqp.flush_routes()
        del app.amqp.router


def statuses() -> Counter[str]:
    return Counter(WebhookDelivery.objects.values_list("status", flat=True))


def test_a_slow_endpoint_neither_delays_a_recompute_nor_takes_more_than_its_slots(
    pools: tuple[Workers, Workers], endpoint: SlowEndpoint, subscribe: SubscribeFn
) -> None:
    recompute, webhooks = pools
    shared = {"WEBHOOK_QUEUE": webhooks.queue}
    recompute.start(env=shared)
    webhooks.start(
        env={
            **shared,
            "WEBHOOK_TIMEOUT_SECONDS": str(HOLD_AT_MOST + 30),  # the endpoint answers; we never give up
            "WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT": str(PER_ENDPOINT),
        },
        eager_off=True,
        prefork=True,
        concurrency=4,  # more processes than the endpoint's slots: the limit, not the pool, holds it
    )
    # Both workers take messages before the scene is set (four pool processes start slowly on a busy
    # machine): a marker on the webhook queue, and the first recompute on the other.
    app.send_task("core.tasks.record_heartbeat_task", queue=webhooks.queue)
    node = webhooks.node(0)
    wait_for(lambda: WorkerHeartbeat.objects.filter(worker=node).exists(), "the webhook worker", STARTUP)
    vacancy = welder_vacancy(build_world())
    wait_for(
        lambda: not MatchJob.objects.filter(status__in=["pending", "running"]).exists(),
        "the recompute",
        STARTUP,
    )

    subscription, _ = subscribe(endpoint.url, event_types=[EventType.PLACEMENT_DECIDED])
    for n in range(6):
        with transaction.atomic():  # each message goes out on commit, to the webhook queue
            webhook_event_emit(
                organisation_id=subscription.organisation_id,
                event_type=EventType.PLACEMENT_DECIDED,
                data={"placement_id": str(n), "decision": "interested"},
            )
    wait_for(lambda: endpoint.now_held() == PER_ENDPOINT, "the endpoint to hold its first requests")
    # The other four wait in the database, refused by the busy endpoint: no worker process holds them.
    wait_for(lambda: statuses() == Counter(delivering=2, pending=4), "the busy endpoint's refusals")
    assert WebhookDelivery.objects.filter(status="pending", message_sent_at__isnull=False).count() == 0

    # An unrelated vacancy edit is recomputed while the endpoint still holds its requests.
    vacancy_update(Vacancy.objects.get(pk=vacancy.pk), min_experience_years=Decimal(3))
    wait_for(
        lambda: MatchJob.objects.filter(vacancy=vacancy, status="done").count() == 2, "the edit's recompute"
    )
    assert endpoint.now_held() == PER_ENDPOINT
    assert statuses() == Counter(delivering=2, pending=4)

    # Let go: each finished attempt hands its slot to a waiting delivery; no sweeper runs here.
    endpoint.release.set()
    wait_for(lambda: statuses() == Counter(delivered=6), "every delivery")
    assert endpoint.most_held == PER_ENDPOINT
    assert sorted(endpoint.ids.values()) == [1] * 6  # each event once, under its own id
