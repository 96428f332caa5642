"""Production is closed by default; the sweeper is scheduled; the tasks are registered by name."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from config.celery import app
from core.broker import task_queue
from recruitment.services.jobs import CANDIDATE_TASK, VACANCY_TASK
from webhooks.services.deliveries import DELIVER_TASK, SWEEP_PERIOD, SWEEP_TASK

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_refuse_private_targets_and_plain_http_by_default() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEBHOOK_")}
    code = (
        "import config.settings.base as s; print(s.WEBHOOK_ALLOW_PRIVATE_TARGETS, s.WEBHOOK_TIMEOUT_SECONDS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "SECRET_KEY": "only-for-this-check"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "5"]


def test_the_sweeper_runs_every_sweep_period_and_the_tasks_exist() -> None:
    app.loader.import_default_modules()
    entry = app.conf.beat_schedule["sweep-webhook-deliveries"]
    assert (entry["task"], entry["schedule"]) == (SWEEP_TASK, SWEEP_PERIOD.total_seconds())
    assert {DELIVER_TASK, SWEEP_TASK} <= set(app.tasks)
    assert app.tasks[DELIVER_TASK].acks_late is True


def test_deliveries_have_a_queue_of_their_own_and_the_sweepers_stay_on_the_default_one() -> None:
    """A webhook worker (``-Q webhooks``) sends; a slow endpoint never holds the default worker, which
    runs both sweepers (a sweep must not wait behind a delivery backlog) and the recomputes (on their
    own queue: tests/core/test_queues.py)."""
    default = app.conf.task_default_queue
    assert settings.WEBHOOK_QUEUE == "webhooks" != default
    assert task_queue(DELIVER_TASK) == settings.WEBHOOK_QUEUE
    for name in (SWEEP_TASK, "recruitment.tasks.sweep_stale_matches_task"):
        assert task_queue(name) == default
    for name in (VACANCY_TASK, CANDIDATE_TASK):
        assert task_queue(name) == settings.MATCH_QUEUE != settings.WEBHOOK_QUEUE
