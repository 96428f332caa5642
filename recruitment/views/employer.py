"""The employer's pages: its own vacancies (written, checked and published here) and the candidates
proposed to it, anonymised until invited, with the interview dates it proposes.

Nothing here receives a ``Candidate``: the templates get the profile the employer may see
(``selectors.proposal_profile``) and rows built below, so a template cannot show a name by mistake.
A vacancy is always created for the user's own organisation; another organisation's is a 404.
"""

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from candidates.models import ProfileAccess
from candidates.services import profile_access_record
from recruitment import selectors
from recruitment.explanations import explain_match
from recruitment.forms import MoveForm
from recruitment.forms.interviews import InterviewSlotsForm
from recruitment.forms.vacancies import PublishForm, VacancyForm, language_formset
from recruitment.models import InterviewSlot, Placement
from recruitment.selectors.employer_vacancies import (
    employer_vacancy_list_with_overdue,
    occupation_choices,
    overdue_state,
    vacancy_check_for,
    vacancy_language_requirements,
    vacancy_language_rows,
)
from recruitment.selectors.interviews import interview_slots_for
from recruitment.selectors.video_cv import video_cv_links_for_employer
from recruitment.services.interviews import SLOT_STAGES, interview_slot_cancel, interview_slots_propose
from recruitment.services.placements import PlacementError
from recruitment.vacancy_findings import findings_view
from recruitment.views.common import AppRequest, employer_required, get_scoped_or_404
from recruitment.views.placements import allowed_moves, apply_move, closing_forms
from vacancies.authoring import (
    EDITABLE_STATUSES,
    VacancyAuthoringError,
    employer_vacancy_create,
    employer_vacancy_publish,
    employer_vacancy_update,
)
from vacancies.models import Vacancy
from vacancies.services import vacancy_close as vacancy_close_service

VACANCIES_PER_PAGE = 25


@employer_required
@require_safe
def vacancy_list(request: AppRequest) -> HttpResponse:
    assert request.user.organisation_id is not None  # employer_required
    vacancies = employer_vacancy_list_with_overdue(
        organisation_id=request.user.organisation_id, today=timezone.localdate()
    )
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
    overdue_since: datetime.date | None  # the first day the answer is late


def _row(placement: Placement, today: datetime.date) -> ProposalRow:
    revealed = placement.identity_revealed_at is not None
    candidate = placement.candidate
    late = overdue_state(placement, today)
    return ProposalRow(
        public_id=placement.public_id,
        reference=selectors.placement_reference(placement),
        name=f"{candidate.given_name} {candidate.family_name}" if revealed else "",
        stage=placement.stage,
        stage_label=placement.get_stage_display(),
        proposed_at=placement.proposed_at,
        response_due_on=placement.response_due_on,
        overdue=late is not None,
        overdue_since=late.since if late else None,
    )


# --- Vacancies: the page, the form, publication ------------------------------------------------------


def vacancy_proposal_rows(request: AppRequest, vacancy: Vacancy, today: datetime.date) -> list[ProposalRow]:
    """The candidates proposed for the vacancy, as the employer's page lists them (anonymised until
    invited; only while the candidate shares with the employer): shared by the page and its download."""
    proposals = (
        selectors.placements_visible_to(user=request.user)
        .filter(vacancy=vacancy)
        .order_by("-proposed_at", "-pk")
    )
    return [_row(placement, today) for placement in proposals]


def _own_vacancy(request: AppRequest, public_id: UUID) -> Vacancy:
    return get_scoped_or_404(request, selectors.vacancies_visible_to(user=request.user), public_id=public_id)


