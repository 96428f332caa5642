"""Long work started from a page, fed to a progress bar by a ``core.models.BackgroundJob`` row.

The bulk recompute: a recruiter asks for the matches of the vacancies in a (filtered) list to be
recomputed. ``bulk_recompute_start`` records the job and queues its task after commit; the task
(``recruitment.tasks.run_bulk_recompute_task``) calls ``bulk_recompute_run``, which claims the job with
a conditional UPDATE (pending -> running, exactly one row), so a message delivered twice runs once. It
then recomputes each vacancy with the ordinary vacancy recompute, synchronously, and counts each one
with an UPDATE of ``done`` in the database (``F('done') + 1``), which the job page polls.

Idempotent by construction: the vacancy recompute claims a ``MatchJob`` of its own and writes the same
rows when run twice; a vacancy whose recompute another worker is running right now is left to it (that
run computes the current version). ``error`` holds an exception class name only, never a message,
which could quote data about people.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.jobs import queue_long_task_after_commit, queue_task_after_commit
from core.models import BackgroundJob, User
from recruitment.models import MatchJob
from recruitment.services.jobs import error_code, job_create
from recruitment.services.recompute import vacancy_matches_recompute
from vacancies.models import Vacancy

logger = logging.getLogger(__name__)

BULK_RECOMPUTE_TASK = "recruitment.tasks.run_bulk_recompute_task"
# One task works through the whole list within the task's time limit (recruitment.tasks): about a
# second per vacancy at the benchmark's scale, so a longer list is refused (narrow the filters).
MAX_BULK_VACANCIES = 1_000
# The task's hard time limit (recruitment.tasks), under the broker's visibility timeout. A job still
# running well after it lost its worker (killed, or out of time): the sweeper hands it back.
BULK_RECOMPUTE_TIME_LIMIT = 3400
STUCK_AFTER = datetime.timedelta(seconds=BULK_RECOMPUTE_TIME_LIMIT + 60)


class BulkRecomputeTooLarge(ValueError):
    """More vacancies than one bulk recompute may take."""


@transaction.atomic
def bulk_recompute_start(*, user: User, vacancy_ids: list[int]) -> BackgroundJob:
    """Record a pending bulk recompute of ``vacancy_ids`` by ``user`` and queue it after commit."""
    if len(vacancy_ids) > MAX_BULK_VACANCIES:
        raise BulkRecomputeTooLarge(len(vacancy_ids))
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.BULK_RECOMPUTE,
        requested_by=user,
        subject_ids=list(vacancy_ids),
        total=len(vacancy_ids),
    )
    # Without a broker, in a thread of its own: the request answers and the page shows the progress.
    queue_long_task_after_commit(BULK_RECOMPUTE_TASK, job.pk)
    return job


def bulk_recompute_claim(job_id: int) -> BackgroundJob | None:
    """Take a pending job: one conditional UPDATE that must change exactly one row, else None (another
    delivery has it, or it is finished)."""
    claimed = BackgroundJob.objects.filter(
        pk=job_id, kind=BackgroundJob.Kind.BULK_RECOMPUTE, status=BackgroundJob.Status.PENDING
    ).update(status=BackgroundJob.Status.RUNNING, started_at=timezone.now())
    if claimed != 1:
        return None
    return BackgroundJob.objects.get(pk=job_id)


def bulk_recompute_run(*, job_id: int) -> BackgroundJob | None:
    """Run a pending bulk recompute to its end; None when the claim fails (a duplicate message).

    Ends ``done`` (every vacancy counted) or ``failed`` at the first error, with its class name. A
    vacancy recompute that failed hands its own match job back (transient errors) or fails it, and the
    sweeper recomputes whatever is still stale: nothing is lost by stopping here.
    """
    job = bulk_recompute_claim(job_id)
    if job is None:
        return None
    try:
        # A job handed back by the sweeper resumes after the vacancies it already counted (the one in
        # flight when the worker died is recomputed again: the recompute is idempotent).
        for vacancy_id in job.subject_ids[job.done :]:
            _vacancy_recompute_now(int(vacancy_id))
            BackgroundJob.objects.filter(pk=job.pk, done__lt=F("total")).update(done=F("done") + 1)
    except Exception as exc:  # recorded on the row the page shows; the code only, never the message
        code = error_code(exc)
        logger.warning("bulk recompute %s failed: %s", job.pk, code)
        BackgroundJob.objects.filter(pk=job.pk, status=BackgroundJob.Status.RUNNING).update(
            status=BackgroundJob.Status.FAILED, finished_at=timezone.now(), error=code
        )
    else:
        BackgroundJob.objects.filter(pk=job.pk, status=BackgroundJob.Status.RUNNING).update(
            status=BackgroundJob.Status.DONE, finished_at=timezone.now(), error=""
        )
    job.refresh_from_db()
    return job


def background_jobs_sweep(*, now: datetime.datetime | None = None) -> int:
    """Hand back bulk recomputes whose worker died, and queue them again; return how many.

    Each is reset running -> pending with a conditional UPDATE, so two sweepers never queue one twice.
    """
    cutoff = (now or timezone.now()) - STUCK_AFTER
    stuck = BackgroundJob.objects.filter(
        kind=BackgroundJob.Kind.BULK_RECOMPUTE, status=BackgroundJob.Status.RUNNING, started_at__lt=cutoff
    )
    requeued = 0
    for job_id in stuck.values_list("pk", flat=True):
        with transaction.atomic():
            if stuck.filter(pk=job_id).update(status=BackgroundJob.Status.PENDING) == 1:
                queue_task_after_commit(BULK_RECOMPUTE_TASK, job_id)
                requeued += 1
    return requeued


def _vacancy_recompute_now(vacancy_id: int) -> None:
    """Recompute one vacancy here and now, through its own match job (created, or the pending one)."""
    if not Vacancy.objects.filter(pk=vacancy_id).exists():
        return  # deleted since the list was shown: its matches went with it
    try:
        match_job = job_create(MatchJob.Kind.VACANCY, vacancy_id, queue=False)
    except IntegrityError:
        if Vacancy.objects.filter(pk=vacancy_id).exists():
            raise
        return  # deleted meanwhile
    if match_job.status == MatchJob.Status.PENDING:
        vacancy_matches_recompute(vacancy_id=vacancy_id, job_id=match_job.pk)
    # Running: another worker is recomputing this vacancy now, from its current version.
