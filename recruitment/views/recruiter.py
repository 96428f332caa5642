"""The recruiter's pages: vacancies with their explained matches, the shortlist, proposals and cases."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from agreements.selectors import vacancy_shares
from candidates.models import ProfileAccess
from candidates.services import profile_access_record
from concentric.selectors import vacancy_search
from core.countries import country_name
from recruitment import selectors
from recruitment.explanation_fragments import ExplanationFragment, explanation_fragments
from recruitment.explanations import (
    explain_match,
    reason_sentence,
    route_label,
)
from recruitment.forms import (
    MatchFilterForm,
    MoveForm,
    PlacementFilterForm,
    ProposeForm,
    ShortlistForm,
    VacancyFilterForm,
)
from recruitment.forms.bulk import BulkActionForm
from recruitment.forms.vacancy_projects import VacancyProjectsForm
from recruitment.models import Match, MatchQuerySet, Placement, PlacementQuerySet
from recruitment.selectors.board import placement_filter_choices
from recruitment.selectors.channels import vacancy_cases_by_country
from recruitment.selectors.interviews import interview_slots_for
from recruitment.selectors.proposals import consenting_to_share, proposal_refusal
from recruitment.services.bulk import MAX_BULK_CANDIDATES
from recruitment.services.placements import (
    PlacementConflict,
    PlacementError,
    placement_propose,
    placement_shortlist,
)
from recruitment.views.board import shared_filter_query
from recruitment.views.common import AppRequest, get_scoped_or_404, staff_required
from recruitment.views.jobs import vacancy_list_filtered
from recruitment.views.placements import allowed_moves, apply_move, closing_forms
from reference.wording import provisional_sentence
from vacancies.models import Vacancy

VACANCIES_PER_PAGE = 25
MATCHES_PER_PAGE = 20
PLACEMENTS_PER_PAGE = 25


@staff_required
@require_safe
def vacancy_list(request: AppRequest) -> HttpResponse:
    employers, occupations = selectors.vacancy_filter_choices()
    form = VacancyFilterForm(request.GET or None, employers=employers, occupations=occupations)
    vacancies = vacancy_list_filtered(form)  # the same list the bulk recompute takes
    page = Paginator(vacancies, VACANCIES_PER_PAGE).get_page(request.GET.get("page"))
    outlooks = selectors.vacancy_outlooks(list(page.object_list), day=timezone.localdate())
    rows = [(vacancy, outlooks[vacancy.pk]) for vacancy in page.object_list]
    return render(
        request,
        "recruitment/recruiter/vacancy_list.html",
        {"form": form, "page": page, "rows": rows, "route_label": route_label},
    )


@dataclass(frozen=True)
class RouteLine:
    label: str
    notes: list[str]  # the matching core's sentences on what holds the route back


def _route_lines(outlook: selectors.VacancyOutlook) -> tuple[list[RouteLine], list[RouteLine]]:
    """The routes the vacancy can open (with what is still under way) and those its own terms close."""
    notes: dict[str, list[str]] = {}
    for note in outlook.notes:
        notes.setdefault(note.route, []).append(reason_sentence(note.reason.as_dict()))
    can_open = [RouteLine(route_label(route), notes.get(route, [])) for route in outlook.routes]
    closed = [
        RouteLine(route_label(route), lines) for route, lines in notes.items() if route not in outlook.routes
    ]
    return can_open, closed


@dataclass(frozen=True)
class MatchRow:
    """One row of the vacancy page. What its template writes of the candidate is read here once: the
    template's lookups through ``match.candidate`` were a third of rendering the page's 40 rows."""

    rank: int
    match: Match
    explanation: ExplanationFragment | None
    placement: Placement | None
    refusal: str  # why the candidate cannot be proposed now ("" when they can): no box to tick
    candidate_id: str  # the candidate's public id, part of the row's element ids
    name: str
    country: str  # of residence, named in the active language
    project: str  # the candidate's project's name, if any

    @classmethod
    def of(
        cls,
        rank: int,
        match: Match,
        explanation: ExplanationFragment | None,
        placement: Placement | None,
        vacancy: Vacancy,
        *,
        consents: bool,
    ) -> "MatchRow":
        candidate = match.candidate
        return cls(
            rank,
            match,
            explanation,
            placement,
            refusal=proposal_refusal(match, placement, vacancy, consents=consents),
            candidate_id=str(candidate.public_id),
            name=str(candidate),
            country=country_name(candidate.country_of_residence),
            project=candidate.project.name if candidate.project else "",
        )


@dataclass(frozen=True)
class MatchSection:
    outcome: str
    page: Page[Match]
    page_parameter: str
    rows: list[MatchRow]


MATCH_SECTIONS = ((Match.Outcome.ELIGIBLE, "page"), (Match.Outcome.CONDITIONAL, "near"))


def filtered_vacancy_matches(
    request: AppRequest, vacancy: Vacancy
) -> tuple[MatchFilterForm, list[tuple[str, str, MatchQuerySet]]]:
    """The filter form of the vacancy page and its sections (outcome, page parameter, matches): shared by
    the page and its download, so the file holds exactly the rows the page lists."""
    projects, cohorts, countries = selectors.vacancy_match_filter_choices(vacancy)
    form = MatchFilterForm(request.GET or None, projects=projects, cohorts=cohorts, countries=countries)
    wanted = form.cleaned_data.get("outcome") if form.is_valid() else ""
    filters = _match_filters(form)
    sections: list[tuple[str, str, MatchQuerySet]] = []
    for outcome, parameter in MATCH_SECTIONS:
        if wanted and wanted != outcome:
            continue
        sections.append((outcome, parameter, selectors.vacancy_matches(vacancy, outcome=outcome, **filters)))
    return form, sections


def _match_filters(form: MatchFilterForm) -> dict[str, Any]:
    """The filters of the vacancy page's form as ``selectors.vacancy_matches`` takes them (none when the
    form is invalid: the page then lists every match and shows the form's errors)."""
    filters = form.cleaned_data if form.is_valid() else {}
    return {
        "project_id": filters.get("project"),
        "cohort_id": filters.get("cohort"),
        "country": filters.get("country") or None,
        "language": filters.get("language") or None,
        "level": filters.get("level") or None,
    }


