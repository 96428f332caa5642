"""A small world for the imports' tests: two partner agencies (A takes part in a project, B does not),
a recruiter, an employer with an enterprise number, an ESCO occupation, signed-in clients, and helpers
that build files (CSV in any encoding and separator, XLSX with openpyxl) and run an upload to its end."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import Organisation, User
from imports.models import ImportJob
from projects.models import Project, ProjectPartner
from reference.models import EscoOccupation
from tests import factories
from tests.web.world import employer_user, recruiter_user, verified_client

CANDIDATE_HEADERS_EN = [
    "Reference",
    "Given name",
    "Family name",
    "Date of birth",
    "Country of residence",
    "Nationalities",
    "Project (code)",
]
CANDIDATE_HEADERS_NL = [
    "Referentie",
    "Voornaam",
    "Familienaam",
    "Geboortedatum",
    "Land van verblijf",
    "Nationaliteiten",
    "Project (code)",
]


@dataclass
class ImportWorld:
    partner: Organisation
    other_partner: Organisation
    project: Project
    partner_user: User
    other_partner_user: User
    recruiter: User
    employer: Organisation
    employer_user: User
    occupation: EscoOccupation

    def client_for(self, user: User) -> Client:
        if user.role == User.Role.RECRUITER:
            return verified_client(user)
        client = Client()
        client.force_login(user)
        return client


def build_import_world() -> ImportWorld:
    partner = factories.OrganisationFactory.create(name="Agency A")
    other = factories.OrganisationFactory.create(name="Agency B")
    project = factories.ProjectFactory.create(code="palim")
    ProjectPartner.objects.create(
        project=project, organisation=partner, role=ProjectPartner.Role.RECRUITMENT_AGENCY
    )
    employer = factories.OrganisationFactory.create(employer=True, enterprise_number="0123.456.749")
    return ImportWorld(
        partner=partner,
        other_partner=other,
        project=project,
        partner_user=factories.UserFactory.create(role=User.Role.PARTNER_USER, organisation=partner),
        other_partner_user=factories.UserFactory.create(role=User.Role.PARTNER_USER, organisation=other),
        recruiter=recruiter_user(),
        employer=employer,
        employer_user=employer_user(employer),
        occupation=factories.EscoOccupationFactory.create(),
    )


def candidate_row(external_id: str, **overrides: str) -> list[str]:
    values = {
        "external_id": external_id,
        "given_name": "Amina",
        "family_name": f"Family {external_id}",
        "date_of_birth": "17/05/1996",
        "country_of_residence": "MA",
        "nationalities": "MA",
        "project": "palim",
    }
    values.update(overrides)
    return list(values.values())


def csv_bytes(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(
    client: Client,
    area: str,
    kind: str,
    content: bytes,
    capture: Any,
    *,
    name: str = "file.csv",
    lang: str = "en",
) -> ImportJob:
    """POST the file as the page does, run the queued import (tests run in a transaction: the task queued
    after commit runs when ``capture`` executes the callbacks), and return the finished job."""
    with translation.override(lang):
        url = reverse(f"{area}_imports:upload", args=[kind])
    with capture(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content[:500]
    return ImportJob.objects.get(public_id=response["Location"].rstrip("/").rsplit("/", 1)[1])
