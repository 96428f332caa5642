"""Every answer to a client says where it stands against its rate limit (``RateLimit-*``), errors and
refusals included; a refusal also says when to come back (``Retry-After``)."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from api import throttling
from api.scopes import CANDIDATES_READ
from tests.api.conftest import TOKEN_URL, Partner, basic_auth

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/"


def _rates(settings: Any, **rates: str) -> None:
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], **rates}
    settings.REST_FRAMEWORK = rest


@pytest.fixture(autouse=True)
def _one_window(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every request of a test in one window, 30 seconds before its end (no count restarts mid-test)."""
    monkeypatch.setattr(throttling._CountingRateThrottle, "timer", lambda self: 1_800_000_030.0)
    throttling.fallback_counters.clear()
    yield
    throttling.fallback_counters.clear()


def _limits(response: Any) -> tuple[int, int, int]:
    return (
        int(response["RateLimit-Limit"]),
        int(response["RateLimit-Remaining"]),
        int(response["RateLimit-Reset"]),
    )


def test_each_answer_counts_down_whatever_its_status(api_x: APIClient, settings: Any) -> None:
    _rates(settings, client="6/minute")
    answers = [
        api_x.get(URL),  # 200
        api_x.get(URL, {"updated_since": "yesterday"}),  # 400
        api_x.get(f"{URL}00000000-0000-0000-0000-000000000000/"),  # 404
        api_x.post(URL, {"external_id": ""}, format="json"),  # 400, a write
        api_x.put(URL, {}, format="json"),  # 405
    ]
    assert [a.status_code for a in answers] == [200, 400, 404, 400, 405]
    assert [_limits(a)[:2] for a in answers] == [(6, 5), (6, 4), (6, 3), (6, 2), (6, 1)]
    assert {_limits(a)[2] for a in answers} == {30}
    last = api_x.get(URL)
    assert last.status_code == 200 and _limits(last)[1] == 0
    refused = api_x.get(URL)
    assert refused.status_code == 429
    assert _limits(refused)[:2] == (6, 0)
    assert refused["Retry-After"] == refused["RateLimit-Reset"] == "30"


def test_a_request_refused_for_its_scope_counts_and_says_so(partner_x: Partner, settings: Any) -> None:
    _rates(settings, client="5/minute")
    client = partner_x.client((CANDIDATES_READ,))
    refused = client.get("/api/v1/matches/")
    assert refused.status_code == 403
    assert _limits(refused)[:2] == (5, 4)


def test_bulk_upserts_show_the_tighter_of_their_two_limits(api_x: APIClient, settings: Any) -> None:
    _rates(settings, client="100/minute", bulk="2/minute")
    first = api_x.post(f"{URL}bulk/", {"items": []}, format="json")
    assert _limits(first)[:2] == (2, 1)
    assert _limits(api_x.get(URL))[:2] == (100, 98)  # the bulk request counted as a request too


def test_no_token_no_count(settings: Any) -> None:
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert "RateLimit-Limit" not in response


def test_the_token_endpoint_counts_per_address(partner_x: Partner, settings: Any) -> None:
    _rates(settings, token="3/minute")
    auth = basic_auth(partner_x.credentials)
    answers = [
        APIClient().post(
            TOKEN_URL, {"grant_type": "client_credentials"}, format="multipart", HTTP_AUTHORIZATION=auth
        )
        for _ in range(4)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [_limits(a)[:2] for a in answers] == [(3, 2), (3, 1), (3, 0), (3, 0)]
    assert "Retry-After" in answers[-1]
