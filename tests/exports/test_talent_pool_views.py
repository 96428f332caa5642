"""The EU Talent Pool downloads: staff only, streamed JSON that passes the schema, and a query count that
does not grow with the number of records."""

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.models import User
from exports import talent_pool
from tests import factories
from tests.candidate_space.world import candidate_client
from tests.exports.files import body
from tests.exports.talent_pool_world import (
    TalentPoolWorld,
    build_talent_pool_world,
    full_candidate,
    shortage_vacancy,
)
from tests.web.world import employer_user, verified_client

pytestmark = pytest.mark.django_db

NAMES = ("talent_pool", "talent_pool_candidates", "talent_pool_vacancies")


@pytest.fixture
def pool() -> TalentPoolWorld:
    return build_talent_pool_world()


@pytest.fixture
def recruiter() -> Client:
    pes = factories.OrganisationFactory.create(pes=True, name="VDAB")
    return verified_client(factories.UserFactory.create(organisation=pes))


def _url(name: str, language: str = "nl") -> str:
    with translation.override(language):
        return reverse(f"recruiter_exports:{name}")


def _download(client: Client, name: str) -> tuple[Any, dict[str, Any]]:
    response = client.get(_url(name))
    assert response.status_code == 200
    return response, json.loads(body(response))


def test_the_downloads_are_streamed_json_attachments_that_pass_their_schema(
    recruiter: Client, pool: TalentPoolWorld
) -> None:
    candidate = full_candidate(pool)
    vacancy = shortage_vacancy(pool)
    for name, kind, reference in (
        ("talent_pool_candidates", talent_pool.CANDIDATES, candidate.public_id),
        ("talent_pool_vacancies", talent_pool.VACANCIES, vacancy.public_id),
    ):
        response, document = _download(recruiter, name)
        assert response.streaming
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert "attachment;" in response["Content-Disposition"] and ".json" in response["Content-Disposition"]
        talent_pool.document_validator(kind).validate(document)
        assert [record["reference"] for record in document[kind]] == [str(reference)]
        assert document["contactPoint"] == {"organisation": "VDAB", "country": "BE"}


def test_the_page_counts_what_goes_out_and_links_the_downloads(
    recruiter: Client, pool: TalentPoolWorld
) -> None:
    full_candidate(pool)
    full_candidate(pool)
    full_candidate(pool, consented=False)
    shortage_vacancy(pool)
    response = recruiter.get(_url("talent_pool"))
    assert response.status_code == 200
    assert (response.context["candidate_count"], response.context["vacancy_count"]) == (2, 1)
    html = response.content.decode()
    assert _url("talent_pool_candidates") in html and _url("talent_pool_vacancies") in html


@pytest.mark.parametrize("name", NAMES)
def test_only_staff_may_open_the_talent_pool_export(pool: TalentPoolWorld, name: str) -> None:
    candidate = full_candidate(pool)
    url = _url(name)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "sign-in" in anonymous["Location"]
    employer = Client()
    employer.force_login(employer_user(pool.employer))
    partner = Client()
    partner.force_login(
        factories.UserFactory.create(role=User.Role.PARTNER_USER, organisation=candidate.registered_by)
    )
    for client in (employer, partner, candidate_client(candidate)):
        response = client.get(url)
        assert response.status_code == 403
        assert str(candidate.public_id) not in response.content.decode()


def _queries(client: Client, name: str) -> tuple[int, dict[str, Any]]:
    _download(client, name)  # the first request of a session also reads and refreshes the session
    with CaptureQueriesContext(connection) as queries:
        _response, document = _download(client, name)  # reading the body runs the streamed queries
    return len(queries), document


def test_the_query_count_does_not_grow_with_the_number_of_candidates(
    recruiter: Client, pool: TalentPoolWorld
) -> None:
    full_candidate(pool)
    full_candidate(pool)
    few, document = _queries(recruiter, "talent_pool_candidates")
    assert len(document["candidates"]) == 2
    for _ in range(4):
        full_candidate(pool)
    many, document = _queries(recruiter, "talent_pool_candidates")
    assert len(document["candidates"]) == 6
    assert many == few


def test_the_query_count_does_not_grow_with_the_number_of_vacancies(
    recruiter: Client, pool: TalentPoolWorld
) -> None:
    shortage_vacancy(pool)
    shortage_vacancy(pool)
    few, document = _queries(recruiter, "talent_pool_vacancies")
    assert len(document["vacancies"]) == 2
    for _ in range(4):
        shortage_vacancy(pool)
    many, document = _queries(recruiter, "talent_pool_vacancies")
    assert len(document["vacancies"]) == 6
    assert many == few


def test_the_documents_are_read_in_chunks(
    recruiter: Client, pool: TalentPoolWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        full_candidate(pool)
    monkeypatch.setattr(talent_pool, "CHUNK", 1)  # one record per chunk: several fetches, all records
    _response, document = _download(recruiter, "talent_pool_candidates")
    assert document["summary"] == {"exported": 3, "leftOut": 0}


def test_the_staff_home_page_links_the_export(recruiter: Client) -> None:
    with translation.override("nl"):
        home = recruiter.get(reverse("home"))
    assert _url("talent_pool") in home.content.decode()


@pytest.mark.parametrize("name", NAMES)
def test_a_coordinator_employed_by_a_partner_agency_may_not_export_in_the_service_s_name(
    pool: TalentPoolWorld, name: str
) -> None:
    """The documents name the exporting organisation as every candidate's contact point: only the public
    employment service's own staff may export, not a project coordinator of a partner agency."""
    agency = factories.OrganisationFactory.create(name="Agency coordinating a project")
    coordinator = factories.UserFactory.create(organisation=agency, role=User.Role.PROJECT_COORDINATOR)
    assert verified_client(coordinator).get(_url(name)).status_code == 403
