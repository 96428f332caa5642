"""The recruiter opens a vacancy to labour-mobility projects: partner agencies then see it in the API."""

import pytest
from django.test import Client

from projects.models import Project, ProjectPartner
from tests import factories
from tests.web.world import WebWorld
from vacancies.models import Vacancy
from vacancies.selectors import vacancies_for_partner

pytestmark = pytest.mark.django_db


def url(world: WebWorld) -> str:
    return f"/en/recruiter/vacancies/{world.vacancy.public_id}/projects/"


def test_the_vacancy_page_offers_the_running_projects(world: WebWorld, recruiter: Client) -> None:
    factories.ProjectFactory.create(name="Old project", status=Project.Status.ENDED)
    html = recruiter.get(f"/en/recruiter/vacancies/{world.vacancy.public_id}/").content.decode()
    assert "none: partner agencies do not see it" in html
    assert f'action="{url(world)}"' in html
    assert f'value="{world.project.pk}"' in html and "PALIM" in html
    assert "Old project" not in html  # ended projects recruit no more


def test_opening_a_vacancy_to_a_project_shows_it_to_that_projects_partner_and_marks_matches_stale(
    world: WebWorld, recruiter: Client
) -> None:
    ProjectPartner.objects.create(
        project=world.project, organisation=world.partner, role=ProjectPartner.Role.ORIGIN_PES
    )
    assert world.vacancy not in vacancies_for_partner(organisation=world.partner)
    version = world.vacancy.criteria_version
    response = recruiter.post(url(world), {"projects": [world.project.pk]})
    assert response.status_code == 302
    vacancy = Vacancy.objects.get(pk=world.vacancy.pk)
    assert list(vacancy.open_to_projects.all()) == [world.project]
    assert vacancy.criteria_version == version + 1  # the recompute is queued
    assert vacancy in vacancies_for_partner(organisation=world.partner)
    html = recruiter.get(response["Location"]).content.decode()
    assert "The projects this vacancy is open to were saved." in html
    # Unticking every project closes it again.
    recruiter.post(url(world), {})
    assert not vacancy.open_to_projects.exists()


def test_an_unknown_project_changes_nothing(world: WebWorld, recruiter: Client) -> None:
    world.vacancy.open_to_projects.set([world.project])
    response = recruiter.post(url(world), {"projects": ["999999"]}, follow=True)
    assert "Choose projects from the list." in response.content.decode()
    assert list(world.vacancy.open_to_projects.all()) == [world.project]


def test_employers_cannot_open_their_vacancy_to_projects(world: WebWorld, employer_a: Client) -> None:
    assert employer_a.post(url(world), {"projects": [world.project.pk]}).status_code == 403
    assert not world.vacancy.open_to_projects.exists()
