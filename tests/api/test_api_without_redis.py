"""The partner API answers while Redis is down: token requests and reads (docs/adr/0009-faults.md).

A Redis of the test's own (tests/redis_server.py) is stopped; the rate limits then count in the process.
"""

from collections.abc import Iterator

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from core import counters
from tests.api.conftest import TOKEN_URL, Partner, basic_auth
from tests.redis_server import private_redis

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_fallback() -> Iterator[None]:
    counters.fallback_counters.clear()
    yield
    counters.fallback_counters.clear()


def test_tokens_and_reads_are_answered_while_redis_is_down(partner_x: Partner) -> None:
    with private_redis() as server, override_settings(CACHES=server.cache_settings()):
        token = partner_x.token()  # while Redis runs
        server.stop()
        client = APIClient(raise_request_exception=False)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        assert client.get("/api/v1/candidates/").status_code == 200
        fresh = APIClient(raise_request_exception=False).post(
            TOKEN_URL,
            {"grant_type": "client_credentials"},
            format="multipart",
            HTTP_AUTHORIZATION=basic_auth(partner_x.credentials),
        )
        assert fresh.status_code == 200
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh.json()['access_token']}")
        assert client.get("/api/v1/vacancies/").status_code == 200
