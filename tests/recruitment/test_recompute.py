"""Stored matches, recomputed on every change, nothing lost (issue 3 section 2; quality.md section 1).

Tasks run eagerly here (in-process, after commit): each scenario wraps its change in
``django_capture_on_commit_callbacks(execute=True)``, which runs the after-commit wake-up calls as a real
commit would. Every scenario ends with ``check_match_consistency`` passing. They run on SQLite and, with
DATABASE_URL set, on PostgreSQL.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.db.models import F

from candidates.models import Candidate, LanguageProficiency
from candidates.services import candidate_profile_changed
from core.models import Organisation
from recruitment import services
from recruitment.adapters import basis_of, reference_date, reference_facts_on
from recruitment.explanations import explain_match
from recruitment.models import Match, MatchJob
from recruitment.services import recompute as recompute_module
from recruitment.services.jobs import MAX_ATTEMPTS
from reference.models import SalaryThreshold, ShortageListOccupation
from reference.services import reference_data_changed
from tests.recruitment.world import World, build_world, welder_candidate, welder_vacancy
from vacancies.models import Vacancy
from vacancies.services import vacancy_close, vacancy_requirements_changed, vacancy_update

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Callable[[], AbstractContextManager[Any]]:
    """``with commit():`` runs the after-commit callbacks (the queued tasks) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world() -> World:
    return build_world()


def stored(vacancy: Vacancy) -> dict[int, tuple[str, Decimal]]:
    return {m.candidate_id: (m.outcome, m.score) for m in Match.objects.filter(vacancy=vacancy)}


def assert_consistent() -> None:
    problems = services.match_consistency_violations()
    assert problems == []


def _improve_dutch_during_the_next_recompute(candidate: Candidate, monkeypatch: pytest.MonkeyPatch) -> None:
    """Between scoring and writing (the test hook) the candidate's Dutch improves once, via the service."""
    changed: list[int] = []

    def improve_dutch_meanwhile() -> None:
        if not changed:
            changed.append(1)
            LanguageProficiency.objects.filter(candidate=candidate).update(
                listening="B2", reading="B2", spoken_interaction="B2", spoken_production="B2", writing="B2"
            )
            candidate_profile_changed(candidate.pk)

    monkeypatch.setattr(recompute_module, "_test_delay", improve_dutch_meanwhile)


@pytest.fixture
def published(world: World, commit: Any) -> Iterator[tuple[Vacancy, list[Candidate]]]:
    """A published welder vacancy with its matches computed, and four candidates:
    eligible (Dutch B1), conditional (Dutch A2), ineligible (an EU citizen), eligible (1 year less)."""
    with commit():
        candidates = [
            welder_candidate(world),
            welder_candidate(world, dutch="A2"),
            welder_candidate(world, nationalities=["FR"]),
            welder_candidate(world, years=3),
        ]
        vacancy = welder_vacancy(world)
    yield vacancy, candidates


def test_a_new_vacancy_gets_its_matches(published: tuple[Vacancy, list[Candidate]]) -> None:
    vacancy, (b1, a2, _eu, shorter) = published
    matches = stored(vacancy)
    assert set(matches) == {b1.pk, a2.pk, shorter.pk}
    assert matches[b1.pk][0] == Match.Outcome.ELIGIBLE
    assert matches[a2.pk][0] == Match.Outcome.CONDITIONAL
    vacancy.refresh_from_db()
    assert vacancy.matched_version == vacancy.criteria_version
    job = MatchJob.objects.filter(vacancy=vacancy).latest("pk")
    # The candidates' own jobs ran first (they were created first) and found the vacancy open already.
    assert (job.status, job.attempts, job.added + job.updated + job.unchanged, job.removed) == (
        "done",
        1,
        3,
        0,
    )
    match = Match.objects.get(vacancy=vacancy, candidate=a2)
    assert match.reason_codes == ("language.below_minimum",)
    # The stored row is compact; the explanation is rebuilt by the scalar core, word for word.
    explanation = explain_match(match)
    assert explanation is not None and not explanation.outdated
    assert explanation.gaps[0].code == "language.below_minimum"
    assert [c.code for c in explanation.criteria][:2] == ["occupation", "essential_skills"]
    assert match.vacancy_version == vacancy.criteria_version and match.candidate_version == a2.profile_version
    assert_consistent()


