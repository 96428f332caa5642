"""A bulk recompute whose worker died is handed back by the sweeper and resumes where it stopped."""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.utils import timezone

from core.models import BackgroundJob
from recruitment.models import Match
from recruitment.services.background import STUCK_AFTER, background_jobs_sweep
from tests.recruitment.world import build_world, welder_candidate, welder_vacancy

pytestmark = pytest.mark.django_db
Commit = Callable[..., AbstractContextManager[Any]]


def test_a_stuck_job_is_requeued_and_resumes_after_what_it_counted(
    django_capture_on_commit_callbacks: Commit,
) -> None:
    world = build_world()
    with django_capture_on_commit_callbacks(execute=True):
        welder_candidate(world)
        first, second = welder_vacancy(world), welder_vacancy(world)
    Match.objects.all().delete()  # only a real recompute brings them back
    long_ago = timezone.now() - STUCK_AFTER - datetime.timedelta(minutes=1)
    # The worker died after counting the first vacancy.
    stuck = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.BULK_RECOMPUTE,
        status=BackgroundJob.Status.RUNNING,
        started_at=long_ago,
        subject_ids=[first.pk, second.pk],
        total=2,
        done=1,
    )
    # Still within its time limit: left alone.
    alive = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.BULK_RECOMPUTE,
        status=BackgroundJob.Status.RUNNING,
        started_at=timezone.now(),
        subject_ids=[first.pk],
        total=1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert background_jobs_sweep() == 1
    stuck.refresh_from_db()
    alive.refresh_from_db()
    assert (stuck.status, stuck.done) == (BackgroundJob.Status.DONE, 2)
    assert (alive.status, alive.done) == (BackgroundJob.Status.RUNNING, 0)
    # Resumed after the counted vacancy: only the second one was recomputed.
    assert not Match.objects.filter(vacancy=first).exists()
    assert Match.objects.filter(vacancy=second).count() == 1
    # Nothing left to hand back.
    assert background_jobs_sweep() == 0
