"""Several candidates recomputed in one job run (a bulk request's; ``recompute_batch``): the rows one job
per candidate would store, by the same rules (each candidate's job claimed once, versions checked under
the locks, older results never written). Every scenario ends consistent (``check_match_consistency``).
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import OperationalError, models, transaction
from django.db.models import F

from candidates.models import Candidate, LanguageProficiency
from candidates.services import candidate_profile_changed, candidate_profiles_changed
from projects.models import ProjectPartner
from recruitment import services
from recruitment.models import Match, MatchJob, MatchRemoval
from recruitment.services import recompute_batch
from recruitment.services.jobs import job_claim, job_create
from recruitment.snapshot import snapshots_clear
from tests.factories import ProjectFactory
from tests.recruitment.world import LEVELS, World, build_world, welder_candidate, welder_vacancy
from vacancies.models import Vacancy
from vacancies.services import vacancy_update
from webhooks.models import WebhookSubscription

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Callable[[], AbstractContextManager[Any]]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def scene(commit: Any) -> Iterator[tuple[list[Vacancy], list[Candidate]]]:
    """Two welder vacancies (two and five years of experience) and five welders, computed one job each:
    eligible, a Dutch gap, an EU citizen (never a match), three years, and A1 Dutch with six years."""
    world: World = build_world()
    with commit():
        vacancies = [welder_vacancy(world), welder_vacancy(world, min_experience_years=Decimal(5))]
        candidates = [
            welder_candidate(world),
            welder_candidate(world, dutch="A2"),
            welder_candidate(world, nationalities=["FR"]),
            welder_candidate(world, years=3),
            welder_candidate(world, dutch="A1", years=6),
        ]
    yield vacancies, candidates


def _rows() -> set[tuple[Any, ...]]:
    """Every stored match as what it says (not when it was computed, nor on which profile version)."""
    return set(
        Match.objects.values_list(
            "vacancy_id", "candidate_id", "outcome", "score", "reason_bits", "route_bits", "vacancy_version"
        )
    )


def _stale(candidates: list[Candidate]) -> list[int]:
    """Mark the candidates stale behind the services' back (no message), as a lost wake-up leaves them."""
    ids = [c.pk for c in candidates]
    Candidate.objects.filter(pk__in=ids).update(profile_version=F("profile_version") + 1)
    return ids


def _assert_consistent() -> None:
    assert services.match_consistency_violations() == []


def test_a_batch_stores_what_one_job_per_candidate_stores(
    scene: tuple[list[Vacancy], list[Candidate]],
) -> None:
    _vacancies, candidates = scene
    before = _rows()
    assert len(before) >= 6
    Match.objects.all().delete()
    ids = _stale(candidates)

    jobs = recompute_batch.candidates_matches_recompute(candidate_ids=ids)

    assert _rows() == before
    assert [job.candidate_id for job in jobs] == sorted(ids)
    assert all(job.status == MatchJob.Status.DONE and job.attempts == 1 for job in jobs)
    assert len({(job.claimed_by, job.started_at) for job in jobs}) == 1  # claimed together
    assert {job.candidate_id: job.added for job in jobs} == {
        pk: Match.objects.filter(candidate_id=pk).count() for pk in ids
    }
    assert all(c.matched_version == c.profile_version for c in Candidate.objects.filter(pk__in=ids))
    _assert_consistent()


def _derived() -> dict[str, list[str]]:
    """Every row the recruitment and webhooks apps hold (what a recompute writes: matches, removals,
    change and match counts, filter values, outbox events, whatever is added later), without ids, times
    and references to rows the run created; and what each candidate's latest job counted."""
    rows: dict[str, list[str]] = {}
    for model in [
        *apps.get_app_config("recruitment").get_models(),
        *apps.get_app_config("webhooks").get_models(),
    ]:
        if model is MatchJob:
            continue
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if not f.primary_key
            and not isinstance(f, models.DateTimeField | models.UUIDField)
            and not (
                f.is_relation and f.related_model in (MatchJob, *apps.get_app_config("webhooks").get_models())
            )
        ]
        rows[model.__name__] = sorted(repr(row) for row in model._default_manager.values_list(*names))
    jobs = MatchJob.objects.filter(kind=MatchJob.Kind.CANDIDATE).order_by("candidate_id", "-pk")
    latest = {job.candidate_id: job for job in reversed(list(jobs))}
    rows["jobs"] = [
        repr((pk, job.status, job.added, job.updated, job.removed, job.held, job.unchanged))
        for pk, job in sorted(latest.items())
    ]
    return rows


