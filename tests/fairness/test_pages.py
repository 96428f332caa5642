"""The fairness pages: for staff only (employers and partners 403, anonymous visitors to the sign-in page),
linked from the vacancy's and the project's pages, the figures and flags shown, small groups hidden, and
a number of queries that does not grow with the pool."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import User
from recruitment.workflow import Stage
from tests import factories
from tests.fairness.helpers import candidate, case, eligible
from tests.web.world import WebWorld, verified_client

pytestmark = pytest.mark.django_db


def _vacancy_url(world: WebWorld, language: str = "en") -> str:
    return f"/{language}/recruiter/fairness/vacancies/{world.vacancy.public_id}/"


def _project_url(world: WebWorld, language: str = "en") -> str:
    return f"/{language}/recruiter/fairness/projects/{world.project.code}/"


def test_staff_see_the_vacancys_pool_and_small_groups_as_under_five(
    recruiter: Client, world: WebWorld
) -> None:
    response = recruiter.get(_vacancy_url(world))
    assert response.status_code == 200
    text = response.content.decode()
    # The world's proposed candidate: one person, so every group is hidden and nothing is compared.
    assert "1 candidate in the pool." in text
    assert '<td class="num">hidden</td>' in text
    assert "every group is hidden" in text
    assert world.candidate.family_name not in text  # aggregates only, nobody named


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_pages_open_in_each_language(recruiter: Client, world: WebWorld, language: str) -> None:
    assert recruiter.get(_vacancy_url(world, language)).status_code == 200
    assert recruiter.get(_project_url(world, language)).status_code == 200


def test_employers_partners_and_anonymous_visitors_are_kept_out(employer_a: Client, world: WebWorld) -> None:
    partner = Client()
    partner.force_login(factories.UserFactory.create(role=User.Role.PARTNER_USER, organisation=world.partner))
    for url in (_vacancy_url(world), _project_url(world), f"{_project_url(world)}?cohort={world.cohort.pk}"):
        assert employer_a.get(url).status_code == 403  # the vacancy's own employer too
        assert partner.get(url).status_code == 403  # the candidates' own partner too
        response = Client().get(url)
        assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


def test_a_cohort_of_another_project_is_not_found(recruiter: Client, world: WebWorld) -> None:
    stranger = factories.CohortFactory.create()
    assert recruiter.get(f"{_project_url(world)}?cohort={stranger.pk}").status_code == 404
    assert recruiter.get(f"{_project_url(world)}?cohort=nonsense").status_code == 404
    response = recruiter.get(f"{_project_url(world)}?cohort={world.cohort.pk}")
    assert response.status_code == 200
    assert world.cohort.name in response.content.decode()


def test_the_vacancy_and_project_pages_link_to_them_for_staff_only(
    recruiter: Client, employer_a: Client, world: WebWorld
) -> None:
    vacancy_page = recruiter.get(f"/en/recruiter/vacancies/{world.vacancy.public_id}/").content.decode()
    assert _vacancy_url(world) in vacancy_page
    project_page = recruiter.get(f"/en/recruiter/projects/{world.project.code}/?cohort={world.cohort.pk}")
    assert f"{_project_url(world)}?cohort={world.cohort.pk}" in project_page.content.decode()
    employer_page = employer_a.get(f"/en/employer/vacancies/{world.vacancy.public_id}/").content.decode()
    assert "/fairness/" not in employer_page


def test_a_group_selected_below_four_fifths_is_flagged(recruiter: Client, world: WebWorld) -> None:
    vacancy = world.vacancy
    # Women: 3 of 6 shortlisted (50 %); men: 1 of 6 (17 %, a third of the women's rate). Five X, hidden
    # with the world's candidate (sex not declared, alone) so that neither is the totals minus the rest.
    for sex, size, shortlisted in (("female", 6, 3), ("male", 6, 1), ("x", 5, 0)):
        for index in range(size):
            person = candidate(sex=sex, nationalities=["NG"])
            eligible(vacancy, person)
            if index < shortlisted:
                case(vacancy, person)
    text = recruiter.get(_vacancy_url(world)).content.decode()
    assert "Below four fifths" in text
    assert "1 (17 %)" in text and "33 % of the highest rate" in text
    assert "3 (50 %)" in text and "100 % of the highest rate" in text


def _page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_pool(world: WebWorld) -> None:
    client = verified_client(world.recruiter)
    # The first request of a session reads what later ones find cached (the second factor's device).
    _page_queries(client, _vacancy_url(world))
    _page_queries(client, _project_url(world))
    counts = []
    for more in (5, 30):
        for index in range(more):
            person = candidate(
                sex=("female", "male", "x", "")[index % 4],
                nationalities=[("MA", "TN", "SN", "NG")[index % 4]],
                project=world.project,
                cohort=world.cohort,
            )
            eligible(world.vacancy, person)
            if index % 3 == 0:
                case(world.vacancy, person, Stage.PROPOSED)
        counts.append(
            (_page_queries(client, _vacancy_url(world)), _page_queries(client, _project_url(world)))
        )
    assert counts[0] == counts[1]
