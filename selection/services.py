"""Writes of the selection pathway: steps, results, job datings. Each service owns its transaction.

The rules (docs/pathways/selection.md):
- steps are numbered in the order they are added; a result is recorded only for a candidate of the
  step's project whom the public employment service may still process (active or placed);
- a step needs the previous step passed; an earlier result cannot stop being "passed" while a later
  step holds a result of the same candidate (change the later one first);
- a scored step (with a pass mark) takes its verdict from the score, unless the candidate was absent;
- only employers in good standing (not suspended) are invited to a job dating, at least one; only
  candidates who passed the event's required step, and consent now to share their profile with every
  invited employer, are invited (``selection.eligibility``: an event without employers has nobody);
  only a planned event invites or is cancelled, and a cancelled one keeps its record with the reason.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from candidates.models import Candidate
from core.models import Organisation, User
from projects.models import Project
from selection.eligibility import eligible_candidates
from selection.models import (
    PROCESSABLE_STATUSES,
    JobDating,
    JobDatingInvitation,
    SelectionResult,
    SelectionStep,
    Verdict,
)


class SelectionError(ValidationError):
    """A refused write, with a message in the user's language and a stable code; nothing was written."""


def selection_step_add(
    *, project: Project, name: str, kind: str, pass_mark: Decimal | None = None
) -> SelectionStep:
    """Add a step after the project's last one."""
    name = name.strip()
    if not name:
        raise SelectionError(_("Give the step a name."), code="name_required")
    with transaction.atomic():
        # The project's row lock serialises two steps added at once: they never get the same position.
        Project.objects.select_for_update().get(pk=project.pk)
        if SelectionStep.objects.filter(project=project, name=name).exists():
            raise SelectionError(_("This project already has a step with this name."), code="name_taken")
        last = SelectionStep.objects.filter(project=project).aggregate(last=Max("position"))["last"] or 0
        step = SelectionStep(project=project, position=last + 1, name=name, kind=kind, pass_mark=pass_mark)
        step.full_clean()
        step.save()
    return step


def _verdict(step: SelectionStep, score: Decimal | None, verdict: str) -> str:
    if verdict not in Verdict.values:
        raise SelectionError(_("Choose a verdict."), code="verdict_required")
    if step.pass_mark is None or verdict == Verdict.ABSENT:
        if verdict == Verdict.ABSENT and score is not None:
            raise SelectionError(_("An absent candidate has no score."), code="absent_with_score")
        return verdict
    if score is None:
        raise SelectionError(_("This step is scored: give the score."), code="score_required")
    return Verdict.PASSED if score >= step.pass_mark else Verdict.FAILED


def _previous_passed(step: SelectionStep, candidate: Candidate) -> bool:
    previous = SelectionStep.objects.filter(project_id=step.project_id, position__lt=step.position)
    last = previous.order_by("-position").first()
    if last is None:
        return True
    return SelectionResult.objects.filter(step=last, candidate=candidate, verdict=Verdict.PASSED).exists()


def selection_result_record(
    *,
    step: SelectionStep,
    candidate: Candidate,
    verdict: str,
    score: Decimal | None = None,
    note: str = "",
    actor: User | None,
    now: datetime.datetime,
) -> SelectionResult:
    """Record (or replace) ``candidate``'s result at ``step``; returns the stored row.

    For a scored step a verdict other than "absent" is computed from the score and the pass mark.
    """
    with transaction.atomic():
        current = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if current.project_id != step.project_id:
            raise SelectionError(_("This candidate is not in the step's project."), code="other_project")
        if current.status not in PROCESSABLE_STATUSES:
            raise SelectionError(
                _("This candidate's data may no longer be processed."), code="not_processable"
            )
        final = _verdict(step, score, verdict)
        if not _previous_passed(step, current):
            raise SelectionError(
                _("The candidate has not passed the previous step."), code="previous_not_passed"
            )
        later = SelectionResult.objects.filter(
            candidate=current, step__project_id=step.project_id, step__position__gt=step.position
        )
        if final != Verdict.PASSED and later.exists():
            raise SelectionError(
                _("The candidate has results at later steps: change those first."), code="later_results"
            )
        result, _created = SelectionResult.objects.update_or_create(
            step=step,
            candidate=current,
            defaults={
                "score": score,
                "verdict": final,
                "note": note.strip(),
                "recorded_at": now,
                "recorded_by": actor,
            },
        )
    return result


