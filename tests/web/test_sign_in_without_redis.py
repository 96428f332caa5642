"""Sign-in keeps working while Redis is down (quality.md section 2; docs/adr/0009-faults.md).

Each test starts a Redis of its own (tests/redis_server.py), points Django's cache at it, and stops it:
sessions live in the database, and the sign-in failure limit counts in the process meanwhile.
"""

import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import counters
from core.models import User
from tests import factories
from tests.redis_server import PrivateRedis, private_redis
from tests.web.test_account import PASSWORD, code_for, sign_in
from tests.web.world import employer_user, recruiter_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_fallback() -> Iterator[None]:
    counters.fallback_counters.clear()
    yield
    counters.fallback_counters.clear()


@pytest.fixture
def server() -> Iterator[PrivateRedis]:
    """Django's cache on a private Redis, which the test may stop."""
    with private_redis() as running, override_settings(CACHES=running.cache_settings()):
        yield running


def _client() -> Client:
    return Client(raise_request_exception=False)  # a crash is a 500 to assert on, as a user would see it


def test_signed_in_users_and_fresh_sign_ins_work_while_redis_is_down(server: PrivateRedis) -> None:
    organisation = factories.OrganisationFactory.create(employer=True)
    early = _client()
    assert sign_in(early, employer_user(organisation).username).status_code == 302

    server.stop()
    assert early.get("/en/employer/vacancies/").status_code == 200
    fresh = _client()
    response = sign_in(fresh, employer_user(organisation).username)
    assert response.status_code == 302 and response["Location"] == "/en/start/"
    assert fresh.get("/en/employer/vacancies/").status_code == 200
    assert fresh.post("/en/account/sign-out/").status_code == 302


def test_staff_pass_the_second_factor_while_redis_is_down(server: PrivateRedis) -> None:
    device = TOTPDevice.objects.create(user=recruiter_user(username="lotte"), name="phone", confirmed=True)
    server.stop()
    client = _client()
    response = sign_in(client, "lotte", next_url="/en/recruiter/vacancies/")
    assert response.status_code == 302 and response["Location"].startswith("/en/account/second-factor/")
    assert client.get(response["Location"]).status_code == 200
    verified = client.post(
        "/en/account/second-factor/", {"token": code_for(device), "next": "/en/recruiter/vacancies/"}
    )
    assert verified.status_code == 302 and verified["Location"] == "/en/recruiter/vacancies/"
    assert client.get("/en/recruiter/vacancies/").status_code == 200


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_repeated_failures_are_still_refused_while_redis_is_down(
    server: PrivateRedis, caplog: pytest.LogCaptureFixture
) -> None:
    factories.UserFactory.create(
        username="target",
        role=User.Role.EMPLOYER_USER,
        organisation=factories.OrganisationFactory.create(employer=True),
    )
    server.stop()
    client = _client()
    with caplog.at_level(logging.WARNING):
        for _attempt in range(3):
            response = client.post("/en/account/sign-in/", {"username": "target", "password": "wrong"})
            assert response.status_code == 200 and "Please enter a correct" in response.text
        response = client.post("/en/account/sign-in/", {"username": "target", "password": PASSWORD})
    assert response.status_code == 200 and "Too many failed attempts" in response.text
    assert "_auth_user_id" not in client.session
    # Operators learn of the outage once a minute, not once per request; the warning names no one.
    warnings = [record for record in caplog.records if record.name == "core.counters"]
    assert len(warnings) == 1
    assert "target" not in warnings[0].getMessage() and "127.0.0.1" not in warnings[0].getMessage()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_failures_are_counted_in_redis_while_it_runs(server: PrivateRedis) -> None:
    """All processes share the count while Redis answers: the in-process count is only the fallback."""
    factories.UserFactory.create(
        username="target",
        role=User.Role.EMPLOYER_USER,
        organisation=factories.OrganisationFactory.create(employer=True),
    )
    client = _client()
    for _attempt in range(3):
        client.post("/en/account/sign-in/", {"username": "target", "password": "wrong"})
    shared = redis.Redis(port=server.port, db=1)
    assert shared.dbsize() == 2  # one counter for the username, one for the address
    shared.close()
    response = client.post("/en/account/sign-in/", {"username": "target", "password": PASSWORD})
    assert "Too many failed attempts" in response.text


def test_a_hung_redis_delays_a_cache_call_by_half_a_second_at_most() -> None:
    """The production cache settings time out: a Redis that accepts connections but never answers (a
    hung server, a full network buffer) must not hold a sign-in for the default five seconds."""
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)  # connections complete, nothing ever answers
        port = hung.getsockname()[1]
        code = (  # the second call is timed: the first one also imports the Redis client
            "import time, django; django.setup()\n"
            "from django.core.cache import cache\n"
            "for _ in range(2):\n"
            "    start = time.monotonic()\n"
            "    try:\n        cache.get('probe')\n    except Exception as exc:\n        error = exc\n"
            "print(type(error).__name__, round(time.monotonic() - start, 2))\n"
        )
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        env.pop("REDIS_CACHE_URL", None)
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 0, result.stderr
    error, seconds = result.stdout.split()
    assert error == "TimeoutError"
    assert float(seconds) <= 1.0, f"a cache call waited {seconds} s"
