"""The imports pages: templates per language, the job page scoped to the organisation, query counts."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.models import User
from imports.models import ImportJob
from imports.services import import_start
from tests import factories
from tests.imports.world import CANDIDATE_HEADERS_EN, candidate_row, csv_bytes, upload
from tests.web.world import employer_user, recruiter_user


@pytest.mark.parametrize(
    ("lang", "first", "fmt"),
    [("nl", "Referentie *", "csv"), ("fr", "Référence *", "xlsx"), ("en", "Reference *", "xlsx")],
)
def test_the_template_has_the_headers_of_the_pages_language(iworld, lang, first, fmt):
    client = iworld.client_for(iworld.partner_user)
    with translation.override(lang):
        url = reverse("partner_imports:template", args=["candidates"])
    response = client.get(url, {"format": fmt})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if fmt == "csv":
        headers = content.decode("utf-8-sig").splitlines()[0]
        assert headers.startswith(f'"{first}"')
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        assert next(sheet.iter_rows(values_only=True))[0] == first


def test_a_template_refilled_imports(iworld, django_capture_on_commit_callbacks):
    """The downloaded template, filled in, is accepted as it is (its headers are the reader's)."""
    client = iworld.client_for(iworld.partner_user)
    with translation.override("fr"):
        url = reverse("partner_imports:template", args=["candidates"])
    template = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    headers = next(iter(__import__("csv").reader([template.splitlines()[0]])))
    row = {h: "" for h in headers}
    row.update(
        {
            "Référence *": "T-1",
            "Prénom *": "Amina",
            "Nom de famille *": "Test",
            "Date de naissance *": "01/02/1990",
            "Pays de résidence *": "MA",
            "Nationalités *": "MA",
        }
    )
    job = upload(
        client,
        "partner",
        "candidates",
        csv_bytes(headers, [list(row.values())]),
        django_capture_on_commit_callbacks,
    )
    assert job.problems == [] and job.created == 1


def test_an_unknown_kind_for_the_area_is_a_404(iworld):
    client = iworld.client_for(iworld.partner_user)
    assert client.get(reverse("partner_imports:template", args=["vacancies"])).status_code == 404


def test_another_organisations_import_is_a_404(iworld, django_capture_on_commit_callbacks):
    client = iworld.client_for(iworld.partner_user)
    job = upload(
        client,
        "partner",
        "candidates",
        csv_bytes(CANDIDATE_HEADERS_EN, [candidate_row("A-1")]),
        django_capture_on_commit_callbacks,
    )
    url = reverse("partner_imports:job_detail", args=[job.public_id])
    assert client.get(url).status_code == 200
    other = iworld.client_for(iworld.other_partner_user)
    assert other.get(url).status_code == 404


def test_the_job_page_shows_the_report_and_polls_while_running(iworld, django_capture_on_commit_callbacks):
    client = iworld.client_for(iworld.partner_user)
    rows = [candidate_row("A-1", date_of_birth="nope")]
    job = upload(
        client,
        "partner",
        "candidates",
        csv_bytes(CANDIDATE_HEADERS_EN, rows),
        django_capture_on_commit_callbacks,
    )
    page = client.get(reverse("partner_imports:job_detail", args=[job.public_id])).content.decode()
    assert "Date of birth" in page and "hx-trigger" not in page
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, done=0, total=4)
    running = client.get(reverse("partner_imports:job_detail", args=[job.public_id])).content.decode()
    assert (
        'hx-trigger="every 1s"' in running
        and reverse("partner_imports:job_detail", args=[job.public_id]) in running
    )
    fragment = client.get(
        reverse("partner_imports:job_detail", args=[job.public_id]), headers={"HX-Request": "true"}
    )
    assert b"<progress" in fragment.content
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
    done = client.get(
        reverse("partner_imports:job_detail", args=[job.public_id]), headers={"HX-Request": "true"}
    )
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_the_index_lists_recent_imports_in_a_fixed_number_of_queries(
    iworld, django_capture_on_commit_callbacks
):
    client = iworld.client_for(iworld.partner_user)
    url = reverse("partner_imports:index")
    content = csv_bytes(CANDIDATE_HEADERS_EN, [candidate_row("A-1")])
    upload(client, "partner", "candidates", content, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        upload(client, "partner", "candidates", content, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as five:
        page = client.get(url)
    assert page.content.decode().count("/partner/imports/jobs/") == 5
    assert len(five.captured_queries) == len(one.captured_queries)


def test_the_list_pages_link_their_imports(iworld):
    partner = iworld.client_for(iworld.partner_user)
    assert reverse("partner_imports:index") in partner.get(reverse("partner:candidate_list")).content.decode()
    employer = iworld.client_for(iworld.employer_user)
    assert (
        reverse("employer_imports:index") in employer.get(reverse("employer:vacancy_list")).content.decode()
    )
    recruiter = iworld.client_for(iworld.recruiter)
    for page in ("recruiter:candidate_list", "recruiter:vacancy_list"):
        assert reverse("recruiter_imports:index") in recruiter.get(reverse(page)).content.decode()


def _owner_and_outsider(iworld, area: str) -> tuple[User, User]:
    """A user of the area and one of another organisation with the same role."""
    if area == "partner":
        return iworld.partner_user, iworld.other_partner_user
    if area == "employer":
        other = factories.OrganisationFactory.create(employer=True, enterprise_number="0987.654.321")
        return iworld.employer_user, employer_user(other)
    return iworld.recruiter, recruiter_user()  # the staff of another PES organisation


@pytest.mark.parametrize(
    ("area", "kind"), [("partner", "candidates"), ("employer", "vacancies"), ("recruiter", "candidates")]
)
def test_an_import_of_another_organisation_is_a_404_in_every_area(iworld, area, kind):
    owner, outsider = _owner_and_outsider(iworld, area)
    job = import_start(user=owner, area=area, kind=kind, content=b"x", language="en")
    url = reverse(f"{area}_imports:job_detail", args=[job.public_id])
    assert iworld.client_for(owner).get(url).status_code == 200
    assert iworld.client_for(outsider).get(url).status_code == 404
