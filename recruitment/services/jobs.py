"""Match jobs: create, queue, claim, finish, release. The database decides who runs what.

A task message carries a job id (or only the subject's id, when a lower app woke us up). Before any work
the worker claims the job with one conditional UPDATE, pending -> running, that must change exactly one
row: a second delivery of the same message, or a message for a job another worker holds, changes none
and returns at once. The claim sets a lease; a worker that dies leaves a running job whose lease expires,
and the sweeper puts it back to pending (or fails it after ``MAX_ATTEMPTS``).
"""

import datetime
import logging
import os
import socket
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils import timezone

from candidates.models import Candidate
from core.db_errors import connection_reset_if_broken, is_transient
from core.jobs import queue_task_after_commit
from recruitment.models import OPEN_JOB_STATUSES, MatchJob
from vacancies.models import Vacancy

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A running job's lease outlives the task's hard time limit: a healthy worker is never overtaken.
LEASE = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
SWEEP_PERIOD = datetime.timedelta(seconds=60)  # CELERY_BEAT_SCHEDULE["sweep-stale-matches"]
# A pending job whose message was sent this long ago without being claimed, and is not among those its
# queue may still hold, gets its message again (``core.broker.lost_messages``): a message lost with Redis
# is re-sent by the second or third sweep after it was sent, well within ``PENDING_BOUND``.
RESEND_AFTER = 2 * SWEEP_PERIOD
# What ``check_match_consistency`` allows a job to stay pending (quality.md: a lease plus two sweeper
# periods): a lost message is re-sent after at most RESEND_AFTER + SWEEP_PERIOD, and its job is then
# claimed at once by an idle worker.
PENDING_BOUND = LEASE + 2 * SWEEP_PERIOD
# A job failed for a subject's version is not retried automatically for this long (it would fail again).
FAILED_RETRY_AFTER = datetime.timedelta(days=1)

VACANCY_TASK = "recruitment.tasks.recompute_vacancy_matches_task"
CANDIDATE_TASK = "recruitment.tasks.recompute_candidate_matches_task"


def _subject(kind: str, subject_id: int) -> dict[str, int]:
    return {"vacancy_id": subject_id} if kind == MatchJob.Kind.VACANCY else {"candidate_id": subject_id}


def _current_version(kind: str, subject_id: int) -> int:
    if kind == MatchJob.Kind.VACANCY:
        version = Vacancy.objects.filter(pk=subject_id).values_list("criteria_version", flat=True).first()
    else:
        version = Candidate.objects.filter(pk=subject_id).values_list("profile_version", flat=True).first()
    return version or 0


def job_queue(job: MatchJob) -> None:
    """Send the job's message once the current transaction commits (robust: see ``core.jobs``)."""
    if job.kind == MatchJob.Kind.VACANCY:
        assert job.vacancy_id is not None
        queue_task_after_commit(VACANCY_TASK, job.vacancy_id, job.pk)
    elif job.kind == MatchJob.Kind.CANDIDATE:
        assert job.candidate_id is not None
        queue_task_after_commit(CANDIDATE_TASK, job.candidate_id, job.pk)


def open_job(kind: str, subject_id: int) -> MatchJob | None:
    return MatchJob.objects.filter(**_subject(kind, subject_id), status__in=OPEN_JOB_STATUSES).first()


@transaction.atomic
def job_create(kind: str, subject_id: int, *, queue: bool = True, sent: bool = False) -> MatchJob:
    """The subject's open job: the existing pending or running one, else a new pending one (queued).

    ``sent``: the message is the one being handled now (a worker woken by a subject's id), so the
    sweeper has no message to re-send. Idempotent: at most one open job per subject (a partial unique
    constraint); a concurrent creator loses the race with an IntegrityError and returns the winner's job.
    """
    existing = open_job(kind, subject_id)
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            job = MatchJob.objects.create(
                kind=kind,
                target_version=_current_version(kind, subject_id),
                queued_at=now,
                sent_at=now if queue or sent else None,
                **_subject(kind, subject_id),
            )
    except IntegrityError:
        winner = open_job(kind, subject_id)
        if winner is None:
            raise
        return winner
    if queue:
        job_queue(job)
    return job