@staff_required
@require_safe
def vacancy_detail(request: AppRequest, public_id: UUID) -> HttpResponse:
    vacancy = get_scoped_or_404(
        request, selectors.vacancies_visible_to(user=request.user), public_id=public_id
    )
    form, sections_found = filtered_vacancy_matches(request, vacancy)
    pages: list[tuple[str, str, Page[Match]]] = [
        (outcome, parameter, Paginator(matches, MATCHES_PER_PAGE).get_page(request.GET.get(parameter)))
        for outcome, parameter, matches in sections_found
    ]
    shown = [match for _outcome, _parameter, page in pages for match in page.object_list]
    for match in shown:  # every row's vacancy is this one: the explanations' keys read it without a query
        Match.vacancy.field.set_cached_value(match, vacancy)
    placements = selectors.placements_by_candidate(vacancy, [match.candidate_id for match in shown])
    consenting = consenting_to_share(vacancy, [match.candidate_id for match in shown])  # who can be proposed
    # Rebuilt for the rows on screen only, and kept between views until one of their inputs changes.
    explanations = explanation_fragments(shown, options={"show_failed_routes": True, "hide_gaps": True})
    sections = [
        MatchSection(
            outcome=outcome,
            page=page,
            page_parameter=parameter,
            rows=[
                MatchRow.of(
                    page.start_index() + index,
                    match,
                    explanations.get(match.pk),
                    placements.get(match.candidate_id),
                    vacancy,
                    consents=match.candidate_id in consenting,
                )
                for index, match in enumerate(page.object_list)
            ],
        )
        for outcome, parameter, page in pages
    ]
    outlook = selectors.vacancy_outlooks([vacancy], day=timezone.localdate())[vacancy.pk]
    routes_open, routes_closed = _route_lines(outlook)
    open_to_projects = list(vacancy.open_to_projects.order_by("name"))
    # "Select all on this page" is a plain link (no script): the same page with every box ticked.
    selection = request.GET.copy()
    selection.pop("select", None)
    select_none = selection.urlencode()
    selection["select"] = "all"
    bulk_form = BulkActionForm(
        initial={"response_due_on": ProposeForm.default_due_date(), "back": select_none}
    )
    # One query (docs/pathways/agreements.md), read once for the list and the search channels.
    agreement_shares = list(vacancy_shares(vacancy.pk))
    return render(
        request,
        "recruitment/recruiter/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "outlook": outlook,
            "provisional_notes": [
                provisional_sentence(part.part, part.valid_from, part.valid_to, timezone.localdate())
                for part in outlook.provisional
            ],
            "routes_open": routes_open,
            "routes_closed": routes_closed,
            "form": form,
            "sections": sections,
            "published": vacancy.status == Vacancy.Status.PUBLISHED,
            "shortlist_action": reverse("recruiter:shortlist", args=[vacancy.public_id]),
            "route_label": route_label,
            "bulk_form": bulk_form,
            "bulk_limit": MAX_BULK_CANDIDATES,
            "select_all": request.GET.get("select") == "all",
            "select_all_query": selection.urlencode(),
            "select_none_query": select_none,
            "open_to_projects": open_to_projects,
            "agreement_shares": agreement_shares,
            "projects_form": VacancyProjectsForm(initial={"projects": open_to_projects}),
            # Where the vacancy is searched, since when and why (docs/pathways/concentric-search.md).
            "search": vacancy_search(
                vacancy, cases_by_country=vacancy_cases_by_country(vacancy), shares=agreement_shares
            ),
        },
    )


