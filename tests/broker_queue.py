"""A queue of the test's own in the broker this process uses, with no worker on it: messages sent there
wait, as they do behind a backlog, until the test drops them (as Redis restarted empty would).

The broker is Redis when REDIS_URL is set, else kombu's in-memory transport: both keep a queue first in,
first out, which is all the sweepers rely on (``core.broker``). Eager mode is off meanwhile, so that the
code under test really sends its messages; routes and eager mode are restored and the queue purged at
the end.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from config.celery import app
from core.broker import waiting_messages


@contextmanager
def held_queue(*task_patterns: str) -> Iterator[str]:
    """Route the tasks matching ``task_patterns`` to a new queue nobody consumes; yields its name."""
    with held_queues(task_patterns) as (queue,):
        yield queue


@contextmanager
def held_queues(*groups: tuple[str, ...]) -> Iterator[list[str]]:
    """``held_queue`` for each group of task patterns, in order (the first group whose pattern matches
    a task routes it); yields the queues' names."""
    queues = [f"test-held-{uuid.uuid4().hex[:12]}" for _ in groups]
    conf = app.conf
    saved = (conf.task_always_eager, conf.task_routes)
    conf.task_always_eager = False
    conf.task_routes = [
        {pattern: {"queue": queue} for pattern in patterns}
        for queue, patterns in zip(queues, groups, strict=True)
    ]
    app.amqp.flush_routes()
    del app.amqp.router  # rebuilt from the routes above on first use
    try:
        yield queues
    finally:
        for queue in queues:
            drop_messages(queue)
        conf.task_always_eager, conf.task_routes = saved
        app.amqp.flush_routes()
        del app.amqp.router


def drop_messages(queue: str) -> None:
    """Lose every message waiting on ``queue``: what a broker restarted empty does to it."""
    with app.connection_for_write() as connection:
        channel: Any = connection.default_channel  # kombu's channel API is untyped beyond StdChannel
        channel.queue_purge(queue)


def length(queue: str) -> int:
    count = waiting_messages(queue)
    assert count is not None, "the broker did not answer"
    return count
