"""Projects and cohorts: the list, a project's funnel as a chart and a table against its targets, and
the candidates at each step. Staff only."""

import re
from typing import Any

import pytest
from django.test import Client

from projects.models import FunnelStep, FunnelTarget
from recruitment.models import Match
from recruitment.services.placements import placement_propose, placement_shortlist
from tests import factories
from tests.web.world import WebWorld, matched_candidate, published_vacancy, stored_match

pytestmark = pytest.mark.django_db


def _project_url(world: WebWorld, suffix: str = "", language: str = "en") -> str:
    return f"/{language}/recruiter/projects/{world.project.code}/{suffix}"


def _cells(row: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def _table_row(text: str, label: str) -> list[str]:
    """The cells of the funnel table's row for the step ``label`` (tags stripped)."""
    table = text[text.index('<table class="funnel-table">') :]
    rows = [row for row in table.split("</tr>") if '<th scope="row">' in row and label in row]
    assert len(rows) == 1, label
    return _cells(rows[0])


def _candidate_links(text: str, language: str = "en") -> int:
    return len(re.findall(rf'href="/{language}/recruiter/candidates/[0-9a-f-]{{36}}/"', text))


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Projects"), ("nl", "Projecten"), ("fr", "Projets")]
)
def test_the_project_list_shows_each_project_with_its_counts(
    world: WebWorld, recruiter: Client, language: str, heading: str
) -> None:
    world.project.target_beneficiaries = 120
    world.project.save()
    response = recruiter.get(f"/{language}/recruiter/projects/")
    assert response.status_code == 200
    text = response.text
    assert f'<html lang="{language}">' in text and f"<h1>{heading}</h1>" in text
    assert "PALIM" in text and f"/{language}/recruiter/projects/palim-web/" in text
    # Registered 2 (both candidates), started 0, target 120.
    row = re.search(r"palim-web/\">PALIM</a>.*?</tr>", text, re.S)
    assert row is not None
    cells = [
        re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row[0], re.S)
    ]
    assert cells[-3:] == ["2", "0", "120"]


