"""The demo candidate login: a demo candidate with an open case signs in and lands in their space."""

import pytest
from django.core.management import call_command
from django.test import Client

from candidate_space.models import CandidateAccount
from core.models import User
from demo.candidate_login import DEMO_CANDIDATE_USERNAME
from demo.employers import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

SCALE = {"candidates": 80, "vacancies": 12, "employers": 2, "seed": 7}


def test_the_demo_candidate_signs_in_to_their_space_with_a_case() -> None:
    call_command("seed_demo", verbosity=0, **SCALE)
    user = User.objects.get(username=DEMO_CANDIDATE_USERNAME)
    assert user.role == User.Role.CANDIDATE and user.organisation is None and not user.is_staff
    account = CandidateAccount.objects.select_related("candidate").get(user=user)
    assert account.candidate.placements.exclude(identity_revealed_at=None).exists()
    # Registered by the "partner" login's agency: that login answers the demo candidate's corrections.
    assert account.candidate.registered_by_id == User.objects.get(username="partner").organisation_id
    client = Client()
    response = client.post(
        "/en/account/sign-in/", {"username": DEMO_CANDIDATE_USERNAME, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/en/me/"
    assert account.candidate.given_name in response.text
    assert client.get("/en/me/cases/").status_code == 200

    # Seeding again keeps the same person behind the login.
    call_command("seed_demo", verbosity=0, **SCALE)
    assert CandidateAccount.objects.get(user__username=DEMO_CANDIDATE_USERNAME).candidate == account.candidate
    # A reset removes the login with the demo data; the same run makes it again.
    call_command("seed_demo", verbosity=0, reset=True, **SCALE)
    assert CandidateAccount.objects.filter(user__username=DEMO_CANDIDATE_USERNAME).count() == 1