def test_a_batch_writes_what_one_job_per_candidate_writes_everywhere(
    scene: tuple[list[Vacancy], list[Candidate]],
) -> None:
    """The same changes recomputed one job per candidate, then (rolled back) as one batch: every table
    of the recompute's writes ends the same. A side effect added to the single job's write
    (``recompute._write``) and not to the batch's fails here."""
    vacancies, (b1, a2, eu, shorter, a1) = scene
    project = ProjectFactory.create()
    ProjectPartner.objects.create(
        project=project, organisation=b1.registered_by, role=ProjectPartner.Role.ORIGIN_PES
    )
    for vacancy in vacancies:
        vacancy.open_to_projects.set([project])
    WebhookSubscription.objects.create(
        organisation=b1.registered_by,
        url="https://partner.example.org/hooks",
        secret="s" * 32,
        event_types=["match.created", "match.updated", "match.removed"],
    )
    Candidate.objects.filter(pk=b1.pk).update(nationalities=["FR"])  # removed
    LanguageProficiency.objects.filter(candidate=a2).update(**dict.fromkeys(LEVELS, "B2"))  # rescored
    Candidate.objects.filter(pk=a1.pk).update(status=Candidate.Status.WITHDRAWN, withdrawn_at=a1.created_at)
    ids = _stale([b1, a2, eu, shorter, a1])
    Match.objects.filter(candidate=shorter).delete()  # new rows again, with a new filter value
    Candidate.objects.filter(pk=shorter.pk).update(country_of_residence="TN")

    def outcome(run: Callable[[], object]) -> dict[str, list[str]]:
        with transaction.atomic():
            snapshots_clear()
            run()
            derived = _derived()
            transaction.set_rollback(True)
        return derived

    one_by_one = outcome(lambda: [services.candidate_matches_recompute(candidate_id=pk) for pk in ids])
    together = outcome(lambda: recompute_batch.candidates_matches_recompute(candidate_ids=ids))
    assert one_by_one["MatchRemoval"] and one_by_one["WebhookEvent"]  # the scenario writes them all
    assert together == one_by_one


def test_a_batch_updates_removes_and_leaves_alone(
    scene: tuple[list[Vacancy], list[Candidate]], commit: Any
) -> None:
    """A welder turns out to be an EU citizen (no permit case: matches removed), one improves her Dutch
    (rescored), one is sent again as he was (unchanged): one batch for the three."""
    _vacancies, (b1, a2, _eu, shorter, _a1) = scene
    removed = Match.objects.filter(candidate=b1).count()
    with commit():
        Candidate.objects.filter(pk=b1.pk).update(nationalities=["FR"])
        LanguageProficiency.objects.filter(candidate=a2).update(**dict.fromkeys(LEVELS, "B2"))
        candidate_profiles_changed([b1.pk, a2.pk, shorter.pk])  # one message for the three
    jobs = {c.pk: MatchJob.objects.filter(candidate=c).latest("pk") for c in (b1, a2, shorter)}
    assert (jobs[b1.pk].removed, jobs[b1.pk].added) == (removed, 0)
    assert jobs[a2.pk].updated >= 1
    assert (jobs[shorter.pk].unchanged, jobs[shorter.pk].updated) == (
        Match.objects.filter(candidate=shorter).count(),
        0,
    )
    assert len({(job.claimed_by, job.started_at) for job in jobs.values()}) == 1
    assert not Match.objects.filter(candidate=b1).exists()
    assert MatchRemoval.objects.filter(candidate=b1).count() == removed
    assert set(Match.objects.filter(candidate=a2).values_list("outcome", flat=True)) == {
        Match.Outcome.ELIGIBLE
    }
    _assert_consistent()


