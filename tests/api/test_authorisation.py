"""The partner API's authorisation matrix: every endpoint and method against every kind of caller.

Callers: no token, a browser session (a partner user and a staff recruiter signed in), a token lacking
the scope, an expired token, a revoked token, a suspended organisation, and partner X reaching for
partner Y's objects. Each denial also asserts that nothing changed. A meta-test fails when an API route
is missing here; the browser pages get a bearer token and must treat it as anonymous.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from api.scopes import (
    ALL_SCOPES,
    CANDIDATES_READ,
    CANDIDATES_WRITE,
    MATCHES_READ,
    PLACEMENTS_READ,
    VACANCIES_READ,
    WEBHOOKS_MANAGE,
)
from candidates.models import Candidate, Consent, Diploma, LanguageProficiency
from core.models import Organisation, User
from recruitment.models import Match, Placement, PlacementTransition
from tests import factories
from tests.api.conftest import Partner, basic_auth, obtain_token, published_vacancy
from tests.test_authorisation_matrix import ANONYMOUS, MATRIX, matrix_placeholders
from tests.web.world import build_web_world
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from webhooks.services import subscription_create, webhook_event_emit

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/"


@dataclass(frozen=True)
class Endpoint:
    method: str
    route: str  # as in api/urls.py, placeholders in braces: "candidates/{candidate}/"
    scope: str
    body: Callable[["World"], dict[str, Any]] | None = None

    def __str__(self) -> str:
        return f"{self.method} {self.route}"


def _candidate_body(world: "World", external_id: str = "MATRIX-NEW") -> dict[str, Any]:
    return {
        "external_id": external_id,
        "given_name": "Hacked",
        "family_name": "Name",
        "date_of_birth": "1990-01-01",
        "country_of_residence": "MA",
        "nationalities": ["MA"],
    }


def _subscription_body() -> dict[str, Any]:
    return {"url": "https://hooks.example.org/talentbrug", "event_types": ["match.created"]}


ENDPOINTS = [
    Endpoint("GET", "projects/", CANDIDATES_READ),
    Endpoint("GET", "candidates/", CANDIDATES_READ),
    Endpoint("POST", "candidates/", CANDIDATES_WRITE, _candidate_body),
    Endpoint("POST", "candidates/bulk/", CANDIDATES_WRITE, lambda w: {"items": [_candidate_body(w)]}),
    Endpoint("GET", "candidates/removed/", CANDIDATES_READ),
    Endpoint("GET", "candidates/{candidate}/", CANDIDATES_READ),
    Endpoint("PUT", "candidates/{candidate}/", CANDIDATES_WRITE, lambda w: _candidate_body(w, "MATRIX-PUT")),
    Endpoint("PATCH", "candidates/{candidate}/", CANDIDATES_WRITE, lambda w: {"given_name": "Hacked"}),
    Endpoint("DELETE", "candidates/{candidate}/", CANDIDATES_WRITE),
    Endpoint("GET", "vacancies/", VACANCIES_READ),
    Endpoint("GET", "vacancies/removed/", VACANCIES_READ),
    Endpoint("GET", "vacancies/{vacancy}/", VACANCIES_READ),
    Endpoint("GET", "matches/", MATCHES_READ),
    Endpoint("GET", "matches/removed/", MATCHES_READ),
    Endpoint("GET", "placements/", PLACEMENTS_READ),
    Endpoint("GET", "placements/{placement}/", PLACEMENTS_READ),
    Endpoint("GET", "webhooks/subscriptions/", WEBHOOKS_MANAGE),
    Endpoint("POST", "webhooks/subscriptions/", WEBHOOKS_MANAGE, lambda w: _subscription_body()),
    Endpoint("GET", "webhooks/subscriptions/{subscription}/", WEBHOOKS_MANAGE),
    Endpoint(
        "PATCH", "webhooks/subscriptions/{subscription}/", WEBHOOKS_MANAGE, lambda w: {"is_active": False}
    ),
    Endpoint("DELETE", "webhooks/subscriptions/{subscription}/", WEBHOOKS_MANAGE),
    Endpoint("POST", "webhooks/subscriptions/{subscription}/rotate-secret/", WEBHOOKS_MANAGE),
    Endpoint("POST", "webhooks/subscriptions/{subscription}/ping/", WEBHOOKS_MANAGE),
    Endpoint("GET", "webhooks/deliveries/", WEBHOOKS_MANAGE),
    Endpoint("GET", "webhooks/deliveries/{delivery}/", WEBHOOKS_MANAGE),
    Endpoint("POST", "webhooks/deliveries/{delivery}/retry/", WEBHOOKS_MANAGE),
]
# Open to anyone (the contract and its documentation) or authenticated by client credentials.
PUBLIC_ROUTES = {"schema/", "docs/", "oauth/token/", "oauth/revoke/"}


@dataclass
class World:
    x: Partner
    y: Partner
    objects: dict[str, dict[str, str]]  # placeholder -> {"x": id of X's, "y": id of Y's}

    def url(self, endpoint: Endpoint, owner: str) -> str:
        route = endpoint.route
        for name, ids in self.objects.items():
            route = route.replace("{" + name + "}", ids[owner])
        return PREFIX + route


@pytest.fixture
def world(partner_x: Partner, partner_y: Partner) -> World:
    """Each partner: a candidate with a consent, a vacancy open to its project only, a match of the two.
    Y's candidate also matches X's vacancy: X must not see that match (the candidate is not X's)."""
    objects: dict[str, dict[str, str]] = {
        name: {} for name in ("candidate", "vacancy", "placement", "subscription", "delivery")
    }
    candidates, vacancies = {}, {}
    for owner, partner in (("x", partner_x), ("y", partner_y)):
        candidate = factories.CandidateFactory.create(
            registered_by=partner.organisation, external_id=f"{owner}-1", with_b1_dutch=True
        )
        factories.ConsentFactory.create(candidate=candidate)
        vacancy = published_vacancy(partner.project)
        candidates[owner], vacancies[owner] = candidate, vacancy
        placement = Placement.objects.create(
            vacancy=vacancy, candidate=candidate, stage_changed_at=timezone.now()
        )
        PlacementTransition.objects.create(placement=placement, to_stage="shortlisted", at=timezone.now())
        subscription, _secret = subscription_create(
            organisation=partner.organisation,
            url=f"https://hooks.{owner}.example/in",
            event_types=["match.created"],
        )
        webhook_event_emit(
            organisation_id=partner.organisation.pk, event_type="match.created", data={"outcome": "eligible"}
        )
        delivery = WebhookDelivery.objects.get(subscription=subscription)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, attempts=8)
        for name, obj in (
            ("candidate", candidate),
            ("vacancy", vacancy),
            ("placement", placement),
            ("subscription", subscription),
            ("delivery", delivery),
        ):
            objects[name][owner] = str(obj.public_id)
    for candidate_of, vacancy_of in (("x", "x"), ("y", "y"), ("y", "x")):
        Match.objects.create(
            candidate=candidates[candidate_of],
            vacancy=vacancies[vacancy_of],
            outcome="eligible",
            score=80,
            algorithm_version="test",
            vacancy_version=1,
            candidate_version=1,
            reference_date=timezone.localdate(),
            computed_at=timezone.now(),
        )
    return World(x=partner_x, y=partner_y, objects=objects)


