"""Sign-in, the second factor for staff, password reset, session timeouts and the security headers."""

import re
import time
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import User
from core.security import SESSION_AUTHENTICATED_AT, SESSION_SEEN_AT
from tests import factories
from tests.web.world import employer_user, recruiter_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory


def code_for(device: TOTPDevice, *, step_offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - step_offset * device.step):06d}"


def sign_in(client: Client, username: str, *, language: str = "en", next_url: str = "") -> Any:
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(f"/{language}/account/sign-in/", data)


@pytest.mark.parametrize(
    ("language", "text"), [("nl", 'lang="nl"'), ("fr", 'lang="fr"'), ("en", "Forgot your password?")]
)
def test_the_sign_in_page_has_labelled_fields_in_each_language(language: str, text: str) -> None:
    response = Client().get(f"/{language}/account/sign-in/")
    assert response.status_code == 200
    assert text in response.text
    assert '<label for="id_username">' in response.text
    assert '<label for="id_password">' in response.text


def test_staff_verify_a_code_after_the_password_and_only_then_reach_their_pages() -> None:
    user = recruiter_user(username="lotte")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()

    response = sign_in(client, "lotte", next_url="/en/recruiter/vacancies/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/second-factor/")
    # Signed in with the password only: every page but the second-factor step sends back there.
    held = client.get("/en/recruiter/vacancies/")
    assert held.status_code == 302 and held["Location"].startswith("/en/account/second-factor/")
    assert client.get("/en/admin/").status_code == 302

    wrong = client.post("/en/account/second-factor/", {"token": "000000", "next": "/en/recruiter/vacancies/"})
    assert wrong.status_code == 200
    assert "This code is not valid" in wrong.text
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )

    session_before = client.session.session_key
    response = client.post(
        "/en/account/second-factor/", {"token": code_for(device), "next": "/en/recruiter/vacancies/"}
    )
    assert response.status_code == 302 and response["Location"] == "/en/recruiter/vacancies/"
    assert client.session.session_key != session_before  # a new session id once verified
    assert client.get("/en/recruiter/vacancies/").status_code == 200


def test_a_code_works_once() -> None:
    user = recruiter_user(username="lotte")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    first, second = Client(), Client()
    sign_in(first, "lotte")
    sign_in(second, "lotte")
    code = code_for(device)
    assert first.post("/en/account/second-factor/", {"token": code}).status_code == 302
    replay = second.post("/en/account/second-factor/", {"token": code})
    assert replay.status_code == 200
    assert "This code is not valid" in replay.text


def test_staff_without_a_device_enrol_with_an_inline_qr_code_and_a_first_code() -> None:
    recruiter_user(username="new")
    client = Client()
    response = sign_in(client, "new")
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith("/en/account/second-factor/setup/")

    page = client.get(response["Location"])
    assert "Set up an authenticator app" in page.text
    assert not TOTPDevice.objects.exists()  # a GET writes nothing

    client.post("/en/account/second-factor/setup/", {"action": "start"})
    device = TOTPDevice.objects.get()
    assert not device.confirmed
    page = client.get("/en/account/second-factor/setup/")
    assert '<svg class="qr" role="img"' in page.text  # drawn here: no external QR service
    assert "<img" not in page.text

    response = client.post(
        "/en/account/second-factor/setup/", {"action": "confirm", "token": code_for(device)}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/en/recruiter/vacancies/").status_code == 200


def test_a_password_alone_cannot_add_a_device_to_an_account_that_has_one() -> None:
    user = recruiter_user(username="lotte")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    sign_in(client, "lotte")
    response = client.post("/en/account/second-factor/setup/", {"action": "start"})
    assert response.status_code == 302 and response["Location"].startswith("/en/account/second-factor/?")
    assert TOTPDevice.objects.count() == 1


def test_employers_sign_in_with_a_password_unless_they_enrolled_a_device() -> None:
    organisation = factories.OrganisationFactory.create(employer=True)
    plain = employer_user(organisation)
    client = Client()
    response = sign_in(client, plain.username)
    assert response["Location"] == "/en/start/"  # LOGIN_REDIRECT_URL: on to the role's work page
    assert client.get("/en/employer/vacancies/").status_code == 200

    careful = employer_user(organisation)
    TOTPDevice.objects.create(user=careful, name="phone", confirmed=True)
    client = Client()
    response = sign_in(client, careful.username)
    assert response["Location"].startswith("/en/account/second-factor/")
    assert client.get("/en/employer/vacancies/").status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_sign_in_is_refused_after_repeated_failures() -> None:
    factories.UserFactory.create(
        username="target",
        role=User.Role.EMPLOYER_USER,
        organisation=factories.OrganisationFactory.create(employer=True),
    )
    client = Client()
    for _attempt in range(3):
        response = client.post("/en/account/sign-in/", {"username": "target", "password": "wrong"})
        assert "Please enter a correct" in response.text
    # Even the right password is refused now, with a message saying why.
    response = client.post("/en/account/sign-in/", {"username": "target", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_in_the_users_language_that_sets_a_new_password() -> None:
    factories.UserFactory.create(username="els", email="els@example.org")
    client = Client()
    response = client.post("/nl/account/password-reset/", {"email": "els@example.org"})
    assert response.status_code == 302 and response["Location"] == "/nl/account/password-reset/sent/"
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/nl/account/password-reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    new_password = "a-new-long-passphrase-2026"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302 and done["Location"] == "/nl/account/password-reset/done/"
    assert Client().login(username="els", password=new_password)


def test_an_unknown_address_gets_the_same_answer_and_no_mail() -> None:
    response = Client().post("/en/account/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


@override_settings(SESSION_IDLE_TIMEOUT=60, SESSION_ABSOLUTE_TIMEOUT=3600)
def test_an_idle_session_ends_and_sends_to_the_sign_in_page() -> None:
    client = Client()
    client.force_login(employer_user(factories.OrganisationFactory.create(employer=True)))
    assert client.get("/en/employer/vacancies/").status_code == 200
    session = client.session
    session[SESSION_SEEN_AT] = int(time.time()) - 120
    session.save()
    response = client.get("/en/employer/vacancies/")
    assert response.status_code == 302 and response["Location"].startswith("/en/account/sign-in/")
    assert "_auth_user_id" not in client.session


@override_settings(SESSION_IDLE_TIMEOUT=3600, SESSION_ABSOLUTE_TIMEOUT=600)
def test_a_session_ends_some_hours_after_sign_in_however_busy() -> None:
    client = Client()
    client.force_login(employer_user(factories.OrganisationFactory.create(employer=True)))
    client.get("/en/employer/vacancies/")
    session = client.session
    session[SESSION_AUTHENTICATED_AT] = int(time.time()) - 601
    session.save()
    assert client.get("/en/employer/vacancies/").status_code == 302


def test_sign_out_is_a_post_and_ends_the_session() -> None:
    client = Client()
    client.force_login(employer_user(factories.OrganisationFactory.create(employer=True)))
    assert client.get("/en/account/sign-out/").status_code == 405
    response = client.post("/en/account/sign-out/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_pages_carry_a_content_security_policy_without_inline_scripts() -> None:
    response = Client().get("/en/account/sign-in/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert re.search(r"<script(?![^>]*\bsrc=)", response.text) is None  # every script is a file
    assert "/static/django_htmx/htmx-2.min.js" in response.text
