from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from core.models import User
from tests import factories
from tests.candidate_space.world import candidate_client, other_candidate
from tests.web.world import WebWorld, build_web_world, employer_user, verified_client


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Sign-in failure counters live in the cache: no test inherits another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db: None) -> WebWorld:
    return build_web_world()


@pytest.fixture
def me(world: WebWorld) -> Client:
    """Candidate A (the world's proposed candidate, registered by ``world.partner``), signed in."""
    return candidate_client(world.candidate)


@pytest.fixture
def other_me(world: WebWorld) -> Client:
    """Candidate B: another person with their own account."""
    return candidate_client(other_candidate())


@pytest.fixture
def recruiter(world: WebWorld) -> Client:
    return verified_client(world.recruiter)


@pytest.fixture
def employer_a(world: WebWorld) -> Client:
    client = Client()
    client.force_login(employer_user(world.employer_a))
    return client


@pytest.fixture
def partner_user(world: WebWorld) -> User:
    """A user of the agency that registered candidate A."""
    return factories.UserFactory.create(
        role=User.Role.PARTNER_USER, organisation=world.partner, email="samira@partner.example"
    )


@pytest.fixture
def partner(partner_user: User) -> Client:
    client = Client()
    client.force_login(partner_user)
    return client


@pytest.fixture
def other_partner(world: WebWorld) -> Client:
    """A user of another agency."""
    client = Client()
    client.force_login(
        factories.UserFactory.create(
            role=User.Role.PARTNER_USER, organisation=factories.OrganisationFactory.create()
        )
    )
    return client