def test_the_selectors_rank_by_score_and_keep_near_misses_apart(
    published: tuple[Vacancy, list[Candidate]],
) -> None:
    from recruitment.selectors import matches_for_candidate, matches_for_vacancy

    vacancy, (b1, a2, _eu, shorter) = published
    eligible = list(matches_for_vacancy(vacancy, outcome=Match.Outcome.ELIGIBLE))
    assert [m.candidate_id for m in eligible] == [b1.pk, shorter.pk]
    assert eligible[0].score >= eligible[1].score
    assert [m.candidate_id for m in matches_for_vacancy(vacancy, outcome="conditional")] == [a2.pk]
    assert [m.vacancy_id for m in matches_for_candidate(b1)] == [vacancy.pk]


def test_a_candidate_edit_rescores_their_matches(
    published: tuple[Vacancy, list[Candidate]], commit: Any
) -> None:
    vacancy, (_b1, a2, _eu, _shorter) = published
    with commit():
        LanguageProficiency.objects.filter(candidate=a2).update(
            listening="B1", reading="B1", spoken_interaction="B1", spoken_production="B1", writing="B1"
        )
        candidate_profile_changed(a2.pk)
    assert stored(vacancy)[a2.pk][0] == Match.Outcome.ELIGIBLE
    a2.refresh_from_db()
    assert a2.matched_version == a2.profile_version
    assert_consistent()


def test_a_withdrawn_candidate_loses_their_matches(
    published: tuple[Vacancy, list[Candidate]], commit: Any
) -> None:
    vacancy, (b1, *_others) = published
    with commit():
        Candidate.objects.filter(pk=b1.pk).update(status=Candidate.Status.PLACED)
        candidate_profile_changed(b1.pk)
    assert b1.pk not in stored(vacancy)
    assert_consistent()


def test_a_new_candidate_gets_matched_to_open_vacancies(
    published: tuple[Vacancy, list[Candidate]], world: World, commit: Any
) -> None:
    vacancy, _ = published
    with commit():
        newcomer = welder_candidate(world)
        candidate_profile_changed(newcomer.pk)
    assert stored(vacancy)[newcomer.pk][0] == Match.Outcome.ELIGIBLE
    assert_consistent()


def test_closing_a_vacancy_removes_its_matches(
    published: tuple[Vacancy, list[Candidate]], commit: Any
) -> None:
    vacancy, _ = published
    with commit():
        vacancy_close(vacancy)
    assert stored(vacancy) == {}
    job = MatchJob.objects.filter(vacancy=vacancy).latest("pk")
    assert (job.status, job.removed) == ("done", 3)
    assert_consistent()


