"""The downloads of the lists the pages show, as CSV or XLSX (``?format=csv|xlsx``).

Each download is authorised exactly like its page: the same role decorator (a 403 before anything is
looked up), the same scoped selector for its object (another organisation's is a 404), and the same
filter parsing, taken from the page's own view module, so a file holds the rows the page lists, every
page of them, and nothing more. The employer's file is built from the very rows its page shows
(anonymised until invited, only while the candidate shares with it).

Large lists are read in chunks (``QuerySet.iterator``) and written as they are read: no list of twenty
thousand matches is held in memory, and no explanation is rebuilt per row (``exports.reason_words``).
"""

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from django.http import HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.countries import country_name
from core.spreadsheets import Row, requested_format, spreadsheet_response, unknown_format_response
from exports.reason_words import missing_words, route_words
from recruitment import selectors
from recruitment.models import Match, MatchQuerySet, Placement, PlacementQuerySet
from recruitment.selectors import candidates as candidate_selectors
from recruitment.selectors import funnel
from recruitment.views.candidates import candidate_search_request
from recruitment.views.common import AppRequest, employer_required, get_scoped_or_404, staff_required
from recruitment.views.employer import vacancy_proposal_rows
from recruitment.views.projects import project_and_cohort
from recruitment.views.recruiter import filtered_placements, filtered_vacancy_matches
from vacancies.models import Vacancy

CHUNK = 2000  # rows read per query: bounded memory, a handful of queries for the largest list


def _staff_vacancy(request: AppRequest, public_id: UUID) -> Vacancy:
    return get_scoped_or_404(request, selectors.vacancies_visible_to(user=request.user), public_id=public_id)


# --- The recruiter's match list of a vacancy ------------------------------------------------------------


def _match_rows(sections: list[tuple[str, str, MatchQuerySet]]) -> Iterator[Row]:
    for _outcome, _parameter, matches in sections:
        # The rank restarts in each section, as on the page.
        chunked = matches.select_related("candidate__cohort").iterator(chunk_size=CHUNK)
        for rank, match in enumerate(chunked, start=1):
            yield _match_row(rank, match)


def _match_row(rank: int, match: Match) -> Row:
    candidate = match.candidate
    return (
        rank,
        str(candidate),
        match.get_outcome_display(),
        match.score,
        route_words(match),
        missing_words(match),
        candidate.project.name if candidate.project else "",
        candidate.cohort.name if candidate.cohort else "",
        country_name(candidate.country_of_residence),
    )


