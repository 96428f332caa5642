"""Weights per project (issue 3; docs/matching.md "Weights per project"): stored, validated, and a change
by any path recomputes the matches it alters, scored with the weights of each candidate's project.

Tasks run eagerly here (in-process, after commit), as in ``test_recompute.py``.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from candidates.models import Candidate
from core.models import User
from projects.models import Project
from recruitment import services
from recruitment.adapters import basis_of, reference_date, reference_facts_on
from recruitment.full_results import match_results
from recruitment.matching.facts import WEIGHT_CRITERIA, Weights
from recruitment.models import Match, MatchJob, ProjectWeights
from recruitment.services.weights import (
    project_weights_current,
    project_weights_reset,
    project_weights_set,
    project_weights_validate,
)
from tests.factories import ProjectFactory, UserFactory
from tests.recruitment.world import (
    World,
    build_world,
    sign_in_with_second_factor,
    welder_candidate,
    welder_vacancy,
)
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]
EXPERIENCE_FIRST = {"occupation": 20, "essential_skills": 10, "experience": 40, "languages": 10}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in English (the site's default language is Dutch)."""
    with translation.override("en"):
        yield


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Callable[[], AbstractContextManager[Any]]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def project() -> Project:
    return ProjectFactory.create(code="palim", name="PALIM")


@pytest.fixture
def recruiter() -> User:
    return UserFactory.create()


@pytest.fixture
def scored(world: World, project: Project, commit: Any) -> tuple[Vacancy, Candidate, Candidate]:
    """One welder vacancy, matched with two identical welders (3 years where 2 are required): one in the
    project, one in no project."""
    with commit():
        in_project = welder_candidate(world, years=3, project=project)
        without = welder_candidate(world, years=3)
        vacancy = welder_vacancy(world)
    return vacancy, in_project, without


def possible(vacancy: Vacancy, candidate: Candidate) -> dict[str, float]:
    """The points possible per criterion in the match's explanation (rebuilt by the scalar core)."""
    assert Match.objects.filter(vacancy=vacancy, candidate=candidate).exists()
    result = match_results([(vacancy.pk, candidate.pk)])[(vacancy.pk, candidate.pk)]
    return {c.code: c.possible for c in result.breakdown}


def score(vacancy: Vacancy, candidate: Candidate) -> Decimal:
    return Match.objects.get(vacancy=vacancy, candidate=candidate).score


def current_basis() -> str:
    return basis_of(reference_facts_on(reference_date()))


# --- The model ----------------------------------------------------------------------------------------


