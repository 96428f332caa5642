"""Which wake-up messages are lost: the broker's queue length tells the sweepers (docs/adr/0009).

A sweeper re-sends the message of a pending job (or webhook delivery) when that message is lost: Redis
restarted empty, or the send after commit failed. Age alone cannot tell a lost message from one waiting
behind a backlog, and re-sending every old one on top of a backlog makes the backlog grow. The broker
can tell: a queue is first in, first out, so the messages still waiting on it are the last ones sent to
it. When a queue holds W messages, at most the W most recently sent of our outstanding messages can be
among them; every older one was taken by a worker (which would have claimed its job) or is lost.

That holds only if the queue carries nothing else: other tasks' messages waiting there (the periodic
sweepers behind a busy worker) would count in W and keep the newest lost jobs waiting until a sweep
happened to find the queue empty. So the recomputes and the webhook deliveries each have a queue of
their own (``MATCH_QUEUE``, ``WEBHOOK_QUEUE``; ``tests/core/test_queues.py`` holds it).

So a message counts as lost once it is older than the re-send bound (two sweeper periods: time for a
worker to take it from an idle queue) and is not among the W most recent. With the queue empty, as
after a restart, every such message is lost and the next sweep re-sends it. When the broker cannot
say (no broker: eager mode; or it does not answer), age alone decides: a duplicate is a no-op (the
claim), only a wasted message.

A broker that restarted tells more: every message sent to it before it started went to the server that
stopped. Redis reports how long it has been up, so a message sent before that moment (and not among the
W most recent, in case the server kept its queues on disk) counts as lost at once, whatever its age:
after a restart the first sweep re-sends the lost work instead of waiting the re-send bound out.
"""

import datetime
import logging
from typing import Any, TypeVar

from celery import current_app
from django.db.models import Model, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=Model)


def task_queue(task_name: str) -> str:
    """The queue ``task_name`` is routed to (``CELERY_TASK_ROUTES``, or the default queue)."""
    route = current_app.amqp.router.route({}, task_name)
    return str(route["queue"].name)


def _queue_length(channel: Any, queue: str) -> int:
    # kombu's virtual transports (Redis): an empty queue is no key at all, which a passive declare would
    # report as an error.
    has_queue = getattr(channel, "_has_queue", None)
    if has_queue is not None and not has_queue(queue):
        return 0
    return int(channel.queue_declare(queue=queue, passive=True).message_count)


def _started_at(channel: Any) -> datetime.datetime | None:
    """When the broker's server started, by this process's clock (its uptime, so no clock skew), a
    second early to be safe; None for a broker that cannot say (kombu's in-memory transport)."""
    acquire = getattr(channel, "conn_or_acquire", None)  # kombu's Redis channel: a redis-py client
    if acquire is None:
        return None
    with acquire() as client:
        uptime = int(client.info("server")["uptime_in_seconds"])
    return timezone.now() - datetime.timedelta(seconds=uptime + 1)


def _broker_state(queue: str) -> tuple[int | None, datetime.datetime | None]:
    """How many messages wait on ``queue``, and when the broker started; None for what it cannot say."""
    if current_app.conf.task_always_eager:
        return None, None
    try:
        with current_app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1)
            channel: Any = connection.default_channel  # kombu's channel API is untyped beyond StdChannel
            return _queue_length(channel, queue), _started_at(channel)
    except Exception as exc:  # the sweeper must run on; age alone decides then
        logger.warning("could not read the length of queue %s: %s", queue, type(exc).__name__)
        return None, None


def waiting_messages(queue: str) -> int | None:
    """How many messages wait on ``queue`` (not yet taken by a worker); None when the broker cannot say."""
    return _broker_state(queue)[0]


def lost_messages(
    outstanding: QuerySet[M], *, sent_field: str, queue: str, cutoff: datetime.datetime
) -> QuerySet[M]:
    """The rows of ``outstanding`` (each with a message on its way, sent at ``sent_field``) whose
    message is lost: sent before ``cutoff``, or before the broker last started, and not among the most
    recent ones the queue may still hold (see the module docstring)."""
    waiting, started = _broker_state(queue)
    if started is not None:
        cutoff = max(cutoff, started)
    old = outstanding.filter(**{f"{sent_field}__lt": cutoff})
    if not waiting:
        return old
    newest = outstanding.order_by(f"-{sent_field}", "-pk").values("pk")[:waiting]
    return old.exclude(pk__in=newest)
