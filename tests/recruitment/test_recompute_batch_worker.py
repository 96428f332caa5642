"""A bulk write's batch recompute through a real Celery worker, the Redis broker and PostgreSQL.

The batch task carries the candidates' ids as its arguments (JSON through Redis); the worker claims each
candidate's job and writes their matches in one run. Set the scene in process, then route the
recruitment tasks to a private queue (``tests.workers``); every wait has a deadline.
"""

import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone

from candidates.models import Candidate
from candidates.services import ProfileInput, candidates_upsert
from config.celery import app
from recruitment import services
from recruitment.models import OPEN_JOB_STATUSES, Match, MatchJob
from tests.recruitment.world import LEVELS, World, build_world, welder_vacancy
from tests.workers import Workers, routed_to, wait_for

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]


@pytest.fixture
def workers() -> Iterator[Workers]:
    with routed_to(Workers("batch"), "recruitment.tasks.*") as pool:
        yield pool


def _welder(world: World) -> ProfileInput:
    today = timezone.localdate()
    return ProfileInput(
        fields={
            "given_name": "Youssef",
            "family_name": "Amrani",
            "date_of_birth": datetime.date(1992, 4, 1),
            "nationalities": ["MA"],
            "country_of_residence": "MA",
        },
        languages=[{"language": "nl", **dict.fromkeys(LEVELS, "B1")}],
        diplomas=[
            {"title": "Soudure", "institution": "OFPPT", "country": "MA", "field": "0715", "isced_level": 3}
        ],
        work_experience=[
            {"occupation": world.welder, "country": "MA", "started_on": today - datetime.timedelta(days=2000)}
        ],
        consents=[
            {
                "purpose": "share_with_employer",
                "recipient": world.employer,
                "text_version": "2026-01",
                "granted_at": timezone.now() - datetime.timedelta(days=1),
            }
        ],
    )


def test_a_bulk_write_is_matched_by_one_batch_run_of_the_worker(workers: Workers) -> None:
    app.conf.task_always_eager = True  # the scene: the vacancy's own recompute, here
    try:
        world = build_world()
        vacancy = welder_vacancy(world)
    finally:
        app.conf.task_always_eager = False
    workers.start()
    outcomes = candidates_upsert(
        registered_by=world.partner, items=[(f"W-{n}", _welder(world)) for n in range(30)]
    )
    assert all(not isinstance(outcome, Exception) for outcome in outcomes)

    def settled() -> bool:
        return not MatchJob.objects.filter(status__in=OPEN_JOB_STATUSES).exists() and not (
            Candidate.objects.exclude(matched_version=1).exists()
        )

    wait_for(settled, "the worker to match the 30 candidates")
    jobs = MatchJob.objects.filter(kind=MatchJob.Kind.CANDIDATE)
    assert jobs.count() == 30 and {job.status for job in jobs} == {"done"}
    assert len({(job.claimed_by, job.started_at) for job in jobs}) == 1
    assert Match.objects.filter(vacancy=vacancy).count() == 30
    assert services.match_consistency_violations() == []
