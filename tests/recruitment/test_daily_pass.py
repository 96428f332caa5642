"""The daily pass (docs/adr/0008): a new day re-evaluates only what a date can change, and the stored
matches stay exactly what a fresh recompute gives on the new day.

The day is moved by making ``timezone.localdate`` answer tomorrow (the reference date is today's date,
``recruitment.adapters.reference_date``). Runs on SQLite and, with DATABASE_URL set, on PostgreSQL.
"""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from candidates.models import Diploma, WorkExperience
from candidates.services import candidate_profile_changed
from recruitment import services
from recruitment.adapters import reference_date
from recruitment.matching.routes import TRAINEE_DIPLOMA_MONTHS, months_before
from recruitment.models import Match, MatchJob
from tests.recruitment.world import World, build_world, welder_candidate, welder_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Callable[[], AbstractContextManager[Any]]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world() -> World:
    return build_world()


def _move_to(monkeypatch: pytest.MonkeyPatch, day: datetime.date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def _run_jobs() -> list[MatchJob]:
    """What the sweeper and a worker do: a job for each stale vacancy, run here."""
    jobs = services.matches_queue_stale(queue=False)
    for job in jobs:
        assert job.vacancy_id is not None
        services.vacancy_matches_recompute(vacancy_id=job.vacancy_id, job_id=job.pk)
    return [MatchJob.objects.get(pk=job.pk) for job in jobs]


def test_a_new_day_re_evaluates_only_the_candidates_the_date_moves(
    world: World, commit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with commit():
        at_work = welder_candidate(world, years=1)  # experience under way: one day more tomorrow
        retired = [welder_candidate(world), welder_candidate(world, dutch="A2")]
        for person in retired:
            WorkExperience.objects.filter(candidate=person).update(
                ended_on=reference_date() - datetime.timedelta(days=30)
            )
            candidate_profile_changed(person.pk)
        vacancy = welder_vacancy(world)
    assert Match.objects.filter(vacancy=vacancy).count() == 3
    assert services.match_consistency_violations() == []

    tomorrow = reference_date() + datetime.timedelta(days=1)
    _move_to(monkeypatch, tomorrow)
    assert vacancy.pk in services.sweep.vacancies_needing_jobs().values_list("pk", flat=True)
    (job,) = _run_jobs()
    # Only the welder at work was evaluated again; the two others' rows were not even read for writing.
    assert job.status == "done" and job.added + job.updated + job.unchanged == 1
    assert Vacancy.objects.get(pk=vacancy.pk).matched_on == tomorrow
    assert services.match_consistency_violations() == []
    assert at_work.pk in set(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", flat=True))


def test_a_full_recompute_and_the_daily_pass_agree(
    world: World, commit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the daily pass skipped, a recompute from nothing on the same day stores the same rows."""
    with commit():
        people = [
            welder_candidate(world, years=years, dutch=dutch) for years in (1, 2, 6) for dutch in ("A2", "B1")
        ]
        vacancy = welder_vacancy(world)
    assert people
    tomorrow = reference_date() + datetime.timedelta(days=1)
    _move_to(monkeypatch, tomorrow)
    (daily_job,) = _run_jobs()
    assert daily_job.added + daily_job.updated + daily_job.unchanged == 6  # all six at work: all moved
    daily = set(
        Match.objects.filter(vacancy=vacancy).values_list("candidate_id", "outcome", "score", "reason_bits")
    )

    Match.objects.filter(vacancy=vacancy).delete()
    Vacancy.objects.filter(pk=vacancy.pk).update(matched_version=0)
    (job,) = _run_jobs()
    assert job.added == len(daily)
    full = set(
        Match.objects.filter(vacancy=vacancy).values_list("candidate_id", "outcome", "score", "reason_bits")
    )
    assert full == daily
    assert services.match_consistency_violations() == []


def test_a_diploma_passing_the_trainee_limit_overnight_is_re_evaluated_by_the_daily_pass(
    world: World, commit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A trainee's diploma is recent for the last day today (routes.trainee_diploma): tomorrow the
    daily pass re-evaluates the pair, and it stores what a recompute from nothing stores."""
    today = reference_date()
    tomorrow = today + datetime.timedelta(days=1)
    awarded_on = months_before(tomorrow, TRAINEE_DIPLOMA_MONTHS) - datetime.timedelta(days=1)
    with commit():
        graduate = welder_candidate(world)
        # Not at work (an experience under way would put them in the daily scope anyway).
        WorkExperience.objects.filter(candidate=graduate).update(ended_on=today - datetime.timedelta(days=30))
        Diploma.objects.create(
            candidate=graduate,
            title="Bachelor",
            country="MA",
            field="0715",
            isced_level=6,
            awarded_on=awarded_on,
        )
        candidate_profile_changed(graduate.pk)
        internship = welder_vacancy(
            world,
            kind=Vacancy.Kind.INTERNSHIP,
            contract_type=Vacancy.ContractType.FIXED_TERM,
            contract_months=6,
        )
    assert months_before(today, TRAINEE_DIPLOMA_MONTHS) <= awarded_on  # recent today
    assert Match.objects.get(vacancy=internship, candidate=graduate).outcome == Match.Outcome.ELIGIBLE

    _move_to(monkeypatch, tomorrow)
    (job,) = _run_jobs()
    assert job.added + job.updated + job.unchanged + job.removed == 1  # the graduate was re-evaluated
    daily = set(
        Match.objects.filter(vacancy=internship).values_list(
            "candidate_id", "outcome", "score", "reason_bits"
        )
    )
    assert all(outcome != Match.Outcome.ELIGIBLE for _pk, outcome, _score, _bits in daily)
    assert services.match_consistency_violations() == []

    Match.objects.filter(vacancy=internship).delete()
    Vacancy.objects.filter(pk=internship.pk).update(matched_version=0)
    _run_jobs()
    full = set(
        Match.objects.filter(vacancy=internship).values_list(
            "candidate_id", "outcome", "score", "reason_bits"
        )
    )
    assert full == daily


def test_a_vacancy_whose_labour_market_test_the_date_moves_is_re_evaluated_whole(
    world: World, commit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The "other" route's 9 weeks end tomorrow: every candidate of the pool is evaluated again."""
    today = reference_date()
    published = today - datetime.timedelta(days=62)
    with commit():
        people = [welder_candidate(world), welder_candidate(world)]
        for person in people:
            WorkExperience.objects.filter(candidate=person).update(
                ended_on=today - datetime.timedelta(days=30)
            )
            candidate_profile_changed(person.pk)
        welder_vacancy(world, vdab_published_on=published, eures_published_on=published)
    _move_to(monkeypatch, today + datetime.timedelta(days=1))
    (job,) = _run_jobs()
    assert job.added + job.updated + job.unchanged == 2  # both, though the calendar moved neither
    assert services.match_consistency_violations() == []


@override_settings(MATCH_NEAR_MISS_MIN_SCORE=101)
def test_near_misses_below_the_minimum_score_are_not_stored(world: World, commit: Any) -> None:
    """Every eligible match is stored; a near-miss only from the minimum score (here: never)."""
    with commit():
        eligible = welder_candidate(world)
        welder_candidate(world, dutch="A2")  # a near-miss
        vacancy = welder_vacancy(world)
    assert list(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", "outcome")) == [
        (eligible.pk, Match.Outcome.ELIGIBLE)
    ]
    assert services.match_consistency_violations() == []


@override_settings(MATCH_SNAPSHOT_MAX_AGE=3600)
def test_a_snapshot_reused_between_recomputes_leaves_newer_profiles_to_their_own_jobs(
    world: World, commit: Any
) -> None:
    """Back to back recomputes (the daily pass) reuse the worker's snapshot without reading every
    version again: a candidate who appears or changes meanwhile is written by their own job."""
    with commit():
        welder_candidate(world)
        welder_vacancy(world)  # reads the snapshot: one candidate
    with commit():
        newcomer = welder_candidate(world)  # their own job writes their pair with the first vacancy
        improved = welder_candidate(world, dutch="A2")
        second = welder_vacancy(world)  # the snapshot is reused: neither of them is in it
    job = MatchJob.objects.filter(vacancy=second).latest("pk")
    assert job.added + job.updated + job.unchanged <= 1
    assert {newcomer.pk, improved.pk} <= set(
        Match.objects.filter(vacancy=second).values_list("candidate_id", flat=True)
    )
    assert services.match_consistency_violations() == []
