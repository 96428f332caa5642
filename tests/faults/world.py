"""The fault scenarios' small world, its users' checks, and the invariants of quality.md section 1.

The world: 200 welder candidates whose Dutch and experience differ, four published welder vacancies
(``tests.recruitment.world``), a case shortlisted and proposed on the first with a recruiter's note (the
human work a recompute must never change), an employer's user and a partner agency's API client. It is
built in this process with tasks run eagerly, before the scenario's processes start: every match is
computed and every job done when the fault is applied.

The users' checks are what a person or a partner notices: a fresh sign-in and a page behind it, a token
from the partner API and two reads with it. ``probing`` runs them in a thread for the length of a fault.
"""

import datetime
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.db import close_old_connections, connections
from django.db.models import Count, F
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import User
from recruitment import services
from recruitment.models import OPEN_JOB_STATUSES, CandidateNote, Match, MatchJob, Placement
from recruitment.services.jobs import MAX_ATTEMPTS
from recruitment.services.placements import placement_propose, placement_shortlist
from recruitment.services.recompute_batch import candidates_matches_recompute
from tests.api.conftest import TOKEN_URL, Partner, basic_auth, make_partner
from tests.faults.harness import broker_nobody_reads, healed_within
from tests.recruitment.world import World, build_world, welder_candidate, welder_vacancy
from tests.web.test_account import PASSWORD
from tests.web.world import employer_user, recruiter_user
from vacancies.models import Vacancy
from webhooks.models import WebhookDelivery

CANDIDATES = 200
DUTCH = ("B1", "B2", "A2", "B1", "C1")  # A2: a near-miss or no match, the others eligible
ERROR_CODE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")  # a sanitised job error: a class name or a code


@dataclass
class FaultWorld:
    world: World
    vacancies: list[Vacancy]
    employer_user: User
    partner: Partner


def build_fault_world() -> FaultWorld:
    """The world, every match computed and every job done. The wake-up calls of its builders go to a
    broker nobody reads; the matches are then computed here, as a bulk load does: each vacancy once,
    the candidates in one batch (far quicker than 200 candidates' recomputes one by one)."""
    with broker_nobody_reads():
        world = build_world()
        candidates = [
            welder_candidate(world, dutch=DUTCH[number % len(DUTCH)], years=1 + number % 7).pk
            for number in range(CANDIDATES)
        ]
        vacancies = [welder_vacancy(world, min_experience_years=Decimal(years)) for years in (2, 3, 4, 5)]
    for vacancy in vacancies:
        services.vacancy_matches_recompute(vacancy_id=vacancy.pk)
    candidates_matches_recompute(candidate_ids=candidates)
    assert settled(), services.match_consistency_violations()[:5]
    recruiter = recruiter_user()
    match = Match.objects.filter(vacancy=vacancies[0], outcome=Match.Outcome.ELIGIBLE).order_by("pk").first()
    assert match is not None, "the fault world has no eligible match to shortlist"
    placement = placement_shortlist(vacancy=vacancies[0], candidate=match.candidate, actor=recruiter)
    placement = placement_propose(
        placement=placement, actor=recruiter, expected_version=placement.version, message="Four years of TIG."
    )
    CandidateNote.objects.create(
        candidate=match.candidate, placement=placement, author=recruiter, body="Called on Monday."
    )
    return FaultWorld(
        world=world,
        vacancies=vacancies,
        employer_user=employer_user(world.employer),
        partner=make_partner("Faultagency"),
    )


# --- What users notice --------------------------------------------------------------------------


def user_checks(fault_world: FaultWorld) -> list[str]:
    """One round of the users' checks; the failures, each as "what status" (empty: none noticed)."""
    errors: list[str] = []

    def expect(what: str, status: int, response: Any) -> bool:
        # What a served process does around each request (Django's handler; the test client leaves
        # it out): a connection that broke, or is past CONN_MAX_AGE, is closed before the next one.
        close_old_connections()
        if response.status_code != status:
            errors.append(f"{what} {response.status_code}")
            return False
        return True

    try:
        browser = Client(raise_request_exception=False)  # a crash is a 500, as a user would see it
        data = {"username": fault_world.employer_user.username, "password": PASSWORD}
        if expect("sign-in", 302, browser.post("/en/account/sign-in/", data)):
            expect("employer vacancies page", 200, browser.get("/en/employer/vacancies/"))
        partner = APIClient(raise_request_exception=False)
        token = partner.post(
            TOKEN_URL,
            {"grant_type": "client_credentials"},
            format="multipart",
            HTTP_AUTHORIZATION=basic_auth(fault_world.partner.credentials),
        )
        if expect("API token", 200, token):
            partner.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
            expect("API vacancies", 200, partner.get("/api/v1/vacancies/"))
            expect("API matches", 200, partner.get("/api/v1/matches/"))
    except Exception as exc:
        errors.append(type(exc).__name__)
    return errors


