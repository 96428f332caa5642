"""How many near-misses a vacancy keeps (ADR 0008, "how much is stored"): every eligible match, and with
``MATCH_NEAR_MISS_LIMIT`` only the best near-misses, the cut being a score (the vacancy's floor) that
every writer of the vacancy's pairs applies, so that the stored set stays exactly "eligible, or a
near-miss scoring at least the floor" whichever side recomputed last.

Runs on SQLite and, with DATABASE_URL set, on PostgreSQL.
"""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from candidates.models import Candidate, WorkExperience
from candidates.services import candidate_profile_changed
from recruitment import services
from recruitment.models import Match
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


def _near_misses(vacancy: Vacancy) -> dict[int, Decimal]:
    return dict(
        Match.objects.filter(vacancy=vacancy, outcome=Match.Outcome.CONDITIONAL).values_list(
            "candidate_id", "score"
        )
    )


def _set_years(candidate: Candidate, years: int) -> None:
    WorkExperience.objects.filter(candidate=candidate).update(
        started_on=timezone.localdate() - datetime.timedelta(days=365 * years + 5)
    )
    candidate_profile_changed(candidate.pk)


@pytest.fixture
def pool(world: World, commit: Any) -> tuple[Vacancy, Candidate, dict[int, Decimal]]:
    """One eligible welder and four near-misses (Dutch A2) of different experience, every near-miss
    stored (no limit yet): their scores, to compare the limited runs against."""
    with commit():
        eligible = welder_candidate(world)
        for years in (1, 2, 3, 6):
            welder_candidate(world, dutch="A2", years=years)
        vacancy = welder_vacancy(world)
    scores = _near_misses(vacancy)
    assert len(scores) == 4 and len(set(scores.values())) >= 3, scores  # the world gives distinct scores
    return vacancy, eligible, scores


def _recompute(vacancy: Vacancy) -> Vacancy:
    services.vacancy_matches_recompute(vacancy_id=vacancy.pk)  # the limit is in the basis: a full run
    vacancy.refresh_from_db()
    return vacancy


@override_settings(MATCH_NEAR_MISS_LIMIT=2)
def test_a_vacancy_keeps_every_eligible_match_and_only_its_best_near_misses(
    pool: tuple[Vacancy, Candidate, dict[int, Decimal]],
) -> None:
    vacancy, eligible, scores = pool
    vacancy = _recompute(vacancy)
    floor = sorted(scores.values(), reverse=True)[1]
    expected = {pk: score for pk, score in scores.items() if score >= floor}
    assert Match.objects.filter(vacancy=vacancy, outcome=Match.Outcome.ELIGIBLE).get().candidate_id == (
        eligible.pk
    )
    assert _near_misses(vacancy) == expected
    assert vacancy.near_miss_floor == int(floor * 100)
    assert vacancy.near_misses_unkept == len(scores) - len(expected)
    assert services.match_consistency_violations() == []


@override_settings(MATCH_NEAR_MISS_LIMIT=1)
def test_near_misses_tied_at_the_cut_are_all_kept(world: World, commit: Any) -> None:
    with commit():
        twins = [welder_candidate(world, dutch="A2", years=3) for _ in range(2)]
        welder_candidate(world, dutch="A2", years=1)  # less experience, a lower score: cut
        vacancy = welder_vacancy(world)
    assert set(_near_misses(vacancy)) == {twin.pk for twin in twins}
    vacancy.refresh_from_db()
    assert vacancy.near_misses_unkept == 1
    assert services.match_consistency_violations() == []


def test_a_candidate_recompute_applies_the_vacancy_floor_both_ways(
    pool: tuple[Vacancy, Candidate, dict[int, Decimal]], commit: Any
) -> None:
    """A near-miss under the floor who improves is stored by their own job; a kept one who falls under
    it is removed: the rule holds without recomputing the vacancy."""
    vacancy, _, scores = pool
    with override_settings(MATCH_NEAR_MISS_LIMIT=2):
        vacancy = _recompute(vacancy)
        kept = _near_misses(vacancy)
        ranked = sorted(scores, key=lambda pk: scores[pk])
        lowest, best = Candidate.objects.get(pk=ranked[0]), Candidate.objects.get(pk=ranked[-1])
        assert lowest.pk not in kept and best.pk in kept
        with commit():
            _set_years(lowest, 6)  # now as experienced as the best near-miss
            _set_years(best, 1)  # now under the floor
        after = _near_misses(vacancy)
        assert lowest.pk in after and best.pk not in after
        assert all(score * 100 >= vacancy.near_miss_floor for score in after.values())
        assert services.match_consistency_violations() == []


def test_a_near_miss_under_a_new_floor_goes_even_when_its_candidate_moved_meanwhile(
    pool: tuple[Vacancy, Candidate, dict[int, Decimal]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vacancy's run holds a pair whose candidate changed while it scored (their own job writes it),
    but a near-miss under the vacancy's new floor is not kept whoever writes it: it goes with the run."""
    from django.db.models import F

    from recruitment.services import recompute as recompute_module

    vacancy, _, scores = pool
    lowest = min(scores, key=lambda pk: scores[pk])
    bump = lambda: Candidate.objects.filter(pk=lowest).update(profile_version=F("profile_version") + 1)  # noqa: E731
    monkeypatch.setattr(recompute_module, "_test_delay", bump)  # between scoring and writing
    with override_settings(MATCH_NEAR_MISS_LIMIT=2):
        vacancy = _recompute(vacancy)
        assert lowest not in _near_misses(vacancy)
        assert all(score * 100 >= vacancy.near_miss_floor for score in _near_misses(vacancy).values())


@override_settings(MATCH_NEAR_MISS_LIMIT=2)
def test_a_daily_run_that_applied_a_floor_moved_meanwhile_is_dropped_and_done_again(
    pool: tuple[Vacancy, Candidate, dict[int, Decimal]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A daily run sees part of the pool and applies the floor it read: if another run of the vacancy moved
    the floor while it scored, its result is dropped and a follow-up run redoes it with the floor as it is."""
    from django.db.models import F

    from recruitment.adapters import reference_date
    from recruitment.models import MatchJob
    from recruitment.services import recompute as recompute_module

    vacancy = _recompute(pool[0])
    floor = vacancy.near_miss_floor
    tomorrow = reference_date() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    moved = [False]

    def another_run_moves_the_floor() -> None:
        if not moved[0]:
            moved[0] = True
            Vacancy.objects.filter(pk=vacancy.pk).update(near_miss_floor=F("near_miss_floor") + 1)

    monkeypatch.setattr(recompute_module, "_test_delay", another_run_moves_the_floor)
    (job,) = services.matches_queue_stale(queue=False)
    services.vacancy_matches_recompute(vacancy_id=vacancy.pk, job_id=job.pk)
    job.refresh_from_db()
    assert job.superseded  # the daily result was not written over the moved floor
    follow_up = MatchJob.objects.filter(vacancy=vacancy).latest("pk")
    assert follow_up.pk != job.pk
    services.vacancy_matches_recompute(vacancy_id=vacancy.pk, job_id=follow_up.pk)
    vacancy.refresh_from_db()
    assert vacancy.near_miss_floor == floor + 1 and vacancy.matched_on == tomorrow
    assert MatchJob.objects.get(pk=follow_up.pk).status == "done"
    assert services.match_consistency_violations() == []
