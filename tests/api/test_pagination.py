"""Cursor pagination: a walk along ``next`` sees every row that stayed exactly once, however rows come,
change and go meanwhile; a page costs a keyset query (no OFFSET, no COUNT); a bad cursor is a 400; the
former page numbers still work."""

import base64
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from candidates.models import Candidate
from recruitment.models import Match
from tests import factories
from tests.api.conftest import Partner, published_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

CANDIDATES = "/api/v1/candidates/"
MATCHES = "/api/v1/matches/"


def _match(candidate: Candidate, vacancy: Vacancy, score: str) -> Match:
    return Match.objects.create(
        candidate=candidate,
        vacancy=vacancy,
        outcome="eligible",
        score=Decimal(score),
        algorithm_version="test",
        vacancy_version=1,
        candidate_version=1,
        reference_date=timezone.localdate(),
        computed_at=timezone.now(),
    )


def _pages(api: APIClient, url: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page of a walk along ``next``."""
    pages = [api.get(url, params).json()]
    while pages[-1]["next"]:
        pages.append(api.get(pages[-1]["next"]).json())
    return pages


def test_a_walk_sees_every_candidate_that_stayed_once_while_others_come_and_go(
    api_x: APIClient, partner_x: Partner
) -> None:
    candidates = [factories.CandidateFactory.create(registered_by=partner_x.organisation) for _ in range(7)]
    first = api_x.get(CANDIDATES, {"page_size": 3}).json()
    assert [c["id"] for c in first["results"]] == [str(c.public_id) for c in candidates[:3]]
    assert "count" not in first and first["page_size"] == 3
    # Meanwhile: one already read and one not yet read are withdrawn, a new one registered.
    Candidate.objects.filter(pk__in=[candidates[1].pk, candidates[4].pk]).update(
        status="withdrawn", withdrawn_at=timezone.now()
    )
    newcomer = factories.CandidateFactory.create(registered_by=partner_x.organisation)
    rest = [c["id"] for page in _pages(api_x, first["next"], {}) for c in page["results"]]
    # Page 2 by number would now start one row later (a row of page 1 is gone): candidate 4 skipped.
    assert rest == [str(c.public_id) for c in (candidates[3], *candidates[5:], newcomer)]


def test_a_walk_over_matches_is_stable_while_scores_change(
    api_x: APIClient, partner_x: Partner, partner_y: Partner
) -> None:
    vacancy = published_vacancy(partner_x.project)
    mine = [factories.CandidateFactory.create(registered_by=partner_x.organisation) for _ in range(5)]
    for index, candidate in enumerate(mine):
        _match(candidate, vacancy, f"{90 - index}.00")
    _match(factories.CandidateFactory.create(registered_by=partner_y.organisation), vacancy, "99.00")
    first = api_x.get(MATCHES, {"page_size": 2}).json()
    # A recompute reverses the scores: a list by score would now show the first page's rows again.
    for index, candidate in enumerate(mine):
        Match.objects.filter(candidate=candidate).update(score=Decimal(f"{50 + index}.00"))
    rest = [m["candidate"] for page in _pages(api_x, first["next"], {}) for m in page["results"]]
    seen = [m["candidate"] for m in first["results"]] + rest
    assert seen == [str(c.public_id) for c in mine]  # each once, by candidate; never Y's


@pytest.mark.parametrize(
    "url", [CANDIDATES, MATCHES, "/api/v1/vacancies/", "/api/v1/placements/", "/api/v1/webhooks/deliveries/"]
)
def test_a_page_is_a_keyset_query_without_offset_or_count(
    api_x: APIClient, partner_x: Partner, url: str
) -> None:
    vacancy = published_vacancy(partner_x.project)
    for _ in range(3):
        candidate = factories.CandidateFactory.create(registered_by=partner_x.organisation)
        _match(candidate, vacancy, "70.00")
        published_vacancy(partner_x.project)
    first = api_x.get(url, {"page_size": 1}).json()
    with CaptureQueriesContext(connection) as queries:
        second = api_x.get(first["next"]) if first["next"] else api_x.get(url, {"page_size": 1})
    assert second.status_code == 200
    sql = " ".join(query["sql"].upper() for query in queries.captured_queries)
    assert "OFFSET" not in sql and "COUNT(" not in sql


def test_page_numbers_still_work_for_older_clients(api_x: APIClient, partner_x: Partner) -> None:
    candidates = [factories.CandidateFactory.create(registered_by=partner_x.organisation) for _ in range(3)]
    body = api_x.get(CANDIDATES, {"page": 2, "page_size": 2}).json()
    assert (body["count"], body["page"], body["page_size"]) == (3, 2, 2)
    assert [c["id"] for c in body["results"]] == [str(candidates[2].public_id)]
    assert body["next"] is None and body["previous"] is not None


def test_the_next_link_keeps_the_filters(api_x: APIClient, partner_x: Partner) -> None:
    project = partner_x.project
    for index in range(3):
        factories.CandidateFactory.create(
            registered_by=partner_x.organisation, project=project if index != 1 else None
        )
    pages = _pages(api_x, CANDIDATES, {"project": project.code, "page_size": 1})
    assert len([c for page in pages for c in page["results"]]) == 2
    assert all(f"project={project.code}" in page["next"] for page in pages[:-1])


def _cursor(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        _cursor(["no", "object"]),
        _cursor({"k": []}),
        _cursor({"k": [1, 2]}),  # candidates are ordered by one key
        _cursor({"k": ["1"]}),  # an id is a number
        _cursor({"k": [2**70]}),  # out of the database's range
        _cursor({"k": [True]}),
        _cursor({"k": [1], "s": "2026-01-01T00:00:00"}),  # a moment without its time zone
        _cursor({"k": [1], "s": "2026-13-01T00:00:00+00:00"}),  # well formed, no such month
        _cursor({"k": [1], "s": "0001-01-01T00:30:00+01:00"}),  # before the calendar's first moment in UTC
        "A" * 600,
    ],
)
def test_a_bad_cursor_is_a_400_in_the_callers_language(api_x: APIClient, cursor: str) -> None:
    response = api_x.get(CANDIDATES, {"cursor": cursor}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400, response.content
    assert response["Content-Language"] == "fr"
    problem = response.json()
    assert problem["type"] == "urn:talentbrug:problem:invalid-query-parameter"
    assert problem["errors"][0]["parameter"] == "cursor"


def test_a_cursor_of_a_list_by_two_keys_does_not_fit_a_list_by_one(
    api_x: APIClient, partner_x: Partner
) -> None:
    vacancy = published_vacancy(partner_x.project)
    for _ in range(2):
        _match(factories.CandidateFactory.create(registered_by=partner_x.organisation), vacancy, "70.00")
    next_url = api_x.get(MATCHES, {"page_size": 1}).json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]
    assert api_x.get(CANDIDATES, {"cursor": cursor}).status_code == 400


def test_a_list_filtered_to_nothing_is_an_empty_page(api_x: APIClient, api_y: APIClient) -> None:
    theirs = api_y.post(
        "/api/v1/webhooks/subscriptions/",
        {"url": "https://hooks.partner.example/in", "event_types": ["match.created"]},
        format="json",
    ).json()
    response = api_x.get("/api/v1/webhooks/deliveries/", {"subscription": theirs["id"]})
    assert response.status_code == 200, response.content
    assert (response.json()["results"], response.json()["next"]) == ([], None)
