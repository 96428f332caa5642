"""The web world of tests/web (two employers, a vacancy with an eligible match and a near-miss, a case
proposed to employer A) and its signed-in clients, for the downloads."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from tests.web.world import WebWorld, build_web_world, employer_user, verified_client


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()  # the funnel's counts are kept a while per process: no test reads another's
    yield
    cache.clear()


@pytest.fixture
def world(db: None) -> WebWorld:
    return build_web_world()


@pytest.fixture
def recruiter(world: WebWorld) -> Client:
    return verified_client(world.recruiter)


@pytest.fixture
def employer_a(world: WebWorld) -> Client:
    client = Client()
    client.force_login(employer_user(world.employer_a))
    return client


@pytest.fixture
def employer_b(world: WebWorld) -> Client:
    client = Client()
    client.force_login(employer_user(world.employer_b))
    return client