def job_claim(job_id: int) -> MatchJob | None:
    """Take a pending job: one conditional UPDATE that must change exactly one row, else None.

    None means: someone else holds or finished it (a duplicate delivery), or it has used up its
    attempts (then it is failed here, so it stays visible to operators).
    """
    now = timezone.now()
    claimed = MatchJob.objects.filter(
        pk=job_id, status=MatchJob.Status.PENDING, attempts__lt=MAX_ATTEMPTS
    ).update(
        status=MatchJob.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        lease_expires_at=now + LEASE,
        claimed_by=claimant(),
    )
    if claimed != 1:
        MatchJob.objects.filter(pk=job_id, status=MatchJob.Status.PENDING, attempts__gte=MAX_ATTEMPTS).update(
            status=MatchJob.Status.FAILED, finished_at=now, error="max_attempts"
        )
        return None
    return MatchJob.objects.get(pk=job_id)


# Drawn once per worker, before its pool processes are forked (they inherit it): machines or containers
# sharing a host name, whose pool processes often have the same pids, still claim under different names.
_WORKER_TOKEN = uuid.uuid4().hex[:8]


def claimant(pid: int | None = None) -> str:
    """Who holds a claim: this machine, this worker and a process (this one by default)."""
    return f"{socket.gethostname()}:{_WORKER_TOKEN}:{pid or os.getpid()}"[:100]


def jobs_release_of_lost_process(pid: int) -> int:
    """Hand back the running jobs of a pool process that died (killed, out of memory): pending again,
    for the redelivery of its message (``CELERY_TASK_REJECT_ON_WORKER_LOST``) to claim at once instead
    of finding them "running" until their leases end. Called by the worker's main process, which saw
    the process die; a job counts as an attempt, so one that kills every process fails after
    ``MAX_ATTEMPTS``."""
    now = timezone.now()
    released = MatchJob.objects.filter(status=MatchJob.Status.RUNNING, claimed_by=claimant(pid)).update(
        status=MatchJob.Status.PENDING,
        lease_expires_at=None,
        error="worker_lost",
        queued_at=now,
        sent_at=now,
    )
    if released:
        logger.warning("handed back %s match job(s) of a lost worker process", released)
    return released


def job_claim_for(kind: str, subject_id: int, job_id: int | None) -> MatchJob | None:
    """Claim ``job_id``, or, when a lower app only named the subject, its open pending job (created if
    there is none). A subject with a running job is left to that job, which re-queues itself if the
    subject changed while it ran."""
    if job_id is None:
        if failed_for_current_version(kind, subject_id):
            return None  # a failed version waits for an operator or a day (the sweeper's rule)
        job = job_create(kind, subject_id, queue=False, sent=True)
        if job.status != MatchJob.Status.PENDING:
            return None
        job_id = job.pk
    return job_claim(job_id)


def failed_for_current_version(kind: str, subject_id: int) -> bool:
    """Whether the subject's job for its current version failed within ``FAILED_RETRY_AFTER``: it would
    fail again, so nothing retries it automatically until then (operators retry by hand)."""
    return MatchJob.objects.filter(
        **_subject(kind, subject_id),
        status=MatchJob.Status.FAILED,
        target_version=_current_version(kind, subject_id),
        finished_at__gte=timezone.now() - FAILED_RETRY_AFTER,
    ).exists()


def job_finish(
    job: MatchJob,
    *,
    added: int = 0,
    updated: int = 0,
    removed: int = 0,
    held: int = 0,
    unchanged: int = 0,
    superseded: bool = False,
) -> None:
    """Mark our running job done with its counts (in the caller's transaction)."""
    _ours(job).update(
        status=MatchJob.Status.DONE,
        finished_at=timezone.now(),
        lease_expires_at=None,
        added=added,
        updated=updated,
        removed=removed,
        held=held,
        unchanged=unchanged,
        superseded=superseded,
        error="",
    )


def _ours(job: MatchJob) -> "QuerySet[MatchJob]":
    """The job while it is still our claim: running, and not claimed again since (its lease expired and
    another process took it: each claim counts an attempt)."""
    return MatchJob.objects.filter(pk=job.pk, status=MatchJob.Status.RUNNING, attempts=job.attempts)


# --- Many candidates' jobs at once (a bulk request's batch, ``recompute_candidates_matches_task``) ---


