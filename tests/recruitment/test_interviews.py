"""Interview slots: the employer proposes dates, staff confirm one for the candidate, either cancels."""

import datetime
from collections.abc import Callable, Iterator

import pytest
from django.utils import timezone, translation

from core.models import User
from recruitment.models import InterviewSlot, Placement, PlacementTransition
from recruitment.services.holds import CANDIDATE_PAID_COST, placement_hold
from recruitment.services.interviews import (
    SlotProposal,
    interview_slot_accept,
    interview_slot_cancel,
    interview_slots_propose,
)
from recruitment.services.placements import PlacementError, placement_move
from tests.web.world import WebWorld, build_web_world, employer_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """The services' messages are matched in English (the site's default language is Dutch)."""
    with translation.override("en"):
        yield


@pytest.fixture
def world() -> WebWorld:
    return build_web_world()


@pytest.fixture
def employer(world: WebWorld) -> User:
    return employer_user(world.employer_a)


def _invited(world: WebWorld, employer: User) -> Placement:
    return placement_move(
        placement=world.placement,
        to_stage="employer_interested",
        actor=employer,
        expected_version=world.placement.version,
    )


def _at(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _proposals(*days: int, duration: int = 60) -> list[SlotProposal]:
    return [
        SlotProposal(starts_at=_at(day), duration_minutes=duration, location="Dok Noord 3, Gent")
        for day in days
    ]


def test_the_employer_proposes_dates_for_an_invited_candidate(world: WebWorld, employer: User) -> None:
    placement = _invited(world, employer)
    slots = interview_slots_propose(placement=placement, actor=employer, slots=_proposals(3, 4))
    assert [slot.status for slot in slots] == ["proposed", "proposed"]
    stored = InterviewSlot.objects.filter(placement=placement).order_by("starts_at")
    assert [slot.starts_at for slot in stored] == [_at(3), _at(4)]
    assert {slot.proposed_by_id for slot in stored} == {employer.pk}


# Built when the test runs (lambdas), not when it is collected: the dates are relative to today.
@pytest.mark.parametrize(
    ("proposals", "message"),
    [
        (lambda: [], "Propose between 1 and 5 dates."),
        (lambda: _proposals(1, 2, 3, 4, 5, 6), "Propose between 1 and 5 dates."),
        (lambda: _proposals(-1), "An interview date must be in the future."),
        (lambda: _proposals(3, 3), "The same date and time is proposed twice."),
        (lambda: _proposals(3, duration=10), "An interview lasts between 15 and 480 minutes."),
        (lambda: _proposals(3, duration=481), "An interview lasts between 15 and 480 minutes."),
        (lambda: [SlotProposal(starts_at=_at(3), mode="carrier_pigeon")], "Unknown kind of interview."),
    ],
)
def test_bad_dates_are_refused_and_nothing_is_written(
    world: WebWorld, employer: User, proposals: Callable[[], list[SlotProposal]], message: str
) -> None:
    placement = _invited(world, employer)
    with pytest.raises(PlacementError, match=message):
        interview_slots_propose(placement=placement, actor=employer, slots=proposals())
    assert not InterviewSlot.objects.exists()


def test_only_the_vacancys_employer_proposes_and_only_after_the_invitation(
    world: WebWorld, employer: User
) -> None:
    with pytest.raises(PlacementError, match="once you have invited the candidate"):
        interview_slots_propose(placement=world.placement, actor=employer, slots=_proposals(3))
    placement = _invited(world, employer)
    for actor in (employer_user(world.employer_b), world.recruiter):
        with pytest.raises(PlacementError, match="Only the employer of this vacancy"):
            interview_slots_propose(placement=placement, actor=actor, slots=_proposals(3))
    assert not InterviewSlot.objects.exists()


def test_a_date_still_open_cannot_be_proposed_again(world: WebWorld, employer: User) -> None:
    placement = _invited(world, employer)
    interview_slots_propose(placement=placement, actor=employer, slots=_proposals(3))
    with pytest.raises(PlacementError, match="proposed twice"):
        interview_slots_propose(placement=placement, actor=employer, slots=_proposals(4, 3))
    assert InterviewSlot.objects.count() == 1


def test_confirming_a_slot_declines_the_others_and_moves_the_case_to_interview(
    world: WebWorld, employer: User
) -> None:
    placement = _invited(world, employer)
    first, second, third = interview_slots_propose(
        placement=placement, actor=employer, slots=_proposals(3, 4, 5)
    )
    accepted = interview_slot_accept(slot=second, actor=world.recruiter)
    assert accepted.status == "accepted" and accepted.answered_by == world.recruiter
    assert accepted.answered_at is not None
    statuses = dict(InterviewSlot.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "declined", second.pk: "accepted", third.pk: "declined"}
    placement.refresh_from_db()
    assert placement.stage == Placement.Stage.INTERVIEW
    move = PlacementTransition.objects.filter(placement=placement).order_by("-at", "-pk").first()
    assert move is not None
    assert (move.from_stage, move.to_stage, move.actor) == (
        "employer_interested",
        "interview",
        world.recruiter,
    )
    # Once confirmed, no more dates until it is cancelled; a declined one cannot be confirmed.
    with pytest.raises(PlacementError, match="already confirmed"):
        interview_slots_propose(placement=placement, actor=employer, slots=_proposals(6))
    with pytest.raises(PlacementError, match="already answered"):
        interview_slot_accept(slot=first, actor=world.recruiter)


def test_a_second_round_at_the_interview_stage_leaves_the_stage(world: WebWorld, employer: User) -> None:
    placement = _invited(world, employer)
    placement = placement_move(
        placement=placement, to_stage="interview", actor=employer, expected_version=placement.version
    )
    (slot,) = interview_slots_propose(placement=placement, actor=employer, slots=_proposals(3))
    version = placement.version
    interview_slot_accept(slot=slot, actor=world.recruiter)
    placement.refresh_from_db()
    assert (placement.stage, placement.version) == ("interview", version)


def test_only_staff_confirm_and_only_future_dates(world: WebWorld, employer: User) -> None:
    placement = _invited(world, employer)
    (slot,) = interview_slots_propose(placement=placement, actor=employer, slots=_proposals(3))
    with pytest.raises(PlacementError, match="Only staff"):
        interview_slot_accept(slot=slot, actor=employer)
    InterviewSlot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(PlacementError, match="has passed"):
        interview_slot_accept(slot=slot, actor=world.recruiter)
    slot.refresh_from_db()
    placement.refresh_from_db()
    assert slot.status == "proposed" and placement.stage == Placement.Stage.EMPLOYER_INTERESTED


def test_a_closed_case_takes_no_confirmation(world: WebWorld, employer: User) -> None:
    placement = _invited(world, employer)
    (slot,) = interview_slots_propose(placement=placement, actor=employer, slots=_proposals(3))
    placement_move(
        placement=placement,
        to_stage="employer_declined",
        actor=employer,
        expected_version=placement.version,
        reason="skills",
    )
    with pytest.raises(PlacementError, match="no longer at the interview stage"):
        interview_slot_accept(slot=slot, actor=world.recruiter)
    slot.refresh_from_db()
    assert slot.status == "proposed"


def test_the_employer_or_staff_cancel_a_date(world: WebWorld, employer: User) -> None:
    placement = _invited(world, employer)
    first, second = interview_slots_propose(placement=placement, actor=employer, slots=_proposals(3, 4))
    with pytest.raises(PlacementError, match="cannot change"):
        interview_slot_cancel(slot=first, actor=employer_user(world.employer_b))
    assert interview_slot_cancel(slot=first, actor=employer).status == "cancelled"
    with pytest.raises(PlacementError, match="already answered"):
        interview_slot_cancel(slot=first, actor=employer)
    interview_slot_accept(slot=second, actor=world.recruiter)
    cancelled = interview_slot_cancel(slot=second, actor=world.recruiter)
    assert cancelled.status == "cancelled" and cancelled.answered_by == world.recruiter
    # The confirmed date is gone: new dates can be proposed; the case stays at the interview stage.
    interview_slots_propose(placement=placement, actor=employer, slots=_proposals(7))
    placement.refresh_from_db()
    assert placement.stage == Placement.Stage.INTERVIEW


def test_a_held_case_takes_no_new_or_confirmed_interview_date(world: WebWorld, employer: User) -> None:
    """A compliance hold (a recruitment cost charged to the candidate) stops the interviews too: at the
    interview stage a confirmation moves nothing, so the hold must be checked on its own."""
    placement = _invited(world, employer)
    placement = placement_move(
        placement=placement, to_stage="interview", actor=employer, expected_version=placement.version
    )
    (slot,) = interview_slots_propose(placement=placement, actor=employer, slots=_proposals(3))
    # Put on after the pages were read: the objects in memory are unheld, the locked rows are not.
    assert placement_hold(placement_id=placement.pk, reason=CANDIDATE_PAID_COST, at=timezone.now())

    with pytest.raises(PlacementError, match="on hold") as propose_refused:
        interview_slots_propose(placement=placement, actor=employer, slots=_proposals(4))
    with pytest.raises(PlacementError, match="on hold") as accept_refused:
        interview_slot_accept(slot=slot, actor=world.recruiter)

    assert propose_refused.value.code == accept_refused.value.code == "held"
    assert list(InterviewSlot.objects.filter(placement=placement).values_list("status", flat=True)) == [
        "proposed"
    ]
    # A date can still be withdrawn: that takes the case nowhere.
    assert interview_slot_cancel(slot=slot, actor=employer).status == "cancelled"
