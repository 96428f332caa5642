"""Fault scenarios of the recompute (quality.md section 2): a pool process or the whole worker killed, the
same job delivered twice, two quick edits, a task that always fails.

Real processes: PostgreSQL, a private Redis, a prefork worker with two pool processes and beat with
sweepers every few seconds (tests/faults/harness.py). A slow recompute, to catch one mid-way, comes from
``TALENTBRUG_TEST_RECOMPUTE_DELAY`` in the worker's environment. Each scenario measures the time from the
fault to the healed state (no open job, ``check_match_consistency`` clean), fails if that exceeds its
bound (docs/adr/0009-faults.md), then checks the invariants of quality.md section 1; the users' checks
(sign-in, API token and reads) run throughout and must count no error.
"""

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import F

from config.celery import app
from recruitment.models import OPEN_JOB_STATUSES, MatchJob
from recruitment.services.jobs import MAX_ATTEMPTS, VACANCY_TASK, job_create
from recruitment.tasks import RETRY_BASE_SECONDS
from tests.faults.conftest import Scenario
from tests.faults.harness import LEASE_SECONDS, SWEEP_SECONDS, healed_within, record, wait_until
from tests.faults.steps import QUICK_BOUND, SLOW, edit, recomputed, running_job
from tests.faults.world import assert_invariants, human_work, probing, settled, settled_within
from vacancies.models import Vacancy

pytestmark = [
    pytest.mark.faults,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]


def test_a_pool_process_killed_mid_recompute(scenario: Scenario) -> None:
    """Redelivered; the job done; the matches equal the reference."""
    name = "SIGKILL the pool process running a recompute"
    before = human_work()
    scenario.start(env=SLOW)
    vacancy = scenario.world.vacancies[1]
    with probing(scenario.world) as probe:
        edit(vacancy, 1)
        job = running_job(vacancy)
        os.kill(int(job.claimed_by.rsplit(":", 1)[1]), signal.SIGKILL)
        healed = settled_within(
            name, "the job redelivered and done", bound=QUICK_BOUND, errors=lambda: len(probe.errors)
        )
    record(name, healed, len(probe.errors), seen=probe.errors, rounds=probe.rounds)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert scenario.stack.processes["worker"].poll() is None  # the worker's main process lived on
    assert_invariants(before)
    assert probe.errors == []


def test_the_whole_worker_killed_and_started_again(scenario: Scenario) -> None:
    """The job done after the visibility timeout or the lease's expiry (then the sweeper re-queues it)."""
    name = "Kill the whole worker, start it again"
    before = human_work()
    scenario.start(env=SLOW)
    vacancy = scenario.world.vacancies[2]
    with probing(scenario.world) as probe:
        edit(vacancy, 1)
        job = running_job(vacancy)
        scenario.stack.kill("worker")  # main and pool processes: nobody hands the job back
        scenario.stack.start_worker("worker-again", env=SLOW)
        # The lease, then a sweep, then the recompute itself (with its 4 s delay).
        bound = LEASE_SECONDS + 2 * SWEEP_SECONDS + 45
        healed = settled_within(
            name, "the job re-queued and done", bound=bound, errors=lambda: len(probe.errors)
        )
    record(name, healed, len(probe.errors), seen=probe.errors, rounds=probe.rounds)
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2
    assert_invariants(before)
    assert probe.errors == []


def test_the_same_job_delivered_twice_concurrently(scenario: Scenario) -> None:
    """One delivery computes, the other is a no-op."""
    name = "Same job delivered twice concurrently"
    before = human_work()
    scenario.start(env=SLOW)  # two pool processes: the second message is taken while the first runs
    vacancy = scenario.world.vacancies[3]
    jobs_before = set(MatchJob.objects.values_list("pk", flat=True))
    with probing(scenario.world) as probe:
        with transaction.atomic():  # an edit, and its job queued as the sweeper queues one
            Vacancy.objects.filter(pk=vacancy.pk).update(
                min_experience_years=Decimal(1), criteria_version=F("criteria_version") + 1
            )
            job = job_create(MatchJob.Kind.VACANCY, vacancy.pk)  # its message goes out on commit
        with scenario.stack.redis_broker_connection() as broker:
            app.send_task(VACANCY_TASK, (vacancy.pk, job.pk), connection=broker)  # the same, again
        log = scenario.stack.logs / "worker.log"
        both = f"Task {VACANCY_TASK}["

        def both_handled() -> bool:
            return settled() and log.read_text(errors="replace").count(both) >= 2

        healed = healed_within(
            name, both_handled, "both deliveries handled", bound=QUICK_BOUND, errors=lambda: len(probe.errors)
        )
    record(name, healed, len(probe.errors), seen=probe.errors, rounds=probe.rounds)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 1)  # claimed once
    new_jobs = MatchJob.objects.exclude(pk__in=jobs_before)
    assert list(new_jobs.values_list("pk", flat=True)) == [job.pk]
    assert_invariants(before)
    assert probe.errors == []


