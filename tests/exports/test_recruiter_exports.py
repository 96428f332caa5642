"""The recruiter's downloads hold exactly the rows of their pages (every page of them), in CSV and XLSX,
with a bounded number of queries; a wrong format is a 400 in the user's language."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.spreadsheets import unknown_format_response
from projects.models import Cohort
from recruitment.models import Match, Placement
from recruitment.selectors import funnel
from recruitment.services.placements import placement_shortlist
from tests import factories
from tests.exports.files import csv_rows, xlsx_rows
from tests.web.world import WebWorld, matched_candidate, stored_match

pytestmark = pytest.mark.django_db


def _export(client: Client, name: str, *args: Any, language: str = "nl", **query: str) -> Any:
    with translation.override(language):
        url = reverse(f"recruiter_exports:{name}", args=args)
    return client.get(url, query)


def _page(client: Client, name: str, *args: Any, **query: str) -> Any:
    with translation.override("nl"):
        url = reverse(f"recruiter:{name}", args=args)
    response = client.get(url, query)
    assert response.status_code == 200
    return response


# --- The match list -----------------------------------------------------------------------------------


def _page_match_names(client: Client, world: WebWorld, **query: str) -> list[str]:
    sections = _page(client, "vacancy_detail", world.vacancy.public_id, **query).context["sections"]
    return [str(row.match.candidate) for section in sections for row in section.rows]


def test_the_match_list_holds_the_pages_rows_in_csv_and_xlsx(recruiter: Client, world: WebWorld) -> None:
    expected = _page_match_names(recruiter, world)
    assert expected == ["Amina Benali", "Youssef Alaoui"]  # eligible first, then the near-miss

    csv_response = _export(recruiter, "vacancy_matches", world.vacancy.public_id, format="csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment;" in csv_response["Content-Disposition"]
    assert timezone.localdate().isoformat() in csv_response["Content-Disposition"]
    header, *rows = csv_rows(csv_response)
    assert len(header) == 9
    assert [row[1] for row in rows] == expected
    assert [row[0] for row in rows] == ["1", "1"]  # the rank restarts per section, as on the page
    with translation.override("nl"):
        assert [row[2] for row in rows] == [
            str(Match.Outcome.ELIGIBLE.label),
            str(Match.Outcome.CONDITIONAL.label),
        ]
    assert rows[0][6] == world.project.name and rows[0][7] == world.cohort.name
    assert rows[1][5]  # the near-miss lacks something: said in words

    xlsx_response = _export(recruiter, "vacancy_matches", world.vacancy.public_id, format="xlsx")
    assert xlsx_response.status_code == 200
    assert xlsx_response["Content-Type"].startswith("application/vnd.openxmlformats")
    xlsx_header, *xlsx = xlsx_rows(xlsx_response)
    assert xlsx_header == header
    assert [row[1] for row in xlsx] == expected
    assert [row[0] for row in xlsx] == [1, 1]  # numbers stay numbers
    assert float(xlsx[0][3]) == float(Match.objects.get(candidate=world.candidate).score)


def test_the_match_list_takes_the_pages_filters(recruiter: Client, world: WebWorld) -> None:
    for query in ({"cohort": str(world.cohort.pk)}, {"outcome": "conditional"}):
        expected = _page_match_names(recruiter, world, **query)
        assert len(expected) == 1
        _header, *rows = csv_rows(_export(recruiter, "vacancy_matches", world.vacancy.public_id, **query))
        assert [row[1] for row in rows] == expected


def test_the_match_list_holds_every_page_with_a_bounded_number_of_queries(
    recruiter: Client, world: WebWorld
) -> None:
    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            _header, *rows = csv_rows(_export(recruiter, "vacancy_matches", world.vacancy.public_id))
        return len(rows), len(queries)

    count()  # the first request of a session reads what later ones have (the session, the device)
    rows_before, queries_before = count()
    for number in range(25):  # more than one page of the vacancy's list (20 a page)
        candidate = factories.CandidateFactory.create(
            given_name=f"Extra{number}", project=world.project, cohort=world.cohort
        )
        stored_match(world.vacancy, candidate, score=f"{50 + number}.00")
    rows_after, queries_after = count()
    assert (rows_before, rows_after) == (2, 27)
    assert queries_after == queries_before  # no query per row


# --- The shortlist and the case list -----------------------------------------------------------------


def test_the_shortlist_holds_the_vacancys_shortlisted_cases(recruiter: Client, world: WebWorld) -> None:
    placement_shortlist(vacancy=world.vacancy, candidate=world.near_miss, actor=world.recruiter)
    page = _page(
        recruiter, "placement_list", vacancy=str(world.vacancy.pk), stage=Placement.Stage.SHORTLISTED
    )
    expected = [str(placement.candidate) for placement in page.context["page"].object_list]
    assert expected == ["Youssef Alaoui"]  # the proposed case is not on the shortlist any more
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        response = _export(recruiter, "vacancy_shortlist", world.vacancy.public_id, format=fmt)
        _header, *rows = read(response)
        assert [row[0] for row in rows] == expected


def test_the_case_list_holds_the_pages_rows_with_its_filters(recruiter: Client, world: WebWorld) -> None:
    other = matched_candidate(world.other_vacancy, given_name="Karim", family_name="Idrissi")
    stored_match(world.other_vacancy, other)
    placement_shortlist(vacancy=world.other_vacancy, candidate=other, actor=world.recruiter)
    for query in ({}, {"employer": str(world.employer_b.pk)}, {"stage": Placement.Stage.PROPOSED}):
        page = _page(recruiter, "placement_list", **query)
        expected = [str(placement.candidate) for placement in page.context["page"].object_list]
        _header, *rows = csv_rows(_export(recruiter, "placement_list", **query))
        assert [row[0] for row in rows] == expected, query
    assert len(csv_rows(_export(recruiter, "placement_list"))) == 3  # the header and both cases


# --- The candidate search ----------------------------------------------------------------------------


def test_the_candidate_search_holds_the_pages_rows(recruiter: Client, world: WebWorld) -> None:
    for query in ({}, {"text": "Benali"}, {"cohort": str(world.cohort.pk), "project": str(world.project.pk)}):
        page = _page(recruiter, "candidate_list", **query)
        expected = [f"{c.family_name}, {c.given_name}" for c in page.context["page"].object_list]
        assert expected
        _header, *rows = csv_rows(_export(recruiter, "candidate_list", **query))
        assert [row[0] for row in rows] == expected, query
        _header, *cells = xlsx_rows(_export(recruiter, "candidate_list", format="xlsx", **query))
        assert [row[0] for row in cells] == expected, query


def test_an_invalid_search_is_a_400_saying_why(recruiter: Client, world: WebWorld) -> None:
    other_cohort = factories.CohortFactory.create(name="Elsewhere")
    response = _export(
        recruiter, "candidate_list", project=str(world.project.pk), cohort=str(other_cohort.pk)
    )
    assert response.status_code == 400
    assert response.content.decode()


def test_the_candidate_search_reads_a_bounded_number_of_queries(recruiter: Client, world: WebWorld) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            csv_rows(_export(recruiter, "candidate_list"))
        return len(queries)

    count()  # the first request of a session reads what later ones have (the session, the device)
    before = count()
    for number in range(15):
        candidate = factories.CandidateFactory.create(given_name=f"Extra{number}")
        stored_match(world.vacancy, candidate)
        placement_shortlist(vacancy=world.vacancy, candidate=candidate, actor=world.recruiter)
    assert count() == before


# --- A project's funnel ------------------------------------------------------------------------------


def test_the_funnel_holds_the_pages_numbers(recruiter: Client, world: WebWorld) -> None:
    for cohort in (None, world.cohort):
        query = {"cohort": str(cohort.pk)} if cohort else {}
        page = _page(recruiter, "project_detail", world.project.code, **query)
        with translation.override("nl"):
            expected = [
                (row.label, row.actual) for row in funnel.project_funnel(project=world.project, cohort=cohort)
            ]
        assert [(row.label, row.actual) for row in page.context["rows"]] == expected
        _header, *rows = xlsx_rows(
            _export(recruiter, "project_funnel", world.project.code, format="xlsx", **query)
        )
        assert [(row[0], row[1]) for row in rows] == expected
        _header, *lines = csv_rows(_export(recruiter, "project_funnel", world.project.code, **query))
        assert [(line[0], int(line[1])) for line in lines] == expected


def test_a_cohort_of_another_project_is_a_404(recruiter: Client, world: WebWorld) -> None:
    elsewhere = factories.CohortFactory.create(name="Elsewhere")
    assert Cohort.objects.filter(pk=elsewhere.pk).exclude(project=world.project).exists()
    response = _export(recruiter, "project_funnel", world.project.code, cohort=str(elsewhere.pk))
    assert response.status_code == 404


# --- Refusals and formats ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "needs_vacancy"),
    [
        ("vacancy_matches", True),
        ("vacancy_shortlist", True),
        ("placement_list", False),
        ("candidate_list", False),
    ],
)
def test_an_employer_gets_a_403_for_every_recruiter_download(
    employer_a: Client, world: WebWorld, name: str, needs_vacancy: bool
) -> None:
    args = (world.vacancy.public_id,) if needs_vacancy else ()
    assert _export(employer_a, name, *args).status_code == 403
    assert _export(employer_a, "project_funnel", world.project.code).status_code == 403


def test_an_unknown_vacancy_is_a_404(recruiter: Client, world: WebWorld) -> None:
    unknown = "6f1c2d3e-0000-4000-8000-000000000000"
    assert _export(recruiter, "vacancy_matches", unknown).status_code == 404
    assert _export(recruiter, "vacancy_shortlist", unknown).status_code == 404


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_an_unknown_format_is_a_400_in_the_users_language(
    recruiter: Client, world: WebWorld, language: str
) -> None:
    response = _export(recruiter, "placement_list", language=language, format="pdf")
    assert response.status_code == 400
    with translation.override(language):
        expected = unknown_format_response().content
    assert response.content == expected
    assert b"csv" in response.content


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_headers_are_in_the_request_language(recruiter: Client, world: WebWorld, language: str) -> None:
    header = csv_rows(_export(recruiter, "placement_list", language=language))[0]
    with translation.override(language):
        expected = [
            translation.gettext("Candidate"),
            translation.gettext("Vacancy"),
            translation.gettext("Stage"),
        ]
    assert [header[0], header[1], header[3]] == expected
    if language != "en":
        assert header[0] != "Candidate"  # really translated, not the source text


def test_each_page_links_to_its_downloads_with_its_filters(
    recruiter: Client, employer_a: Client, world: WebWorld
) -> None:
    query = {"cohort": str(world.cohort.pk)}
    pages = [
        (
            _page(recruiter, "vacancy_detail", world.vacancy.public_id, **query),
            "vacancy_matches",
            (world.vacancy.public_id,),
        ),
        (_page(recruiter, "placement_list"), "placement_list", ()),
        (_page(recruiter, "candidate_list"), "candidate_list", ()),
        (
            _page(recruiter, "project_detail", world.project.code, **query),
            "project_funnel",
            (world.project.code,),
        ),
    ]
    for response, name, args in pages:
        with translation.override("nl"):
            url = reverse(f"recruiter_exports:{name}", args=args)
        html = response.content.decode()
        assert f'href="{url}?' in html and "format=xlsx" in html, name
    assert f"cohort={world.cohort.pk}&amp;format=csv" in pages[0][0].content.decode()
    with translation.override("nl"):
        employer_page = employer_a.get(reverse("employer:vacancy_detail", args=[world.vacancy.public_id]))
        url = reverse("employer_exports:vacancy_proposals", args=[world.vacancy.public_id])
    assert f'href="{url}?format=csv"' in employer_page.content.decode()
