"""A real Celery worker process consumes a task from the real Redis broker and writes to PostgreSQL."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app
from core.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker() -> Iterator[tuple[str, str]]:
    """Start a worker on a queue of its own, so no other worker on this machine can take the message."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    node = f"{queue}@testhost"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _test_database_url(),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "-n",
            node,
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield queue, node
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output)  # shown by pytest when the test fails


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_real_worker_completes_a_task_sent_through_redis(worker: tuple[str, str]) -> None:
    queue, node = worker
    # send_task goes through the broker even where tasks otherwise run eagerly.
    app.send_task("core.tasks.record_heartbeat_task", queue=queue)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        beat = WorkerHeartbeat.objects.filter(worker=node).first()
        if beat is not None:
            break
        time.sleep(0.5)
    assert beat is not None, "the worker did not complete the task within 90 s"
    assert beat.beats == 1


def test_celery_is_configured_for_at_least_once_delivery() -> None:
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"]
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert "record-worker-heartbeat" in conf.beat_schedule