def _vacancy_page(
    request: AppRequest, vacancy: Vacancy, *, publish_form: PublishForm | None = None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    is_draft = vacancy.status == Vacancy.Status.DRAFT
    languages = vacancy_language_requirements(vacancy)
    check = vacancy_check_for(vacancy, today=today, language_requirement_count=len(languages))
    context = {
        "vacancy": vacancy,
        "rows": vacancy_proposal_rows(request, vacancy, today),
        "check": findings_view(check),
        "languages": languages,
        "editable": vacancy.status in EDITABLE_STATUSES,
        # A refused publication keeps its errors on the page, whatever the status now.
        "publish_form": publish_form or (PublishForm() if is_draft else None),
    }
    return render(request, "recruitment/employer/vacancy_detail.html", context, status=status)


@employer_required
@require_safe
def vacancy_detail(request: AppRequest, public_id: UUID) -> HttpResponse:
    return _vacancy_page(request, _own_vacancy(request, public_id))


def _form_page(
    request: AppRequest,
    form: VacancyForm,
    languages: object,
    *,
    vacancy: Vacancy | None,
    status: int = 200,
) -> HttpResponse:
    check = findings_view(vacancy_check_for(vacancy, today=timezone.localdate())) if vacancy else None
    context = {"form": form, "languages": languages, "vacancy": vacancy, "check": check}
    return render(request, "recruitment/employer/vacancy_form.html", context, status=status)


def _save(request: AppRequest, vacancy: Vacancy | None) -> HttpResponse | Vacancy:
    """Validate the posted form and save through the service: the saved vacancy, or the page with errors
    (status 400; nothing written)."""
    form = VacancyForm(
        request.POST,
        occupations=occupation_choices(),
        kind_when_absent=vacancy.kind if vacancy else Vacancy.Kind.EMPLOYMENT,
    )
    languages = language_formset(request.POST)
    if form.is_valid() and languages.is_valid():
        try:
            if vacancy is None:
                return employer_vacancy_create(
                    actor=request.user, fields=form.vacancy_fields(), languages=languages.requirements()
                )
            return employer_vacancy_update(
                vacancy=vacancy,
                actor=request.user,
                fields=form.vacancy_fields(),
                languages=languages.requirements(),
            )
        except ValidationError as refused:
            form.add_model_error(refused)
    return _form_page(request, form, languages, vacancy=vacancy, status=400)


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def vacancy_create(request: AppRequest) -> HttpResponseBase:
    if request.method == "POST":
        saved = _save(request, None)
        if isinstance(saved, HttpResponse):
            return saved
        messages.success(request, _("The vacancy was saved as a draft. Check it, then publish it."))
        return redirect("employer:vacancy_detail", public_id=saved.public_id)
    form = VacancyForm(occupations=occupation_choices())
    return _form_page(request, form, language_formset(), vacancy=None)


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def vacancy_edit(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    vacancy = _own_vacancy(request, public_id)
    if vacancy.status not in EDITABLE_STATUSES:
        messages.error(request, _("A filled or closed vacancy can no longer be changed."))
        return redirect("employer:vacancy_detail", public_id=vacancy.public_id)
    if request.method == "POST":
        saved = _save(request, vacancy)
        if isinstance(saved, HttpResponse):
            return saved
        messages.success(request, _("The vacancy was saved."))
        return redirect("employer:vacancy_detail", public_id=saved.public_id)
    form = VacancyForm(initial=VacancyForm.initial_for(vacancy), occupations=occupation_choices())
    languages = language_formset(initial=vacancy_language_rows(vacancy))
    return _form_page(request, form, languages, vacancy=vacancy)


@employer_required
@require_POST
def vacancy_publish(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    vacancy = _own_vacancy(request, public_id)
    form = PublishForm(request.POST)
    form.is_valid()  # a lone optional checkbox: always valid
    try:
        employer_vacancy_publish(
            vacancy=vacancy,
            actor=request.user,
            confirmed_blocking=bool(form.cleaned_data.get("confirm_blocking")),
            today=timezone.localdate(),
        )
    except VacancyAuthoringError as refused:
        field = "confirm_blocking" if refused.code == "confirmation_required" else None
        form.add_error(field, refused)
        vacancy.refresh_from_db()
        return _vacancy_page(request, vacancy, publish_form=form, status=400)
    messages.success(request, _("The vacancy is published: matching candidates are being looked for."))
    return redirect("employer:vacancy_detail", public_id=vacancy.public_id)


@employer_required
@require_POST
def vacancy_close(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    """Close a published vacancy (filled, or no longer wanted): its matches go, and its shares under
    agreements are withdrawn by its recompute (docs/pathways/agreements.md)."""
    vacancy = _own_vacancy(request, public_id)
    if vacancy.status != Vacancy.Status.PUBLISHED:
        messages.error(request, _("Only a published vacancy can be closed."))
        return redirect("employer:vacancy_detail", public_id=vacancy.public_id)
    vacancy_close_service(vacancy, filled=request.POST.get("filled") == "1")
    messages.success(request, _("The vacancy is closed."))
    return redirect("employer:vacancy_detail", public_id=vacancy.public_id)


# --- Proposals -------------------------------------------------------------------------------------


def _proposal_page(
    request: AppRequest,
    placement: Placement,
    *,
    move_form: MoveForm | None = None,
    slot_form: InterviewSlotsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    # The employer sees the candidate's profile (as its stage allows): logged for them (one INSERT).
    profile_access_record(
        candidate_ids=[placement.candidate_id],
        kind=ProfileAccess.Kind.EMPLOYER,
        what=ProfileAccess.What.CASE,
        user=request.user,
    )
    match = selectors.match_for_placement(placement)
    moves = allowed_moves(placement, by_employer=True)
    slots = list(interview_slots_for(placement))
    # A held case (a recruitment cost charged to the candidate) takes no interview date.
    may_propose_slots = (
        placement.stage in SLOT_STAGES
        and placement.held_since is None
        and not any(slot.status == InterviewSlot.Status.ACCEPTED for slot in slots)
    )
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
        "slots": slots,
        # A posted form keeps its errors even when dates can no longer be proposed (a stale page).
        "slot_form": slot_form or (InterviewSlotsForm() if may_propose_slots else None),
        "video_cv_url": _video_cv_url(placement),
    }
    return render(request, "recruitment/employer/proposal_detail.html", context, status=status)


def _video_cv_url(placement: Placement) -> str:
    """The candidate's video-CV link, once their identity is shown (a video shows who they are) and only
    while they consent to show it to this employer (``recruitment.selectors.video_cv``)."""
    if placement.identity_revealed_at is None:
        return ""
    links = video_cv_links_for_employer(
        employer_id=placement.vacancy.employer_id, candidate_ids=[placement.candidate_id]
    )
    return links.get(placement.candidate_id, "")


def _own_proposal(request: AppRequest, public_id: UUID) -> Placement:
    return get_scoped_or_404(request, selectors.placements_visible_to(user=request.user), public_id=public_id)


@employer_required
@require_safe
def proposal_detail(request: AppRequest, public_id: UUID) -> HttpResponse:
    return _proposal_page(request, _own_proposal(request, public_id))


@employer_required
@require_POST
def proposal_move(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    placement = _own_proposal(request, public_id)
    form = MoveForm(request.POST, employer=True)
    if apply_move(request, placement, form):
        return redirect("employer:proposal_detail", public_id=placement.public_id)
    return _proposal_page(request, placement, move_form=form, status=400)


@employer_required
@require_POST
def proposal_slots(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    """Propose up to three interview dates; the recruiter confirms one with the candidate."""
    placement = _own_proposal(request, public_id)
    form = InterviewSlotsForm(request.POST)
    if form.is_valid():
        try:
            interview_slots_propose(placement=placement, actor=request.user, slots=form.proposals())
        except PlacementError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request, _("The dates were sent to the recruiter, who confirms one with the candidate.")
            )
            return redirect("employer:proposal_detail", public_id=placement.public_id)
    return _proposal_page(request, placement, slot_form=form, status=400)


@employer_required
@require_POST
def proposal_slot_cancel(request: AppRequest, public_id: UUID, slot: UUID) -> HttpResponseBase:
    """Withdraw one of the employer's dates (proposed or confirmed); the case stays at its stage."""
    placement = _own_proposal(request, public_id)
    chosen = get_scoped_or_404(request, interview_slots_for(placement), public_id=slot)
    try:
        interview_slot_cancel(slot=chosen, actor=request.user)
    except PlacementError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("The date was withdrawn."))
    return redirect("employer:proposal_detail", public_id=placement.public_id)
