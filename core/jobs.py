"""Queue a Celery task after the current transaction commits, by name, without importing the task.

Apps low in the layering (vacancies, candidates, reference) must wake up work that lives higher up
(``recruitment.tasks``) without importing it. They name the task as a string and call
``queue_task_after_commit``; the database row they changed in the same transaction is what makes the
work durable, the message is only a wake-up call (docs/adr/0002, docs/adr/0003).
"""

import logging
import threading
from typing import Any

from celery import Task, current_app
from django.db import connections, transaction

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


def queue_long_task_after_commit(task_name: str, *args: int | str) -> None:
    """As ``queue_task_after_commit``, for a long task whose progress a page shows while it runs.

    With a broker the worker runs it, as any task. Without one (the embedded default: eager tasks) an
    eager call would run it inside the request that starts it, and the browser would wait on a loading
    page until 100% (issue 12, item 17). Here it runs in a thread of this process instead, so the
    request answers at once and the progress page polls the job row like any other. The thread opens
    its own database connections and closes them at the end; SQLite serialises its writes with the
    requests' (each counted step is a short transaction of its own). A thread cut short by a restart
    leaves the job "running", as a killed worker does: the job sweeper hands it back where a beat
    runs, and the recruiter can start the recompute again from the list.
    """
    transaction.on_commit(lambda: _send_long_task(task_name, *args), robust=True)


def _send_long_task(task_name: str, *args: int | str) -> None:
    # Inside an enclosing transaction (a test's, whose on-commit callbacks run before it ends) a
    # thread's own connection could not see the rows just written: run the task here, as before.
    if not current_app.conf.task_always_eager or transaction.get_connection().in_atomic_block:
        send_task_now(task_name, *args)
        return
    thread = threading.Thread(
        target=_run_in_thread, args=(task_name, *args), name=f"eager:{task_name}", daemon=True
    )
    thread.start()


def _run_in_thread(task_name: str, *args: int | str) -> None:
    try:
        send_task_now(task_name, *args)
    except Exception:  # nobody waits on this thread: the job row records its own failure
        logger.exception("task %s failed in its thread", task_name)
    finally:
        connections.close_all()  # this thread's connections, not the requests'