def job_dating_create(
    *,
    project: Project,
    name: str,
    held_on: datetime.date,
    required_step: SelectionStep,
    employers: Iterable[Organisation],
    place: str = "",
    online: bool = False,
    actor: User | None,
) -> JobDating:
    """Plan a job dating of ``project`` with the employers invited."""
    if required_step.project_id != project.pk:
        raise SelectionError(_("This step belongs to another project."), code="other_project_step")
    invited = list(employers)
    if not invited:
        raise SelectionError(_("Invite at least one employer."), code="no_employer")
    if any(employer.kind != Organisation.Kind.EMPLOYER for employer in invited):
        raise SelectionError(_("Only employers can be invited."), code="not_employer")
    # Read again, not taken from the objects passed in: a form's choices may be older than a suspension.
    in_good_standing = set(
        Organisation.objects.in_good_standing()
        .filter(pk__in=[employer.pk for employer in invited])
        .values_list("pk", flat=True)
    )
    if any(employer.pk not in in_good_standing for employer in invited):
        raise SelectionError(
            _("A suspended employer cannot be invited to a job dating."), code="employer_suspended"
        )
    event = JobDating(
        project=project,
        name=name.strip(),
        held_on=held_on,
        place=place.strip(),
        online=online,
        required_step=required_step,
        created_by=actor,
    )
    try:
        event.full_clean()
    except ValidationError as invalid:
        raise SelectionError(invalid.messages[0], code="invalid") from invalid
    with transaction.atomic():
        event.save()
        event.employers.set(invited)
    return event


def _planned(event_id: int) -> JobDating:
    event = JobDating.objects.select_for_update().get(pk=event_id)
    if event.status != JobDating.Status.PLANNED:
        raise SelectionError(_("Only a planned job dating can be changed."), code="not_planned")
    return event


def job_dating_cancel(*, event: JobDating, reason: str, now: datetime.datetime) -> JobDating:
    """Cancel a planned job dating; the record stays, with the reason (and its invitations)."""
    reason = reason.strip()
    if not reason:
        raise SelectionError(_("Say why the job dating is cancelled."), code="reason_required")
    with transaction.atomic():
        locked = _planned(event.pk)
        locked.status = JobDating.Status.CANCELLED
        locked.cancellation_reason = reason
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancellation_reason", "cancelled_at"])
    return locked


def job_dating_mark_held(*, event: JobDating) -> JobDating:
    with transaction.atomic():
        locked = _planned(event.pk)
        locked.status = JobDating.Status.HELD
        locked.save(update_fields=["status"])
    return locked


@dataclass(frozen=True)
class InvitationOutcome:
    invited: int
    already: int
    refused: int  # not eligible now: not passed, no consent for every employer, or not processable


def job_dating_invite(
    *, event: JobDating, candidate_ids: Iterable[int], now: datetime.datetime
) -> InvitationOutcome:
    """Invite the eligible ones of ``candidate_ids`` (``eligible_candidates``); the others are counted as
    refused and nothing is written for them. Inviting twice changes nothing."""
    wanted = set(candidate_ids)
    with transaction.atomic():
        locked = _planned(event.pk)
        eligible = set(eligible_candidates(locked).filter(pk__in=wanted).values_list("pk", flat=True))
        already = set(
            JobDatingInvitation.objects.filter(event=locked, candidate_id__in=eligible).values_list(
                "candidate_id", flat=True
            )
        )
        JobDatingInvitation.objects.bulk_create(
            JobDatingInvitation(event=locked, candidate_id=candidate_id, invited_at=now)
            for candidate_id in sorted(eligible - already)
        )
    return InvitationOutcome(
        invited=len(eligible - already), already=len(already), refused=len(wanted - eligible)
    )