def test_two_quick_edits_the_older_computation_ends_last(scenario: Scenario) -> None:
    """The final matches reflect the newer edit."""
    name = "Two edits in quick succession, the older task runs last"
    before = human_work()
    scenario.start(env=SLOW)
    vacancy = scenario.world.vacancies[0]  # the one with a shortlisted, proposed case and a note
    with probing(scenario.world) as probe:
        edit(vacancy, 1)
        older = running_job(vacancy)  # it read the first edit and sleeps before writing
        edit(vacancy, 3)
        edit(vacancy, 2)
        healed = settled_within(
            name, "the newest edit computed", bound=QUICK_BOUND, errors=lambda: len(probe.errors)
        )
    record(name, healed, len(probe.errors), seen=probe.errors, rounds=probe.rounds)
    vacancy.refresh_from_db()
    assert vacancy.min_experience_years == 2
    assert vacancy.matched_version == vacancy.criteria_version
    older.refresh_from_db()
    # Its result was for an older version: dropped as superseded, and a follow-up computed the newest;
    # or it read the vacancy after the edits (a slow start) and computed the newest itself.
    assert older.status == "done"
    assert older.superseded or older.target_version == vacancy.criteria_version
    assert_invariants(before)
    assert probe.errors == []


@contextmanager
def refused_stamp(vacancy: Vacancy) -> Iterator[None]:
    """PostgreSQL refuses to stamp ``vacancy`` as computed, as a transient error (a deadlock): every
    attempt of its recompute fails, and only its."""
    table = Vacancy._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION faults_refuse_stamp() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'refused by the fault scenario' USING ERRCODE = '40P01'; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            f"CREATE TRIGGER faults_refuse_stamp BEFORE UPDATE ON {table} FOR EACH ROW "
            f"WHEN (NEW.id = {int(vacancy.pk)} AND NEW.matched_version IS DISTINCT FROM OLD.matched_version) "
            "EXECUTE FUNCTION faults_refuse_stamp()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS faults_refuse_stamp ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS faults_refuse_stamp()")


def test_a_task_that_always_fails(scenario: Scenario) -> None:
    """Failed after N attempts; the other jobs proceed; visible to operators."""
    name = "A task that always fails"
    before = human_work()
    scenario.start()
    failing, other = scenario.world.vacancies[3], scenario.world.vacancies[1]
    with probing(scenario.world) as probe, refused_stamp(failing):
        known = set(MatchJob.objects.values_list("pk", flat=True))
        started = time.monotonic()
        edit(failing, 1)
        fresh = MatchJob.objects.filter(vacancy=failing).exclude(pk__in=known)
        wait_until(fresh.exists, "the worker to create the job", timeout=QUICK_BOUND)
        job = fresh.get()  # one job, whatever its retries
        edit(other, 1)  # while the failing one retries
        other_done = healed_within(
            f"{name} (another job meanwhile)",
            recomputed(other),
            "the other vacancy's job",
            bound=QUICK_BOUND,
            errors=lambda: len(probe.errors),
        )
        # Five attempts with the task's backoff between them (5, 10, 20, 40 s), each a short recompute.
        backoff = sum(RETRY_BASE_SECONDS * 2**n for n in range(MAX_ATTEMPTS - 1))
        healed_within(
            name,
            lambda: MatchJob.objects.filter(pk=job.pk, status=MatchJob.Status.FAILED).exists(),
            "the job to fail after its attempts",
            bound=backoff + 60,
            errors=lambda: len(probe.errors),
        )
        failed = time.monotonic() - started  # from the edit to the job failed for good
        job.refresh_from_db()
        assert not MatchJob.objects.filter(vacancy=failing, status__in=OPEN_JOB_STATUSES).exists()
    record(name, failed, len(probe.errors), seen=probe.errors, other_job_s=round(other_done, 1))
    assert (job.status, job.attempts) == ("failed", MAX_ATTEMPTS)
    assert job.error and "refused" not in job.error  # a code, not the database's message
    wait_until(settled, "the other jobs settled", timeout=QUICK_BOUND)
    assert_invariants(before)  # a failed job for the current version: visible, not a violation
    assert probe.errors == []
