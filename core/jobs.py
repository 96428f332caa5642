"""Queue a Celery task after the current transaction commits, by name, without importing the task.

Apps low in the layering (vacancies, candidates, reference) must wake up work that lives higher up
(``recruitment.tasks``) without importing it. They name the task as a string and call
``queue_task_after_commit``; the database row they changed in the same transaction is what makes the
work durable, the message is only a wake-up call (docs/adr/0002, docs/adr/0003).
"""

import logging
from typing import Any

from celery import Task, current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def _task(task_name: str) -> Task[Any, Any]:
    """The registered task ``task_name``; task modules are imported on first use in a web process."""
    tasks = current_app.tasks
    if task_name not in tasks:
        current_app.loader.import_default_modules()
    return tasks[task_name]


def send_task_now(task_name: str, *args: int | str) -> None:
    """Send (or, without a broker, run in-process) the task ``task_name`` with ``args`` at once."""
    _task(task_name).apply_async(args)


def queue_task_after_commit(task_name: str, *args: int | str) -> None:
    """Send ``task_name(*args)`` once the current transaction commits; nothing if it rolls back.

    ``robust=True``: a broker outage (or, in eager mode, a failing task) is logged but must not turn a
    committed change into an error page. Nothing is lost: the change itself marked the affected rows
    stale, and the periodic sweeper re-queues whatever is still stale. Arguments are ids only, never
    personal data (monitoring tools display them).
    """
    transaction.on_commit(lambda: send_task_now(task_name, *args), robust=True)
