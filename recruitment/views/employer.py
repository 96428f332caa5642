"""The employer's pages: its own vacancies and the candidates proposed to it, anonymised until invited.

Nothing here receives a ``Candidate``: the templates get the profile the employer may see
(``selectors.proposal_profile``) and rows built below, so a template cannot show a name by mistake.
"""

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from recruitment import selectors
from recruitment.explanations import explain_match
from recruitment.forms import MoveForm
from recruitment.models import Placement
from recruitment.views.common import AppRequest, employer_required, get_scoped_or_404
from recruitment.views.placements import allowed_moves, apply_move, closing_forms

VACANCIES_PER_PAGE = 25


@employer_required
@require_safe
def vacancy_list(request: AppRequest) -> HttpResponse:
    assert request.user.organisation_id is not None  # employer_required
    vacancies = selectors.employer_vacancy_list(organisation_id=request.user.organisation_id)
    page = Paginator(vacancies, VACANCIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "recruitment/employer/vacancy_list.html", {"page": page})


@dataclass(frozen=True)
class ProposalRow:
    public_id: UUID
    reference: str
    name: str  # empty until the employer invites the candidate
    stage: str
    stage_label: str
    proposed_at: datetime.datetime | None
    response_due_on: datetime.date | None
    overdue: bool


def _row(placement: Placement, today: datetime.date) -> ProposalRow:
    revealed = placement.identity_revealed_at is not None
    candidate = placement.candidate
    return ProposalRow(
        public_id=placement.public_id,
        reference=selectors.placement_reference(placement),
        name=f"{candidate.given_name} {candidate.family_name}" if revealed else "",
        stage=placement.stage,
        stage_label=placement.get_stage_display(),
        proposed_at=placement.proposed_at,
        response_due_on=placement.response_due_on,
        overdue=placement.stage == Placement.Stage.PROPOSED
        and placement.response_due_on is not None
        and placement.response_due_on < today,
    )


@employer_required
@require_safe
def vacancy_detail(request: AppRequest, public_id: UUID) -> HttpResponse:
    vacancy = get_scoped_or_404(
        request, selectors.vacancies_visible_to(user=request.user), public_id=public_id
    )
    today = timezone.localdate()
    proposals = (
        selectors.placements_visible_to(user=request.user)
        .filter(vacancy=vacancy)
        .order_by("-proposed_at", "-pk")
    )
    rows = [_row(placement, today) for placement in proposals]
    return render(request, "recruitment/employer/vacancy_detail.html", {"vacancy": vacancy, "rows": rows})


def _proposal_page(
    request: AppRequest, placement: Placement, *, move_form: MoveForm | None = None, status: int = 200
) -> HttpResponse:
    match = selectors.match_for_placement(placement)
    moves = allowed_moves(placement, by_employer=True)
    context = {
        "placement": placement,
        "vacancy": placement.vacancy,
        "row": _row(placement, timezone.localdate()),
        "profile": selectors.proposal_profile(placement),
        "explanation": explain_match(match, audience="employer") if match else None,
        "match": match,
        "forward_moves": [move for move in moves if not move.needs_reason],
        "closing_forms": closing_forms(placement, moves, move_form, employer=True),
        "move_form": move_form,
    }
    return render(request, "recruitment/employer/proposal_detail.html", context, status=status)


@employer_required
@require_safe
def proposal_detail(request: AppRequest, public_id: UUID) -> HttpResponse:
    placement = get_scoped_or_404(
        request, selectors.placements_visible_to(user=request.user), public_id=public_id
    )
    return _proposal_page(request, placement)


@employer_required
@require_POST
def proposal_move(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    placement = get_scoped_or_404(
        request, selectors.placements_visible_to(user=request.user), public_id=public_id
    )
    form = MoveForm(request.POST, employer=True)
    if apply_move(request, placement, form):
        return redirect("employer:proposal_detail", public_id=placement.public_id)
    return _proposal_page(request, placement, move_form=form, status=400)
