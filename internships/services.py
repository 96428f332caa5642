"""Recording a former trainee's situation after return (``OutcomeUpdate``): staff only, logged, dated.

The rules, checked here and nowhere else (the form only parses):
- only staff of the public employment service or of the project record outcomes (the organiser's support
  after return, docs/pathways/internships.md);
- only on a case of an internship vacancy that has reached ``returned`` (the outcome is what happened
  *after* the return; before, the case's stage says where it stands);
- the day observed is not in the future, and not before the return;
- the candidate is neither restricted (GDPR art. 18: their data is stored only), nor withdrawn, nor
  erased (as for a case's moves and proposals, ``recruitment.services.placements``).
The case row is locked while the update is written, so two updates made at once are both kept, in order,
and a move that ends the case at the same moment cannot slip between the check and the write.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from candidates.models import Candidate
from core.models import User
from internships.models import OutcomeUpdate, ReturnOutcome
from recruitment.models import Placement, PlacementTransition
from recruitment.services.placements import is_staff_actor
from recruitment.workflow import Stage
from vacancies.models import Vacancy


class OutcomeError(ValidationError):
    """An outcome that cannot be recorded; the message says why, in the user's language."""


def returned_on(placement: Placement) -> datetime.date | None:
    """The day the case last moved to ``returned`` (local date), or None if it never did."""
    moved = (
        PlacementTransition.objects.filter(placement=placement, to_stage=Stage.RETURNED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localdate(moved) if moved is not None else None


def outcome_record(
    *, placement: Placement, outcome: str, observed_on: datetime.date, note: str = "", actor: User
) -> OutcomeUpdate:
    """Log where the former trainee of ``placement`` stands on ``observed_on``."""
    if not is_staff_actor(actor):
        raise OutcomeError(_("Only staff can record an outcome after return."), code="not_staff")
    if outcome not in ReturnOutcome.values:
        raise OutcomeError(_("Unknown outcome."), code="unknown_outcome")
    if placement.vacancy.kind != Vacancy.Kind.INTERNSHIP:
        raise OutcomeError(
            _("Outcomes after return are recorded for internships only."), code="not_internship"
        )
    if observed_on > timezone.localdate():
        raise OutcomeError(_("The day observed cannot be in the future."), code="future")
    # Read now, not from the page's copy: a restriction or an erasure made since then counts.
    status = Candidate.objects.filter(pk=placement.candidate_id).values_list("status", flat=True).first()
    if status == Candidate.Status.RESTRICTED:
        # GDPR art. 18: the data is stored only; adding to it is processing (as moving the case further).
        raise OutcomeError(
            _("This candidate's data is restricted: no outcome can be recorded."), code="restricted"
        )
    if status in (Candidate.Status.WITHDRAWN, Candidate.Status.ANONYMISED):
        # They left the programme, or were erased: nothing more is recorded about them.
        raise OutcomeError(
            _("This candidate has withdrawn or was erased: no outcome can be recorded."), code="withdrawn"
        )
    with transaction.atomic():
        stage = Placement.objects.select_for_update().filter(pk=placement.pk).values_list("stage", flat=True)
        if stage.first() != Stage.RETURNED:
            raise OutcomeError(
                _("The trainee has not returned home: record the return on the case first."),
                code="not_returned",
            )
        back = returned_on(placement)
        if back is not None and observed_on < back:
            raise OutcomeError(
                _("The day observed is before the return (%(day)s).") % {"day": date_format(back)},
                code="before_return",
            )
        return OutcomeUpdate.objects.create(
            placement=placement,
            outcome=outcome,
            observed_on=observed_on,
            note=note,
            recorded_at=timezone.now(),
            recorded_by=actor,
        )