def test_a_candidate_changed_during_the_run_is_left_to_a_follow_up(
    scene: tuple[list[Vacancy], list[Candidate]], commit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between scoring and writing, one candidate improves her Dutch: the batch writes the others and
    drops her result (her job superseded); her follow-up job computes the newer profile."""
    _vacancies, (b1, a2, *_rest) = scene
    changed: list[int] = []

    def improve_dutch_meanwhile() -> None:
        if not changed:
            changed.append(1)
            LanguageProficiency.objects.filter(candidate=a2).update(**dict.fromkeys(LEVELS, "B2"))
            candidate_profile_changed(a2.pk)

    monkeypatch.setattr(recompute_batch, "_test_delay", improve_dutch_meanwhile)
    Match.objects.filter(candidate__in=[b1, a2]).delete()
    with commit():
        candidate_profiles_changed([b1.pk, a2.pk])
    *_earlier, first, follow_up = MatchJob.objects.filter(candidate=a2).order_by("pk")
    assert first.superseded and (first.added, first.updated, first.removed) == (0, 0, 0)
    assert follow_up.status == MatchJob.Status.DONE and not follow_up.superseded and follow_up.added >= 1
    assert MatchJob.objects.filter(candidate=b1).latest("pk").added >= 1
    a2.refresh_from_db()
    assert a2.matched_version == a2.profile_version
    assert set(Match.objects.filter(candidate=a2).values_list("outcome", flat=True)) == {
        Match.Outcome.ELIGIBLE
    }
    _assert_consistent()


def test_a_pair_whose_vacancy_changed_during_the_run_is_left_to_the_vacancys_job(
    scene: tuple[list[Vacancy], list[Candidate]], commit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (two_years, _five), candidates = scene
    changed: list[int] = []

    def change_vacancy_meanwhile() -> None:
        if not changed:
            changed.append(1)
            vacancy_update(Vacancy.objects.get(pk=two_years.pk), min_experience_years=Decimal(4))

    monkeypatch.setattr(recompute_batch, "_test_delay", change_vacancy_meanwhile)
    Match.objects.all().delete()
    with commit():
        candidate_profiles_changed([c.pk for c in candidates])
    batch = MatchJob.objects.filter(kind=MatchJob.Kind.CANDIDATE, candidate__in=candidates, superseded=False)
    latest = batch.order_by("-pk")[: len(candidates)]
    assert sum(job.held for job in latest) >= 3  # the pairs with the changed vacancy, never written
    two_years.refresh_from_db()
    assert two_years.matched_version == two_years.criteria_version
    assert set(Match.objects.filter(vacancy=two_years).values_list("vacancy_version", flat=True)) == {
        two_years.criteria_version
    }
    _assert_consistent()


def test_each_candidates_job_is_claimed_once(scene: tuple[list[Vacancy], list[Candidate]]) -> None:
    _vacancies, (b1, a2, _eu, shorter, a1) = scene
    assert recompute_batch.candidates_matches_recompute(candidate_ids=[b1.pk, a2.pk]) == []  # up to date
    ids = _stale([b1, a2, shorter, a1])
    # a2's job is another worker's; a1's failed for its current version (it would fail again).
    assert job_claim(job_create(MatchJob.Kind.CANDIDATE, a2.pk, queue=False).pk) is not None
    failed = job_create(MatchJob.Kind.CANDIDATE, a1.pk, queue=False)
    MatchJob.objects.filter(pk=failed.pk).update(status=MatchJob.Status.FAILED, finished_at=failed.queued_at)
    before = set(MatchJob.objects.values_list("pk", flat=True))

    jobs = recompute_batch.candidates_matches_recompute(candidate_ids=ids)

    assert [job.candidate_id for job in jobs] == sorted([b1.pk, shorter.pk])
    assert MatchJob.objects.filter(candidate=a2, status=MatchJob.Status.RUNNING).count() == 1
    assert len(set(MatchJob.objects.values_list("pk", flat=True)) - before) == 2  # b1's and shorter's
    computed = dict(Match.objects.values_list("pk", "computed_at"))
    # The same message delivered again: nothing left to claim, nothing written.
    assert recompute_batch.candidates_matches_recompute(candidate_ids=ids) == []
    assert dict(Match.objects.values_list("pk", "computed_at")) == computed
    assert {job.attempts for job in jobs} == {1}


def test_an_error_hands_every_claimed_job_back(
    scene: tuple[list[Vacancy], list[Candidate]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A transient error puts each job back to pending (the task retries); a bug fails them all, with
    the exception's class name only."""
    _vacancies, candidates = scene
    ids = _stale(candidates)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection lost")

    with monkeypatch.context() as patch:
        patch.setattr(recompute_batch, "evaluate_pairs", broken)
        with pytest.raises(OperationalError):
            recompute_batch.candidates_matches_recompute(candidate_ids=ids)
    jobs = MatchJob.objects.filter(candidate_id__in=ids, status__in=["pending", "running"])
    assert {(job.status, job.error) for job in jobs} == {("pending", "OperationalError")}
    assert len(jobs) == len(ids)

    done = recompute_batch.candidates_matches_recompute(candidate_ids=ids)
    assert {(job.status, job.attempts) for job in done} == {("done", 2)}

    ids = _stale(candidates)
    with monkeypatch.context() as patch:
        patch.setattr(recompute_batch, "evaluate_pairs", lambda *a, **k: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            recompute_batch.candidates_matches_recompute(candidate_ids=ids)
    failed = MatchJob.objects.filter(candidate_id__in=ids, status=MatchJob.Status.FAILED)
    assert {job.error for job in failed} == {"ZeroDivisionError"} and len(failed) == len(ids)
