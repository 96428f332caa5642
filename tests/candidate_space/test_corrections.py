"""Correction requests: the candidate asks, their registering agency is told by e-mail and answers, the
candidate reads the answer. Another agency and another candidate see nothing of it."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from candidate_space.models import CorrectionRequest
from candidate_space.services.corrections import (
    SWEEP_GRACE,
    correction_notice_send,
    correction_notices_sweep,
)
from core.models import User
from tests.web.world import WebWorld

pytestmark = pytest.mark.django_db


def _ask(me: Client, commit: Any, message: str = "My Dutch is B2 since June.") -> CorrectionRequest:
    with commit(execute=True):
        response = me.post("/en/me/profile/corrections/new/", {"part": "languages", "message": message})
    assert response.status_code == 302 and response["Location"] == "/en/me/profile/"
    return CorrectionRequest.objects.get(candidate__email="amina@example.org", message=message)


def test_the_lifecycle_from_request_to_answer(
    world: WebWorld,
    me: Client,
    partner: Client,
    partner_user: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    correction = _ask(me, django_capture_on_commit_callbacks)
    # The agency is told, without the candidate's name or words.
    [notice] = mail.outbox
    assert notice.to == [partner_user.email]
    assert f"/corrections/{correction.public_id}/" in notice.body
    assert "Amina" not in notice.body and "B2" not in notice.body
    assert correction_notice_send(correction_request_id=correction.pk) == 0  # told once

    profile = me.get("/en/me/profile/").text
    assert "My Dutch is B2 since June." in profile and "Open" in profile

    listing = partner.get("/en/corrections/").text
    assert f"/en/corrections/{correction.public_id}/" in listing
    detail = partner.get(f"/en/corrections/{correction.public_id}/")
    assert detail.status_code == 200 and "My Dutch is B2 since June." in detail.text
    closed = partner.post(
        f"/en/corrections/{correction.public_id}/", {"status": "done", "answer": "Updated to B2."}
    )
    assert closed.status_code == 302
    correction.refresh_from_db()
    assert correction.status == "done" and correction.handled_by == partner_user
    profile = me.get("/en/me/profile/").text
    assert "Corrected" in profile and "Updated to B2." in profile
    assert partner_user.username not in profile  # who handled it is not shown


def test_a_refusal_needs_an_answer_and_a_closed_request_stays_closed(
    world: WebWorld, me: Client, recruiter: Client, django_capture_on_commit_callbacks: Any
) -> None:
    correction = _ask(me, django_capture_on_commit_callbacks)
    url = f"/en/corrections/{correction.public_id}/"
    refused = recruiter.post(url, {"status": "rejected", "answer": " "})
    assert refused.status_code == 400 and "Say why the profile is not corrected." in refused.text
    correction.refresh_from_db()
    assert correction.status == "open"
    recruiter.post(url, {"status": "rejected", "answer": "The certificate says B1."})
    recruiter.post(url, {"status": "done", "answer": "Changed my mind"})
    correction.refresh_from_db()
    assert (correction.status, correction.answer) == ("rejected", "The certificate says B1.")


def test_another_agency_and_another_candidate_see_nothing(
    world: WebWorld,
    me: Client,
    other_me: Client,
    other_partner: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    correction = _ask(me, django_capture_on_commit_callbacks)
    url = f"/en/corrections/{correction.public_id}/"
    assert other_partner.get(url).status_code == 404
    assert other_partner.post(url, {"status": "done", "answer": "x"}).status_code == 404
    assert str(correction.public_id) not in other_partner.get("/en/corrections/?status=all").text
    assert other_me.get(url).status_code == 403
    assert "My Dutch is B2" not in other_me.get("/en/me/profile/").text
    correction.refresh_from_db()
    assert correction.status == "open"


def test_an_empty_request_is_refused_with_a_message(world: WebWorld, me: Client) -> None:
    response = me.post("/en/me/profile/corrections/new/", {"part": "languages", "message": "  "})
    assert response.status_code == 200 and "This field is required." in response.text
    response = me.post("/fr/me/profile/corrections/new/", {"part": "nonsense", "message": "x"})
    assert response.status_code == 200
    assert not CorrectionRequest.objects.exists()


def test_the_sweeper_tells_the_agency_when_the_task_was_lost(
    world: WebWorld, me: Client, partner_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # the task's message is lost
        me.post("/en/me/profile/corrections/new/", {"part": "skills", "message": "I also weld TIG."})
    assert CorrectionRequest.objects.get().notified_at is None
    now = timezone.now()
    assert correction_notices_sweep(now=now) == 0  # still its own task's to send
    assert correction_notices_sweep(now=now + SWEEP_GRACE + datetime.timedelta(seconds=1)) == 1
    assert [message.to for message in mail.outbox] == [[partner_user.email]]
    assert correction_notices_sweep(now=now + SWEEP_GRACE * 2) == 0
