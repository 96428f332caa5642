"""Every write path marks matches stale and queues the recompute: the admin (with its inlines), the
reference-data loader, the demo generator."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import F
from django.forms import MultiWidget
from django.test import Client
from django.urls import reverse

from candidates.models import Candidate
from core.models import User
from recruitment import services
from recruitment.models import Match, MatchJob
from reference.models import SalaryThreshold
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


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def admin(django_capture_on_commit_callbacks: Commit) -> Client:
    root = User.objects.create_superuser(
        "root", "root@example.org", "correct horse battery staple", role="administrator"
    )
    return sign_in_with_second_factor(Client(), root)


def _fields(form: Any) -> dict[str, Any]:
    """A bound-looking copy of one form's current values, as the browser would post them."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field.widget, MultiWidget):  # date and time posted apart
            parts = field.widget.decompress(value) or []
            data |= {f"{key}_{i}": "" if part is None else str(part) for i, part in enumerate(parts)}
        elif isinstance(value, bool):
            data[key] = "on" if value else ""
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        else:
            data[key] = "" if value is None else str(value)
    return data


def changeform_data(response: Any) -> dict[str, Any]:
    """The POST data that saves an admin change form unchanged: the form, every inline, their management
    forms. Tests then change what they want."""
    data = _fields(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for subform in formset.forms:
            data |= _fields(subform)
    return {key: value for key, value in data.items() if value != ""}


def test_an_admin_edit_of_a_vacancy_inline_rescores(
    admin: Client, world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        a2 = welder_candidate(world, dutch="A2")
        vacancy = welder_vacancy(world)
    assert Match.objects.get(vacancy=vacancy, candidate=a2).outcome == "conditional"
    url = reverse("admin:vacancies_vacancy_change", args=[vacancy.pk])
    data = changeform_data(admin.get(url))
    # Dutch A2 is enough now: the language requirement inline lowers every level.
    for skill in ("listening", "spoken_interaction"):
        data[f"language_requirements-0-{skill}"] = "A2"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    vacancy.refresh_from_db()
    assert vacancy.matched_version == vacancy.criteria_version == 3
    assert Match.objects.get(vacancy=vacancy, candidate=a2).outcome == "eligible"
    assert services.match_consistency_violations() == []


def test_an_admin_edit_of_a_candidate_inline_rescores(
    admin: Client, world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        a2 = welder_candidate(world, dutch="A2")
        vacancy = welder_vacancy(world)
    url = reverse("admin:candidates_candidate_change", args=[a2.pk])
    data = changeform_data(admin.get(url))
    for skill in ("listening", "reading", "spoken_interaction", "spoken_production", "writing"):
        data[f"languages-0-{skill}"] = "B2"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    a2.refresh_from_db()
    assert a2.matched_version == a2.profile_version == 3
    assert Match.objects.get(vacancy=vacancy, candidate=a2).outcome == "eligible"
    assert services.match_consistency_violations() == []


def test_an_admin_withdrawal_of_a_candidate_removes_their_matches(
    admin: Client, world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        candidate = welder_candidate(world)
        welder_vacancy(world)
    url = reverse("admin:candidates_candidate_change", args=[candidate.pk])
    data = changeform_data(admin.get(url)) | {"status": "withdrawn"}
    data |= {"withdrawn_at_0": "2026-11-01", "withdrawn_at_1": "10:00:00"}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert Candidate.objects.get(pk=candidate.pk).status == "withdrawn"
    assert not Match.objects.filter(candidate=candidate).exists()
    assert services.match_consistency_violations() == []


def test_an_admin_change_of_a_salary_threshold_wakes_the_sweeper(
    admin: Client, world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        welder_candidate(world)
        vacancy = welder_vacancy(world)
    basis = Vacancy.objects.get(pk=vacancy.pk).matched_basis
    threshold = SalaryThreshold.objects.get(category="highly_skilled")
    url = reverse("admin:reference_salarythreshold_change", args=[threshold.pk])
    data = changeform_data(admin.get(url)) | {"annual_gross_eur": "61000.00"}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, data)
    assert response.status_code == 302
    assert Vacancy.objects.get(pk=vacancy.pk).matched_basis != basis
    assert services.match_consistency_violations() == []


def test_an_admin_delete_of_a_vacancy_takes_its_matches_and_jobs(
    admin: Client, world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        welder_candidate(world)
        vacancy = welder_vacancy(world)
    url = reverse("admin:vacancies_vacancy_delete", args=[vacancy.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url, {"post": "yes"}).status_code == 302
    assert not Match.objects.exists() and not MatchJob.objects.filter(kind="vacancy").exists()


def test_seed_demo_ends_with_its_matches_computed(django_capture_on_commit_callbacks: Commit) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "seed_demo", candidates=40, vacancies=10, employers=4, seed=3, stdout=out, stderr=StringIO()
        )
    assert "vacancy recompute(s) computed now" in out.getvalue()
    assert not Vacancy.objects.exclude(matched_version=F("criteria_version")).exists()
    assert not Candidate.objects.exclude(matched_version=F("profile_version")).exists()
    assert Match.objects.exists()
    assert services.match_consistency_violations() == []
