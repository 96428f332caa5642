"""The employer hears of a proposal when it is made (issue 12, item 18a): an e-mail to each active user of
the employer, in their language, naming the case by its pseudonym only, and only while the candidate
consents to share their profile with that employer."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from candidates.models import Consent
from core.models import User
from recruitment.models import Placement
from recruitment.services.bulk import placements_bulk_propose
from recruitment.services.placements import placement_propose, placement_shortlist
from recruitment.services.proposal_notices import SWEEP_GRACE, proposal_notice_send, proposal_notices_sweep
from tests import factories
from tests.web.world import WebWorld, build_web_world

pytestmark = pytest.mark.django_db
Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def world() -> WebWorld:
    world = build_web_world()
    factories.UserFactory.create(
        role=User.Role.EMPLOYER_USER,
        organisation=world.employer_a,
        email="hr@lasbedrijf.example",
        preferred_language="fr",
    )
    factories.UserFactory.create(
        role=User.Role.EMPLOYER_USER,
        organisation=world.employer_a,
        email="boss@lasbedrijf.example",
        preferred_language="nl",
    )
    factories.UserFactory.create(
        role=User.Role.EMPLOYER_USER,
        organisation=world.employer_a,
        email="left@lasbedrijf.example",
        is_active=False,
    )
    factories.UserFactory.create(
        role=User.Role.EMPLOYER_USER, organisation=world.employer_b, email="b@bouw.example"
    )
    mail.outbox.clear()
    return world


def _propose_near_miss(world: WebWorld, commit: Commit) -> Placement:
    with commit(execute=True):
        placement = placement_shortlist(
            vacancy=world.vacancy, candidate=world.near_miss, actor=world.recruiter
        )
        return placement_propose(
            placement=placement,
            actor=world.recruiter,
            expected_version=placement.version,
            message="Youssef Alaoui, six years of TIG welding.",
        )


def test_a_proposal_mails_each_active_user_of_the_employer_in_their_language(
    world: WebWorld, django_capture_on_commit_callbacks: Commit
) -> None:
    placement = _propose_near_miss(world, django_capture_on_commit_callbacks)
    sent = {message.to[0]: message for message in mail.outbox}
    assert sorted(sent) == ["boss@lasbedrijf.example", "hr@lasbedrijf.example"]
    url = f"/employer/proposals/{placement.public_id}/"
    # The link is in each user's language (whatever the catalogues hold yet).
    assert f"/fr{url}" in sent["hr@lasbedrijf.example"].body
    assert f"/nl{url}" in sent["boss@lasbedrijf.example"].body
    for message in sent.values():
        assert placement.reference in message.subject and placement.reference in message.body
        assert "Lasser MIG/MAG" in message.body and "Lasbedrijf A" in message.body
        # Nothing about the person: neither their name nor the recruiter's message, which may quote it.
        for personal in ("Youssef", "Alaoui", "TIG", world.near_miss.email or "@example.org"):
            assert personal not in message.subject and personal not in message.body
        assert placement.response_due_on is not None
        assert str(placement.response_due_on.year) in message.body


def test_a_bulk_proposal_mails_only_the_proposals_that_were_made(
    world: WebWorld, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = placements_bulk_propose(
            vacancy=world.vacancy,
            # The first is proposed already: refused, and no e-mail about it.
            candidate_public_ids=[world.candidate.public_id, world.near_miss.public_id],
            actor=world.recruiter,
            message="",
            response_due_on=None,
        )
    assert [outcome.ok for outcome in outcomes] == [False, True]
    proposed = Placement.objects.get(vacancy=world.vacancy, candidate=world.near_miss)
    assert len(mail.outbox) == 2
    assert all(proposed.reference in message.subject for message in mail.outbox)


def test_no_mail_without_the_consent_to_share_nor_twice_nor_after_a_move(
    world: WebWorld, django_capture_on_commit_callbacks: Commit
) -> None:
    placement = _propose_near_miss(world, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    # A second delivery of the same message sends nothing.
    assert proposal_notice_send(placement_id=placement.pk, version=placement.version) == 0
    # A message about an older version of the case (it moved on since) sends nothing.
    assert proposal_notice_send(placement_id=placement.pk, version=placement.version - 1) == 0
    # The candidate withdrew the consent to share with this employer before the message ran.
    Consent.objects.filter(candidate=world.near_miss, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER).update(
        withdrawn_at=timezone.now()
    )
    Placement.objects.filter(pk=placement.pk).update(notified_at=None)  # held back by the consent alone
    assert proposal_notice_send(placement_id=placement.pk, version=placement.version) == 0
    assert len(mail.outbox) == 2


def test_a_rolled_back_proposal_mails_nothing(
    world: WebWorld, django_capture_on_commit_callbacks: Commit
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        placement = placement_shortlist(
            vacancy=world.vacancy, candidate=world.near_miss, actor=world.recruiter
        )
        placement_propose(placement=placement, actor=world.recruiter, expected_version=placement.version)
        raise RuntimeError("rolled back")
    assert mail.outbox == []


def test_a_lost_notice_is_sent_by_the_sweeper_once(
    world: WebWorld, django_capture_on_commit_callbacks: Commit
) -> None:
    """The notice's task is only a wake-up call: when its message is lost (the broker restarted empty),
    the sweeper tells the employer, once, and only after leaving the task its time."""
    Placement.objects.update(notified_at=timezone.now())  # the world's own proposal was told
    with django_capture_on_commit_callbacks(execute=False):  # the task's message is lost
        placement = placement_shortlist(
            vacancy=world.vacancy, candidate=world.near_miss, actor=world.recruiter
        )
        placement = placement_propose(
            placement=placement, actor=world.recruiter, expected_version=placement.version
        )
    assert mail.outbox == []  # the task's message never ran
    proposed_at = placement.stage_changed_at
    assert proposal_notices_sweep(now=proposed_at + SWEEP_GRACE / 2) == 0  # the task may still come
    assert proposal_notices_sweep(now=proposed_at + SWEEP_GRACE * 2) == 1
    assert sorted(message.to[0] for message in mail.outbox) == [
        "boss@lasbedrijf.example",
        "hr@lasbedrijf.example",
    ]
    assert proposal_notices_sweep(now=proposed_at + SWEEP_GRACE * 3) == 0
    assert proposal_notice_send(placement_id=placement.pk, version=placement.version) == 0  # the late task
    assert len(mail.outbox) == 2


def test_a_failed_send_gives_the_claim_back(
    world: WebWorld, django_capture_on_commit_callbacks: Commit, settings: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # the task's message is lost
        placement = placement_shortlist(
            vacancy=world.vacancy, candidate=world.near_miss, actor=world.recruiter
        )
        placement = placement_propose(
            placement=placement, actor=world.recruiter, expected_version=placement.version
        )
    settings.EMAIL_BACKEND = "tests.recruitment.test_proposal_notices.FailingBackend"
    with pytest.raises(OSError):
        proposal_notice_send(placement_id=placement.pk, version=placement.version)
    placement.refresh_from_db()
    assert placement.notified_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert proposal_notice_send(placement_id=placement.pk, version=placement.version) == 2


class FailingBackend:
    """A mail server that refuses the connection."""

    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise OSError("connection refused")


class RefusingBackend:
    """A mail server that refuses one address for good and delivers the others (to the test outbox)."""

    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        import smtplib

        for message in messages:
            if "hr@" in message.to[0]:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        mail.outbox.extend(messages)
        return len(messages)


def test_an_address_refused_for_good_costs_the_others_no_second_mail(
    world: WebWorld, django_capture_on_commit_callbacks: Commit, settings: Any
) -> None:
    """The whole claim used to be given back on the first failure: the users already told got it again
    on every retry and every sweep."""
    Placement.objects.update(notified_at=timezone.now())  # the world's own proposal was told
    with django_capture_on_commit_callbacks(execute=False):  # the task's message is lost
        placement = placement_shortlist(
            vacancy=world.vacancy, candidate=world.near_miss, actor=world.recruiter
        )
        placement = placement_propose(
            placement=placement, actor=world.recruiter, expected_version=placement.version
        )
    settings.EMAIL_BACKEND = "tests.recruitment.test_proposal_notices.RefusingBackend"
    later = placement.stage_changed_at + SWEEP_GRACE * 2
    assert proposal_notices_sweep(now=later) == 1
    assert proposal_notices_sweep(now=later + SWEEP_GRACE) == 0
    assert [message.to[0] for message in mail.outbox] == ["boss@lasbedrijf.example"]


def test_an_employer_without_anyone_to_write_to_does_not_hold_up_the_sweeper(
    world: WebWorld, django_capture_on_commit_callbacks: Commit
) -> None:
    Placement.objects.update(notified_at=timezone.now())  # the world's own proposal was told
    User.objects.filter(organisation=world.employer_a).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=False):
        placement = placement_shortlist(
            vacancy=world.vacancy, candidate=world.near_miss, actor=world.recruiter
        )
        placement = placement_propose(
            placement=placement, actor=world.recruiter, expected_version=placement.version
        )
    assert proposal_notices_sweep(now=placement.stage_changed_at + SWEEP_GRACE * 2) == 0
    placement.refresh_from_db()
    assert placement.notified_at is not None  # handled: not read again by every sweep
    assert mail.outbox == []
