"""Placements: shortlist a matched candidate, propose them to the employer, and move the case on.

Every move is checked against the transition table (``recruitment/workflow.py``) and against who makes
it, then written with a conditional UPDATE on the case's ``version``: of two concurrent clicks made from
the same version, one wins and the other gets ``PlacementConflict``, never a silent overwrite. The move
and its log row commit together, with the webhook event for the candidate's partner agency (an outbox
row: it is delivered only if the move commits).

Errors are ``ValidationError`` subclasses with messages in the user's language; nothing is written
when one is raised.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.models import Candidate, Consent
from core.jobs import queue_task_after_commit
from core.models import User
from core.roles import STAFF_ROLES
from recruitment.full_results import explanation_to_keep
from recruitment.models import DecisionReason, Match, Placement, PlacementStage, PlacementTransition
from recruitment.partner_scope import partner_placements
from recruitment.workflow import DECISIONS, IDENTITY_REVEALED_BY, REASON_REQUIRED, Stage, may_move
from vacancies.models import Vacancy
from webhooks.events import EventType
from webhooks.services import webhook_event_emit

# Days an employer has to answer a proposal when the recruiter sets no date.
DEFAULT_RESPONSE_DAYS = 10


# Where a case on a compliance hold (``recruitment.services.holds``: a recruitment cost charged to the
# candidate) may still go: it may be closed or stopped (the employer declines it, the permit is refused),
# never taken further while the breach stands.
HOLD_EXITS = frozenset({Stage.EMPLOYER_DECLINED, Stage.PERMIT_REFUSED, Stage.ENDED, Stage.WITHDRAWN})


class PlacementError(ValidationError):
    """A move that the rules do not allow; the message says why, in the user's language."""


class PlacementConflict(PlacementError):
    """The case moved on since the user loaded it (a concurrent click): reload and decide again."""


def is_staff_actor(user: User) -> bool:
    return user.role in STAFF_ROLES


def employer_sees(placement: Placement, user: User) -> bool:
    """``user`` is a user of the vacancy's employer, and the employer may see the case now (the rule of
    ``PlacementQuerySet.shared_with_employer``: proposed to it, the candidate consenting to share)."""
    if user.role != User.Role.EMPLOYER_USER or user.organisation_id != placement.vacancy.employer_id:
        return False
    return Placement.objects.for_employer(user.organisation_id).filter(pk=placement.pk).exists()


def _consent_to_share(candidate: Candidate, vacancy: Vacancy) -> bool:
    """Sharing a profile with an employer needs the candidate's consent naming that employer (GDPR)."""
    return (
        Consent.objects.in_force()
        .filter(
            candidate=candidate, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient=vacancy.employer_id
        )
        .exists()
    )


def placement_event_emit(
    placement: Placement, event_type: str, *, previous: str = "", extra: dict[str, object] | None = None
) -> None:
    """Tell the candidate's partner agency (ids and stages only, never personal data), when its API
    shows it the case: not once the candidate is withdrawn, say (``recruitment.partner_scope``).
    ``extra``: what an event type adds to the case's ids and stage."""
    candidate = placement.candidate
    if not partner_placements(organisation=candidate.registered_by).filter(pk=placement.pk).exists():
        return
    webhook_event_emit(
        organisation_id=candidate.registered_by_id,
        event_type=event_type,
        data={
            "placement": str(placement.public_id),
            "candidate": str(candidate.public_id),
            "external_id": candidate.external_id,
            "vacancy": str(placement.vacancy.public_id),
            "stage": placement.stage,
            "previous_stage": previous,
            "reason": placement.reason,
            **(extra or {}),
        },
    )


def _log(
    placement: Placement,
    *,
    previous: str,
    actor: User,
    at: datetime.datetime,
    explanation: dict[str, object] | None = None,
) -> None:
    PlacementTransition.objects.create(
        explanation=explanation or {},
        placement=placement,
        from_stage=previous,
        to_stage=placement.stage,
        at=at,
        actor=actor,
        actor_organisation_id=actor.organisation_id,
        reason=placement.reason,
        comment=placement.comment,
    )


