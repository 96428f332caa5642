"""The candidate's cases: which vacancies they were proposed for, the stage in plain words, what happens
next and what they must do.

The templates get rows built here, never a ``Placement``: a template cannot show the recruiter's message
to the employer, the employer's comment or a reason code, because it never holds them. The employer is
named only once the case reached the stage where it learns who the candidate is
(``Placement.identity_revealed_at``, recruitment/workflow.py ``IDENTITY_REVEALED_BY``); before that the
candidate reads "an employer in <region>", as anonymous to them as they are to it.
"""

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from candidate_space import selectors
from candidate_space.stages import stage_words
from candidate_space.views.common import CandidateRequest, candidate_required
from core.choices import Region
from core.security import log_denial
from recruitment.models import InterviewSlot, Placement


@dataclass(frozen=True)
class CaseRow:
    public_id: UUID
    vacancy_title: str
    occupation: str
    employer: str  # the name, or "an employer in <region>" until the employer knows who they are
    employer_named: bool
    stage_title: str
    next: str
    to_do: str
    closed: bool
    since: datetime.datetime
    start_date: datetime.date | None


@dataclass(frozen=True)
class SlotRow:
    starts_at: datetime.datetime
    duration_minutes: int
    mode: str
    location: str
    confirmed: bool


def case_row(placement: Placement) -> CaseRow:
    vacancy = placement.vacancy
    named = placement.identity_revealed_at is not None
    if named:
        employer = vacancy.employer.name
    else:
        region = Region(vacancy.region).label if vacancy.region in Region.values else ""
        employer = (
            _("An employer in the %(region)s") % {"region": region} if region else _("An employer in Belgium")
        )
    words = stage_words(placement.stage)
    return CaseRow(
        public_id=placement.public_id,
        vacancy_title=vacancy.title,
        occupation=vacancy.occupation.label if vacancy.occupation_id else "",
        employer=employer,
        employer_named=named,
        stage_title=str(words.title),
        next=str(words.next),
        to_do=str(words.to_do) if words.to_do else "",
        closed=words.closed,
        since=placement.stage_changed_at,
        start_date=vacancy.start_date,
    )


def _slot_row(slot: InterviewSlot) -> SlotRow:
    return SlotRow(
        starts_at=slot.starts_at,
        duration_minutes=slot.duration_minutes,
        mode=slot.get_mode_display(),
        location=slot.location,
        confirmed=slot.status == InterviewSlot.Status.ACCEPTED,
    )


@candidate_required
@require_safe
def case_list(request: CandidateRequest) -> HttpResponse:
    rows = [case_row(placement) for placement in selectors.cases_of(candidate=request.candidate)]
    return render(
        request,
        "candidate_space/case_list.html",
        {
            "open_cases": [row for row in rows if not row.closed],
            "closed_cases": [row for row in rows if row.closed],
        },
    )


@candidate_required
@require_safe
def case_detail(request: CandidateRequest, public_id: UUID) -> HttpResponse:
    placement = selectors.case_of(candidate=request.candidate, public_id=public_id)
    if placement is None:
        log_denial(request, "not-found:recruitment.Placement")
        raise Http404
    row = case_row(placement)
    # Interview dates say where the employer is: only once the employer is named, and while open.
    slots = (
        [_slot_row(slot) for slot in selectors.interview_slots_of(placement=placement)]
        if row.employer_named and not row.closed
        else []
    )
    return render(
        request,
        "candidate_space/case_detail.html",
        {
            "case": row,
            "confirmed_slots": [slot for slot in slots if slot.confirmed],
            "proposed_slots": [slot for slot in slots if not slot.confirmed],
        },
    )
