"""The recompute with real Celery workers, the Redis broker and PostgreSQL (issue 3 section 3).

Each test starts worker processes on a queue of its own (no other worker on the machine can take the
messages) and routes the recompute tasks there from this process, which otherwise runs tasks eagerly.
A slow recompute, for killing a worker mid-way, comes from ``TALENTBRUG_TEST_RECOMPUTE_DELAY`` in the
worker's environment (read by ``recruitment.services.recompute``). Every wait has a deadline; workers are
always killed in teardown. ``check_match_consistency`` passes at the end of each scenario.
"""

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.management import call_command

from config.celery import app
from core.models import WorkerHeartbeat
from recruitment import services
from recruitment.models import OPEN_JOB_STATUSES, Match, MatchJob
from recruitment.services.jobs import VACANCY_TASK
from tests.recruitment.world import World, build_world, welder_candidate, welder_vacancy
from tests.workers import DEADLINE, Workers, routed_to, wait_for
from vacancies.models import Vacancy
from vacancies.services import vacancy_update

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]


class RecomputeWorkers(Workers):
    def start(  # type: ignore[override]
        self, *, delay: float | None = None, prefork: bool = False
    ) -> subprocess.Popen[str]:
        """A worker; with ``delay``, each recompute sleeps that long between scoring and writing."""
        return super().start(
            env={"TALENTBRUG_TEST_RECOMPUTE_DELAY": str(delay)} if delay is not None else None,
            prefork=prefork,
        )

    @contextmanager
    def in_process(self) -> Iterator[None]:
        """Run the recomputes queued meanwhile here, eagerly (to set the scene without the workers)."""
        app.conf.task_always_eager = True
        try:
            yield
        finally:
            app.conf.task_always_eager = False


@pytest.fixture
def workers() -> Iterator[RecomputeWorkers]:
    """Route the recruitment tasks to a private queue through Redis, and stop every worker afterwards."""
    with routed_to(RecomputeWorkers(), "recruitment.tasks.*") as pool:
        yield pool


def settled() -> bool:
    """No open job, every vacancy and candidate up to date."""
    if MatchJob.objects.filter(status__in=OPEN_JOB_STATUSES).exists():
        return False
    return not services.match_consistency_violations()


def assert_consistent() -> None:
    call_command("check_match_consistency", verbosity=0)


@pytest.fixture
def world() -> World:
    return build_world()


def test_a_new_vacancy_gets_its_matches_through_the_worker(workers: RecomputeWorkers, world: World) -> None:
    workers.start()
    candidates = [welder_candidate(world), welder_candidate(world, dutch="A2")]
    vacancy = welder_vacancy(world)
    wait_for(settled, "the worker to compute the matches")
    assert set(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", flat=True)) == {
        c.pk for c in candidates
    }
    assert MatchJob.objects.filter(vacancy=vacancy, status="done").exists()
    assert_consistent()


def test_two_quick_edits_end_with_the_newer_result(workers: RecomputeWorkers, world: World) -> None:
    with workers.in_process():
        welder_candidate(world)
        welder_candidate(world, years=3)
    workers.start(delay=5)  # each recompute takes a while: both edits land during the first
    vacancy = welder_vacancy(world)
    wait_for(lambda: MatchJob.objects.filter(vacancy=vacancy, status="running").exists(), "a running job")
    vacancy_update(Vacancy.objects.get(pk=vacancy.pk), min_experience_years=Decimal(4))
    vacancy_update(Vacancy.objects.get(pk=vacancy.pk), min_experience_years=Decimal(5))
    wait_for(settled, "the recomputes to settle", timeout=DEADLINE)
    vacancy.refresh_from_db()
    assert vacancy.criteria_version == vacancy.matched_version
    versions = set(Match.objects.filter(vacancy=vacancy).values_list("vacancy_version", flat=True))
    assert versions == {vacancy.criteria_version}
    # The running job read the vacancy either before the edits (then its result is dropped as superseded
    # and a follow-up computes the newest version) or, when its process was slow to start, after them
    # (then it computed the newest version itself): either way no older result is stored.
    jobs = MatchJob.objects.filter(vacancy=vacancy)
    assert jobs.filter(superseded=True).exists() or list(jobs.values_list("status", flat=True)) == ["done"]
    assert_consistent()