def state() -> tuple[Any, ...]:
    """What a denied request must leave as it was."""
    return (
        list(
            Candidate.objects.order_by("pk").values_list(
                "pk", "given_name", "status", "profile_version", "updated_at", "registered_by_id"
            )
        ),
        Consent.objects.filter(withdrawn_at=None).count(),
        LanguageProficiency.objects.count(),
        Diploma.objects.count(),
        AccessToken.objects.count(),
        list(Placement.objects.order_by("pk").values_list("pk", "stage", "version")),
        list(
            WebhookSubscription.objects.order_by("pk").values_list(
                "pk", "url", "event_types", "is_active", "secret", "updated_at"
            )
        ),
        list(WebhookDelivery.objects.order_by("pk").values_list("pk", "status", "attempts")),
    )


def call(client: Client, endpoint: Endpoint, url: str, world: World) -> Any:
    body = endpoint.body(world) if endpoint.body else None
    method = getattr(client, endpoint.method.lower())
    return (
        method(url, body, format="json")
        if isinstance(client, APIClient)
        else method(url, body, content_type="application/json")
    )


def _api_routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    routes: set[str] = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes |= _api_routes(pattern.url_patterns, route)
        else:
            routes.add(route)
    return routes


def test_every_api_route_is_in_the_matrix() -> None:
    routes = {
        r.removeprefix("api/v1/") for r in _api_routes(get_resolver().url_patterns) if r.startswith("api/v1/")
    }
    # <uuid:candidate_id> -> {candidate}
    normalised = {_normalise(r) for r in routes}
    assert normalised == {e.route for e in ENDPOINTS} | PUBLIC_ROUTES


