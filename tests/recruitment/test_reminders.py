"""Reminders of proposals awaiting the employer's answer: sent once, to the employer's active users,
naming the case by its pseudonym only."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.models import User
from recruitment.models import Placement
from recruitment.selectors import placement_reference
from recruitment.services.placements import placement_move
from recruitment.services.reminders import proposal_reminders_send
from recruitment.tasks import send_proposal_reminders_task
from tests import factories
from tests.web.world import WebWorld, build_web_world, employer_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> WebWorld:
    world = build_web_world()
    for email in ("hr@lasbedrijf.example", "boss@lasbedrijf.example"):
        factories.UserFactory.create(role=User.Role.EMPLOYER_USER, organisation=world.employer_a, email=email)
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


def _due_in(world: WebWorld, days: int) -> datetime.date:
    due = timezone.localdate() + datetime.timedelta(days=days)
    Placement.objects.filter(pk=world.placement.pk).update(response_due_on=due)
    return due


def test_a_proposal_due_within_two_days_is_reminded_once(world: WebWorld) -> None:
    _due_in(world, 2)
    today = timezone.localdate()
    assert proposal_reminders_send(today=today) == 1
    assert sorted(message.to[0] for message in mail.outbox) == [
        "boss@lasbedrijf.example",
        "hr@lasbedrijf.example",
    ]
    world.placement.refresh_from_db()
    assert world.placement.reminded_at is not None
    # The next run (or a second worker, or tomorrow's) sends nothing more.
    assert proposal_reminders_send(today=today) == 0
    assert proposal_reminders_send(today=today + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 2


def test_a_proposal_due_later_is_not_reminded_yet(world: WebWorld) -> None:
    _due_in(world, 3)
    assert proposal_reminders_send(today=timezone.localdate()) == 0
    assert mail.outbox == []
    world.placement.refresh_from_db()
    assert world.placement.reminded_at is None


def test_an_overdue_proposal_is_reminded_and_said_overdue(world: WebWorld) -> None:
    due = _due_in(world, -4)
    assert proposal_reminders_send(today=timezone.localdate()) == 1
    body = mail.outbox[0].body
    reference = placement_reference(world.placement)
    # The site's default language (Dutch); the Dutch catalogue may not have these strings yet, so the
    # check is on what does not depend on it.
    assert reference in mail.outbox[0].subject and reference in body
    assert "Lasser MIG/MAG" in body
    assert f"/nl/employer/proposals/{world.placement.public_id}/" in body
    assert str(due.year) in body


def test_the_mail_never_names_the_candidate(world: WebWorld) -> None:
    _due_in(world, 0)
    proposal_reminders_send(today=timezone.localdate())
    candidate = world.candidate
    assert mail.outbox
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for value in (
            candidate.given_name,
            candidate.family_name,
            candidate.email,
            candidate.phone,
            candidate.external_id,
            str(candidate.public_id),
        ):
            assert value not in text, value


def test_cases_at_other_stages_are_not_reminded(world: WebWorld) -> None:
    _due_in(world, -1)
    world.placement.refresh_from_db()
    placement_move(
        placement=world.placement,
        to_stage="employer_interested",
        actor=employer_user(world.employer_a),
        expected_version=world.placement.version,
    )
    assert proposal_reminders_send(today=timezone.localdate()) == 0
    assert mail.outbox == []


def test_a_reminder_older_than_the_stage_does_not_count(world: WebWorld) -> None:
    _due_in(world, 1)
    long_ago = timezone.now() - datetime.timedelta(days=60)
    Placement.objects.filter(pk=world.placement.pk).update(reminded_at=long_ago)
    assert proposal_reminders_send(today=timezone.localdate()) == 1
    Placement.objects.filter(pk=world.placement.pk).update(reminded_at=timezone.now())
    assert proposal_reminders_send(today=timezone.localdate()) == 0


def test_an_employer_without_active_users_is_skipped_and_left_unclaimed(world: WebWorld) -> None:
    _due_in(world, 0)
    User.objects.filter(organisation=world.employer_a).update(is_active=False)
    assert proposal_reminders_send(today=timezone.localdate()) == 0
    world.placement.refresh_from_db()
    assert world.placement.reminded_at is None


def test_the_daily_task_sends_the_reminders(world: WebWorld) -> None:
    _due_in(world, 1)
    assert send_proposal_reminders_task.delay().get() == 1
    assert len(mail.outbox) == 2
