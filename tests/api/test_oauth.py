"""OAuth2 client credentials: tokens, scopes per client, lifetime, revocation, storage at rest."""

import datetime
import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from rest_framework.test import APIClient

from api.scopes import CANDIDATES_READ, VACANCIES_READ
from api.services import partner_client_create
from core.models import User
from tests.api.conftest import TOKEN_URL, Partner, basic_auth, obtain_token

pytestmark = pytest.mark.django_db

REVOKE_URL = "/api/v1/oauth/revoke/"


def _token_request(partner: Partner, **data: str) -> dict[str, Any]:
    response = APIClient().post(
        TOKEN_URL,
        {"grant_type": "client_credentials", **data},
        format="multipart",
        HTTP_AUTHORIZATION=basic_auth(partner.credentials),
    )
    return {"status": response.status_code, "body": response.json(), "response": response}


def test_a_token_lasts_fifteen_minutes_and_carries_the_clients_scopes(partner_x: Partner) -> None:
    result = _token_request(partner_x)
    assert result["status"] == 200
    body = result["body"]
    assert isinstance(body, dict)
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert set(str(body["scope"]).split()) == set(partner_x.credentials.scopes)
    assert "refresh_token" not in body


def test_a_client_cannot_obtain_a_scope_it_was_not_given(partner_x: Partner) -> None:
    limited = partner_client_create(organisation=partner_x.organisation, scopes=[CANDIDATES_READ])
    partner = Partner(partner_x.organisation, partner_x.project, limited)
    assert _token_request(partner, scope=CANDIDATES_READ)["status"] == 200
    refused = _token_request(partner, scope=f"{CANDIDATES_READ} {VACANCIES_READ}")
    assert refused["status"] == 400
    body = refused["body"]
    assert isinstance(body, dict)
    assert body["error"] == "invalid_scope"  # OAuth2 clients read this member ...
    assert body["type"] == "urn:talentbrug:problem:oauth-error"  # ... problem-details readers these
    assert refused["response"]["Content-Type"] == "application/problem+json"


def test_a_wrong_secret_is_refused_with_a_problem(partner_x: Partner) -> None:
    response = APIClient().post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION=basic_auth(partner_x.credentials).replace("Basic ", "Basic x"),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response["Content-Type"] == "application/problem+json"


def test_only_hashes_are_stored_a_leaked_table_opens_nothing(partner_x: Partner) -> None:
    token = obtain_token(partner_x.credentials)
    with connection.cursor() as cursor:
        cursor.execute("SELECT token, token_checksum FROM oauth2_provider_accesstoken")
        rows = cursor.fetchall()
        cursor.execute("SELECT client_secret FROM oauth2_provider_application")
        secrets = [row[0] for row in cursor.fetchall()]
    assert rows == [("", hashlib.sha256(token.encode()).hexdigest())]
    assert partner_x.credentials.client_secret not in secrets
    # The checksum itself is no bearer token.
    checksum = rows[0][1]
    response = APIClient().get("/api/v1/candidates/", HTTP_AUTHORIZATION=f"Bearer {checksum}")
    assert response.status_code == 401


def test_an_expired_token_is_refused(partner_x: Partner) -> None:
    token = obtain_token(partner_x.credentials)
    AccessToken.objects.update(expires=timezone.now() - datetime.timedelta(seconds=1))
    response = APIClient().get("/api/v1/candidates/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["type"] == "urn:talentbrug:problem:not-authenticated"


def test_a_revoked_token_stops_working_at_once(partner_x: Partner) -> None:
    token = obtain_token(partner_x.credentials)
    client = APIClient()
    assert client.get("/api/v1/candidates/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    revoked = client.post(
        REVOKE_URL, {"token": token}, format="multipart", HTTP_AUTHORIZATION=basic_auth(partner_x.credentials)
    )
    assert revoked.status_code == 200
    assert client.get("/api/v1/candidates/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_another_client_cannot_revoke_my_token(partner_x: Partner, partner_y: Partner) -> None:
    token = obtain_token(partner_x.credentials)
    APIClient().post(
        REVOKE_URL, {"token": token}, format="multipart", HTTP_AUTHORIZATION=basic_auth(partner_y.credentials)
    )
    response = APIClient().get("/api/v1/candidates/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


def test_a_token_in_the_query_string_is_not_accepted(partner_x: Partner) -> None:
    token = obtain_token(partner_x.credentials)
    assert APIClient().get(f"/api/v1/candidates/?access_token={token}").status_code == 401


@pytest.mark.parametrize("authorization", [None, "Basic eDp5", "Bearer", "Bearer two words", "Token abc"])
def test_a_token_in_a_form_body_is_not_accepted(partner_x: Partner, authorization: str | None) -> None:
    """The Authorization header is the only place for a token (docs/api.md), whatever else the request
    carries: a form body's ``access_token`` authenticates nothing, nor next to another kind of header."""
    token = obtain_token(partner_x.credentials)
    headers: dict[str, Any] = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    for data_format in ("multipart", None):  # None: application/x-www-form-urlencoded
        client = APIClient()
        body = {"access_token": token, "external_id": "FORM-1"}
        if data_format is None:
            response = client.generic(
                "POST",
                "/api/v1/candidates/",
                f"access_token={token}&external_id=FORM-1",
                content_type="application/x-www-form-urlencoded",
                **headers,
            )
        else:
            response = client.post("/api/v1/candidates/", body, format=data_format, **headers)
        assert response.status_code == 401, response.content
        assert response.json()["type"] == "urn:talentbrug:problem:not-authenticated"


def test_a_deactivated_service_user_stops_its_client(partner_x: Partner) -> None:
    token = obtain_token(partner_x.credentials)
    User.objects.filter(username=partner_x.credentials.service_user).update(is_active=False)
    assert APIClient().get("/api/v1/candidates/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_the_token_endpoint_is_throttled_per_address(partner_x: Partner, settings: object) -> None:
    rest = dict(settings.REST_FRAMEWORK)  # type: ignore[attr-defined]
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "token": "2/minute"}
    settings.REST_FRAMEWORK = rest  # type: ignore[attr-defined]
    statuses = [_token_request(partner_x)["status"] for _ in range(3)]
    assert statuses == [200, 200, 429]
    last = _token_request(partner_x)["response"]
    assert int(last["Retry-After"]) >= 1


def test_create_partner_client_prints_the_secret_once(partner_x: Partner) -> None:
    out = StringIO()
    call_command(
        "create_partner_client",
        "--organisation",
        partner_x.organisation.short_name,
        "--scopes",
        "candidates:read",
        "matches:read",
        stdout=out,
    )
    text = out.getvalue()
    client_id = text.split("client_id:")[1].split()[0]
    secret = text.split("client_secret:")[1].split()[0]
    application = Application.objects.get(client_id=client_id)
    assert application.client_secret != secret  # hashed
    assert application.user.organisation == partner_x.organisation
    assert not application.user.has_usable_password()  # the service user cannot sign in to the site
    assert application.partner_client.scopes == ["candidates:read", "matches:read"]


def test_create_partner_client_refuses_an_employer() -> None:
    from tests.factories import OrganisationFactory

    employer = OrganisationFactory.create(employer=True, name="Lasbedrijf")
    with pytest.raises(Exception, match="not a partner organisation"):
        call_command("create_partner_client", "--organisation", str(employer.pk), stdout=StringIO())