def test_the_database_refuses_negative_weights_and_a_zero_total(project: Project) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectWeights.objects.create(project=project, **dict.fromkeys(WEIGHT_CRITERIA, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectWeights.objects.create(project=project, timing=101)
    row = ProjectWeights(project=project, occupation=0, essential_skills=0, languages=0, experience=0,
                         qualification=0, optional_skills=0, timing=0, preferences=0)  # fmt: skip
    with pytest.raises(ValidationError, match="At least one weight must be above 0"):
        row.full_clean()
    assert not ProjectWeights.objects.exists()


def test_a_new_row_starts_from_the_default_weights(project: Project) -> None:
    assert ProjectWeights(project=project).as_weights() == Weights()
    assert project_weights_current(project) == Weights()


# --- The service --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "field", "message"),
    [
        ({"languages": -1}, "languages", "between 0 and 100"),
        ({"languages": 101}, "languages", "between 0 and 100"),
        ({"timing": 2.5}, "timing", "whole number"),
        ({"timing": "5"}, "timing", "whole number"),
        ({"timing": True}, "timing", "whole number"),
        ({"timing": None}, "timing", "required"),
        ({"gender": 5}, "__all__", "Unknown criteria: gender"),
        (dict.fromkeys(WEIGHT_CRITERIA, 0), "__all__", "At least one weight must be above 0"),
    ],
)
def test_invalid_weights_are_refused_and_nothing_is_written(
    project: Project, recruiter: User, weights: dict[str, Any], field: str, message: str
) -> None:
    project_weights_set(project=project, actor=recruiter, occupation=30)
    before = list(ProjectWeights.objects.values())

    with pytest.raises(ValidationError) as error:
        project_weights_set(project=project, actor=recruiter, **weights)

    assert message in " ".join(error.value.message_dict[field])
    assert list(ProjectWeights.objects.values()) == before


def test_validation_names_every_wrong_field_at_once() -> None:
    with pytest.raises(ValidationError) as error:
        project_weights_validate({"occupation": -1, "timing": "x"})
    errors = error.value.message_dict
    assert set(errors) == set(WEIGHT_CRITERIA)  # the others are missing
    assert "between 0 and 100" in errors["occupation"][0]
    assert "whole number" in errors["timing"][0]
    assert "required" in errors["languages"][0]


def test_setting_weights_keeps_the_criteria_not_given_and_records_who_and_when(
    project: Project, recruiter: User
) -> None:
    row = project_weights_set(project=project, actor=recruiter, qualification=30, experience=0)
    assert row.as_weights() == Weights(qualification=30, experience=0)
    assert (row.changed_by, row.changed_at is not None) == (recruiter, True)

    other = UserFactory.create()
    row = project_weights_set(project=project, actor=other, languages=20)
    assert row.as_weights() == Weights(qualification=30, experience=0, languages=20)
    assert row.changed_by == other
    assert ProjectWeights.objects.count() == 1


def test_an_unchanged_set_writes_nothing(project: Project, recruiter: User) -> None:
    first = project_weights_set(project=project, actor=recruiter, languages=20)
    again = project_weights_set(project=project, actor=UserFactory.create(), languages=20)
    assert (again.changed_by, again.changed_at) == (first.changed_by, first.changed_at)


def test_the_default_weights_apply_without_a_row_and_a_row_equal_to_them_changes_no_basis(
    project: Project, recruiter: User
) -> None:
    before = current_basis()
    assert reference_facts_on(reference_date()).weights_for(project.pk) == Weights()
    project_weights_set(
        project=project, actor=recruiter, **{n: int(getattr(Weights(), n)) for n in WEIGHT_CRITERIA}
    )
    assert current_basis() == before
    project_weights_set(project=project, actor=recruiter, languages=16)
    assert current_basis() != before
    assert reference_facts_on(reference_date()).weights_for(project.pk) == Weights(languages=16)


# --- Recomputed, with the weights of each candidate's project ----------------------------------------


def test_a_projects_weights_rescore_its_candidates_only(
    scored: tuple[Vacancy, Candidate, Candidate], project: Project, recruiter: User, commit: Any
) -> None:
    vacancy, in_project, without = scored
    assert score(vacancy, in_project) == score(vacancy, without)
    untouched = Match.objects.get(vacancy=vacancy, candidate=without)

    with commit():
        project_weights_set(project=project, actor=recruiter, **EXPERIENCE_FIRST)

    assert possible(vacancy, in_project)["experience"] == 40
    assert possible(vacancy, without) == {n: float(getattr(Weights(), n)) for n in WEIGHT_CRITERIA}
    # 3 years for 2 required: experience 0.89 of its weight, which now counts four times as much.
    assert score(vacancy, in_project) > score(vacancy, without)
    assert Match.objects.get(vacancy=vacancy, candidate=without).score == untouched.score
    vacancy.refresh_from_db()
    assert vacancy.matched_basis == current_basis()
    assert services.match_consistency_violations() == []

    with commit():
        project_weights_reset(project=project, actor=recruiter)
    assert not ProjectWeights.objects.exists()
    assert score(vacancy, in_project) == score(vacancy, without)
    assert services.match_consistency_violations() == []


def test_the_change_marks_every_open_vacancy_stale_in_its_own_transaction(
    scored: tuple[Vacancy, Candidate, Candidate], project: Project, recruiter: User, commit: Any
) -> None:
    vacancy, _in_project, _without = scored
    with commit() as callbacks:
        project_weights_set(project=project, actor=recruiter, languages=30)
        # Stale as soon as the row is written (the basis moved); the wake-up waits for the commit.
        assert vacancy.pk in services.sweep.vacancies_needing_jobs().values_list("pk", flat=True)
    assert callbacks  # the sweeper's wake-up (then the recompute it queued)
    job = MatchJob.objects.filter(vacancy=vacancy).latest("pk")
    # The candidate in the project is rescored; the other one's row is computed again, unchanged.
    assert (job.status, job.updated, job.unchanged) == ("done", 1, 1)
    assert services.match_consistency_violations() == []


def test_a_change_behind_the_services_back_is_seen_by_the_sweeper(
    scored: tuple[Vacancy, Candidate, Candidate], project: Project, commit: Any
) -> None:
    vacancy, in_project, _without = scored
    ProjectWeights.objects.create(project=project, qualification=50)  # a shell, a data migration...

    assert any("stale" in problem for problem in services.match_consistency_violations())
    with commit():
        assert services.matches_sweep().vacancies_queued == 1
    assert possible(vacancy, in_project)["qualification"] == 50
    assert services.match_consistency_violations() == []


def test_a_candidate_moving_to_another_project_is_rescored_with_its_weights(
    scored: tuple[Vacancy, Candidate, Candidate], project: Project, recruiter: User, commit: Any
) -> None:
    from candidates.services import candidate_save

    vacancy, _in_project, without = scored
    with commit():
        project_weights_set(project=project, actor=recruiter, **EXPERIENCE_FIRST)
    with commit():
        without.project = project
        candidate_save(without)
    assert possible(vacancy, without)["experience"] == 40
    assert services.match_consistency_violations() == []


# --- The admin saves through the service --------------------------------------------------------------


@pytest.fixture
def admin_client(client: Client) -> Client:
    admin = UserFactory.create(is_staff=True, is_superuser=True, role=User.Role.ADMINISTRATOR)
    return sign_in_with_second_factor(client, admin)


def _form(project: Project, **weights: int) -> dict[str, Any]:
    values = {n: int(getattr(Weights(), n)) for n in WEIGHT_CRITERIA} | weights
    return {"project": project.pk, **values}


def test_the_admin_saves_and_deletes_through_the_service(
    scored: tuple[Vacancy, Candidate, Candidate], project: Project, admin_client: Client, commit: Any
) -> None:
    vacancy, in_project, _without = scored
    with commit():
        response = admin_client.post(
            reverse("admin:recruitment_projectweights_add"), _form(project, qualification=40)
        )
    assert response.status_code == 302, response.content
    row = ProjectWeights.objects.get(project=project)
    assert row.changed_by is not None and row.changed_by.is_superuser
    assert possible(vacancy, in_project)["qualification"] == 40

    with commit():
        response = admin_client.post(
            reverse("admin:recruitment_projectweights_delete", args=[row.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert possible(vacancy, in_project)["qualification"] == 10
    assert services.match_consistency_violations() == []


def test_the_admin_refuses_invalid_weights_with_field_errors(project: Project, admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:recruitment_projectweights_add"), _form(project, **dict.fromkeys(WEIGHT_CRITERIA, 0))
    )
    assert response.status_code == 200
    assert "At least one weight must be above 0" in response.content.decode()
    response = admin_client.post(reverse("admin:recruitment_projectweights_add"), _form(project, timing=101))
    assert response.status_code == 200
    assert not ProjectWeights.objects.exists()
