"""Interview slots: the employer proposes dates for a case, the recruiter confirms one with the candidate.

Every write locks the case row first (``select_for_update``), so proposals, confirmations and
cancellations of one case happen one after the other; a slot is answered with a conditional UPDATE on
its status, so of two concurrent confirmations one wins and the other is told the slot was answered.
The database keeps at most one accepted slot per case (``interview_slot_one_accepted_per_case``).

Confirming a slot of a case at "employer interested" moves the case to "interview" through
``placement_move``: the move is logged and the partner agency's webhook event is written with it. No
event of its own is emitted for slots: the webhook catalogue (``webhooks.events.EventType``) has none
that fits, and dates of a meeting are not a stage.

A case on a compliance hold (``recruitment.services.holds``) takes no step forward: no date is proposed
or confirmed on it (code ``held``, read from the locked row, so a hold put on since the page was read
wins); dates can still be cancelled.

Errors are ``PlacementError``s with messages in the user's language; nothing is written when one is
raised.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from recruitment.models import InterviewSlot, Placement
from recruitment.services.placements import (
    PlacementError,
    employer_sees,
    held_error,
    is_staff_actor,
    placement_move,
)
from recruitment.workflow import Stage

MAX_SLOTS_PER_PROPOSAL = 5
MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 480
# The stages at which interview dates are discussed: invited, or already interviewing (a second round).
SLOT_STAGES = frozenset({Stage.EMPLOYER_INTERESTED.value, Stage.INTERVIEW.value})


@dataclass(frozen=True)
class SlotProposal:
    starts_at: datetime.datetime  # aware
    duration_minutes: int = 60
    mode: str = InterviewSlot.Mode.VIDEO
    location: str = ""


def _lock(placement: Placement) -> Placement:
    """The case as it is now, locked until the end of the transaction."""
    return (
        Placement.objects.select_for_update()
        .select_related("vacancy", "vacancy__employer")
        .get(pk=placement.pk)
    )


def _check_slots(slots: list[SlotProposal], taken: set[datetime.datetime], now: datetime.datetime) -> None:
    if not 1 <= len(slots) <= MAX_SLOTS_PER_PROPOSAL:
        raise PlacementError(
            _("Propose between 1 and %(maximum)s dates.") % {"maximum": MAX_SLOTS_PER_PROPOSAL}
        )
    seen: set[datetime.datetime] = set()
    for slot in slots:
        if timezone.is_naive(slot.starts_at):
            raise ValueError("interview slots start at an aware datetime")
        if slot.starts_at <= now:
            raise PlacementError(_("An interview date must be in the future."))
        if slot.starts_at in seen or slot.starts_at in taken:
            raise PlacementError(_("The same date and time is proposed twice."))
        seen.add(slot.starts_at)
        if not MIN_DURATION_MINUTES <= slot.duration_minutes <= MAX_DURATION_MINUTES:
            raise PlacementError(
                _("An interview lasts between %(minimum)s and %(maximum)s minutes.")
                % {"minimum": MIN_DURATION_MINUTES, "maximum": MAX_DURATION_MINUTES}
            )
        if slot.mode not in InterviewSlot.Mode.values:
            raise PlacementError(_("Unknown kind of interview."))


def interview_slots_propose(
    *, placement: Placement, actor: User, slots: list[SlotProposal]
) -> list[InterviewSlot]:
    """Add 1 to 5 proposed dates to a case (a user of the vacancy's employer only).

    The case must be at "employer interested" or "interview", with no slot confirmed yet (cancel the
    confirmed one to propose others). Dates lie in the future, once each, also against the dates
    still open on the case.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(placement)
        if not employer_sees(locked, actor):
            raise PlacementError(_("Only the employer of this vacancy can propose interview dates."))
        if locked.held_since is not None:
            raise held_error()
        if locked.stage not in SLOT_STAGES:
            raise PlacementError(_("Interview dates can be proposed once you have invited the candidate."))
        open_slots = InterviewSlot.objects.filter(
            placement=locked, status__in=[InterviewSlot.Status.PROPOSED, InterviewSlot.Status.ACCEPTED]
        )
        if any(slot.status == InterviewSlot.Status.ACCEPTED for slot in open_slots):
            raise PlacementError(_("An interview date is already confirmed for this candidate."))
        _check_slots(slots, {slot.starts_at for slot in open_slots}, now)
        created = InterviewSlot.objects.bulk_create(
            [
                InterviewSlot(
                    placement=locked,
                    starts_at=slot.starts_at,
                    duration_minutes=slot.duration_minutes,
                    mode=slot.mode,
                    location=slot.location.strip(),
                    proposed_by=actor,
                )
                for slot in slots
            ]
        )
    return created


def interview_slot_accept(*, slot: InterviewSlot, actor: User) -> InterviewSlot:
    """Confirm one proposed date on the candidate's behalf (staff only): the case's other open dates are
    declined, and a case at "employer interested" moves to "interview" (logged, with its webhook)."""
    if not is_staff_actor(actor):
        raise PlacementError(_("Only staff of the public employment service can confirm an interview date."))
    now = timezone.now()
    try:
        with transaction.atomic():
            placement = _lock(slot.placement)
            if placement.held_since is not None:
                raise held_error()
            if placement.stage not in SLOT_STAGES:
                raise PlacementError(_("This case is no longer at the interview stage."))
            current = InterviewSlot.objects.get(pk=slot.pk)
            if current.starts_at <= now:
                raise PlacementError(_("This date has passed: ask the employer for new dates."))
            accepted = InterviewSlot.objects.filter(pk=slot.pk, status=InterviewSlot.Status.PROPOSED).update(
                status=InterviewSlot.Status.ACCEPTED, answered_by=actor, answered_at=now
            )
            if accepted != 1:
                raise PlacementError(_("This date was already answered. Reload the page."), code="conflict")
            InterviewSlot.objects.filter(placement=placement, status=InterviewSlot.Status.PROPOSED).update(
                status=InterviewSlot.Status.DECLINED, answered_by=actor, answered_at=now
            )
            if placement.stage == Stage.EMPLOYER_INTERESTED:
                placement_move(
                    placement=placement,
                    to_stage=Stage.INTERVIEW,
                    actor=actor,
                    expected_version=placement.version,
                )
    except IntegrityError:
        # Another slot of the case was confirmed concurrently (at most one accepted per case).
        raise PlacementError(
            _("Another date was confirmed in the meantime. Reload the page."), code="conflict"
        ) from None
    slot.refresh_from_db()
    return slot


def interview_slot_cancel(*, slot: InterviewSlot, actor: User) -> InterviewSlot:
    """Withdraw a proposed or confirmed date (the vacancy's employer, or staff). The case stays where it
    is: a cancelled interview is rescheduled with new dates, or the case is closed with a reason."""
    now = timezone.now()
    with transaction.atomic():
        placement = _lock(slot.placement)
        if not (employer_sees(placement, actor) or is_staff_actor(actor)):
            raise PlacementError(_("You cannot change this interview date."))
        cancelled = InterviewSlot.objects.filter(
            pk=slot.pk, status__in=[InterviewSlot.Status.PROPOSED, InterviewSlot.Status.ACCEPTED]
        ).update(status=InterviewSlot.Status.CANCELLED, answered_by=actor, answered_at=now)
        if cancelled != 1:
            raise PlacementError(_("This date was already answered. Reload the page."), code="conflict")
    slot.refresh_from_db()
    return slot


__all__ = [
    "MAX_SLOTS_PER_PROPOSAL",
    "SLOT_STAGES",
    "SlotProposal",
    "interview_slot_accept",
    "interview_slot_cancel",
    "interview_slots_propose",
]