def placement_shortlist(*, vacancy: Vacancy, candidate: Candidate, actor: User) -> Placement:
    """Put a matched candidate on a vacancy's shortlist (staff only).

    Only a candidate with a stored match for the vacancy (eligible or a near-miss) can be shortlisted:
    a person decides, on an explained suggestion. Idempotent for a case that already exists: it is
    returned as it is.
    """
    if not is_staff_actor(actor):
        raise PlacementError(_("Only staff of the public employment service can shortlist candidates."))
    existing = Placement.objects.filter(vacancy=vacancy, candidate=candidate).first()
    if existing is not None:
        return existing
    if vacancy.status != Vacancy.Status.PUBLISHED:
        raise PlacementError(_("Only a published vacancy has a shortlist."))
    if candidate.status != Candidate.Status.ACTIVE:
        raise PlacementError(_("This candidate is not active."))
    if not Match.objects.filter(vacancy=vacancy, candidate=candidate).exists():
        raise PlacementError(
            _("This candidate does not match this vacancy (no eligible or near-miss result).")
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            # The status read above may be stale: a withdrawal, an erasure or a merge committed since
            # would leave a live case on a record nobody may see. Their writes lock the candidate's row.
            status = (
                Candidate.objects.select_for_update().filter(pk=candidate.pk).values_list("status", flat=True)
            )
            if status.first() != Candidate.Status.ACTIVE:
                raise PlacementError(_("This candidate is not active."))
            placement = Placement.objects.create(
                vacancy=vacancy, candidate=candidate, stage_changed_at=now, created_by=actor
            )
            # The audit trail of what the machine suggested when a person decided (GDPR art. 22).
            shown = explanation_to_keep(vacancy_id=vacancy.pk, candidate_id=candidate.pk)
            _log(placement, previous="", actor=actor, at=now, explanation=shown)
            placement_event_emit(placement, EventType.PLACEMENT_SHORTLISTED)
    except IntegrityError:
        # A concurrent click created it first: same outcome as the idempotent path above.
        return Placement.objects.get(vacancy=vacancy, candidate=candidate)
    return placement


def placement_propose(
    *,
    placement: Placement,
    actor: User,
    expected_version: int,
    message: str = "",
    response_due_on: datetime.date | None = None,
) -> Placement:
    """Propose a shortlisted candidate to the employer, with a message and an answer deadline."""
    if not is_staff_actor(actor):
        raise PlacementError(_("Only staff of the public employment service can propose candidates."))
    if placement.vacancy.employer.is_suspended:
        raise PlacementError(_("This employer is suspended: no candidate can be proposed to it."))
    if placement.candidate.status == Candidate.Status.RESTRICTED:
        # GDPR art. 18: the data is stored only; sharing it with an employer is processing.
        raise PlacementError(
            _("This candidate's data is restricted: they cannot be proposed."), code="restricted"
        )
    if placement.candidate.status in (Candidate.Status.WITHDRAWN, Candidate.Status.ANONYMISED):
        # They left the programme (or were erased): no employer may receive their profile any more.
        raise PlacementError(_("This candidate has withdrawn: they cannot be proposed."), code="withdrawn")
    if not _consent_to_share(placement.candidate, placement.vacancy):
        raise PlacementError(
            _("The candidate has not consented to share their profile with this employer."),
            code="no_consent",
        )
    today = timezone.localdate()
    due = response_due_on or today + datetime.timedelta(days=DEFAULT_RESPONSE_DAYS)
    if due < today:
        raise PlacementError(_("The answer deadline cannot be in the past."))
    with transaction.atomic():
        proposed = _move(
            placement,
            Stage.PROPOSED,
            actor=actor,
            expected_version=expected_version,
            fields={"proposed_at": timezone.now(), "proposal_message": message, "response_due_on": due},
        )
        # The employer's users hear of it once the proposal commits (not if a bulk proposal rolls back).
        queue_task_after_commit("recruitment.tasks.send_proposal_notice_task", proposed.pk, proposed.version)
    return proposed


def placement_move(
    *,
    placement: Placement,
    to_stage: str,
    actor: User,
    expected_version: int,
    reason: str = "",
    comment: str = "",
) -> Placement:
    """Move a case to ``to_stage`` (any move but the proposal, which has its own service).

    Staff may make every allowed move; the employer of the vacancy only its own (deciding on a proposal,
    inviting to an interview, making an offer). A decline, refusal, end or withdrawal needs a reason.
    """
    try:
        target = Stage(to_stage)
    except ValueError:
        raise PlacementError(_("Unknown stage.")) from None
    if target == Stage.PROPOSED:
        raise PlacementError(_("Use the proposal form to propose a candidate."))
    if target in REASON_REQUIRED and not reason:
        raise PlacementError({"reason": [_("Give a reason for this decision.")]})
    if reason and reason not in DecisionReason.values:
        raise PlacementError({"reason": [_("Unknown reason.")]})
    if target not in REASON_REQUIRED and placement.candidate.status == Candidate.Status.RESTRICTED:
        # GDPR art. 18: the data is stored only; the case may be closed, not taken further.
        raise PlacementError(
            _("This candidate's data is restricted: the case can only be closed."), code="restricted"
        )
    fields: dict[str, Any] = {"reason": reason, "comment": comment}
    if target == IDENTITY_REVEALED_BY:
        fields["identity_revealed_at"] = timezone.now()
    return _move(placement, target, actor=actor, expected_version=expected_version, fields=fields)


def held_error() -> PlacementError:
    """The refusal of a step forward on a held case (a move, an interview date): one message, code "held"."""
    return PlacementError(
        _(
            "This case is on hold: a recruitment cost was charged to the candidate. Until every such cost "
            "is refunded, it can only be stopped: declined, refused a permit, ended or withdrawn."
        ),
        code="held",
    )


def _move(
    placement: Placement, target: Stage, *, actor: User, expected_version: int, fields: dict[str, Any]
) -> Placement:
    if not (is_staff_actor(actor) or employer_sees(placement, actor)):
        raise PlacementError(_("You cannot change this case."))
    current = Stage(placement.stage)
    if placement.held_since is not None and target not in HOLD_EXITS:
        raise held_error()
    needs_recognition = placement.vacancy.occupation.is_regulated
    if not may_move(
        current,
        target,
        by_employer=not is_staff_actor(actor),
        needs_recognition=needs_recognition,
        internship=placement.vacancy.kind == Vacancy.Kind.INTERNSHIP,
    ):
        raise PlacementError(
            _("A case at “%(current)s” cannot move to “%(target)s”.")
            % {"current": PlacementStage(current).label, "target": PlacementStage(target).label},
            code="transition_not_allowed",
        )
    now = timezone.now()
    # A hold put on since the page was read wins over the move (checked in the same UPDATE).
    unheld = {} if target in HOLD_EXITS else {"held_since__isnull": True}
    with transaction.atomic():
        changed = Placement.objects.filter(
            pk=placement.pk, version=expected_version, stage=current, **unheld
        ).update(stage=target, version=F("version") + 1, stage_changed_at=now, **fields)
        if changed != 1:
            if unheld and Placement.objects.filter(pk=placement.pk, held_since__isnull=False).exists():
                raise held_error()
            raise PlacementConflict(
                _("This case was changed by someone else in the meantime. Reload the page and try again."),
                code="conflict",
            )
        placement.refresh_from_db()
        # A proposal and an employer's decision keep the explanation shown at that moment.
        shown = (
            explanation_to_keep(vacancy_id=placement.vacancy_id, candidate_id=placement.candidate_id)
            if target == Stage.PROPOSED or target in DECISIONS
            else None
        )
        _log(placement, previous=current, actor=actor, at=now, explanation=shown)
        if target == Stage.PROPOSED:
            event = EventType.PLACEMENT_PROPOSED
        elif target in DECISIONS:
            event = EventType.PLACEMENT_DECIDED
        else:
            event = EventType.PLACEMENT_STAGE_CHANGED
        placement_event_emit(placement, event, previous=current)
    return placement


__all__ = [
    "DEFAULT_RESPONSE_DAYS",
    "HOLD_EXITS",
    "PlacementConflict",
    "PlacementError",
    "employer_sees",
    "held_error",
    "placement_event_emit",
    "placement_move",
    "placement_propose",
    "placement_shortlist",
]
