"""Which wake-up messages are lost: the broker's queue length tells the sweepers (docs/adr/0009).

A sweeper re-sends the message of a pending job (or webhook delivery) when that message is lost: Redis
restarted empty, or the send after commit failed. Age alone cannot tell a lost message from one waiting
behind a backlog, and re-sending every old one on top of a backlog makes the backlog grow. The broker
can tell: a queue is first in, first out, so the messages still waiting on it are the last ones sent to
it. When a queue holds W messages, at most the W most recently sent of our outstanding messages can be
among them; every older one was taken by a worker (which would have claimed its job) or is lost.

So a message counts as lost once it is older than the re-send bound (two sweeper periods: time for a
worker to take it from an idle queue) and is not among the W most recent. With the queue empty, as
after a restart, every such message is lost and the next sweep re-sends it. When the broker cannot
say (no broker: eager mode; or it does not answer), age alone decides: a duplicate is a no-op (the
claim), only a wasted message.
"""

import datetime
import logging
from typing import Any, TypeVar

from celery import current_app
from django.db.models import Model, QuerySet

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=Model)


def task_queue(task_name: str) -> str:
    """The queue ``task_name`` is routed to (``CELERY_TASK_ROUTES``, or the default queue)."""
    route = current_app.amqp.router.route({}, task_name)
    return str(route["queue"].name)


def waiting_messages(queue: str) -> int | None:
    """How many messages wait on ``queue`` (not yet taken by a worker); None when the broker cannot say."""
    if current_app.conf.task_always_eager:
        return None
    try:
        with current_app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1)
            channel: Any = connection.default_channel  # kombu's channel API is untyped beyond StdChannel
            # kombu's virtual transports (Redis): an empty queue is no key at all, which a passive
            # declare would report as an error.
            has_queue = getattr(channel, "_has_queue", None)
            if has_queue is not None and not has_queue(queue):
                return 0
            return int(channel.queue_declare(queue=queue, passive=True).message_count)
    except Exception as exc:  # the sweeper must run on; age alone decides then
        logger.warning("could not read the length of queue %s: %s", queue, type(exc).__name__)
        return None


def lost_messages(
    outstanding: QuerySet[M], *, sent_field: str, queue: str, cutoff: datetime.datetime
) -> QuerySet[M]:
    """The rows of ``outstanding`` (each with a message on its way, sent at ``sent_field``) whose
    message is lost: sent before ``cutoff`` and not among the most recent ones the queue may still hold
    (see the module docstring)."""
    old = outstanding.filter(**{f"{sent_field}__lt": cutoff})
    waiting = waiting_messages(queue)
    if not waiting:
        return old
    newest = outstanding.order_by(f"-{sent_field}", "-pk").values("pk")[:waiting]
    return old.exclude(pk__in=newest)
