"""Rate limits hold under pressure: counted atomically per client, per real address at the token
endpoint (``X-Forwarded-For`` only from ``TRUSTED_PROXIES``), and still, per process, when Redis does
not answer, while the API keeps answering."""

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from api import throttling
from api.throttling import ClientRateThrottle
from tests.api.conftest import TOKEN_URL, Partner, basic_auth

pytestmark = pytest.mark.django_db

NOWHERE = "redis://127.0.0.1:9/1"  # the discard port: nothing listens there


def _rates(settings: Any, **rates: str) -> None:
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], **rates}
    settings.REST_FRAMEWORK = rest


def _guess(partner: Partner, **extra: Any) -> int:
    """A token request with a wrong secret (guessing): its status."""
    wrong = basic_auth(partner.credentials).replace("Basic ", "Basic x")
    response = APIClient().post(
        TOKEN_URL, {"grant_type": "client_credentials"}, format="multipart", HTTP_AUTHORIZATION=wrong, **extra
    )
    return int(response.status_code)


@pytest.fixture(autouse=True)
def _fresh_fallback() -> Iterator[None]:
    throttling.fallback_counters.clear()
    yield
    throttling.fallback_counters.clear()


def test_a_forwarded_address_is_not_trusted_by_default(partner_x: Partner, settings: Any) -> None:
    _rates(settings, token="5/minute")
    statuses = [_guess(partner_x, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(8)]
    assert statuses == [401] * 5 + [429] * 3


def test_behind_a_trusted_proxy_each_client_address_has_its_limit(partner_x: Partner, settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    _rates(settings, token="2/minute")
    via_proxy = {"REMOTE_ADDR": "10.1.2.3"}
    assert [_guess(partner_x, HTTP_X_FORWARDED_FOR="203.0.113.7", **via_proxy) for _ in range(3)] == [
        401,
        401,
        429,
    ]
    # What the client writes in front of its own address, and a second trusted hop, change nothing.
    assert _guess(partner_x, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7", **via_proxy) == 429
    assert _guess(partner_x, HTTP_X_FORWARDED_FOR="203.0.113.7, 10.9.9.9", **via_proxy) == 429
    assert _guess(partner_x, HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="2001:db8::1") == 429
    # Another client behind the same proxy has a limit of its own.
    assert _guess(partner_x, HTTP_X_FORWARDED_FOR="203.0.113.8", **via_proxy) == 401
    # A caller that is not a trusted proxy is its own address, whatever it forwards.
    direct = [
        _guess(partner_x, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", REMOTE_ADDR="198.51.100.9")
        for n in range(20, 23)
    ]
    assert direct == [401, 401, 429]


def test_concurrent_requests_of_one_client_never_pass_its_limit(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten threads, one client: exactly the limit gets through, however the cache interleaves them."""
    _rates(settings, client="50/minute")
    monkeypatch.setattr(ClientRateThrottle, "timer", lambda self: 1_800_000_030.0)  # one window
    backend = type(caches["default"])
    read = backend.get

    def slow_read(self: Any, *args: Any, **kwargs: Any) -> Any:
        value = read(self, *args, **kwargs)
        time.sleep(0.002)  # the gap between a read and a write, as under load on a busy Redis
        return value

    monkeypatch.setattr(backend, "get", slow_read)
    request = SimpleNamespace(auth=SimpleNamespace(application=SimpleNamespace(client_id="client-1")))

    def attempt(_: int) -> bool:
        return bool(ClientRateThrottle().allow_request(request, None))  # type: ignore[arg-type]

    with ThreadPoolExecutor(max_workers=10) as pool:
        allowed = sum(pool.map(attempt, range(200)))
    assert allowed == 50


def test_without_redis_the_api_answers_and_the_limits_hold(partner_x: Partner, settings: Any) -> None:
    token = partner_x.token()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": NOWHERE}
    }
    _rates(settings, client="3/minute", token="2/minute")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [client.get("/api/v1/candidates/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert [_guess(partner_x) for _ in range(3)] == [401, 401, 429]
