"""The costs tests build on the browser application's small world (tests/web/world.py): employer A's
welder vacancy with a case proposed to it, its candidate registered by partner agency X."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from core.models import User
from tests import factories
from tests.web.world import WebWorld, build_web_world, employer_user, verified_client


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db: None) -> WebWorld:
    return build_web_world()


@pytest.fixture
def partner_user(world: WebWorld) -> User:
    return factories.UserFactory.create(role=User.Role.PARTNER_USER, organisation=world.partner)


@pytest.fixture
def recruiter(world: WebWorld) -> Client:
    return verified_client(world.recruiter)


@pytest.fixture
def partner(partner_user: User) -> Client:
    client = Client()
    client.force_login(partner_user)
    return client


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