def test_the_project_list_has_a_query_budget(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    employer = factories.OrganisationFactory.create(employer=True)
    for _ in range(12):
        cohort = factories.CohortFactory.create()
        vacancy = published_vacancy(employer)
        candidate = matched_candidate(vacancy, project=cohort.project, cohort=cohort)
        stored_match(vacancy, candidate)
        placement = placement_shortlist(vacancy=vacancy, candidate=candidate, actor=world.recruiter)
        placement_propose(placement=placement, actor=world.recruiter, expected_version=placement.version)
    recruiter.get("/en/")  # the session's first request stamps its timestamps
    with django_assert_max_num_queries(6):  # session, user, device; count, page (with both counts)
        response = recruiter.get("/en/recruiter/projects/")
    assert response.status_code == 200
    assert response.text.count("/en/recruiter/projects/project-") == 12


@pytest.mark.parametrize(
    ("language", "projects"), [("en", "Projects"), ("nl", "Projecten"), ("fr", "Projets")]
)
def test_the_project_page_shows_the_funnel_as_a_chart_and_a_table_in_each_language(
    world: WebWorld, recruiter: Client, language: str, projects: str
) -> None:
    FunnelTarget.objects.create(project=world.project, step=FunnelStep.PROPOSED, count=4)
    FunnelTarget.objects.create(project=world.project, step=FunnelStep.REGISTERED, count=8)
    response = recruiter.get(_project_url(world, language=language))
    assert response.status_code == 200
    text = response.text
    assert f'<html lang="{language}">' in text and f">{projects}</a>" in text  # the menu, translated
    svg = text[text.index("<svg") : text.index("</svg>")]
    assert 'role="img"' in svg and 'aria-label="' in svg and "<title>" in svg
    # The actuals and targets, drawn and written: 2 registered of 8, 1 proposed of 4, 1 matched.
    assert re.search(r"2\s*/ 8\s*</text>", svg) and re.search(r"1\s*/ 4\s*</text>", svg)
    assert svg.count('class="funnel-target"') == 2 + 1  # two targets and the legend's marker
    assert svg.count('class="funnel-bar"') == len(FunnelStep) + 1  # a bar per step and the legend's
    assert " style=" not in text  # the CSP forbids inline styles
    # The same numbers in the table below the chart.
    assert text.index("</svg>") < text.index('<table class="funnel-table">')
    assert _table_row(text, "palim-web/steps/proposed/") == ["1", "4", "25 %", "100 %"]  # 1 of 1 matched
    assert _table_row(text, "palim-web/steps/registered/")[:3] == ["2", "8", "25 %"]


def test_a_cohort_shows_its_own_funnel_and_targets(world: WebWorld, recruiter: Client) -> None:
    FunnelTarget.objects.create(project=world.project, step=FunnelStep.REGISTERED, count=8)
    FunnelTarget.objects.create(
        project=world.project, cohort=world.cohort, step=FunnelStep.REGISTERED, count=3
    )
    response = recruiter.get(_project_url(world), {"cohort": world.cohort.pk})
    assert response.status_code == 200
    text = response.text
    assert f'<option value="{world.cohort.pk}" selected>' in text
    assert _table_row(text, "Registered")[:3] == ["1", "3", "33 %"]  # Amina only; the cohort's target
    # The drill-down links keep the cohort.
    assert f"/en/recruiter/projects/palim-web/steps/proposed/?cohort={world.cohort.pk}" in text


def test_a_cohort_of_another_project_or_no_cohort_at_all_is_not_found(
    world: WebWorld, recruiter: Client
) -> None:
    elsewhere = factories.CohortFactory.create()
    for suffix in ("", "steps/registered/"):
        assert recruiter.get(_project_url(world, suffix), {"cohort": elsewhere.pk}).status_code == 404
        assert recruiter.get(_project_url(world, suffix), {"cohort": "x"}).status_code == 404
    assert recruiter.get("/en/recruiter/projects/no-such-project/").status_code == 404


def test_the_project_page_has_a_query_budget(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        factories.CohortFactory.create(project=world.project)
    for _ in range(10):
        candidate = matched_candidate(world.vacancy, project=world.project, cohort=world.cohort)
        stored_match(world.vacancy, candidate)
        placement = placement_shortlist(vacancy=world.vacancy, candidate=candidate, actor=world.recruiter)
        placement_propose(placement=placement, actor=world.recruiter, expected_version=placement.version)
    recruiter.get("/en/")
    with django_assert_max_num_queries(9):  # 3 for the session; project, cohorts; funnel (2), targets
        response = recruiter.get(_project_url(world), {"cohort": world.cohort.pk})
    assert response.status_code == 200
    assert _table_row(response.text, "Proposed")[0] == "11"


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
def test_the_drill_down_lists_exactly_the_candidates_at_the_step(
    world: WebWorld, recruiter: Client, language: str
) -> None:
    outsider = matched_candidate(world.vacancy, given_name="Other", family_name="Project")
    stored_match(world.vacancy, outsider)
    placement = placement_shortlist(vacancy=world.vacancy, candidate=outsider, actor=world.recruiter)
    placement_propose(placement=placement, actor=world.recruiter, expected_version=placement.version)

    response = recruiter.get(_project_url(world, "steps/proposed/", language=language))
    assert response.status_code == 200
    text = response.text
    assert f'<html lang="{language}">' in text
    assert "Amina Benali" in text
    assert "Youssef Alaoui" not in text  # a near-miss, never proposed
    assert "Other Project" not in text  # proposed, but for no project of this one
    assert f'href="/{language}/recruiter/candidates/{world.candidate.public_id}/"' in text
    morocco = {"en": "Morocco", "nl": "Marokko", "fr": "Maroc"}[language]  # the name, not "MA" (issue 12)
    assert "Cohort 1" in text and f"<td>{morocco}</td>" in text

    everyone = recruiter.get(_project_url(world, "steps/registered/")).text
    assert "Amina Benali" in everyone and "Youssef Alaoui" in everyone and "Other Project" not in everyone
    assert "Proposed to the employer" in everyone  # Amina's case; Youssef has none
    in_cohort = recruiter.get(_project_url(world, "steps/registered/"), {"cohort": world.cohort.pk}).text
    assert "Amina Benali" in in_cohort and "Youssef Alaoui" not in in_cohort
    nobody = recruiter.get(_project_url(world, "steps/employed_12m/")).text
    assert "No candidate has reached this step yet." in nobody


def test_an_anonymised_candidate_is_counted_but_never_listed(world: WebWorld, recruiter: Client) -> None:
    world.candidate.status = "anonymised"
    world.candidate.save()
    text = recruiter.get(_project_url(world, "steps/proposed/")).text
    assert "Amina Benali" not in text
    assert "also counts 1 anonymised candidate" in text
    assert _table_row(recruiter.get(_project_url(world)).text, "Proposed")[0] == "1"


def test_an_unknown_step_is_not_found(world: WebWorld, recruiter: Client) -> None:
    assert recruiter.get(_project_url(world, "steps/hired/")).status_code == 404


def test_the_drill_down_pages_by_25_with_a_query_budget(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        candidate = factories.CandidateFactory.create(project=world.project, cohort=world.cohort)
        stored_match(world.vacancy, candidate, outcome=Match.Outcome.CONDITIONAL)
    recruiter.get("/en/")
    with django_assert_max_num_queries(10):
        first = recruiter.get(_project_url(world, "steps/registered/"))
    assert _candidate_links(first.text) == 25
    assert "Page 1 of 2" in first.text
    second = recruiter.get(_project_url(world, "steps/registered/"), {"page": 2})
    assert _candidate_links(second.text) == 32 - 25


def test_employers_and_partners_see_no_project_figures(
    world: WebWorld, employer_a: Client, employer_b: Client
) -> None:
    for client in (employer_a, employer_b):
        for suffix in ("", "steps/proposed/"):
            response = client.get(_project_url(world, suffix))
            assert response.status_code == 403
            assert "PALIM" not in response.text
        assert client.get("/en/recruiter/projects/").status_code == 403
