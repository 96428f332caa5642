"""Fault scenarios of the services (quality.md section 2): Redis stopped while users work, PostgreSQL
connections terminated mid-request and mid-task.

Real processes as in tests/faults/test_recompute_faults.py. The users' checks (sign-in, API token and
reads) run throughout; an employer creates vacancies through the form while Redis is down.
"""

import datetime
import time

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.utils import timezone

from recruitment.models import OPEN_JOB_STATUSES, MatchJob
from recruitment.services.jobs import SWEEP_PERIOD
from recruitment.services.sweep import matches_recompute_all
from reference.models import EscoOccupation
from tests.faults.conftest import Scenario
from tests.faults.harness import SWEEP_SECONDS, record, wait_until
from tests.faults.steps import QUICK_BOUND, SLOW, edit, running_job
from tests.faults.world import assert_invariants, human_work, probing, settled_within
from tests.web.test_account import PASSWORD
from vacancies.models import Vacancy

pytestmark = [
    pytest.mark.faults,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]


def vacancy_form(occupation: EscoOccupation, title: str) -> dict[str, str]:
    """The employer's new-vacancy form, filled in (tests/web/test_employer_vacancy_form.py)."""
    start = timezone.localdate() + datetime.timedelta(days=150)
    return {
        "title": title,
        "occupation": str(occupation.pk),
        "description": "Stainless steel, shifts.",
        "municipality": "Gent",
        "postal_code": "9000",
        "function_vks_level": "4",
        "min_isced_level": "",
        "min_experience_years": "2",
        "salary_amount": "3000",
        "salary_period": "month",
        "joint_committee": "111",
        "pay_category": "skilled",
        "contract_type": "indefinite",
        "contract_months": "",
        "weekly_hours": "38",
        "positions": "2",
        "start_date": start.isoformat(),
        "employer_pays_travel": "on",
        "employer_pays_attested": "on",
        "vdab_published_on": "",
        "eures_published_on": "",
        "languages-TOTAL_FORMS": "3",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "3",
        "languages-0-language": "nl",
        "languages-0-overall": "B1",
        "languages-0-listening": "B2",
        "languages-0-mandatory": "on",
    }


def test_redis_stopped_while_users_create_vacancies(scenario: Scenario) -> None:
    """Requests succeed; the work waits; done after Redis returns (empty: every message in it lost),
    within two sweeper periods; sign-in still works (sessions in the database)."""
    name = "Stop Redis while users create vacancies; start it again"
    before = human_work()
    scenario.start(env=SLOW)
    fault_world = scenario.world
    # A backlog when Redis stops: an operator's full recompute queued a job for every vacancy; the two
    # pool processes run two of them (slowly), the others' messages wait in Redis and are lost with it.
    _full, backlog = matches_recompute_all()
    wait_until(
        lambda: MatchJob.objects.filter(status=MatchJob.Status.RUNNING).count() == 2,
        "two jobs of the backlog running",
        timeout=60,
    )
    employer = Client(raise_request_exception=False)
    signed_in = employer.post(
        "/en/account/sign-in/", {"username": fault_world.employer_user.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    with probing(fault_world) as probe:
        scenario.stack.redis.stop()
        rounds = probe.rounds
        refused: list[str] = []
        for number in range(3):
            response = employer.post(
                "/en/employer/vacancies/new/", vacancy_form(fault_world.world.welder, f"Lasser TIG {number}")
            )
            if response.status_code != 302:
                refused.append(f"new vacancy {response.status_code}")
        edit(fault_world.vacancies[1], 1)  # a published vacancy's requirements, committed
        # The users keep working for a while, the beat's sweeps fail to send meanwhile.
        wait_until(lambda: probe.rounds >= rounds + 4, "the users' checks during the outage", timeout=60)
        assert Vacancy.objects.filter(title__startswith="Lasser TIG").count() == 3 - len(refused)
        waiting = Vacancy.objects.exclude(matched_version=F("criteria_version"))
        assert waiting.count() >= 3 - len(refused)  # committed, their matches not computed yet
        assert MatchJob.objects.filter(pk__in=[j.pk for j in backlog], status="pending").count() >= 2
        outage_rounds = probe.rounds - rounds
        scenario.stack.redis.start()  # empty: the messages sent before the outage are gone too
        # Re-sent within one or two sweeper periods (of the code's period, whatever beat's is here).
        bound = 2 * SWEEP_PERIOD.total_seconds() + 2 * SWEEP_SECONDS + 30
        healed = settled_within(
            name, "the waiting work done", bound=bound, errors=lambda: len(probe.errors + refused)
        )
    errors = probe.errors + refused
    record(name, healed, len(errors), seen=errors, rounds=probe.rounds, outage_rounds=outage_rounds)
    assert_invariants(before)
    assert errors == []


TERMINATIONS = 3  # rounds of terminating every other connection to the test database


def terminate_other_connections() -> int:
    """Terminate every other connection to this test database (never another database's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def test_postgres_connections_terminated_mid_request_and_mid_task(scenario: Scenario) -> None:
    """A few failed requests at most; the task retries; no partial match set."""
    name = "Terminate PostgreSQL connections mid-request and mid-task"
    before = human_work()
    scenario.start(env=SLOW)
    vacancy = scenario.world.vacancies[2]
    with probing(scenario.world, every=1.0) as probe:
        edit(vacancy, 1)
        job = running_job(vacancy)  # sleeping between scoring and writing: mid-task
        terminated = 0
        for _round in range(TERMINATIONS):  # whatever the users' requests are doing: mid-request
            terminated += terminate_other_connections()
            time.sleep(0.7)
        healed = settled_within(
            name, "the task retried and done", bound=QUICK_BOUND, errors=lambda: len(probe.errors)
        )
    record(name, healed, len(probe.errors), seen=probe.errors, rounds=probe.rounds, terminated=terminated)
    job.refresh_from_db()
    assert job.status == "done" and job.attempts >= 2  # the write failed, the retry claimed it again
    assert not MatchJob.objects.filter(status__in=OPEN_JOB_STATUSES).exists()
    assert_invariants(before)  # among them: the stored set equals a fresh recompute (nothing partial)
    # A few failed requests at most: a request whose connection was terminated under it fails (a 500),
    # the next one gets a new connection. The users' thread has one connection: one error per round.
    assert len(probe.errors) <= TERMINATIONS, probe.errors
