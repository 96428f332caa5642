"""``Match.changed_at``: set when a pair first matches, moved only when its outcome or score changes.

The recompute rewrites every row it computes (``computed_at`` always moves); the dashboard's "new and
changed since your last visit" relies on ``changed_at`` moving only for a real change. Both write paths
(a vacancy's recompute, a candidate's) and both upsert forms (straight insert, merge on conflict) are
covered; the tests run on SQLite and, with DATABASE_URL set, on PostgreSQL (where the merge is COPY into
a temporary table and INSERT … ON CONFLICT).
"""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from candidates.models import Candidate, LanguageProficiency
from candidates.services import candidate_profile_changed, candidate_withdraw
from recruitment import services
from recruitment.models import Match, MatchChangeCount, MatchJob, MatchRemoval
from recruitment.services.history import match_history_prune
from tests.recruitment.world import World, build_world, welder_candidate, welder_vacancy
from vacancies.models import Vacancy
from vacancies.services import vacancy_update

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]
Stamps = dict[int, tuple[datetime.datetime, datetime.datetime | None]]


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Callable[[], AbstractContextManager[Any]]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def published(commit: Any) -> tuple[World, Vacancy, list[Candidate]]:
    """A welder vacancy (two years of experience required) matched with three candidates, all new pairs
    to its own recompute: eligible with four years, near-miss (Dutch A2) with four, eligible with three."""
    world = build_world()
    with commit():
        candidates = [
            welder_candidate(world),
            welder_candidate(world, dutch="A2"),
            welder_candidate(world, years=3),
        ]
    with commit():  # the candidates' jobs ran above and found no vacancy: these pairs are new here
        vacancy = welder_vacancy(world)
    return world, vacancy, candidates


def stamps(vacancy: Vacancy) -> Stamps:
    """candidate id -> (computed_at, changed_at)."""
    return {
        cid: (computed, changed)
        for cid, computed, changed in Match.objects.filter(vacancy=vacancy).values_list(
            "candidate_id", "computed_at", "changed_at"
        )
    }


def rerun_vacancy(vacancy: Vacancy) -> None:
    job = services.job_create(MatchJob.Kind.VACANCY, vacancy.pk, queue=False)
    assert services.vacancy_matches_recompute(vacancy_id=vacancy.pk, job_id=job.pk) is not None


def rerun_candidate(candidate: Candidate) -> None:
    job = services.job_create(MatchJob.Kind.CANDIDATE, candidate.pk, queue=False)
    assert services.candidate_matches_recompute(candidate_id=candidate.pk, job_id=job.pk) is not None


def test_a_new_pair_gets_changed_at_from_the_vacancys_recompute(
    published: tuple[World, Vacancy, list[Candidate]],
) -> None:
    _world, vacancy, candidates = published
    rows = stamps(vacancy)
    assert rows.keys() == {c.pk for c in candidates}
    for computed, changed in rows.values():
        assert changed is not None and changed == computed


def test_a_new_pair_gets_changed_at_from_the_candidates_recompute(
    published: tuple[World, Vacancy, list[Candidate]], commit: Any
) -> None:
    world, vacancy, _candidates = published
    before = timezone.now()
    with commit():
        newcomer = welder_candidate(world)
    computed, changed = stamps(vacancy)[newcomer.pk]
    assert changed is not None and changed == computed and changed >= before


def test_a_recompute_that_changes_nothing_keeps_changed_at(
    published: tuple[World, Vacancy, list[Candidate]],
) -> None:
    _world, vacancy, (b1, _a2, _shorter) = published
    before = stamps(vacancy)
    rerun_vacancy(vacancy)  # every pair computed again, none changed
    rerun_candidate(b1)  # and the same through the candidate's path
    after = stamps(vacancy)
    assert after == before  # nothing written at all (ADR 0008: an unchanged pair costs no write)


