"""Where each role lands, and what the home page shows it (issue 12, item 16): a sign-in without a "next"
page goes on to the role's own work page, and only visitors and staff see platform-wide counts."""

import pytest
from django.test import Client

from core.models import User
from tests import factories
from tests.web.world import WebWorld, employer_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-test-password"


def _signed_in_by_form(user: User) -> tuple[Client, str]:
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    response = client.post("/en/account/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client, response["Location"]


@pytest.mark.parametrize(
    ("role", "page"),
    [("employer", "/en/employer/vacancies/"), ("partner", "/en/partner/candidates/")],
)
def test_a_sign_in_lands_on_the_roles_own_work_page(world: WebWorld, role: str, page: str) -> None:
    if role == "employer":
        user = employer_user(world.employer_a)
    else:
        user = factories.UserFactory.create(role=User.Role.PARTNER_USER, organisation=world.partner)
    client, landing = _signed_in_by_form(user)
    assert client.get(landing)["Location"] == page
    assert client.get(page).status_code == 200


def test_staff_land_on_the_dashboard_once_their_second_factor_is_done(
    world: WebWorld, recruiter: Client
) -> None:
    assert recruiter.get("/en/start/")["Location"] == "/en/recruiter/"


def test_a_visitor_is_asked_to_sign_in_first() -> None:
    assert Client().get("/en/start/")["Location"].startswith("/en/account/sign-in/")


def test_only_visitors_and_staff_see_platform_wide_counts(world: WebWorld, recruiter: Client) -> None:
    employer = Client()
    employer.force_login(employer_user(world.employer_a))
    partner = Client()
    partner.force_login(factories.UserFactory.create(role=User.Role.PARTNER_USER, organisation=world.partner))
    assert 'class="counts"' in Client().get("/en/").text
    assert 'class="counts"' in recruiter.get("/en/").text
    assert 'class="counts"' not in employer.get("/en/").text
    assert 'class="counts"' not in partner.get("/en/").text