@staff_required
@require_POST
def shortlist(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    """Put a matched candidate on the shortlist. With HTMX only the row's action cell is replaced."""
    vacancy = get_scoped_or_404(
        request, selectors.vacancies_visible_to(user=request.user), public_id=public_id
    )
    form = ShortlistForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    match = get_scoped_or_404(
        request, selectors.matches_for_vacancy(vacancy), candidate__public_id=form.cleaned_data["candidate"]
    )
    placement: Placement | None = None
    error = ""
    try:
        placement = placement_shortlist(vacancy=vacancy, candidate=match.candidate, actor=request.user)
    except PlacementError as refused:
        error = " ".join(refused.messages)
    if request.htmx:
        context = {
            "vacancy": vacancy,
            "candidate_id": str(match.candidate.public_id),
            "placement": placement,
            "error": error,
            "published": vacancy.status == Vacancy.Status.PUBLISHED,
            "shortlist_action": reverse("recruiter:shortlist", args=[vacancy.public_id]),
        }
        return render(request, "recruitment/recruiter/includes/_match_action.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(name)s is on the shortlist.") % {"name": match.candidate})
    return redirect("recruiter:vacancy_detail", public_id=vacancy.public_id)


def filtered_placements(request: AppRequest) -> tuple[PlacementFilterForm, PlacementQuerySet]:
    """The filter form of the case list and the cases it lists: shared by the page and its download."""
    vacancies, employers, projects = placement_filter_choices()
    form = PlacementFilterForm(
        request.GET or None, vacancies=vacancies, employers=employers, projects=projects
    )
    filters = form.cleaned_data if form.is_valid() else {}
    placements = selectors.placement_list_for_staff(
        stage=filters.get("stage") or None,
        vacancy_id=filters.get("vacancy"),
        employer_id=filters.get("employer"),
        project_id=filters.get("project"),
        overdue_on=timezone.localdate() if filters.get("overdue") else None,
    )
    return form, placements


@staff_required
@require_safe
def placement_list(request: AppRequest) -> HttpResponse:
    form, placements = filtered_placements(request)
    today = timezone.localdate()
    page = Paginator(placements, PLACEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "recruitment/recruiter/placement_list.html",
        {"form": form, "page": page, "today": today, "board_query": shared_filter_query(request.GET)},
    )


def _placement_page(
    request: AppRequest,
    placement: Placement,
    *,
    propose_form: ProposeForm | None = None,
    move_form: MoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    # The case page shows the candidate's profile: logged for them (one INSERT).
    profile_access_record(
        candidate_ids=[placement.candidate_id],
        kind=ProfileAccess.Kind.STAFF,
        what=ProfileAccess.What.CASE,
        user=request.user,
    )
    match = selectors.match_for_placement(placement)
    if propose_form is None and placement.stage == Placement.Stage.SHORTLISTED:
        propose_form = ProposeForm(
            initial={"expected_version": placement.version, "response_due_on": ProposeForm.default_due_date()}
        )
    moves = allowed_moves(placement, by_employer=False)
    context = {
        "placement": placement,
        "candidate": placement.candidate,
        "vacancy": placement.vacancy,
        "explanation": explain_match(match) if match else None,
        "match": match,
        "history": selectors.placement_history(placement),
        "forward_moves": [move for move in moves if not move.needs_reason],
        "closing_forms": closing_forms(placement, moves, move_form),
        "propose_form": propose_form,
        "move_form": move_form,
        "today": timezone.localdate(),
        "interview_slots": list(interview_slots_for(placement)),
    }
    return render(request, "recruitment/recruiter/placement_detail.html", context, status=status)


@staff_required
@require_safe
def placement_detail(request: AppRequest, public_id: UUID) -> HttpResponse:
    placement = get_scoped_or_404(
        request, selectors.placements_visible_to(user=request.user), public_id=public_id
    )
    return _placement_page(request, placement)


@staff_required
@require_POST
def placement_propose_view(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    placement = get_scoped_or_404(
        request, selectors.placements_visible_to(user=request.user), public_id=public_id
    )
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            placement_propose(
                placement=placement,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"],
                message=form.cleaned_data["message"],
                response_due_on=form.cleaned_data["response_due_on"],
            )
        except PlacementConflict as conflict:
            messages.error(request, " ".join(conflict.messages))
            return redirect("recruiter:placement_detail", public_id=placement.public_id)
        except PlacementError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The candidate was proposed to the employer."))
            return redirect("recruiter:placement_detail", public_id=placement.public_id)
    return _placement_page(request, placement, propose_form=form, status=400)


@staff_required
@require_POST
def placement_move_view(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    placement = get_scoped_or_404(
        request, selectors.placements_visible_to(user=request.user), public_id=public_id
    )
    form = MoveForm(request.POST)
    if apply_move(request, placement, form):
        return redirect("recruiter:placement_detail", public_id=placement.public_id)
    return _placement_page(request, placement, move_form=form, status=400)