def test_a_score_change_bumps_changed_at_and_only_that_rows(
    published: tuple[World, Vacancy, list[Candidate]], commit: Any
) -> None:
    """Two and a half years required now: the experience share of three years drops (3 / 2.5 < 1.5),
    four years still reach the cap (domain.md 8.3), so only one row changes."""
    _world, vacancy, (b1, a2, shorter) = published
    before = stamps(vacancy)
    scores = dict(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", "score"))
    with commit():
        vacancy_update(Vacancy.objects.get(pk=vacancy.pk), min_experience_years=Decimal("2.5"))
    after = stamps(vacancy)
    lowered = Match.objects.get(vacancy=vacancy, candidate=shorter)
    assert lowered.score < scores[shorter.pk] and lowered.outcome == Match.Outcome.ELIGIBLE
    changed, earlier = after[shorter.pk][1], before[shorter.pk][1]
    assert changed is not None and earlier is not None
    assert changed > earlier and changed == after[shorter.pk][0]
    for unchanged in (b1, a2):
        assert after[unchanged.pk] == before[unchanged.pk]  # not even rewritten


def test_an_outcome_change_bumps_changed_at(
    published: tuple[World, Vacancy, list[Candidate]], commit: Any
) -> None:
    """The near-miss reaches Dutch B1: their match becomes eligible through the candidate's recompute."""
    _world, vacancy, (_b1, a2, _shorter) = published
    before = stamps(vacancy)[a2.pk][1]
    with commit():
        LanguageProficiency.objects.filter(candidate=a2).update(
            listening="B1", reading="B1", spoken_interaction="B1", spoken_production="B1", writing="B1"
        )
        candidate_profile_changed(a2.pk)
    match = Match.objects.get(vacancy=vacancy, candidate=a2)
    assert match.outcome == Match.Outcome.ELIGIBLE
    assert before is not None and match.changed_at is not None and match.changed_at > before
    assert match.changed_at == match.computed_at


# --- The dashboard's hourly change counts and the partners' removals, written with the matches --------


def change_counts(vacancy: Vacancy) -> tuple[int, int]:
    """(eligible, near-misses) new or changed, summed over the vacancy's hourly counts."""
    rows = MatchChangeCount.objects.filter(vacancy=vacancy)
    return sum(row.eligible for row in rows), sum(row.conditional for row in rows)


def test_the_change_counts_follow_changed_at_on_both_write_paths(
    published: tuple[World, Vacancy, list[Candidate]], commit: Any
) -> None:
    _world, vacancy, (b1, a2, shorter) = published
    assert change_counts(vacancy) == (2, 1)  # the three new pairs of the vacancy's recompute
    rerun_vacancy(vacancy)
    rerun_candidate(b1)
    assert change_counts(vacancy) == (2, 1)  # nothing changed, nothing counted
    with commit():  # a score change (see above): one more eligible change
        vacancy_update(Vacancy.objects.get(pk=vacancy.pk), min_experience_years=Decimal("2.5"))
    assert change_counts(vacancy) == (3, 1)
    with commit():  # an outcome change through the candidate's recompute: the near-miss becomes eligible
        LanguageProficiency.objects.filter(candidate=a2).update(
            listening="B1", reading="B1", spoken_interaction="B1", spoken_production="B1", writing="B1"
        )
        candidate_profile_changed(a2.pk)
    assert change_counts(vacancy) == (4, 1)
    latest = MatchChangeCount.objects.filter(vacancy=vacancy).order_by("-latest").first()
    assert latest is not None
    assert latest.latest == Match.objects.get(vacancy=vacancy, candidate=a2).changed_at
    assert latest.hour == latest.latest.replace(minute=0, second=0, microsecond=0)
    assert not MatchRemoval.objects.exists()
    assert shorter.pk in Match.objects.filter(vacancy=vacancy).values_list("candidate_id", flat=True)


def test_a_removed_match_is_recorded_for_the_partners(
    published: tuple[World, Vacancy, list[Candidate]], commit: Any
) -> None:
    _world, vacancy, (b1, _a2, _shorter) = published
    before = timezone.now()
    with commit():
        candidate_withdraw(candidate=Candidate.objects.get(pk=b1.pk))
    assert not Match.objects.filter(candidate=b1).exists()
    removal = MatchRemoval.objects.get()
    assert (removal.vacancy_id, removal.candidate_id) == (vacancy.pk, b1.pk)
    assert removal.removed_at >= before
    assert change_counts(vacancy) == (2, 1)  # a removal is not a change a recruiter is told of


def test_the_history_is_pruned_after_its_retention(
    published: tuple[World, Vacancy, list[Candidate]], settings: Any
) -> None:
    _world, vacancy, (b1, _a2, _shorter) = published
    now = timezone.now()
    old = now - datetime.timedelta(days=settings.MATCH_CHANGE_RETENTION_DAYS + 1)
    MatchChangeCount.objects.create(vacancy=vacancy, hour=old, eligible=5, latest=old)
    MatchRemoval.objects.create(
        vacancy=vacancy,
        candidate=b1,
        removed_at=now - datetime.timedelta(days=settings.MATCH_REMOVAL_RETENTION_DAYS + 1),
    )
    recent = MatchRemoval.objects.create(vacancy=vacancy, candidate=b1, removed_at=now)
    assert match_history_prune(now=now) == (1, 1)
    assert change_counts(vacancy) == (2, 1)
    assert list(MatchRemoval.objects.all()) == [recent]