def jobs_claim_candidates(candidate_ids: Sequence[int]) -> list[MatchJob]:
    """Claim the jobs of a batch of candidates, as ``job_claim_for`` claims one candidate's: each stale
    candidate's open pending job (created if it has none) is taken pending -> running by one conditional
    UPDATE for all of them. A candidate whose job is running is left to that job (it re-queues itself if
    the candidate changed meanwhile), one whose job failed for its current version waits like a single
    job would (``FAILED_RETRY_AFTER``), one already up to date is skipped (a wake-up call a finished job
    covered). Returns the jobs this call claimed: they carry this process's name and this moment as
    ``claimed_by`` and ``started_at``, which no other claim can share."""
    now = timezone.now()
    kind = MatchJob.Kind.CANDIDATE
    versions = dict(
        Candidate.objects.filter(pk__in=candidate_ids)
        .exclude(matched_version=F("profile_version"))
        .values_list("pk", "profile_version")
    )
    failed = MatchJob.objects.filter(
        kind=kind,
        candidate_id__in=versions,
        status=MatchJob.Status.FAILED,
        target_version=F("candidate__profile_version"),
        finished_at__gte=now - FAILED_RETRY_AFTER,
    ).values_list("candidate_id", flat=True)
    wanted = sorted(set(versions) - set(failed))
    if not wanted:
        return []
    have = set(
        MatchJob.objects.filter(candidate_id__in=wanted, status__in=OPEN_JOB_STATUSES).values_list(
            "candidate_id", flat=True
        )
    )
    # The message being handled is the one for these new jobs (``sent_at``); a concurrent creator of
    # one of them wins by the one-open-job constraint, and its job is claimed below like the others.
    MatchJob.objects.bulk_create(
        [
            MatchJob(kind=kind, candidate_id=pk, target_version=versions[pk], queued_at=now, sent_at=now)
            for pk in wanted
            if pk not in have
        ],
        ignore_conflicts=True,
    )
    pending = MatchJob.objects.filter(kind=kind, candidate_id__in=wanted, status=MatchJob.Status.PENDING)
    pending.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=MatchJob.Status.FAILED, finished_at=now, error="max_attempts"
    )
    me = claimant()
    pending.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=MatchJob.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        lease_expires_at=now + LEASE,
        claimed_by=me,
    )
    return list(
        MatchJob.objects.filter(
            kind=kind, candidate_id__in=wanted, status=MatchJob.Status.RUNNING, claimed_by=me, started_at=now
        ).order_by("candidate_id")
    )


@dataclass(frozen=True)
class JobCounts:
    """What one job of a batch did (``job_finish``'s counts)."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    held: int = 0
    unchanged: int = 0
    superseded: bool = False


def jobs_finish(jobs: Sequence[MatchJob], counts: Mapping[int, JobCounts]) -> None:
    """``job_finish`` for the jobs of one batch claim (``jobs_claim_candidates``), in one UPDATE: done,
    with each job's counts (``counts`` by job id; none given: all zero). Only while the claim is still
    theirs: running under the same name and start (the sweeper may have handed an expired one on)."""
    if not jobs:
        return
    claim = jobs[0]

    def each(name: str) -> Case:
        return Case(
            *(
                When(pk=pk, then=Value(getattr(count, name)))
                for pk, count in counts.items()
                if getattr(count, name)
            ),
            default=Value(0),
            output_field=IntegerField(),
        )

    MatchJob.objects.filter(
        pk__in=[job.pk for job in jobs],
        status=MatchJob.Status.RUNNING,
        claimed_by=claim.claimed_by,
        started_at=claim.started_at,
    ).update(
        status=MatchJob.Status.DONE,
        finished_at=timezone.now(),
        lease_expires_at=None,
        error="",
        superseded=Case(
            When(pk__in=[pk for pk, count in counts.items() if count.superseded], then=Value(True)),
            default=Value(False),
        ),
        **{name: each(name) for name in ("added", "updated", "removed", "held", "unchanged")},
    )


def error_code(exc: BaseException) -> str:
    """A sanitised error: the exception's class name only. Messages can quote data about people."""
    return type(exc).__name__[:100]


def job_release_after_error(job: MatchJob, exc: BaseException) -> str:
    """Give our running job back after an error; returns the status it got.

    A transient error (database or connection, or the worker stopping) puts it back to pending for the
    task's retry or the sweeper, unless its attempts are used up; anything else fails it at once: a
    deterministic error would fail again.
    """
    code = error_code(exc)
    now = timezone.now()
    transient = is_transient(exc)
    status = MatchJob.Status.PENDING if transient and job.attempts < MAX_ATTEMPTS else MatchJob.Status.FAILED
    release = _ours(job)
    for last_try in (False, True):
        # A connection the error killed is replaced first: released on a dead one, the job would stay
        # "running" until its lease ends.
        connection_reset_if_broken()
        try:
            release.update(
                status=status,
                lease_expires_at=None,
                error=code,
                queued_at=now,
                # Pending again: the task's retry (transient errors) is the message, sent now.
                sent_at=now,
                finished_at=now if status == MatchJob.Status.FAILED else None,
            )
            break
        except Exception as failure:  # the database itself may be down
            if last_try or not is_transient(failure):
                # The lease expires and the sweeper takes the job over.
                logger.warning("could not release match job %s after %s", job.pk, code)
                break
    return status
