"""Inviting a candidate: a one-time link by e-mail, in their language, from their registering agency or a
recruiter; the link opens a password form once; the account is a candidate's, in no organisation."""

import datetime
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone

from candidate_space.models import CandidateAccount, CandidateInvitation
from candidate_space.services.invitations import (
    INVITATION_VALIDITY,
    InvitationRefused,
    candidate_account_activate,
)
from core.models import User
from tests import factories
from tests.candidate_space.world import PASSWORD, candidate_user
from tests.web.world import WebWorld

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Tulips in Ghent 2027!"


def _invite_url(world: WebWorld) -> str:
    return f"/en/me/invitations/{world.candidate.public_id}/send/"


def _link(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/\w\w/me/activate/[\w-]+/)", message.body)
    assert found, message.body
    return found.group(1)


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _invite(world: WebWorld, client: Client) -> str:
    """Send an invitation from ``client`` and return the path of the link the e-mail carries."""
    mail.outbox.clear()
    response = client.post(_invite_url(world))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return _link(mail.outbox[0])


def test_the_registering_agency_invites_and_the_mail_speaks_the_candidate_s_language(
    world: WebWorld, partner: Client
) -> None:
    world.candidate.preferred_language = "fr"
    world.candidate.save(update_fields=["preferred_language"])
    response = partner.post(_invite_url(world))
    assert response.status_code == 302
    assert response["Location"] == f"/en/partner/candidates/{world.candidate.public_id}/"
    [message] = mail.outbox
    assert message.to == ["amina@example.org"]
    assert "/fr/me/activate/" in message.body  # the link opens the site in French
    assert "Amina" in message.body
    invitation = CandidateInvitation.objects.get(candidate=world.candidate)
    # Only the digest is stored, never the token the link carries.
    token = _link(message).rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert invitation.expires_at - invitation.created_at == INVITATION_VALIDITY


def test_a_recruiter_invites_from_the_candidate_page(world: WebWorld, recruiter: Client) -> None:
    page = recruiter.get(f"/en/recruiter/candidates/{world.candidate.public_id}/")
    assert _invite_url(world) in page.text
    response = recruiter.post(_invite_url(world))
    assert response["Location"] == f"/en/recruiter/candidates/{world.candidate.public_id}/"
    assert len(mail.outbox) == 1


def test_another_agency_gets_a_404_and_nothing_is_written(world: WebWorld, other_partner: Client) -> None:
    assert other_partner.post(_invite_url(world)).status_code == 404
    assert not CandidateInvitation.objects.exists() and not mail.outbox


@pytest.mark.parametrize("role", [User.Role.EMPLOYER_USER, User.Role.CANDIDATE])
def test_other_roles_are_refused(world: WebWorld, role: str) -> None:
    organisation = (
        factories.OrganisationFactory.create(employer=True) if role != User.Role.CANDIDATE else None
    )
    user = factories.UserFactory.create(role=role, organisation=organisation)
    client = Client()
    client.force_login(user)
    assert client.post(_invite_url(world)).status_code == 403
    assert not CandidateInvitation.objects.exists()


def test_no_e_mail_address_is_a_clear_error(world: WebWorld, partner: Client) -> None:
    world.candidate.email = ""
    world.candidate.save(update_fields=["email"])
    response = partner.post(_invite_url(world), follow=True)
    assert "No e-mail address is recorded" in response.text
    assert not CandidateInvitation.objects.exists() and not mail.outbox


def test_an_address_another_account_signs_in_with_is_refused(world: WebWorld, partner: Client) -> None:
    factories.UserFactory.create(username="Amina@Example.org")
    response = partner.post(_invite_url(world), follow=True)
    assert "Another account already signs in with this candidate" in response.text
    assert not CandidateInvitation.objects.exists()


def test_an_active_account_is_not_invited_again(world: WebWorld, partner: Client) -> None:
    candidate_user(world.candidate)
    response = partner.post(_invite_url(world), follow=True)
    assert "already has an account" in response.text and "Forgot your password?" in response.text
    assert not mail.outbox


