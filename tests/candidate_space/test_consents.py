"""The candidate's consents: withdrawn in their space, the employer sees nothing at once (its own pages
say so); given again, the employer sees the case again. Another candidate's consent is not found."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from candidate_space.services.consents import SPACE_CHANNEL
from candidates.models import Consent
from candidates.selectors import consent_wording_current
from tests.web.world import WebWorld

pytestmark = pytest.mark.django_db


def _sharing(world: WebWorld) -> Consent:
    return Consent.objects.get(
        candidate=world.candidate,
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
        recipient=world.employer_a,
        withdrawn_at__isnull=True,
    )


def _current_version(purpose: str) -> str:
    """The version of the wording the page shows for giving a consent now (the form sends it back)."""
    wording = consent_wording_current(purpose=purpose, language="en")
    assert wording is not None
    return wording.text_version


def _proposal(world: WebWorld) -> str:
    return f"/en/employer/proposals/{world.placement.public_id}/"


def test_the_page_says_what_each_consent_allows_and_what_withdrawing_means(
    world: WebWorld, me: Client
) -> None:
    page = me.get("/en/me/consents/").text
    consent = _sharing(world)
    assert f'id="consent-{consent.pk}"' in page
    assert "Lasbedrijf A will no longer see your profile" in page
    # The wording they agreed to (the example text of the factory's version), with its version.
    assert consent.text_version in page and "Your profile, shared with a named employer" in page


def test_withdrawing_hides_the_candidate_from_the_employer_at_once(
    world: WebWorld, me: Client, employer_a: Client, django_capture_on_commit_callbacks: Any
) -> None:
    assert employer_a.get(_proposal(world)).status_code == 200
    consent = _sharing(world)
    # The follow-up tasks (flag for the recruiter, partner event, recompute) are not run: the employer
    # must see nothing even before any of them ran.
    with django_capture_on_commit_callbacks(execute=False):
        response = me.post(f"/en/me/consents/{consent.pk}/withdraw/", follow=True)
    assert "Consent withdrawn." in response.text and "will no longer see your profile" in response.text
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None  # kept as evidence, never deleted
    assert employer_a.get(_proposal(world)).status_code == 404
    listing = employer_a.get(f"/en/employer/vacancies/{world.vacancy.public_id}/").text
    assert str(world.placement.public_id) not in listing and world.placement.reference not in listing


def test_giving_it_again_shows_the_case_again_with_the_space_s_wording(
    world: WebWorld, me: Client, employer_a: Client, django_capture_on_commit_callbacks: Any
) -> None:
    old = _sharing(world)
    with django_capture_on_commit_callbacks(execute=True):
        me.post(f"/en/me/consents/{old.pk}/withdraw/")
    assert employer_a.get(_proposal(world)).status_code == 404
    current = _current_version(Consent.Purpose.SHARE_WITH_EMPLOYER)
    with django_capture_on_commit_callbacks(execute=True):
        response = me.post(f"/en/me/consents/{old.pk}/renew/", {"text_version": current}, follow=True)
    assert "Consent given." in response.text
    new = _sharing(world)
    assert new.pk != old.pk
    assert (new.text_version, new.channel) == (current, SPACE_CHANNEL)
    assert employer_a.get(_proposal(world)).status_code == 200
    # Given once: a second "give again" changes nothing.
    again = me.post(f"/en/me/consents/{old.pk}/renew/", {"text_version": current}, follow=True)
    assert "You already gave this consent." in again.text
    assert Consent.objects.filter(candidate=world.candidate, withdrawn_at__isnull=True).count() == 1


def test_an_expired_consent_can_be_given_again(world: WebWorld, me: Client, employer_a: Client) -> None:
    consent = _sharing(world)
    Consent.objects.filter(pk=consent.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    assert employer_a.get(_proposal(world)).status_code == 404
    page = me.get("/en/me/consents/").text
    assert "Expired" in page and f"/en/me/consents/{consent.pk}/renew/" in page
    me.post(
        f"/en/me/consents/{consent.pk}/renew/",
        {"text_version": _current_version(Consent.Purpose.SHARE_WITH_EMPLOYER)},
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None  # the run-out row is closed, a new one recorded after it
    assert employer_a.get(_proposal(world)).status_code == 200


def test_profile_visibility_can_be_given(world: WebWorld, me: Client) -> None:
    assert "/en/me/consents/profile-visibility/" in me.get("/en/me/consents/").text
    me.post(
        "/en/me/consents/profile-visibility/",
        {"text_version": _current_version(Consent.Purpose.PROFILE_VISIBILITY)},
    )
    assert (
        Consent.objects.in_force()
        .filter(candidate=world.candidate, purpose=Consent.Purpose.PROFILE_VISIBILITY)
        .exists()
    )


def test_another_candidate_s_consent_is_not_found_and_stays(
    world: WebWorld, other_me: Client, employer_a: Client
) -> None:
    consent = _sharing(world)
    assert other_me.post(f"/en/me/consents/{consent.pk}/withdraw/").status_code == 404
    assert other_me.post(f"/en/me/consents/{consent.pk}/renew/").status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert employer_a.get(_proposal(world)).status_code == 200
    assert "Lasbedrijf A" not in other_me.get("/en/me/consents/").text


def test_withdrawing_twice_says_so_and_changes_nothing(world: WebWorld, me: Client) -> None:
    consent = _sharing(world)
    me.post(f"/en/me/consents/{consent.pk}/withdraw/")
    consent.refresh_from_db()
    first = consent.withdrawn_at
    response = me.post(f"/en/me/consents/{consent.pk}/withdraw/", follow=True)
    assert "This consent was already withdrawn." in response.text
    consent.refresh_from_db()
    assert consent.withdrawn_at == first
