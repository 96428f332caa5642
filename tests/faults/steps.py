"""Steps the fault scenarios share: an employer's edit, waiting for a job to be claimed."""

from collections.abc import Callable
from decimal import Decimal

from django.db.models import F

from recruitment.models import OPEN_JOB_STATUSES, MatchJob
from recruitment.services.recompute import TEST_DELAY_ENV
from tests.faults.harness import wait_until
from vacancies.models import Vacancy
from vacancies.services import vacancy_update

SLOW = {TEST_DELAY_ENV: "4"}  # each recompute sleeps 4 s between scoring and writing
QUICK_BOUND = 60  # seconds: healed by the worker itself, no lease to wait for


def edit(vacancy: Vacancy, years: int) -> None:
    """An employer's edit of the requirements: committed, its job queued through Redis."""
    vacancy_update(Vacancy.objects.get(pk=vacancy.pk), min_experience_years=Decimal(years))


def running_job(vacancy: Vacancy) -> MatchJob:
    query = MatchJob.objects.filter(vacancy=vacancy, status=MatchJob.Status.RUNNING)
    wait_until(query.exists, "the worker to claim the job", timeout=60)
    job = query.get()
    return job


def recomputed(vacancy: Vacancy) -> Callable[[], bool]:
    """True once the vacancy's matches are those of its current requirements and no job of it is open
    (a wake-up call names only the vacancy: its job exists only once a worker took the message)."""

    def check() -> bool:
        current = Vacancy.objects.filter(pk=vacancy.pk, matched_version=F("criteria_version")).exists()
        return current and not MatchJob.objects.filter(vacancy=vacancy, status__in=OPEN_JOB_STATUSES).exists()

    return check
