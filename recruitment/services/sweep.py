"""The sweeper: whatever is still stale gets a job, whatever job is stuck gets its message again.

Run every minute by celery beat (``sweep_stale_matches_task``). It makes a lost message, a killed worker
or a broker outage heal by itself, because it looks only at the database:

1. running jobs whose lease expired (their worker died): back to pending and re-sent, or failed for good
   after ``MAX_ATTEMPTS`` with the error code ``lease_expired``;
2. pending jobs whose message is lost (older than ``RESEND_AFTER``, two sweeper periods, and not among
   those the queue still holds: ``core.broker``, as after Redis restarted empty): sent again (a
   duplicate is a no-op, the claim sees to it);
3. stale vacancies without an open job: criteria version ahead of the matched one, matches computed on
   another basis (another algorithm version, other dated rules, other reference data), or for an earlier
   day (the daily pass: the job then re-evaluates only what the date can change, ADR 0008);
4. stale candidates without an open job: profile version ahead of the matched one.

A subject whose job failed for its current version is not retried automatically for a day (it would
fail again); the failed job is what operators see, and ``recompute_matches`` retries it by hand. Each
step handles at most ``limit`` rows per run, so a sweep stays short; the next one continues.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from candidates.models import Candidate
from core.broker import lost_messages, task_queue
from recruitment.adapters import basis_of, reference_date, reference_facts_on
from recruitment.models import OPEN_JOB_STATUSES, MatchJob
from recruitment.services.jobs import (
    FAILED_RETRY_AFTER,
    MAX_ATTEMPTS,
    RESEND_AFTER,
    VACANCY_TASK,
    job_create,
    job_queue,
)
from recruitment.services.recompute import matchable_vacancies
from vacancies.models import Vacancy

SWEEP_LIMIT = 1_000


@dataclass
class SweepReport:
    expired_requeued: int = 0
    expired_failed: int = 0
    resent: int = 0
    vacancies_queued: int = 0
    candidates_queued: int = 0

    def __str__(self) -> str:
        return (
            f"expired leases re-queued {self.expired_requeued}, failed {self.expired_failed}; "
            f"pending re-sent {self.resent}; stale vacancies queued {self.vacancies_queued}, "
            f"stale candidates queued {self.candidates_queued}"
        )


def current_basis() -> str:
    return basis_of(reference_facts_on(reference_date()))


def stale_vacancies(basis: str | None = None) -> QuerySet[Vacancy]:
    """Vacancies whose stored matches are not those of their current criteria, basis and day.

    Published Flemish ones when the criteria version, the basis or the day differs; any other vacancy
    only when its criteria version moved (it has no matches to age, but a closing must remove them).
    """
    basis = basis if basis is not None else current_basis()
    matchable = matchable_vacancies().values("pk")
    outdated = ~Q(matched_basis=basis) | Q(matched_on__isnull=True) | ~Q(matched_on=reference_date())
    return Vacancy.objects.filter(
        ~Q(matched_version=F("criteria_version")) | (Q(pk__in=matchable) & outdated)
    )


def stale_candidates() -> QuerySet[Candidate]:
    return Candidate.objects.exclude(matched_version=F("profile_version"))


def _open_jobs(**subject: OuterRef) -> Exists:
    return Exists(MatchJob.objects.filter(status__in=OPEN_JOB_STATUSES, **subject))


def _recently_failed(version_field: str, **subject: OuterRef) -> Exists:
    return Exists(
        MatchJob.objects.filter(
            status=MatchJob.Status.FAILED,
            target_version=OuterRef(version_field),
            finished_at__gte=timezone.now() - FAILED_RETRY_AFTER,
            **subject,
        )
    )


def vacancies_needing_jobs(basis: str | None = None) -> QuerySet[Vacancy]:
    return (
        stale_vacancies(basis)
        .exclude(_open_jobs(vacancy=OuterRef("pk")))
        .exclude(_recently_failed("criteria_version", vacancy=OuterRef("pk")))
        .order_by("pk")
    )


def candidates_needing_jobs() -> QuerySet[Candidate]:
    return (
        stale_candidates()
        .exclude(_open_jobs(candidate=OuterRef("pk")))
        .exclude(_recently_failed("profile_version", candidate=OuterRef("pk")))
        .order_by("pk")
    )


def _expired_leases(report: SweepReport, limit: int) -> None:
    now = timezone.now()
    expired = MatchJob.objects.filter(status=MatchJob.Status.RUNNING, lease_expires_at__lt=now)
    for job in expired.order_by("lease_expires_at")[:limit]:
        # Conditional on the state we saw: a worker finishing the job just now wins.
        still = MatchJob.objects.filter(pk=job.pk, status=MatchJob.Status.RUNNING, lease_expires_at__lt=now)
        if job.attempts >= MAX_ATTEMPTS:
            if still.update(
                status=MatchJob.Status.FAILED, lease_expires_at=None, finished_at=now, error="lease_expired"
            ):
                report.expired_failed += 1
        elif still.update(
            status=MatchJob.Status.PENDING,
            lease_expires_at=None,
            queued_at=now,
            sent_at=now,
            error="lease_expired",
        ):
            job_queue(job)
            report.expired_requeued += 1


def _resend_pending(report: SweepReport, limit: int) -> None:
    """Send the pending jobs without a message, and again those whose message is lost: older than
    ``RESEND_AFTER`` and not among those the recompute queue may still hold (``core.broker``)."""
    now = timezone.now()
    pending = MatchJob.objects.filter(status=MatchJob.Status.PENDING)
    lost = lost_messages(
        pending.filter(sent_at__isnull=False),
        sent_field="sent_at",
        queue=task_queue(VACANCY_TASK),  # the candidate task is routed with it
        cutoff=now - RESEND_AFTER,
    )
    waiting = pending.filter(Q(sent_at__isnull=True) | Q(pk__in=lost.values("pk")))
    for job in waiting.order_by("queued_at")[:limit]:
        if MatchJob.objects.filter(pk=job.pk, status=MatchJob.Status.PENDING).update(sent_at=now):
            job_queue(job)
            report.resent += 1


@transaction.atomic
def matches_sweep(*, limit: int = SWEEP_LIMIT) -> SweepReport:
    """One sweep (see the module docstring). Idempotent: it only creates a job where none is open, and
    re-sends messages whose duplicates the claim turns into no-ops. Messages go out after commit."""
    report = SweepReport()
    _expired_leases(report, limit)
    _resend_pending(report, limit)
    for vacancy_id in vacancies_needing_jobs().values_list("pk", flat=True)[:limit]:
        job_create(MatchJob.Kind.VACANCY, vacancy_id)
        report.vacancies_queued += 1
    for candidate_id in candidates_needing_jobs().values_list("pk", flat=True)[:limit]:
        job_create(MatchJob.Kind.CANDIDATE, candidate_id)
        report.candidates_queued += 1
    return report


@transaction.atomic
def matches_recompute_all(*, queue: bool = True) -> tuple[MatchJob, list[MatchJob]]:
    """An operator's full recompute: a job for every vacancy (open ones are joined, not duplicated).

    Recorded as one ``full`` job (done once the vacancy jobs exist; ``added`` = how many) for the audit
    trail. ``queue=False`` leaves the vacancy jobs for the caller to run synchronously.
    """
    started = timezone.now()
    ids = list(
        Vacancy.objects.filter(
            Q(pk__in=matchable_vacancies().values("pk")) | ~Q(matched_version=F("criteria_version"))
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    jobs = [job_create(MatchJob.Kind.VACANCY, vacancy_id, queue=queue) for vacancy_id in ids]
    full = MatchJob.objects.create(
        kind=MatchJob.Kind.FULL,
        status=MatchJob.Status.DONE,
        queued_at=started,
        started_at=started,
        finished_at=timezone.now(),
        added=len(jobs),
    )
    return full, jobs


@transaction.atomic
def matches_queue_stale(*, limit: int | None = None, queue: bool = True) -> list[MatchJob]:
    """A job for each stale vacancy without one (after a bulk load: ``seed_demo``, an import)."""
    ids = vacancies_needing_jobs().values_list("pk", flat=True)
    return [job_create(MatchJob.Kind.VACANCY, vacancy_id, queue=queue) for vacancy_id in ids[:limit]]
