"""The vacancy page's cohort and language-level filters, and its query budget with them."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from recruitment.models import Match
from tests import factories
from tests.concentric.budget import SEARCH_CHANNEL_QUERIES
from tests.web.world import EXPLANATION_QUERIES, WebWorld, matched_candidate, stored_match

pytestmark = pytest.mark.django_db

FIVE_SKILLS = ("listening", "reading", "spoken_interaction", "spoken_production", "writing")


def _url(world: WebWorld) -> str:
    return f"/en/recruiter/vacancies/{world.vacancy.public_id}/"


def _speaker(world: WebWorld, name: str, language: str, **levels: str) -> None:
    """A candidate matched to the vacancy with the given levels in ``language`` (blank otherwise)."""
    candidate = factories.CandidateFactory.create(given_name=name, family_name="Speaker")
    factories.LanguageProficiencyFactory.create(candidate=candidate, language=language, **levels)
    stored_match(world.vacancy, candidate, score="60.00")


def test_the_cohort_filter_keeps_the_candidates_of_that_cohort(world: WebWorld, recruiter: Client) -> None:
    response = recruiter.get(_url(world), {"cohort": world.cohort.pk})
    assert response.status_code == 200
    assert "Amina Benali" in response.text and "Youssef Alaoui" not in response.text
    # With its own project it is the same selection.
    both = recruiter.get(_url(world), {"project": world.project.pk, "cohort": world.cohort.pk})
    assert "Amina Benali" in both.text and "Youssef Alaoui" not in both.text
    assert "PALIM – Cohort 1" in both.text  # the choice names its project


def test_only_cohorts_of_the_matched_candidates_are_offered(world: WebWorld, recruiter: Client) -> None:
    # A cohort whose candidates match another vacancy only.
    elsewhere = factories.CohortFactory.create(project=world.project, name="Cohort elsewhere")
    other = factories.CandidateFactory.create(project=world.project, cohort=elsewhere)
    stored_match(world.other_vacancy, other)

    page = recruiter.get(_url(world))
    assert "Cohort elsewhere" not in page.text
    response = recruiter.get(_url(world), {"cohort": elsewhere.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    # An invalid filter filters nothing (both candidates shown) and says why.
    assert "Amina Benali" in response.text and "Youssef Alaoui" in response.text


def test_a_cohort_of_another_project_is_a_form_error(world: WebWorld, recruiter: Client) -> None:
    other_project = factories.ProjectFactory.create(name="MATCH")
    other_cohort = factories.CohortFactory.create(project=other_project, name="Wave 2")
    stored_match(
        world.vacancy,
        factories.CandidateFactory.create(
            given_name="Kofi", family_name="Mensah", project=other_project, cohort=other_cohort
        ),
    )
    response = recruiter.get(_url(world), {"project": world.project.pk, "cohort": other_cohort.pk})
    assert response.status_code == 200
    assert "This cohort is not part of the chosen project." in response.text
    assert 'role="alert"' in response.text
    # The same cohort with its own project is a valid filter.
    right = recruiter.get(_url(world), {"project": other_project.pk, "cohort": other_cohort.pk})
    assert "Kofi Mensah" in right.text and "Amina Benali" not in right.text
    assert "This cohort is not part of the chosen project." not in right.text


def test_the_language_filter_wants_the_level_in_every_skill(world: WebWorld, recruiter: Client) -> None:
    # Amina and Youssef (world) have Dutch B1 in four skills but A2 in writing.
    _speaker(world, "Allb1", "nl", **dict.fromkeys(FIVE_SKILLS, "B1"))
    _speaker(world, "Allc1", "nl", **dict.fromkeys(FIVE_SKILLS, "C1"))
    _speaker(world, "Blankwriting", "nl", **dict.fromkeys(FIVE_SKILLS[:4], "C2"))
    _speaker(world, "Frenchb2", "fr", **dict.fromkeys(FIVE_SKILLS, "B2"))

    b1 = recruiter.get(_url(world), {"language": "nl", "level": "B1"}).text
    assert "Allb1 Speaker" in b1 and "Allc1 Speaker" in b1
    assert "Amina Benali" not in b1 and "Youssef Alaoui" not in b1  # writing A2 < B1
    assert "Blankwriting Speaker" not in b1  # a blank skill is below every level
    assert "Frenchb2 Speaker" not in b1  # another language does not count

    b2 = recruiter.get(_url(world), {"language": "nl", "level": "B2"}).text
    assert "Allc1 Speaker" in b2 and "Allb1 Speaker" not in b2

    a2 = recruiter.get(_url(world), {"language": "nl", "level": "A2"}).text
    assert "Amina Benali" in a2 and "Youssef Alaoui" in a2 and "Allb1 Speaker" in a2

    french = recruiter.get(_url(world), {"language": "fr", "level": "B2"}).text
    assert "Frenchb2 Speaker" in french and "Allc1 Speaker" not in french


def test_a_language_without_a_level_is_a_form_error(world: WebWorld, recruiter: Client) -> None:
    response = recruiter.get(_url(world), {"language": "nl"})
    assert "Choose the minimum level in this language." in response.text
    response = recruiter.get(_url(world), {"level": "B1"})
    assert "Choose the language of this level." in response.text


def test_the_filters_combine_with_the_outcome(world: WebWorld, recruiter: Client) -> None:
    near = recruiter.get(_url(world), {"outcome": Match.Outcome.CONDITIONAL, "language": "nl", "level": "A2"})
    assert "Youssef Alaoui" in near.text and "Amina Benali" not in near.text


def _measure(client: Client, url: str, params: dict[str, str | int]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_the_filtered_vacancy_page_keeps_its_query_budget(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    params: dict[str, str | int] = {
        "project": world.project.pk,
        "cohort": world.cohort.pk,
        "language": "nl",
        "level": "A2",
    }
    world.near_miss.cohort = world.cohort  # one row in each section to begin with
    world.near_miss.save()
    recruiter.get("/en/")  # the session's first request stamps its timestamps
    few = _measure(recruiter, _url(world), params)
    for index in range(15):
        candidate = matched_candidate(world.vacancy, project=world.project, cohort=world.cohort)
        stored_match(world.vacancy, candidate, outcome="eligible" if index % 2 else "conditional")
    many = _measure(recruiter, _url(world), params)
    assert many == few  # no query per row, per cohort or per language
    # 15, plus the projects the vacancy is open to and the projects offered in the form.
    # 1: the agreements' shares; the search channels: docs/pathways/concentric-search.md.
    # 1: the consents of the rows shown.
    with django_assert_max_num_queries(17 + 1 + 1 + SEARCH_CHANNEL_QUERIES + EXPLANATION_QUERIES):
        response = recruiter.get(_url(world), params)
    assert response.text.count('class="select-row"') == 17  # a box per row (disabled if not proposable)