@staff_required
@require_safe
def vacancy_matches(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    vacancy = _staff_vacancy(request, public_id)
    fmt = requested_format(request)
    if fmt is None:
        return unknown_format_response()
    _form, sections = filtered_vacancy_matches(request, vacancy)
    headers = (
        _("Rank"),
        _("Candidate"),
        _("Outcome"),
        _("Score"),
        _("Permit routes"),
        _("Still missing"),
        _("Project"),
        _("Cohort"),
        _("Country of residence"),
    )
    return spreadsheet_response(
        fmt=fmt,
        headers=headers,
        rows=_match_rows(sections),
        name=(_("matches"), vacancy.title),
        title=_("Matches"),
    )


# --- Cases: the recruiter's list, and the shortlist of a vacancy ------------------------------------


def _placement_headers() -> tuple[str, ...]:
    return (
        _("Candidate"),
        _("Vacancy"),
        _("Employer"),
        _("Stage"),
        _("Since"),
        _("Employer's answer due"),
        _("Overdue"),
    )


def _placement_rows(placements: PlacementQuerySet) -> Iterator[Row]:
    today = timezone.localdate()
    for placement in placements.iterator(chunk_size=CHUNK):
        # The page shows an answer's due date for a proposal only, as here.
        due = placement.response_due_on if placement.stage == Placement.Stage.PROPOSED else None
        yield (
            str(placement.candidate),
            placement.vacancy.title,
            placement.vacancy.employer.name,
            placement.get_stage_display(),
            placement.stage_changed_at,
            due,
            due is not None and due < today,
        )


@staff_required
@require_safe
def placement_list(request: AppRequest) -> HttpResponseBase:
    fmt = requested_format(request)
    if fmt is None:
        return unknown_format_response()
    _form, placements = filtered_placements(request)
    return spreadsheet_response(
        fmt=fmt,
        headers=_placement_headers(),
        rows=_placement_rows(placements),
        name=(_("placements"),),
        title=_("Placements"),
    )


@staff_required
@require_safe
def vacancy_shortlist(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    """The vacancy's shortlist: the case list filtered on the vacancy and the shortlisted stage."""
    vacancy = _staff_vacancy(request, public_id)
    fmt = requested_format(request)
    if fmt is None:
        return unknown_format_response()
    placements = selectors.placement_list_for_staff(stage=Placement.Stage.SHORTLISTED, vacancy_id=vacancy.pk)
    return spreadsheet_response(
        fmt=fmt,
        headers=_placement_headers(),
        rows=_placement_rows(placements),
        name=(_("shortlist"), vacancy.title),
        title=_("Shortlist"),
    )


# --- The recruiter's candidate search ----------------------------------------------------------------


def _candidate_rows(search: candidate_selectors.CandidateSearch) -> Iterator[Row]:
    # ``iterator`` with a chunk size keeps the prefetch of open cases: one more query per chunk.
    for candidate in candidate_selectors.candidate_search(search).iterator(chunk_size=CHUNK):
        cases: list[Any] = getattr(candidate, "open_cases", [])
        yield (
            f"{candidate.family_name}, {candidate.given_name}",
            candidate.external_id,
            candidate.project.name if candidate.project else "",
            candidate.cohort.name if candidate.cohort else "",
            country_name(candidate.country_of_residence),
            candidate.available_from,
            getattr(candidate, "best_score", None),  # annotated by the search
            getattr(candidate, "eligible_count", 0),
            "; ".join(f"{case.get_stage_display()} ({case.vacancy.title})" for case in cases),
        )


@staff_required
@require_safe
def candidate_list(request: AppRequest) -> HttpResponseBase:
    fmt = requested_format(request)
    if fmt is None:
        return unknown_format_response()
    form, valid, search = candidate_search_request(request)
    if not valid:
        # The page shows the errors and no list; a file cannot show errors, so it says what is wrong.
        problems = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(
            _("The search is not valid: %(problems)s") % {"problems": problems},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    headers = (
        _("Name"),
        _("Partner's reference"),
        _("Project"),
        _("Cohort"),
        _("Country of residence"),
        _("Available from"),
        _("Best match score"),
        _("Eligible for (vacancies)"),
        _("Open cases"),
    )
    return spreadsheet_response(
        fmt=fmt, headers=headers, rows=_candidate_rows(search), name=(_("candidates"),), title=_("Candidates")
    )


# --- A project's funnel --------------------------------------------------------------------------------


@staff_required
@require_safe
def project_funnel(request: AppRequest, project: str) -> HttpResponseBase:
    chosen, _cohorts, cohort = project_and_cohort(request, project)
    fmt = requested_format(request)
    if fmt is None:
        return unknown_format_response()
    rows = [
        (row.label, row.actual, row.target, row.percent_of_target, row.conversion, row.skipped)
        for row in funnel.project_funnel(project=chosen, cohort=cohort)
    ]
    headers = (
        _("Step"),
        _("Reached"),
        _("Target"),
        _("Share of target (%)"),
        _("Share of the step before (%)"),
        _("Counted without the step before"),
    )
    return spreadsheet_response(
        fmt=fmt,
        headers=headers,
        rows=rows,
        name=(_("funnel"), chosen.code, cohort.name if cohort else ""),
        title=_("Funnel"),
    )


# --- The employer's proposals of one of its vacancies -------------------------------------------------


@employer_required
@require_safe
def employer_proposals(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    vacancy = get_scoped_or_404(
        request, selectors.vacancies_visible_to(user=request.user), public_id=public_id
    )
    fmt = requested_format(request)
    if fmt is None:
        return unknown_format_response()
    rows = [
        (
            # The name only once the employer invited the candidate, exactly as on its page.
            row.name or _("Candidate %(reference)s") % {"reference": row.reference},
            row.stage_label,
            row.proposed_at,
            row.response_due_on if row.stage == Placement.Stage.PROPOSED else None,
            row.overdue_since,
        )
        for row in vacancy_proposal_rows(request, vacancy, timezone.localdate())
    ]
    headers = (
        _("Candidate"),
        _("Stage"),
        _("Proposed on"),
        _("Your answer is due"),
        _("Answer overdue since"),
    )
    return spreadsheet_response(
        fmt=fmt, headers=headers, rows=rows, name=(_("proposals"), vacancy.title), title=_("Proposals")
    )