def _normalise(route: str) -> str:
    import re

    return re.sub(r"<(?:\w+:)?(\w+?)(?:_id)?>", r"{\1}", route)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_no_token_is_a_401_and_changes_nothing(world: World, endpoint: Endpoint) -> None:
    before = state()
    response = call(APIClient(), endpoint, world.url(endpoint, "x"), world)
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert state() == before


@pytest.mark.parametrize("role", [User.Role.PARTNER_USER, User.Role.RECRUITER])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_a_browser_session_does_not_authenticate_the_api(world: World, endpoint: Endpoint, role: str) -> None:
    organisation = (
        world.x.organisation
        if role == User.Role.PARTNER_USER
        else factories.OrganisationFactory.create(pes=True, name="VDAB test")
    )
    user = factories.UserFactory.create(
        role=role, organisation=organisation, is_staff=role == User.Role.RECRUITER
    )
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    before = state()
    response = call(browser, endpoint, world.url(endpoint, "x"), world)
    assert response.status_code == 401, response.content
    assert state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_a_token_without_the_scope_is_a_403(world: World, endpoint: Endpoint) -> None:
    client = world.x.client(tuple(scope for scope in ALL_SCOPES if scope != endpoint.scope))
    before = state()
    response = call(client, endpoint, world.url(endpoint, "x"), world)
    assert response.status_code == 403, response.content
    assert endpoint.scope in response.json()["detail"]
    assert state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_an_expired_token_is_a_401(world: World, endpoint: Endpoint) -> None:
    client = world.x.client()
    AccessToken.objects.update(expires=timezone.now())
    before = state()
    assert call(client, endpoint, world.url(endpoint, "x"), world).status_code == 401
    assert state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_a_revoked_token_is_a_401(world: World, endpoint: Endpoint) -> None:
    token = obtain_token(world.x.credentials)
    APIClient().post(
        PREFIX + "oauth/revoke/",
        {"token": token},
        format="multipart",
        HTTP_AUTHORIZATION=basic_auth(world.x.credentials),
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    before = state()
    assert call(client, endpoint, world.url(endpoint, "x"), world).status_code == 401
    assert state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_a_suspended_organisation_is_refused(world: World, endpoint: Endpoint) -> None:
    client = world.x.client()
    Organisation.objects.filter(pk=world.x.organisation.pk).update(
        compliance_status=Organisation.Compliance.SUSPENDED, suspension_reason="Fees charged to candidates"
    )
    before = state()
    assert call(client, endpoint, world.url(endpoint, "x"), world).status_code == 403
    assert state() == before


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if "{" in e.route], ids=str)
def test_partner_x_gets_a_404_for_partner_ys_objects_and_changes_nothing(
    world: World, endpoint: Endpoint
) -> None:
    client = world.x.client()
    before = state()
    response = call(client, endpoint, world.url(endpoint, "y"), world)
    assert response.status_code == 404, response.content
    assert response.json()["type"] == "urn:talentbrug:problem:not-found"
    assert state() == before


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if "{" in e.route], ids=str)
def test_partner_x_reaches_its_own_objects(world: World, endpoint: Endpoint) -> None:
    response = call(world.x.client(), endpoint, world.url(endpoint, "x"), world)
    assert response.status_code < 300, response.content


LIST_ENDPOINTS = [e for e in ENDPOINTS if e.method == "GET" and "{" not in e.route]


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS, ids=str)
def test_lists_never_show_partner_ys_ids_whatever_the_filter(world: World, endpoint: Endpoint) -> None:
    client = world.x.client()
    y_ids = {ids["y"] for ids in world.objects.values()}
    filters: list[dict[str, Any]] = [
        {},
        {"registered_by": world.y.organisation.pk},
        {"organisation": world.y.organisation.pk},
        {"external_id": "y-1"},
        {"project": world.y.project.code},
        {"candidate": world.objects["candidate"]["y"]},
        {"vacancy": world.objects["vacancy"]["y"]},
        {"project": world.y.project.code, "shortage_list": "any"},
    ]
    for params in filters:
        response = client.get(PREFIX + endpoint.route, params)
        assert response.status_code in (200, 400), response.content
        assert not any(y_id in response.content.decode() for y_id in y_ids), params


@pytest.mark.parametrize("url", list(MATRIX))
def test_a_bearer_token_does_not_open_the_browser_pages(world: World, url: str) -> None:
    """Every page of the main matrix answers a bearer token exactly as it answers an anonymous visitor."""
    token = obtain_token(world.x.credentials)
    response = Client().get(
        url.format(**matrix_placeholders(build_web_world())), HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == MATRIX[url][ANONYMOUS]
    assert response.wsgi_request.user.is_anonymous
