"""The report page and its XLSX download (reports/views.py): staff only, three languages, charts without
script, the same numbers in the workbook, formulas neutralised, a fixed number of queries whatever the
number of cases. Who gets what is also in tests/test_authorisation_matrix.py."""

import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from core import memo
from core.models import Organisation
from recruitment.selectors import funnel
from reports.selectors.lead_times import lead_times
from reports.selectors.outcomes import women_share
from tests import factories
from tests.recruitment.test_funnel import TO_STARTED, _case
from tests.web.world import WebWorld, matched_candidate, published_vacancy

pytestmark = pytest.mark.django_db


def _page(world: WebWorld, language: str = "en", suffix: str = "") -> str:
    return f"/{language}/recruiter/reports/projects/{world.project.code}/{suffix}"


@pytest.mark.parametrize(
    ("language", "registered"), [("nl", "Geregistreerd"), ("fr", "Enregistrés"), ("en", "Registered")]
)
def test_the_recruiter_reads_the_report_in_each_language(
    world: WebWorld, recruiter: Client, language: str, registered: str
) -> None:
    response = recruiter.get(_page(world, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert registered in html
    # Charts drawn on the server, with their numbers written out; no script of the page's own.
    assert html.count("<svg") >= 2 and "<script" not in html.split("<main", 1)[-1]
    assert world.employer_a.name in html  # the proposal counts at employer A


def test_the_project_page_links_to_its_report(world: WebWorld, recruiter: Client) -> None:
    response = recruiter.get(f"/en/recruiter/projects/{world.project.code}/?cohort={world.cohort.pk}")
    assert f'href="{_page(world)}?cohort={world.cohort.pk}"' in response.content.decode()


def test_the_share_of_women_is_not_shown_for_fewer_than_five(world: WebWorld, recruiter: Client) -> None:
    for sex in ("female", "female", "male"):
        matched_candidate(world.vacancy, registered_by=world.partner, project=world.project, sex=sex)
    html = recruiter.get(_page(world)).content.decode()
    assert "not shown: fewer than 5 declared" in html
    assert "67 %" not in html


def test_another_projects_cohort_and_an_unknown_period_are_refused(
    world: WebWorld, recruiter: Client
) -> None:
    elsewhere = factories.CohortFactory.create()
    assert recruiter.get(_page(world) + f"?cohort={elsewhere.pk}").status_code == 404
    assert recruiter.get(_page(world) + "?cohort=x").status_code == 404
    assert recruiter.get("/en/recruiter/reports/projects/nope/").status_code == 404
    refused = recruiter.get(_page(world, "fr") + "?period=week")
    assert refused.status_code == 400
    assert recruiter.get(_page(world, "en", "xlsx/") + "?period=week").status_code == 400


def test_employers_and_partners_never_see_it(world: WebWorld, employer_a: Client) -> None:
    assert employer_a.get(_page(world)).status_code == 403
    assert employer_a.get(_page(world, "en", "xlsx/")).status_code == 403
    partner = Client()
    partner.force_login(factories.UserFactory.create(role="partner_user", organisation=world.partner))
    assert partner.get(_page(world)).status_code == 403
    assert Client().get(_page(world)).status_code == 302


def _workbook(response: Any) -> Any:
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def test_the_workbook_holds_the_same_numbers(world: WebWorld, recruiter: Client) -> None:
    world.employer_a.name = '=HYPERLINK("http://x")'
    world.employer_a.save(update_fields=["name"])
    response = recruiter.get(_page(world, "en", "xlsx/") + f"?cohort={world.cohort.pk}&period=month")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = _workbook(response)
    assert book.sheetnames == [
        "About",
        "Outcomes",
        "Other outcomes",
        "Public sources",
        "Over time",
        "Women",
        "Lead times",
        "Recognition",
        "Per employer",
        "Per sector",
    ]
    outcomes = list(book["Outcomes"].iter_rows(min_row=2, values_only=True))
    counts = funnel.funnel_counts(project=world.project, cohort=world.cohort)
    assert [row[1] for row in outcomes] == list(counts.values())
    employers = list(book["Per employer"].iter_rows(min_row=2, values_only=True))
    assert employers == [('\'=HYPERLINK("http://x")', 1, 0, 0)]


def _grow(world: WebWorld, n: int, first: int = 0) -> None:
    """``n`` more candidates of the project, each with a case at a later stage, at employers of their own."""
    for index in range(first, first + n):
        employer = factories.OrganisationFactory.create(employer=True, name=f"Employer {index}")
        vacancy = published_vacancy(employer)
        candidate = matched_candidate(
            vacancy, registered_by=world.partner, project=world.project, cohort=world.cohort, sex="female"
        )
        _case(vacancy, candidate, world.recruiter, *TO_STARTED[: 3 + index % 7])


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def test_the_queries_do_not_grow_with_the_cases(world: WebWorld, recruiter: Client) -> None:
    urls = [_page(world) + "?period=month", _page(world, "en", "xlsx/") + f"?cohort={world.cohort.pk}"]
    _grow(world, 2)
    for url in urls:  # the session's first request writes to it; the measured ones do not
        _queries(recruiter, url)
    small = [_queries(recruiter, url) for url in urls]
    _grow(world, 12, first=2)
    assert Organisation.objects.filter(name__startswith="Employer ").count() == 14
    large = [_queries(recruiter, url) for url in urls]
    assert large == small


def test_a_small_group_of_the_others_is_hidden_on_the_page_and_in_the_workbook(
    world: WebWorld, recruiter: Client
) -> None:
    """Five women among six who declared: the count of women would tell that one person declared male
    (declared minus women). Hidden, with its reason, on the page and in the workbook."""
    for sex in ("female", "female", "female", "female", "female", "male"):
        matched_candidate(world.vacancy, registered_by=world.partner, project=world.project, sex=sex)
    registered = women_share(project=world.project).steps[0]
    assert registered.declared >= 6 and registered.small_split and registered.percent is None
    html = recruiter.get(_page(world)).content.decode()
    assert "not shown: fewer than 5 women, or fewer than 5 who are not" in html
    assert "83 %" not in html and "(5)" not in html
    women = list(_workbook(recruiter.get(_page(world, "en", "xlsx/")))["Women"].iter_rows(values_only=True))
    row = women[1]  # registered
    assert (row[3], row[4]) == (None, None)
    assert row[6].startswith("Fewer than 5 women, or fewer than 5 who are not")


def test_lead_times_of_fewer_than_five_cases_are_not_shown(world: WebWorld, recruiter: Client) -> None:
    _grow(world, 2)  # two cases from the proposal to a job offer
    offers = next(row for row in lead_times(project=world.project) if row.stage == "proposal_to_offer")
    assert (offers.cases, offers.median_days, offers.p90_days) == (2, None, None)
    html = recruiter.get(_page(world)).content.decode()
    assert "Below 5 cases or decisions the median and the 90th percentile are not shown" in html
    book = _workbook(recruiter.get(_page(world, "en", "xlsx/")))
    rows = list(book["Lead times"].iter_rows(min_row=2, values_only=True))
    offer_row = next(row for row in rows if row[0] == offers.label and row[2] == 2)
    assert offer_row[3:] == (None, None, "Fewer than 5 cases: not shown.")
    assert [row for row in rows if 0 < row[2] < 5 and row[3] is not None] == []
    recognition = list(book["Recognition"].iter_rows(min_row=2, values_only=True))
    assert [row for row in recognition if 0 < row[1] < 5 and row[2] is not None] == []


def test_the_page_and_the_workbook_show_one_kept_report(
    world: WebWorld, recruiter: Client, settings: Any
) -> None:
    """The report is kept ``READ_CACHE_SECONDS`` per process: the workbook downloaded after the page shows
    the page's numbers, every sheet of the same moment, even when a candidate registered in between; kept
    per language (its labels are translated)."""
    settings.READ_CACHE_SECONDS = 60
    memo.memo_clear()
    try:
        assert recruiter.get(_page(world)).status_code == 200
        before = funnel.funnel_counts(project=world.project)["registered"]
        matched_candidate(world.vacancy, registered_by=world.partner, project=world.project)
        assert funnel.funnel_counts(project=world.project)["registered"] == before + 1
        book = _workbook(recruiter.get(_page(world, "en", "xlsx/")))
        outcomes = next(book["Outcomes"].iter_rows(min_row=2, max_row=2, values_only=True))
        women = next(book["Women"].iter_rows(min_row=2, max_row=2, values_only=True))
        assert outcomes[1] == women[1] == before
        assert "Geregistreerd" in recruiter.get(_page(world, "nl")).content.decode()
    finally:
        memo.memo_clear()
