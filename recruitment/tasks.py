"""Celery tasks of the recruitment domain: thin wake-up calls around one service each.

They take ids only (no personal data in messages: monitoring tools show arguments) and retry only on
transient database errors, with exponential backoff. Idempotency lives in the services: a job runs only
after a conditional claim, so a redelivered or duplicated message is a no-op (docs/adr/0003).
"""

from typing import Any

from celery import shared_task
from django.utils import timezone

from core.db_errors import TRANSIENT_DATABASE_ERRORS
from recruitment import services
from recruitment.services import recompute_batch
from recruitment.services.background import (
    BULK_RECOMPUTE_TIME_LIMIT,
    background_jobs_sweep,
    bulk_recompute_run,
)
from recruitment.services.history import match_history_prune
from recruitment.services.jobs import MAX_ATTEMPTS
from recruitment.services.proposal_notices import proposal_notice_send, proposal_notices_sweep
from recruitment.services.reminders import proposal_reminders_send
from recruitment.services.sharing import employer_sharing_sync
from recruitment.task_requests import RecomputeTask

RETRY_BASE_SECONDS = 5
# A notice e-mail is retried on a transient database error and on a mail server's (smtplib's errors
# are OSErrors).
MAIL_OR_DATABASE_ERRORS: tuple[type[Exception], ...] = (*TRANSIENT_DATABASE_ERRORS, OSError)


def _backoff(retries: int) -> int:
    return int(RETRY_BASE_SECONDS * 2**retries)


@shared_task(
    bind=True,
    base=RecomputeTask,
    name="recruitment.tasks.recompute_vacancy_matches_task",
    max_retries=MAX_ATTEMPTS,
)
def recompute_vacancy_matches_task(self: Any, vacancy_id: int, job_id: int | None = None) -> None:
    """Recompute one vacancy's matches. Idempotent: the job is claimed before any work, a job already
    taken or finished makes this a no-op; without ``job_id`` the vacancy's open job is used or created.
    A transient error puts the job back to pending and retries; its attempts are bounded."""
    try:
        services.vacancy_matches_recompute(vacancy_id=vacancy_id, job_id=job_id)
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(
    bind=True,
    base=RecomputeTask,
    name="recruitment.tasks.recompute_candidate_matches_task",
    max_retries=MAX_ATTEMPTS,
)
def recompute_candidate_matches_task(self: Any, candidate_id: int, job_id: int | None = None) -> None:
    """Recompute one candidate's matches with every open vacancy; idempotent like the vacancy task."""
    try:
        services.candidate_matches_recompute(candidate_id=candidate_id, job_id=job_id)
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(
    bind=True,
    base=RecomputeTask,
    name="recruitment.tasks.recompute_candidates_matches_task",
    max_retries=MAX_ATTEMPTS,
)
def recompute_candidates_matches_task(self: Any, *candidate_ids: int) -> None:
    """Recompute several candidates' matches in one run (a bulk request's; ``recompute_batch``).
    Idempotent: each candidate's job is claimed before any work, so a redelivery, or a candidate's own
    job, runs nothing twice. A transient error hands the jobs back and retries the whole batch."""
    try:
        recompute_batch.candidates_matches_recompute(candidate_ids=list(candidate_ids))
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(bind=True, name="recruitment.tasks.sweep_stale_matches_task", max_retries=3)
def sweep_stale_matches_task(self: Any) -> None:
    """Re-queue whatever is stale or stuck. Idempotent: creates a job only where none is open."""
    try:
        services.matches_sweep()
        background_jobs_sweep()
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(bind=True, name="recruitment.tasks.send_proposal_reminders_task", max_retries=3)
def send_proposal_reminders_task(self: Any) -> int:
    """Remind employers of proposals due within two days or overdue (daily, celery beat). Idempotent:
    each proposal is claimed with a conditional UPDATE before its e-mail goes out, and only once."""
    try:
        return proposal_reminders_send(today=timezone.localdate())
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(bind=True, name="recruitment.tasks.send_proposal_notice_task", max_retries=3)
def send_proposal_notice_task(self: Any, placement_id: int, version: int) -> int:
    """Tell the employer's users that a candidate was proposed to them (queued when the proposal
    commits). Sent once per proposal: the service claims it before sending (``Placement.notified_at``),
    and gives the claim back if the mail server fails, so the retry (or the sweeper) sends it."""
    try:
        return proposal_notice_send(placement_id=placement_id, version=version)
    except MAIL_OR_DATABASE_ERRORS as exc:
        if self.request.is_eager:  # in-process (the embedded default): no retries inside the request
            raise
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(bind=True, name="recruitment.tasks.sweep_proposal_notices_task", max_retries=3)
def sweep_proposal_notices_task(self: Any) -> int:
    """Tell employers of the proposals whose own notice task was lost (every 5 minutes, celery beat)."""
    try:
        return proposal_notices_sweep(now=timezone.now())
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(bind=True, name="recruitment.tasks.prune_match_history_task", max_retries=3)
def prune_match_history_task(self: Any) -> tuple[int, int]:
    """Delete the dashboard's change counts and the partners' removals past their retention (daily)."""
    try:
        return match_history_prune(now=timezone.now())
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(bind=True, name="recruitment.tasks.sync_employer_sharing_task", max_retries=3)
def sync_employer_sharing_task(self: Any, candidate_id: int | None = None) -> None:
    """Flag and report the cases hidden from their employer since a consent to share ended, and unflag
    those shared again: one candidate's after a consent write, every case when beat runs it. Idempotent:
    a case is flagged by a conditional UPDATE, and only the run that flagged it emits the event."""
    try:
        employer_sharing_sync(candidate_id=candidate_id)
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


# One bulk recompute works through its list in one task: the limits stay under the broker's visibility
# timeout (a redelivery meanwhile finds the job running, and its claim makes it a no-op).
@shared_task(
    bind=True,
    name="recruitment.tasks.run_bulk_recompute_task",
    soft_time_limit=BULK_RECOMPUTE_TIME_LIMIT - 100,
    time_limit=BULK_RECOMPUTE_TIME_LIMIT,
)
def run_bulk_recompute_task(self: Any, job_id: int) -> None:
    """Recompute the vacancies of a bulk job, counting each on the job row the progress bar polls.
    Idempotent: the job is claimed pending -> running first; a second delivery changes nothing."""
    bulk_recompute_run(job_id=job_id)
