"""A partner agency's pages: the candidates it registered, their status and where each case stands.

What a partner reads mirrors its API: the templates get the rows built here (the vacancy's title, the
stage, dates and reason codes), never a ``Placement`` or a move with its actor, so a template cannot show
an employer's comment, a recruiter's note or who made a move by mistake.
"""

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from candidates.models import Candidate, ProfileAccess
from candidates.services import profile_access_record
from core.security import log_denial
from recruitment.forms.partner import PartnerCandidateFilterForm
from recruitment.models import DecisionReason, Placement, PlacementStage, PlacementTransition
from recruitment.selectors.partner import partner_candidate, partner_candidate_projects, partner_candidates
from recruitment.views.common import AppRequest, partner_required

CANDIDATES_PER_PAGE = 25


def _reason_label(code: str) -> str:
    return str(DecisionReason(code).label) if code in DecisionReason.values else ""


@dataclass(frozen=True)
class MoveRow:
    from_label: str
    to_label: str
    at: datetime.datetime
    reason: str


@dataclass(frozen=True)
class CaseRow:
    vacancy_title: str
    stage: str
    stage_label: str
    since: datetime.datetime
    reason: str
    history: tuple[MoveRow, ...] = ()


def _move(move: PlacementTransition) -> MoveRow:
    return MoveRow(
        from_label=str(PlacementStage(move.from_stage).label) if move.from_stage else "",
        to_label=str(PlacementStage(move.to_stage).label),
        at=move.at,
        reason=_reason_label(move.reason),
    )


def _case(placement: Placement, *, with_history: bool = False) -> CaseRow:
    return CaseRow(
        vacancy_title=placement.vacancy.title,
        stage=placement.stage,
        stage_label=placement.get_stage_display(),
        since=placement.stage_changed_at,
        reason=_reason_label(placement.reason),
        history=tuple(_move(m) for m in placement.transitions.all()) if with_history else (),
    )


@dataclass(frozen=True)
class CandidateRow:
    public_id: UUID
    name: str
    external_id: str
    status: str
    status_label: str
    project: str
    cohort: str
    cases: tuple[CaseRow, ...]


def _candidate_row(candidate: Candidate, *, with_history: bool = False) -> CandidateRow:
    cases: list[Placement] = getattr(candidate, "cases", [])
    return CandidateRow(
        public_id=candidate.public_id,
        name=f"{candidate.given_name} {candidate.family_name}",
        external_id=candidate.external_id,
        status=candidate.status,
        status_label=candidate.get_status_display(),
        project=candidate.project.name if candidate.project else "",
        cohort=candidate.cohort.name if candidate.cohort else "",
        cases=tuple(_case(p, with_history=with_history) for p in cases),
    )


@partner_required
@require_safe
def candidate_list(request: AppRequest) -> HttpResponse:
    organisation_id = request.user.organisation_id
    assert organisation_id is not None  # partner_required
    form = PartnerCandidateFilterForm(
        request.GET or None, projects=partner_candidate_projects(organisation_id=organisation_id)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    candidates = partner_candidates(
        organisation_id=organisation_id, stage=filters.get("stage") or None, project_id=filters.get("project")
    )
    page = Paginator(candidates, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [_candidate_row(candidate) for candidate in page.object_list]
    return render(
        request, "recruitment/partner/candidate_list.html", {"form": form, "page": page, "rows": rows}
    )


@partner_required
@require_safe
def candidate_detail(request: AppRequest, public_id: UUID) -> HttpResponse:
    organisation_id = request.user.organisation_id
    assert organisation_id is not None  # partner_required
    candidate = partner_candidate(organisation_id=organisation_id, public_id=public_id)
    if candidate is None:
        log_denial(request, "not-found:candidates.Candidate")
        raise Http404
    # The candidate's page (not the list, which shows no profile): logged for them (one INSERT).
    profile_access_record(
        candidate_ids=[candidate.pk],
        kind=ProfileAccess.Kind.PARTNER_WEB,
        what=ProfileAccess.What.PROFILE,
        user=request.user,
    )
    return render(
        request,
        "recruitment/partner/candidate_detail.html",
        {
            "candidate": _candidate_row(candidate, with_history=True),
            "occupations": [o.label for o in candidate.desired_occupations.all()],
            "available_from": candidate.available_from,
            "country_of_residence": candidate.country_of_residence,
            "registered_at": candidate.created_at,
        },
    )
