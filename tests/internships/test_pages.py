"""The internship pages: staff record an outcome after return and see the project's figures change;
others are refused; bad input writes nothing; the number of queries does not grow with the cases."""

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import memo
from core.models import User
from internships.models import OutcomeUpdate, ReturnOutcome
from recruitment.forms.vacancies import VacancyForm
from tests import factories
from tests.internships.cases import proposed_case, returned_case, staff
from tests.web.world import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_reads() -> None:
    memo.memo_clear()


def _figure(html: str, figure: str) -> str:
    """The text of a figure on the page (``id="figure-<figure>"``), its whitespace squeezed."""
    found = re.search(rf'id="figure-{figure}">(.*?)</dd>', html, re.S)
    assert found, figure
    return " ".join(found.group(1).split())


def _project_url(code: str) -> str:
    return f"/en/recruiter/internships/projects/{code}/"


def _case_url(case: Any) -> str:
    return f"/en/recruiter/internships/cases/{case.public_id}/"


def test_a_recorded_outcome_changes_the_projects_figures() -> None:
    recruiter = staff()
    client = verified_client(recruiter)
    project = factories.ProjectFactory.create(code="circular-tn")
    case = returned_case(recruiter, project=project)
    returned_case(recruiter, project=project)

    before = client.get(_project_url(project.code))
    assert before.status_code == 200
    assert _figure(before.text, "returned") == "2"
    assert _figure(before.text, "hired-by-host") == "0 (0 %)"

    answer = client.post(
        _case_url(case),
        {"outcome": ReturnOutcome.HIRED_BY_HOST_ABROAD, "observed_on": timezone.localdate().isoformat()},
    )
    assert answer.status_code == 302

    after = client.get(_project_url(project.code)).text
    assert _figure(after, "hired-by-host") == "1 (50 %)"
    page = client.get(_case_url(case)).text
    assert "Hired by the host company abroad" in page and "No outcome recorded yet" not in page
    # The funders' report shows the same figures.
    report = client.get(f"/en/recruiter/reports/projects/{project.code}/").text
    assert "Internships completed" in report and _figure(report, "hired-by-host") == "1 (50 %)"


def test_bad_input_writes_nothing_and_says_why() -> None:
    recruiter = staff()
    case = returned_case(recruiter)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    answer = verified_client(recruiter).post(
        _case_url(case), {"outcome": ReturnOutcome.LOOKING, "observed_on": tomorrow.isoformat()}
    )

    assert answer.status_code == 400
    assert "cannot be in the future" in answer.text
    assert not OutcomeUpdate.objects.exists()


def test_employers_partners_and_employment_cases_are_refused() -> None:
    recruiter = staff()
    case = returned_case(recruiter)
    employer = verified_client(
        factories.UserFactory.create(role=User.Role.EMPLOYER_USER, organisation=case.vacancy.employer)
    )
    data = {"outcome": ReturnOutcome.LOOKING, "observed_on": timezone.localdate().isoformat()}

    assert employer.get(_case_url(case)).status_code == 403
    assert employer.post(_case_url(case), data).status_code == 403
    job = factories.VacancyFactory.create(status="published", published_at=timezone.now())

    not_internship = proposed_case(recruiter, vacancy=job)
    assert verified_client(recruiter).get(_case_url(not_internship)).status_code == 404
    assert not OutcomeUpdate.objects.exists()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_queries_do_not_grow_with_the_cases() -> None:
    recruiter = staff()
    client = verified_client(recruiter)
    project = factories.ProjectFactory.create(code="circular-q")
    first = returned_case(recruiter, project=project)
    urls = [_project_url(project.code), _case_url(first), "/en/recruiter/internships/"]
    client.get(urls[0])  # warm the session
    small = [_queries(client, url) for url in urls]
    for _ in range(4):
        case = returned_case(recruiter, project=project)
        OutcomeUpdate.objects.create(
            placement=case, outcome=ReturnOutcome.STUDYING, observed_on=timezone.localdate(),
            recorded_at=timezone.now(), recorded_by=recruiter,
        )  # fmt: skip
        OutcomeUpdate.objects.create(
            placement=first, outcome=ReturnOutcome.LOOKING, observed_on=timezone.localdate(),
            recorded_at=timezone.now(), recorded_by=recruiter,
        )  # fmt: skip
    large = [_queries(client, url) for url in urls]

    assert large == small


def test_the_employers_form_writes_an_internship_and_refuses_an_open_ended_one() -> None:
    """The form's kind: an internship needs a fixed length; without the field, an employment."""
    occupation = factories.EscoOccupationFactory.create()
    choices = [("Group", [(occupation.pk, "occupation")])]
    data = {
        "title": "Internship",
        "occupation": occupation.pk,
        "municipality": "Gent",
        "postal_code": "9000",
        "function_vks_level": 6,
        "min_experience_years": "0",
        "salary_amount": "2100",
        "salary_period": "month",
        "contract_type": "fixed_term",
        "contract_months": 6,
        "weekly_hours": "38",
        "positions": 1,
    }
    internship = VacancyForm({**data, "kind": "internship"}, occupations=choices)
    assert internship.is_valid(), internship.errors
    assert internship.vacancy_fields()["kind"] == "internship"
    open_ended = VacancyForm(
        {**data, "kind": "internship", "contract_type": "indefinite"}, occupations=choices
    )
    assert not open_ended.is_valid() and "contract_type" in open_ended.errors
    without = VacancyForm(data, occupations=choices)
    assert without.is_valid() and without.vacancy_fields()["kind"] == "employment"
