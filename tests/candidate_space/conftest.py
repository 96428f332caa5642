import pytest
from django.test import Client

from core.models import User
from tests import factories
from tests.candidate_space.world import candidate_client, other_candidate
from tests.web.conftest import _fresh_cache, employer_a, recruiter, world
from tests.web.world import WebWorld


@pytest.fixture
def me(world: WebWorld) -> Client:
    """Candidate A (the world's proposed candidate, registered by ``world.partner``), signed in."""
    return candidate_client(world.candidate)


@pytest.fixture
def other_me(world: WebWorld) -> Client:
    """Candidate B: another person with their own account."""
    return candidate_client(other_candidate())


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


__all__ = ["_fresh_cache", "employer_a", "recruiter", "world"]