@dataclass
class Probe:
    rounds: int = 0
    errors: list[str] = field(default_factory=list)


@contextmanager
def probing(fault_world: FaultWorld, *, every: float = 2.0) -> Iterator[Probe]:
    """Run the users' checks in a thread every ``every`` seconds while the block runs (a round at least).
    Every two seconds stays under the partner token limit (60 a minute)."""
    probe = Probe()
    stop = threading.Event()

    def run() -> None:
        try:
            while True:
                probe.errors += user_checks(fault_world)
                probe.rounds += 1
                if stop.wait(every):
                    break
        finally:
            connections.close_all()  # this thread's connection, before the test database is flushed

    thread = threading.Thread(target=run, name="users", daemon=True)
    thread.start()
    try:
        yield probe
    finally:
        stop.set()
        thread.join(timeout=60)


# --- The invariants -------------------------------------------------------------------------------


HumanWork = tuple[list[Any], list[Any]]


def human_work() -> HumanWork:
    """Shortlists, decisions, placements and notes as they are: a recompute must leave them alone."""
    return (
        list(Placement.objects.order_by("pk").values()),
        list(CandidateNote.objects.order_by("pk").values()),
    )


def settled() -> bool:
    """No open job, and the consistency check finds nothing: the scenario has healed."""
    if MatchJob.objects.filter(status__in=OPEN_JOB_STATUSES).exists():
        return False
    return not services.match_consistency_violations()


def settled_within(name: str, what: str, *, bound: float, errors: Callable[[], int]) -> float:
    """``harness.healed_within`` until ``settled``; a scenario that does not settle says what was left."""
    return healed_within(name, settled, what, bound=bound, errors=errors, left=unsettled)


def unsettled() -> str:
    """What keeps ``settled`` false, for the report of a scenario that did not heal: each open job with
    its ages (queued, message sent, lease), and the consistency check's findings."""
    now = timezone.now()

    def age(moment: datetime.datetime | None) -> str:
        return "-" if moment is None else f"{(now - moment).total_seconds():.0f}s"

    jobs = [
        f"job {job.pk} {job.kind} {job.status} attempts={job.attempts} queued {age(job.queued_at)} ago, "
        f"sent {age(job.sent_at)} ago, lease ends in "
        f"{'-' if job.lease_expires_at is None else f'{(job.lease_expires_at - now).total_seconds():.0f}s'}"
        for job in MatchJob.objects.filter(status__in=OPEN_JOB_STATUSES).order_by("pk")
    ]
    violations = [str(violation) for violation in services.match_consistency_violations()]
    return "; ".join(jobs + violations) or "nothing open"


def assert_invariants(human_work_before: HumanWork) -> None:
    """quality.md section 1, after a scenario healed."""
    # 1-3: complete, correct (a fresh synchronous recompute), no duplicate matches or open jobs, no job
    # stuck past its lease plus two sweeper periods. Raises CommandError naming each violation.
    call_command("check_match_consistency", verbosity=0)
    # 3: one effective webhook delivery per event and subscription.
    assert not (
        WebhookDelivery.objects.values("event_id", "subscription_id").annotate(n=Count("pk")).filter(n__gt=1)
    ), "an event delivered twice to one subscription"
    # 4: monotonic: no vacancy's stamp ahead of, and no match computed for a version newer than, its
    # criteria (an older computation written over a newer one would leave exactly that, or a stale stamp).
    assert not Vacancy.objects.filter(matched_version__gt=F("criteria_version")).exists()
    assert not Match.objects.filter(vacancy_version__gt=F("vacancy__criteria_version")).exists()
    # 5: human work preserved.
    assert human_work() == human_work_before, "a recompute changed a shortlist, a decision or a note"
    # 6: bounded failure: every job ended, within its attempts, with a sanitised error.
    jobs = MatchJob.objects.all()
    assert not jobs.filter(status__in=OPEN_JOB_STATUSES).exists(), "a job is still open"
    assert not jobs.filter(attempts__gt=MAX_ATTEMPTS).exists()
    for error in jobs.exclude(error="").values_list("error", flat=True).distinct():
        assert ERROR_CODE.match(error), f"a job's error is not a sanitised code: {error!r}"
    # 7: auditable: each job row says when it was queued and finished, how many attempts it took.
    assert not jobs.filter(finished_at__isnull=True).exists()
    assert not jobs.filter(kind__in=("vacancy", "candidate"), status="done", started_at__isnull=True).exists()
    assert not jobs.filter(kind__in=("vacancy", "candidate"), status="done", attempts__lt=1).exists()
