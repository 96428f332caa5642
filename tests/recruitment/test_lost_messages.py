"""A recompute job whose message was lost (Redis restarted empty) is sent again by the next sweep once
two sweeper periods have passed, and one whose message still waits in the queue is not sent again on
top of it (docs/adr/0009). The sweep runs as a function here, its clock moved by backdating ``sent_at``;
the messages go to a real queue of the broker this process uses (``tests.broker_queue``)."""

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from config.celery import app
from recruitment import services
from recruitment.models import MatchJob
from recruitment.services.jobs import PENDING_BOUND, RESEND_AFTER, SWEEP_PERIOD, VACANCY_TASK
from tests.broker_queue import drop_messages, held_queue, held_queues, length
from tests.faults.harness import web_side_on
from tests.recruitment.world import build_world, welder_vacancy
from tests.redis_server import private_redis

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

SECOND = datetime.timedelta(seconds=1)


def test_a_lost_message_is_sent_again_within_two_sweeper_periods_and_a_waiting_one_is_not(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    vacancy = welder_vacancy(build_world())  # computed in-process (eager) before the queue is held
    with held_queue("recruitment.tasks.*") as queue:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_create(MatchJob.Kind.VACANCY, vacancy.pk)
        assert length(queue) == 1  # its message waits: no worker on this queue

        # Behind a backlog for eleven minutes: still in the queue, so not sent again on top of it.
        MatchJob.objects.filter(pk=job.pk).update(sent_at=timezone.now() - datetime.timedelta(minutes=11))
        with django_capture_on_commit_callbacks(execute=True):
            assert services.matches_sweep().resent == 0
        assert length(queue) == 1

        # Redis restarted empty: the message is gone, and two sweeper periods have passed since it went.
        drop_messages(queue)
        MatchJob.objects.filter(pk=job.pk).update(sent_at=timezone.now() - 2 * SWEEP_PERIOD - SECOND)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.matches_sweep().resent == 1
        assert length(queue) == 1
        job.refresh_from_db()
        assert job.status == "pending"
        assert job.sent_at is not None and job.sent_at > timezone.now() - SWEEP_PERIOD

        # Sent again just now: the next sweep leaves it alone.
        with django_capture_on_commit_callbacks(execute=True):
            assert services.matches_sweep().resent == 0


def test_other_tasks_waiting_on_the_default_queue_do_not_keep_a_lost_job_waiting(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    """Behind a busy worker the periodic tasks wait on the default queue. Routed as the settings route
    them, they are not counted as possibly the job's message: the lost one is sent again."""
    vacancy = welder_vacancy(build_world())
    recompute_queue = settings.CELERY_TASK_ROUTES.get(VACANCY_TASK, {}).get("queue")
    recomputes = tuple(
        name for name, route in settings.CELERY_TASK_ROUTES.items() if route["queue"] == recompute_queue
    )
    with held_queues(recomputes, ("*",)) as (queue, default):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_create(MatchJob.Kind.VACANCY, vacancy.pk)
        drop_messages(queue)  # lost (Redis restarted empty), two sweeper periods ago
        MatchJob.objects.filter(pk=job.pk).update(sent_at=timezone.now() - 2 * SWEEP_PERIOD - SECOND)
        for task in ("recruitment.tasks.sweep_stale_matches_task", "core.tasks.record_heartbeat_task"):
            app.send_task(task)  # beat's, waiting for a free worker process
        assert length(default) == 2
        with django_capture_on_commit_callbacks(execute=True):
            assert services.matches_sweep().resent == 1
        assert length(queue) == 1


def test_a_message_sent_moments_ago_is_not_presumed_lost(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    vacancy = welder_vacancy(build_world())
    with held_queue("recruitment.tasks.*") as queue:
        with django_capture_on_commit_callbacks(execute=True):
            services.job_create(MatchJob.Kind.VACANCY, vacancy.pk)
        drop_messages(queue)  # lost at once, but a worker may simply not have taken it yet
        with django_capture_on_commit_callbacks(execute=True):
            assert services.matches_sweep().resent == 0


def test_the_consistency_check_allows_for_the_resend_bound() -> None:
    """A lost message goes out again at most one sweeper period after ``RESEND_AFTER``, and an idle
    worker claims its job at once (pending ends there; running has its lease): well within what
    ``check_match_consistency`` allows a job to stay pending."""
    assert RESEND_AFTER <= 2 * SWEEP_PERIOD
    assert RESEND_AFTER + 2 * SWEEP_PERIOD <= PENDING_BOUND


def test_after_the_broker_restarted_the_first_sweep_sends_again_what_was_sent_before_it(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    """A message sent a minute ago, before Redis restarted empty, is lost for sure: it is sent again at
    once rather than two sweeper periods after it went; one sent since the restart is left alone."""
    world = build_world()
    vacancy = welder_vacancy(world)
    other = welder_vacancy(world, min_experience_years=3)
    with private_redis() as server, web_side_on(server), held_queue("recruitment.tasks.*") as queue:
        with django_capture_on_commit_callbacks(execute=True):
            before = services.job_create(MatchJob.Kind.VACANCY, vacancy.pk)
        young = timezone.now() - SWEEP_PERIOD  # younger than the re-send bound
        MatchJob.objects.filter(pk=before.pk).update(sent_at=young)
        server.stop()
        server.start()  # empty; the message went with the old server
        time.sleep(1.5)  # a restart a whole second ago: Redis counts its uptime in seconds
        with django_capture_on_commit_callbacks(execute=True):
            after = services.job_create(MatchJob.Kind.VACANCY, other.pk)  # sent to the new server
        drop_messages(queue)  # ... and taken by a worker (not claimed yet: the claim would close it)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.matches_sweep().resent == 1
        assert length(queue) == 1
        before.refresh_from_db()
        after.refresh_from_db()
        assert before.sent_at is not None and before.sent_at > young  # sent again
        assert after.sent_at is not None and after.sent_at < before.sent_at  # left alone
