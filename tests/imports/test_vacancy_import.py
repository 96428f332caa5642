"""Vacancies from an employer's or a recruiter's spreadsheet: drafts through the vacancy services,
idempotent by the organisation's own reference, decimal commas read the Belgian way."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import User
from imports.models import ImportedVacancy, ImportJob
from tests import factories
from tests.imports.world import csv_bytes, upload, xlsx_bytes
from vacancies.models import Vacancy

HEADERS = [
    "Reference",
    "Title",
    "Occupation (ESCO URI)",
    "Municipality",
    "Postal code",
    "Region",
    "VKS level",
    "Gross annual salary (EUR)",
    "Contract type",
    "Weekly hours",
    "Start date",
]


def _row(iworld, reference: str, **overrides: object) -> list[object]:
    start = timezone.localdate() + datetime.timedelta(days=60)
    values: dict[str, object] = {
        "reference": reference,
        "title": "Lasser",
        "occupation": iworld.occupation.uri,
        "municipality": "Gent",
        "postal_code": "9000",
        "region": "VLG",
        "vks": "4",
        "salary": "42.000,50",
        "contract": "indefinite",
        "hours": "38,5",
        "start": start.strftime("%d/%m/%Y"),
    }
    values.update(overrides)
    return list(values.values())


def test_an_employer_imports_drafts_and_a_second_upload_updates_them(
    iworld, django_capture_on_commit_callbacks
):
    client = iworld.client_for(iworld.employer_user)
    job = upload(
        client,
        "employer",
        "vacancies",
        csv_bytes(HEADERS, [_row(iworld, "V-1")], delimiter=";"),
        django_capture_on_commit_callbacks,
    )
    assert job.problems == [] and job.created == 1
    vacancy = Vacancy.objects.get(employer=iworld.employer)
    assert vacancy.status == Vacancy.Status.DRAFT
    assert vacancy.gross_annual_salary_eur == Decimal("42000.50")
    assert vacancy.weekly_hours == Decimal("38.5")
    again = upload(
        client,
        "employer",
        "vacancies",
        xlsx_bytes(HEADERS, [_row(iworld, "V-1", title="Lasser TIG")]),
        django_capture_on_commit_callbacks,
        name="v.xlsx",
    )
    assert (again.created, again.updated) == (0, 1)
    assert Vacancy.objects.filter(employer=iworld.employer).get().title == "Lasser TIG"
    assert ImportedVacancy.objects.get().vacancy == vacancy


def test_an_employers_bad_rows_write_nothing(iworld, django_capture_on_commit_callbacks):
    client = iworld.client_for(iworld.employer_user)
    rows = [
        _row(iworld, "V-1"),
        _row(iworld, "V-2", occupation="http://example.org/nothing"),
        _row(iworld, "V-3", salary="a lot"),
        _row(iworld, "V-4", start="01/01/2001"),  # outside the employer's date rules
    ]
    job = upload(
        client, "employer", "vacancies", csv_bytes(HEADERS, rows), django_capture_on_commit_callbacks
    )
    assert [(p["row"], p["column"]) for p in job.problems] == [
        (3, "Occupation (ESCO URI)"),
        (4, "Gross annual salary (EUR)"),
        (5, "Start date"),
    ]
    assert not Vacancy.objects.exists() and not ImportedVacancy.objects.exists()


def test_a_recruiter_names_the_employer_by_enterprise_number(iworld, django_capture_on_commit_callbacks):
    client = iworld.client_for(iworld.recruiter)
    headers = [HEADERS[0], "Employer (enterprise number)", *HEADERS[1:]]
    rows = [
        [_row(iworld, "R-1")[0], "0123.456.749", *_row(iworld, "R-1")[1:]],
        [_row(iworld, "R-2")[0], "0999.999.999", *_row(iworld, "R-2")[1:]],
    ]
    job = upload(
        client, "recruiter", "vacancies", csv_bytes(headers, rows), django_capture_on_commit_callbacks
    )
    assert [(p["row"], p["column"]) for p in job.problems] == [(3, "Employer (enterprise number)")]
    assert not Vacancy.objects.exists()
    job = upload(
        client, "recruiter", "vacancies", csv_bytes(headers, rows[:1]), django_capture_on_commit_callbacks
    )
    assert job.created == 1
    assert Vacancy.objects.get().employer == iworld.employer


def _recruiter_file(iworld, reference: str, **overrides: object) -> bytes:
    headers = [HEADERS[0], "Employer (enterprise number)", *HEADERS[1:]]
    row = _row(iworld, reference, **overrides)
    return csv_bytes(headers, [[row[0], "0123.456.749", *row[1:]]])


def test_only_the_pes_staff_import_vacancies_for_employers(iworld):
    other = factories.UserFactory.create(role=User.Role.RECRUITER, is_staff=True, organisation=iworld.partner)
    client = iworld.client_for(other)
    response = client.post(
        reverse("recruiter_imports:upload", args=["vacancies"]),
        {"file": SimpleUploadedFile("v.csv", _recruiter_file(iworld, "R-1"))},
    )
    assert response.status_code == 403
    assert client.get(reverse("recruiter_imports:template", args=["vacancies"])).status_code == 403
    index = client.get(reverse("recruiter_imports:index")).content.decode()
    assert reverse("recruiter_imports:upload", args=["vacancies"]) not in index
    assert reverse("recruiter_imports:upload", args=["candidates"]) in index
    assert not ImportJob.objects.exists()


def test_a_recruiter_update_follows_the_employers_status_and_date_rules(
    iworld, django_capture_on_commit_callbacks
):
    client = iworld.client_for(iworld.recruiter)
    job = upload(
        client, "recruiter", "vacancies", _recruiter_file(iworld, "R-1"), django_capture_on_commit_callbacks
    )
    assert job.created == 1
    far = (timezone.localdate() + datetime.timedelta(days=5 * 366)).strftime("%d/%m/%Y")
    job = upload(
        client,
        "recruiter",
        "vacancies",
        _recruiter_file(iworld, "R-1", title="Changed", start=far),
        django_capture_on_commit_callbacks,
    )
    assert [(p["row"], p["column"]) for p in job.problems] == [(2, "Start date")]
    Vacancy.objects.update(status=Vacancy.Status.FILLED)
    job = upload(
        client,
        "recruiter",
        "vacancies",
        _recruiter_file(iworld, "R-1", title="Changed"),
        django_capture_on_commit_callbacks,
    )
    assert [(p["row"], p["message"]) for p in job.problems] == [
        (2, "A filled or closed vacancy can no longer be changed.")
    ]
    assert Vacancy.objects.get().title == "Lasser"
