"""A recompute job whose message was lost (Redis restarted empty) is sent again by the next sweep once
two sweeper periods have passed, and one whose message still waits in the queue is not sent again on
top of it (docs/adr/0009). The sweep runs as a function here, its clock moved by backdating ``sent_at``;
the messages go to a real queue of the broker this process uses (``tests.broker_queue``)."""

import datetime

import pytest
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from recruitment import services
from recruitment.models import MatchJob
from recruitment.services.jobs import PENDING_BOUND, RESEND_AFTER, SWEEP_PERIOD
from tests.broker_queue import drop_messages, held_queue, length
from tests.recruitment.world import build_world, welder_vacancy

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