def test_the_same_job_delivered_twice_computes_once(workers: RecomputeWorkers, world: World) -> None:
    worker = workers.start()
    welder_candidate(world)
    vacancy = welder_vacancy(world)
    wait_for(settled, "the first recompute")
    Vacancy.objects.filter(pk=vacancy.pk).update(criteria_version=vacancy.criteria_version + 5)
    job = services.job_create(MatchJob.Kind.VACANCY, vacancy.pk, queue=False)
    task = app.tasks[VACANCY_TASK]
    task.apply_async((vacancy.pk, job.pk))
    task.apply_async((vacancy.pk, job.pk))
    # A marker behind both messages on the same queue: once it ran, both duplicates were consumed.
    app.send_task("core.tasks.record_heartbeat_task", queue=workers.queue)
    node = f"{workers.queue}-0@testhost"
    wait_for(lambda: WorkerHeartbeat.objects.filter(worker=node).exists(), "both deliveries")
    assert worker.poll() is None
    job.refresh_from_db()
    # Computed once: the pair computed again to the same result (not rewritten), the new version stamped.
    assert (job.status, job.attempts, job.added + job.updated + job.unchanged) == ("done", 1, 1)
    vacancy.refresh_from_db()
    assert vacancy.matched_version == vacancy.criteria_version
    assert Match.objects.filter(vacancy=vacancy).count() == 1
    assert_consistent()


def test_a_worker_killed_mid_recompute_heals_through_the_sweeper(
    workers: RecomputeWorkers, world: World
) -> None:
    with workers.in_process():
        reference = [welder_candidate(world), welder_candidate(world, dutch="A2")]
    slow = workers.start(delay=30)
    vacancy = welder_vacancy(world)
    wait_for(
        lambda: MatchJob.objects.filter(vacancy=vacancy, status="running").exists(), "the worker to claim"
    )
    workers.kill(slow)  # SIGKILL while it sleeps between scoring and writing
    job = MatchJob.objects.get(vacancy=vacancy)
    assert (job.status, job.attempts, Match.objects.filter(vacancy=vacancy).count()) == ("running", 1, 0)

    # Time passes: the lease expires. A new worker starts, and the sweeper (beat, every minute) runs.
    MatchJob.objects.filter(pk=job.pk).update(lease_expires_at=job.started_at)
    workers.start()
    report = services.matches_sweep()
    assert report.expired_requeued == 1
    wait_for(settled, "the re-queued job to finish")
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("done", 2, "")
    assert set(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", flat=True)) == {
        c.pk for c in reference
    }
    assert_consistent()


def test_a_pool_process_killed_mid_recompute_is_healed_by_its_worker_at_once(
    workers: RecomputeWorkers, world: World
) -> None:
    """The worker's main process sees its pool process die, hands back that process's job, and the
    requeued message runs it again: no lease to wait for, no sweeper (issue 13: it took 7 minutes)."""
    with workers.in_process():
        reference = [welder_candidate(world), welder_candidate(world, dutch="A2")]
    worker = workers.start(delay=8, prefork=True)
    vacancy = welder_vacancy(world)
    wait_for(
        lambda: MatchJob.objects.filter(vacancy=vacancy, status="running").exists(), "the worker to claim"
    )
    (pool_process,) = workers.pool_processes(worker)
    os.kill(pool_process, signal.SIGKILL)  # while it sleeps between scoring and writing

    wait_for(settled, "the job handed back and run again by the same worker")  # 40 s at most
    job = MatchJob.objects.get(vacancy=vacancy)
    assert (job.status, job.attempts) == ("done", 2)
    assert worker.poll() is None  # the main process lived on
    assert set(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", flat=True)) == {
        c.pk for c in reference
    }
    assert_consistent()