def test_an_older_run_never_overwrites_a_newer_one(
    published: tuple[Vacancy, list[Candidate]], commit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The criteria change between the run's read and its write: its result is dropped, a follow-up
    job computes the newer version."""
    vacancy, (_b1, _a2, _eu, shorter) = published
    changed: list[int] = []

    def change_meanwhile() -> None:
        if not changed:  # once: the follow-up job must run undisturbed
            changed.append(1)
            # Five years of experience now: the candidate with three scores lower.
            vacancy_update(Vacancy.objects.get(pk=vacancy.pk), min_experience_years=Decimal(5))

    before = stored(vacancy)
    monkeypatch.setattr(recompute_module, "_test_delay", change_meanwhile)
    with commit():
        vacancy_requirements_changed(vacancy.pk)  # e.g. a recruiter's edit queues a recompute
    *_earlier, first, follow_up = MatchJob.objects.filter(vacancy=vacancy).order_by("pk")
    assert first.superseded and first.status == "done" and (first.added, first.updated) == (0, 0)
    assert follow_up.status == "done" and not follow_up.superseded
    vacancy.refresh_from_db()
    assert vacancy.matched_version == vacancy.criteria_version
    assert set(Match.objects.filter(vacancy=vacancy).values_list("vacancy_version", flat=True)) == {
        vacancy.criteria_version
    }
    after = stored(vacancy)
    assert after.keys() == before.keys() and after[shorter.pk][1] < before[shorter.pk][1]
    assert_consistent()


def test_a_pair_whose_candidate_changed_meanwhile_is_left_to_the_candidates_job(
    published: tuple[Vacancy, list[Candidate]], commit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    vacancy, (_b1, a2, _eu, _shorter) = published
    _improve_dutch_during_the_next_recompute(a2, monkeypatch)
    with commit():
        vacancy_requirements_changed(vacancy.pk)
    vacancy_job = MatchJob.objects.filter(vacancy=vacancy).latest("pk")
    # The stale result for a2 was never written: held if it differed from the stored row, else left
    # alone (a row equal to the stored one is not written, so it cannot overwrite anything).
    assert vacancy_job.added == 0 and vacancy_job.held + vacancy_job.updated + vacancy_job.unchanged == 3
    a2.refresh_from_db()
    match = Match.objects.get(vacancy=vacancy, candidate=a2)
    assert (match.outcome, match.candidate_version) == (Match.Outcome.ELIGIBLE, a2.profile_version)
    assert_consistent()


def test_a_job_delivered_twice_computes_once(published: tuple[Vacancy, list[Candidate]]) -> None:
    vacancy, _ = published
    Vacancy.objects.filter(pk=vacancy.pk).update(criteria_version=F("criteria_version") + 1)
    job = services.job_create(MatchJob.Kind.VACANCY, vacancy.pk, queue=False)
    assert services.vacancy_matches_recompute(vacancy_id=vacancy.pk, job_id=job.pk) is not None
    computed = dict(Match.objects.filter(vacancy=vacancy).values_list("pk", "computed_at"))

    assert services.vacancy_matches_recompute(vacancy_id=vacancy.pk, job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 1)
    assert dict(Match.objects.filter(vacancy=vacancy).values_list("pk", "computed_at")) == computed
    # A message naming only the vacancy, once it is up to date, is a no-op too.
    assert services.vacancy_matches_recompute(vacancy_id=vacancy.pk) is None
    assert_consistent()


def test_a_rerun_gives_the_same_rows(published: tuple[Vacancy, list[Candidate]]) -> None:
    vacancy, _ = published
    before = stored(vacancy)
    job = services.job_create(MatchJob.Kind.VACANCY, vacancy.pk, queue=False)
    done = services.vacancy_matches_recompute(vacancy_id=vacancy.pk, job_id=job.pk)
    # Nothing changed: nothing written (``unchanged`` counts the pairs computed again).
    assert done is not None and (done.added, done.updated, done.unchanged, done.removed) == (0, 0, 3, 0)
    assert stored(vacancy) == before


def test_an_expired_lease_is_requeued_by_the_sweeper_then_fails_after_max_attempts(
    published: tuple[Vacancy, list[Candidate]], commit: Any
) -> None:
    vacancy, _ = published
    Vacancy.objects.filter(pk=vacancy.pk).update(criteria_version=F("criteria_version") + 1)
    job = services.job_create(MatchJob.Kind.VACANCY, vacancy.pk, queue=False)
    assert services.job_claim(job.pk) is not None  # a worker took it ... and died
    MatchJob.objects.filter(pk=job.pk).update(lease_expires_at=F("started_at") - services.LEASE)
    assert any("running past its lease" in p for p in services.match_consistency_violations())

    with commit():
        report = services.matches_sweep()
    assert report.expired_requeued == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert_consistent()

    # A job that keeps dying: after MAX_ATTEMPTS the sweeper fails it, visibly, with a code.
    Vacancy.objects.filter(pk=vacancy.pk).update(criteria_version=F("criteria_version") + 1)
    job = services.job_create(MatchJob.Kind.VACANCY, vacancy.pk, queue=False)
    MatchJob.objects.filter(pk=job.pk).update(attempts=MAX_ATTEMPTS - 1)
    assert services.job_claim(job.pk) is not None
    MatchJob.objects.filter(pk=job.pk).update(lease_expires_at=F("started_at") - services.LEASE)
    with commit():
        report = services.matches_sweep()
    job.refresh_from_db()
    assert (report.expired_failed, job.status, job.attempts, job.error) == (1, "failed", 5, "lease_expired")
    # The vacancy is stale, but a failed job is visible to operators: no violation, and no retry loop.
    assert_consistent()
    with commit():
        assert services.matches_sweep().vacancies_queued == 0


def test_a_lost_message_is_healed_by_the_sweeper(
    published: tuple[Vacancy, list[Candidate]], django_capture_on_commit_callbacks: Commit, commit: Any
) -> None:
    vacancy, _ = published
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost the message
        vacancy_update(Vacancy.objects.get(pk=vacancy.pk), min_experience_years=Decimal(5))
    assert any("stale" in p for p in services.match_consistency_violations())
    with commit():
        assert services.matches_sweep().vacancies_queued == 1
    assert_consistent()


def _fail_once(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    """The next vacancy recompute raises ``error``; the ones after it run as usual."""
    failures = [error]
    real = recompute_module._vacancy_recompute

    def flaky(job: MatchJob, vacancy_id: int) -> None:
        if failures:
            raise failures.pop()
        real(job, vacancy_id)

    monkeypatch.setattr(recompute_module, "_vacancy_recompute", flaky)


def test_a_transient_error_puts_the_job_back_to_pending_and_the_task_retries(
    published: tuple[Vacancy, list[Candidate]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from celery.exceptions import Retry
    from django.db import OperationalError

    from recruitment.tasks import recompute_vacancy_matches_task

    vacancy, _ = published
    _fail_once(monkeypatch, OperationalError("server closed the connection"))
    Vacancy.objects.filter(pk=vacancy.pk).update(criteria_version=F("criteria_version") + 1)
    job = services.job_create(MatchJob.Kind.VACANCY, vacancy.pk, queue=False)
    with pytest.raises(Retry):
        recompute_vacancy_matches_task.apply(args=(vacancy.pk, job.pk), throw=True)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("pending", 1, "OperationalError")

    recompute_vacancy_matches_task.apply(args=(vacancy.pk, job.pk), throw=True)  # the retry's delivery
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("done", 2, "")
    assert_consistent()


def test_a_driver_error_from_a_raw_copy_is_transient_too(
    published: tuple[Vacancy, list[Candidate]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bulk writes use psycopg's COPY directly: its errors reach us unwrapped (``AdminShutdown`` when
    the server terminates connections). They are transient like Django's own: pending, then retried."""
    psycopg = pytest.importorskip("psycopg")
    from celery.exceptions import Retry

    from recruitment.tasks import recompute_vacancy_matches_task

    vacancy, _ = published
    _fail_once(
        monkeypatch, psycopg.errors.AdminShutdown("terminating connection due to administrator command")
    )
    Vacancy.objects.filter(pk=vacancy.pk).update(criteria_version=F("criteria_version") + 1)
    job = services.job_create(MatchJob.Kind.VACANCY, vacancy.pk, queue=False)
    with pytest.raises(Retry):
        recompute_vacancy_matches_task.apply(args=(vacancy.pk, job.pk), throw=True)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("pending", 1, "AdminShutdown")
    assert job.sent_at is not None  # the retry is its message: the sweeper does not send another

    recompute_vacancy_matches_task.apply(args=(vacancy.pk, job.pk), throw=True)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert_consistent()


def test_a_wake_up_call_after_a_failed_version_creates_no_new_job(
    published: tuple[Vacancy, list[Candidate]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Retries and wake-up calls name only the subject: after its job failed for the current version,
    they must not create another job that fails again (the sweeper's rule: a failed version waits)."""
    vacancy, _ = published

    def broken(job: MatchJob, vacancy_id: int) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(recompute_module, "_vacancy_recompute", broken)
    Vacancy.objects.filter(pk=vacancy.pk).update(criteria_version=F("criteria_version") + 1)
    with pytest.raises(ValueError):
        services.vacancy_matches_recompute(vacancy_id=vacancy.pk)  # no job id: one is created, fails
    for _ in range(3):
        assert services.vacancy_matches_recompute(vacancy_id=vacancy.pk) is None
    version = Vacancy.objects.get(pk=vacancy.pk).criteria_version
    (failed,) = MatchJob.objects.filter(vacancy=vacancy, target_version=version)
    assert failed.status == "failed"
    assert failed.sent_at is not None  # created by the worker for the message it handled: sent

    Vacancy.objects.filter(pk=vacancy.pk).update(criteria_version=F("criteria_version") + 1)
    with pytest.raises(ValueError):  # a new version is tried again
        services.vacancy_matches_recompute(vacancy_id=vacancy.pk)
    assert MatchJob.objects.filter(vacancy=vacancy, target_version=version + 1).count() == 1


def test_a_bug_fails_the_job_at_once_without_personal_data(
    published: tuple[Vacancy, list[Candidate]], monkeypatch: pytest.MonkeyPatch
) -> None:
    vacancy, (b1, *_) = published

    def broken(job: MatchJob, vacancy_id: int) -> None:
        raise ValueError(f"cannot score {b1.given_name} {b1.family_name}")

    monkeypatch.setattr(recompute_module, "_vacancy_recompute", broken)
    Vacancy.objects.filter(pk=vacancy.pk).update(criteria_version=F("criteria_version") + 1)
    job = services.job_create(MatchJob.Kind.VACANCY, vacancy.pk, queue=False)
    with pytest.raises(ValueError):
        services.vacancy_matches_recompute(vacancy_id=vacancy.pk, job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "ValueError")
    assert_consistent()  # stale, with a visible failed job


def test_a_shortage_list_change_restales_and_rescores(
    published: tuple[Vacancy, list[Candidate]], commit: Any
) -> None:
    vacancy, _ = published
    with commit():
        ShortageListOccupation.objects.all().delete()  # welders leave the migration list
        reference_data_changed()
    assert stored(vacancy) == {}
    assert_consistent()


def test_a_threshold_change_made_behind_the_services_back_is_seen_by_the_sweeper(
    published: tuple[Vacancy, list[Candidate]], commit: Any
) -> None:
    SalaryThreshold.objects.filter(category="highly_skilled").update(annual_gross_eur=Decimal("60000"))
    assert any("stale" in p for p in services.match_consistency_violations())
    with commit():
        services.matches_sweep()
    assert_consistent()


def test_an_algorithm_version_bump_makes_every_open_vacancy_stale(
    published: tuple[Vacancy, list[Candidate]], commit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recruitment import adapters

    vacancy, _ = published
    monkeypatch.setattr(adapters, "ALGORITHM_VERSION", "9.9.9")
    with commit():
        assert services.matches_sweep().vacancies_queued == 1
    vacancy.refresh_from_db()
    assert vacancy.matched_basis.startswith("9.9.9|")


def test_the_consistency_check_catches_a_corrupted_score(
    published: tuple[Vacancy, list[Candidate]],
) -> None:
    vacancy, (b1, *_) = published
    call_command("check_match_consistency", verbosity=0)
    call_command("check_match_consistency", vacancy=vacancy.pk, verbosity=0)

    Match.objects.filter(vacancy=vacancy, candidate=b1).update(score=F("score") - Decimal("0.01"))
    with pytest.raises(CommandError, match="1 violation"):
        call_command("check_match_consistency", verbosity=0)
    Match.objects.filter(vacancy=vacancy, candidate=b1).delete()
    (problem,) = services.match_consistency_violations()
    assert problem.startswith(f"vacancy {vacancy.pk}: candidate {b1.pk} stored no match, fresh eligible")


def test_the_consistency_check_catches_an_extra_match_and_a_stale_vacancy(
    published: tuple[Vacancy, list[Candidate]],
) -> None:
    vacancy, (_b1, _a2, eu, _shorter) = published
    Match.objects.create(
        vacancy=vacancy,
        candidate=eu,
        outcome="eligible",
        score=Decimal("50"),
        algorithm_version="1",
        vacancy_version=1,
        candidate_version=1,
        reference_date=vacancy.created_at.date(),
        computed_at=vacancy.created_at,
    )
    Vacancy.objects.filter(pk=vacancy.pk).update(criteria_version=F("criteria_version") + 1)
    problems = services.match_consistency_violations()
    assert any(f"candidate {eu.pk}, who" in p or "another algorithm" in p for p in problems)
    assert any(p.startswith(f"vacancy {vacancy.pk}: stale") for p in problems)


def test_recompute_matches_command_runs_synchronously(
    published: tuple[Vacancy, list[Candidate]],
) -> None:
    vacancy, _ = published
    Match.objects.filter(vacancy=vacancy).delete()
    call_command("recompute_matches", "--all", "--sync", verbosity=0)
    assert len(stored(vacancy)) == 3
    assert MatchJob.objects.filter(kind="full", status="done", added=1).exists()
    call_command("recompute_matches", "--candidate", _[0].pk, "--sync", verbosity=0)
    call_command("recompute_matches", "--stale", "--sync", verbosity=0)
    assert_consistent()


def test_human_work_never_hangs_off_a_match_by_cascade() -> None:
    """The contract for shortlists, decisions, notes and placements (future tables): they refer to the
    vacancy and the candidate; nothing refers to a Match row with CASCADE, so a recompute deleting or
    rewriting matches can never take human work with it."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is Match:
                assert field.remote_field.on_delete is not models.CASCADE, f"{model.__name__}.{field.name}"
    assert [rel.related_model for rel in Match._meta.related_objects] == []


def test_a_candidate_run_overtaken_by_a_newer_profile_is_dropped(
    published: tuple[Vacancy, list[Candidate]], commit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    vacancy, (_b1, a2, _eu, _shorter) = published
    _improve_dutch_during_the_next_recompute(a2, monkeypatch)
    with commit():
        candidate_profile_changed(a2.pk)
    *_earlier, first, follow_up = MatchJob.objects.filter(candidate=a2).order_by("pk")
    assert first.superseded and (first.added, first.updated, first.removed) == (0, 0, 0)
    assert follow_up.status == "done" and not follow_up.superseded
    a2.refresh_from_db()
    assert a2.matched_version == a2.profile_version
    assert stored(vacancy)[a2.pk][0] == Match.Outcome.ELIGIBLE
    assert_consistent()


def test_a_lost_candidate_message_is_healed_by_the_sweeper(
    published: tuple[Vacancy, list[Candidate]], django_capture_on_commit_callbacks: Commit, commit: Any
) -> None:
    vacancy, (b1, *_others) = published
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost the message
        Candidate.objects.filter(pk=b1.pk).update(
            status=Candidate.Status.WITHDRAWN, withdrawn_at=b1.created_at
        )
        candidate_profile_changed(b1.pk)
    assert any(
        p.startswith(f"candidate {b1.pk}: profile changed") for p in services.match_consistency_violations()
    )
    with commit():
        assert services.matches_sweep().candidates_queued == 1
    assert b1.pk not in stored(vacancy)
    assert_consistent()


def test_suspending_an_employer_makes_its_vacancies_stale_for_the_sweeper() -> None:
    """An input no version counter follows (the employer's compliance status) is in the basis."""
    before = basis_of(reference_facts_on(reference_date()))
    employer = Organisation.objects.create(name="Suspended NV", kind="employer", country="BE", region="VLG")
    assert basis_of(reference_facts_on(reference_date())) == before
    Organisation.objects.filter(pk=employer.pk).update(
        compliance_status="suspended", suspension_reason="debts"
    )
    assert basis_of(reference_facts_on(reference_date())) != before


def test_a_vacancy_changed_to_an_unrelated_occupation_loses_its_matches(
    published: tuple[Vacancy, list[Candidate]], commit: Any
) -> None:
    """The recompute reads only candidates who may relate (plus those holding a match): a welder vacancy
    turned into a nursing one finds its welders unrelated, and their stored matches are removed."""
    from tests.factories import EscoOccupationFactory, isco_unit_group
    from vacancies.services import vacancy_update

    vacancy, _ = published
    assert stored(vacancy)
    nurse = EscoOccupationFactory.create(label_en="nurse", isco_group=isco_unit_group("2221"))
    with commit():
        vacancy_update(vacancy, occupation=nurse)
    assert stored(vacancy) == {}
    assert_consistent()