def test_the_link_opens_the_password_form_once_and_signs_the_candidate_in(
    world: WebWorld, partner: Client
) -> None:
    link = _invite(world, partner)
    visitor = Client()
    first = visitor.get(link)
    assert first.status_code == 302 and first["Location"].endswith("/me/activate/set-password/")
    form = visitor.get(first["Location"])
    assert form.status_code == 200 and "amina@example.org" in form.text
    # The token is not in the form's address.
    assert link.rstrip("/").rsplit("/", 1)[1] not in first["Location"]

    weak = visitor.post(first["Location"], {"password1": "amina123", "password2": "amina123"})
    assert weak.status_code == 200 and not User.objects.filter(role=User.Role.CANDIDATE).exists()

    done = visitor.post(first["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/en/me/"
    user = User.objects.get(role=User.Role.CANDIDATE)
    assert user.organisation is None and user.username == "amina@example.org"
    assert not user.is_staff and not user.is_superuser
    assert CandidateAccount.objects.get(user=user).candidate == world.candidate
    home = visitor.get("/en/me/")
    assert home.status_code == 200
    assert 'id="second-factor-offer"' in home.text  # offered, not forced

    # Used: the same link, or the form again, opens nothing.
    assert Client().get(link).status_code == 404
    again = Client()
    assert again.get(link).status_code == 404
    assert again.get("/en/me/activate/set-password/").status_code == 404


def test_a_session_planted_before_the_link_is_opened_cannot_choose_the_password(
    world: WebWorld, partner: Client
) -> None:
    """Session fixation: someone who planted their session id in the candidate's browser must not get the
    password form the link opened there."""
    link = _invite(world, partner)
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    planted_key = str(planted.session_key)
    victim = Client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = planted_key
    assert victim.get(link).status_code == 302
    assert victim.cookies[settings.SESSION_COOKIE_NAME].value != planted_key
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted_key
    assert attacker.get("/en/me/activate/set-password/").status_code == 404
    assert victim.get("/en/me/activate/set-password/").status_code == 200


def test_an_expired_link_and_an_unknown_one_show_the_same_page(world: WebWorld, partner: Client) -> None:
    link = _invite(world, partner)
    CandidateInvitation.objects.update(
        created_at=timezone.now() - INVITATION_VALIDITY - datetime.timedelta(hours=2),
        expires_at=timezone.now() - datetime.timedelta(hours=1),
    )
    expired = Client().get(link)
    unknown = Client().get("/en/me/activate/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/")
    assert expired.status_code == unknown.status_code == 404
    assert "This link does not work" in expired.text
    # Nothing tells which: the page's content is the same (the header's language form differs by path).
    assert _main(expired.text) == _main(unknown.text)


def test_a_new_invitation_supersedes_the_old_link(
    world: WebWorld, partner: Client, recruiter: Client
) -> None:
    first = _invite(world, partner)
    second = _invite(world, recruiter)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 302
    assert CandidateInvitation.objects.filter(superseded_at__isnull=True).count() == 1


def test_a_link_sent_to_an_address_corrected_since_opens_nothing(world: WebWorld, partner: Client) -> None:
    """The agency corrects a mistyped (or someone else's) address without inviting again: whoever reads
    the old mailbox must not open the candidate's account, neither from the link nor from a form they
    already opened."""
    link = _invite(world, partner)
    opened = Client()
    form_url = opened.get(link)["Location"]
    world.candidate.email = "amina.new@example.org"
    world.candidate.save(update_fields=["email"])
    assert Client().get(link).status_code == 404
    response = opened.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 404
    assert not User.objects.filter(role=User.Role.CANDIDATE).exists()
    assert not CandidateAccount.objects.exists()
    # A new invitation goes to the address on record, and works.
    fresh = _invite(world, partner)
    assert mail.outbox[0].to == ["amina.new@example.org"]
    assert Client().get(fresh).status_code == 302


def test_the_address_check_holds_at_activation_too(world: WebWorld, partner: Client) -> None:
    """The service checks the address again under the candidate's lock (a correction between the form's
    read and its submission)."""
    _invite(world, partner)
    invitation = CandidateInvitation.objects.get()
    world.candidate.email = "amina.new@example.org"
    world.candidate.save(update_fields=["email"])
    with pytest.raises(InvitationRefused):
        candidate_account_activate(invitation=invitation, password=NEW_PASSWORD)
    assert not CandidateAccount.objects.exists()
    assert CandidateInvitation.objects.get().used_at is None  # rolled back with the refusal


def test_a_link_expiring_while_the_form_is_open_opens_nothing(world: WebWorld, partner: Client) -> None:
    link = _invite(world, partner)
    visitor = Client()
    form_url = visitor.get(link)["Location"]
    CandidateInvitation.objects.update(
        created_at=timezone.now() - INVITATION_VALIDITY,
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    response = visitor.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 404
    assert not User.objects.filter(role=User.Role.CANDIDATE).exists()


def test_a_candidate_signs_in_on_the_ordinary_page_and_lands_in_their_space(world: WebWorld) -> None:
    candidate_user(world.candidate)
    client = Client()
    signed_in = client.post(
        "/en/account/sign-in/", {"username": "amina@example.org", "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == "/en/me/"
    assert "My applications" in signed_in.text


def _reset_link(message: Any) -> str:
    found = re.search(r"http://testserver(/en/account/password-reset/\S+/)", str(message.body))
    assert found, message.body
    return found.group(1)


def test_a_password_reset_goes_to_the_address_on_record_never_an_older_one(world: WebWorld) -> None:
    """The agency corrected the candidate's address after the account was opened: whoever reads the old
    mailbox cannot reset the password (a takeover), and the candidate can, with the address on record."""
    user = candidate_user(world.candidate)
    world.candidate.email = "amina.new@example.org"
    world.candidate.save(update_fields=["email"])
    old = Client().post("/en/account/password-reset/", {"email": "amina@example.org"})
    assert old.status_code == 302 and mail.outbox == []

    client = Client()
    client.post("/en/account/password-reset/", {"email": "Amina.New@example.org"})
    [message] = mail.outbox
    assert message.to == ["amina.new@example.org"]
    form = client.get(_reset_link(message), follow=True)
    assert form.status_code == 200 and "new_password1" in form.text  # the link works
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and user.email == "amina.new@example.org"


def test_a_password_reset_still_reaches_staff_and_unchanged_candidates(world: WebWorld) -> None:
    candidate_user(world.candidate)
    factories.UserFactory.create(username="els", email="els@example.org")
    for address in ("amina@example.org", "els@example.org"):
        Client().post("/en/account/password-reset/", {"email": address})
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "amina@example.org",
        "els@example.org",
    ]


def test_a_candidate_user_never_belongs_to_an_organisation(world: WebWorld) -> None:
    with pytest.raises(IntegrityError):
        User.objects.create(username="x@example.org", role=User.Role.CANDIDATE, organisation=world.partner)


def test_a_deactivated_account_is_refused(world: WebWorld) -> None:
    user = candidate_user(world.candidate)
    client = Client()
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    # Django signs an inactive user out; nothing of the space is shown.
    assert client.get("/en/me/").status_code in (302, 403)


def test_a_candidate_user_is_never_staff(world: WebWorld) -> None:
    with pytest.raises(IntegrityError):
        User.objects.create(username="y@example.org", role=User.Role.CANDIDATE, is_staff=True)
