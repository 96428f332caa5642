"""Each queue whose length a sweeper reads carries its own messages only (core.broker).

The sweepers tell a lost message from a waiting one by the length of its queue: with W messages
waiting, the W most recently sent of their outstanding messages may be among them. Another task's
message in that queue would count in W and keep a lost job waiting. So the recomputes and the webhook
deliveries each have a queue of their own, and every other task goes to the default queue, which the
default worker consumes with the recomputes' (``make worker``; a worker started without -Q too).
"""

from pathlib import Path

from django.conf import settings

from config.celery import app
from core.broker import task_queue
from recruitment.services.jobs import CANDIDATE_TASK, VACANCY_TASK
from webhooks.services.deliveries import DELIVER_TASK


def test_the_recomputes_and_the_deliveries_alone_have_their_queues() -> None:
    app.loader.import_default_modules()
    default = app.conf.task_default_queue
    own = {VACANCY_TASK: settings.MATCH_QUEUE, CANDIDATE_TASK: settings.MATCH_QUEUE}
    own[DELIVER_TASK] = settings.WEBHOOK_QUEUE
    assert len({default, settings.MATCH_QUEUE, settings.WEBHOOK_QUEUE}) == 3
    ours = [name for name in app.tasks if not name.startswith("celery.")]
    assert set(own) <= set(ours)
    assert {name: task_queue(name) for name in ours} == {name: own.get(name, default) for name in ours}


def test_a_worker_started_without_queues_consumes_the_default_queue_and_the_recomputes() -> None:
    """Each bound under its own name only: a queue bound under another's routing key would receive
    a copy of every message sent to that key."""
    queues = app.conf.task_queues
    assert [queue.name for queue in queues] == [app.conf.task_default_queue, settings.MATCH_QUEUE]
    assert [(queue.exchange.name, queue.routing_key) for queue in queues] == [
        (q.name, q.name) for q in queues
    ]


def test_the_default_worker_is_started_on_those_queues() -> None:
    """``make worker`` and docker-compose's worker name the queues a worker without -Q would take."""
    root = Path(__file__).resolve().parents[2]
    assert f"worker -Q {settings.DEFAULT_WORKER_QUEUES} " in (root / "Makefile").read_text()
    assert f'"-Q", "{settings.DEFAULT_WORKER_QUEUES}"' in (root / "docker-compose.yml").read_text()
