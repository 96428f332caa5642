"""Partner API fixtures: two partner organisations (X and Y), each with a project, an OAuth2 client
and tokens obtained through the real token endpoint; X's project has a published vacancy.

Throttle counters live in the cache: it is cleared around every test so limits never carry over.
"""

import base64
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from api.scopes import ALL_SCOPES
from api.services import ClientCredentials, partner_client_create
from core.models import Organisation
from projects.models import Project, ProjectPartner
from tests import factories
from vacancies.models import Vacancy

TOKEN_URL = "/api/v1/oauth/token/"


@dataclass
class Partner:
    organisation: Organisation
    project: Project
    credentials: ClientCredentials

    def token(self, scopes: tuple[str, ...] | None = None) -> str:
        return obtain_token(self.credentials, scopes)

    def client(self, scopes: tuple[str, ...] | None = None) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.token(scopes)}")
        return client


def basic_auth(credentials: ClientCredentials) -> str:
    raw = f"{credentials.client_id}:{credentials.client_secret}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def obtain_token(credentials: ClientCredentials, scopes: tuple[str, ...] | None = None) -> str:
    data = {"grant_type": "client_credentials"}
    if scopes is not None:
        data["scope"] = " ".join(scopes)
    response = APIClient().post(
        TOKEN_URL, data, format="multipart", HTTP_AUTHORIZATION=basic_auth(credentials)
    )
    assert response.status_code == 200, response.content
    return str(response.json()["access_token"])


def make_partner(name: str, **org_fields: Any) -> Partner:
    organisation = factories.OrganisationFactory.create(name=name, short_name=name, **org_fields)
    project = factories.ProjectFactory.create(code=f"project-{name.lower()}", name=f"Project {name}")
    ProjectPartner.objects.create(
        project=project, organisation=organisation, role=ProjectPartner.Role.ORIGIN_PES
    )
    credentials = partner_client_create(organisation=organisation, scopes=ALL_SCOPES)
    return Partner(organisation=organisation, project=project, credentials=credentials)


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partner_x(db: None) -> Partner:
    return make_partner("Xagency")


@pytest.fixture
def partner_y(db: None) -> Partner:
    return make_partner("Yagency", country="TN")


@pytest.fixture
def api_x(partner_x: Partner) -> APIClient:
    return partner_x.client()


@pytest.fixture
def api_y(partner_y: Partner) -> APIClient:
    return partner_y.client()


def published_vacancy(*projects: Project, **fields: Any) -> Vacancy:
    values: dict[str, Any] = {"status": Vacancy.Status.PUBLISHED, "published_at": timezone.now()}
    vacancy = factories.VacancyFactory.create(**(values | fields))
    vacancy.open_to_projects.set(projects)
    return vacancy


@pytest.fixture
def candidate_body() -> Callable[..., dict[str, Any]]:
    def build(**overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "external_id": "X-0001",
            "given_name": "Amina",
            "family_name": "El Idrissi",
            "email": "amina@example.org",
            "date_of_birth": "1996-05-17",
            "nationalities": ["MA"],
            "country_of_residence": "MA",
            "preferred_language": "fr",
            "languages": [
                {
                    "language": "nl",
                    "listening": "A2",
                    "reading": "A2",
                    "spoken_interaction": "A2",
                    "spoken_production": "A2",
                    "writing": "A1",
                    "evidence": "training_certificate",
                    "certificate": "CNaVT A2",
                    "assessed_on": "2026-06-01",
                }
            ],
            "diplomas": [
                {
                    "title": "Technicien spécialisé en soudure",
                    "institution": "OFPPT",
                    "country": "MA",
                    "isced_level": 4,
                    "recognition_steps": [
                        {"authority": "naric_vl", "outcome": "requested", "requested_on": "2026-09-01"}
                    ],
                }
            ],
            "consents": [
                {
                    "purpose": "profile_visibility",
                    "text_version": "2026-01",
                    "channel": "partner_api",
                    "granted_at": "2026-01-05T10:00:00+01:00",
                }
            ],
        }
        body.update(overrides)
        return body

    return build


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)
