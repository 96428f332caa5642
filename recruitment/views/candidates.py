"""The recruiter's candidate search, the candidate's profile, and the notes on a candidate; restricting
the processing of a candidate's data and lifting it (GDPR art. 18).

Withdrawn and anonymised candidates are outside these pages altogether: never listed, and their profile
is a 404 like any unknown candidate (``recruitment.selectors.candidates``). A restricted candidate is
never listed (but on the list of restrictions) and takes no notes; staff open their profile by address.
Every profile shown is recorded in the candidate's access log (one INSERT).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import BoundField
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from candidates.models import Candidate, ProfileAccess
from candidates.selectors import candidate_open_restriction, candidates_restricted
from candidates.services import candidate_restrict, candidate_restriction_lift, profile_access_record
from recruitment.explanations import explain_matches
from recruitment.forms.candidates import CandidateFilterForm, NoteForm, RestrictionForm
from recruitment.models import Placement
from recruitment.selectors import candidates as candidate_selectors
from recruitment.services.notes import candidate_note_add
from recruitment.views.common import AppRequest, get_scoped_or_404, staff_required

CANDIDATES_PER_PAGE = 25
MATCHES_PER_PAGE = 20
NOTES_TEMPLATE = "recruitment/recruiter/includes/_notes.html"


def candidate_search_request(
    request: AppRequest,
) -> tuple[CandidateFilterForm, bool, candidate_selectors.CandidateSearch]:
    """The search form, whether it is valid (unbound counts as valid), and the search it asks for: shared
    by the page and its download."""
    form = CandidateFilterForm(request.GET or None, choices=candidate_selectors.candidate_filter_choices())
    valid = form.is_valid() or not form.is_bound
    search = form.search() if form.is_bound and valid else candidate_selectors.CandidateSearch()
    return form, valid, search


@dataclass(frozen=True)
class SearchField:
    """A field of the search form, and a select's options written here (None for other fields)."""

    field: BoundField
    options: SafeString | None


def _search_fields(form: CandidateFilterForm) -> list[SearchField]:
    return [SearchField(field, _options(field) if field.widget_type == "select" else None) for field in form]


def _options(field: BoundField) -> SafeString:
    """A select's options as Django's ``Select`` writes them (the first whose value is the field's value,
    as a string, is selected), in one pass. Django renders each option through two templates, about
    0.1 ms an option, and the occupation list has one per occupation of any candidate: thousands with
    the full ESCO taxonomy (issue 11)."""
    value = field.value()
    wanted = "" if value is None else str(value)
    choices = [(str(option), label) for option, label in field.field.choices]  # type: ignore[attr-defined]
    selected = next((index for index, (option, _label) in enumerate(choices) if option == wanted), None)
    return format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        (
            (option, SELECTED if index == selected else "", label)
            for index, (option, label) in enumerate(choices)
        ),
    )


SELECTED = mark_safe(" selected")  # a constant: nothing of the request in it


@staff_required
@require_safe
def candidate_list(request: AppRequest) -> HttpResponse:
    """The search. An invalid filter (a cohort of another project, say) shows its error and no list:
    a list that silently ignored part of the question would mislead."""
    form, valid, search = candidate_search_request(request)
    page: Page[Candidate] | None = None
    if valid:
        number = request.GET.get("page")
        wanted = _page_number(number)
        candidates = candidate_selectors.CandidateSearchResults(
            search, wanted=slice((wanted - 1) * CANDIDATES_PER_PAGE, wanted * CANDIDATES_PER_PAGE)
        )
        # The paginator reads its count() and one page's slice, all the search offers of a sequence.
        page = Paginator(cast("Sequence[Candidate]", candidates), CANDIDATES_PER_PAGE).get_page(number)
    return render(
        request,
        "recruitment/recruiter/candidate_list.html",
        {"form": form, "fields": _search_fields(form), "page": page, "search": search},
    )


def _page_number(value: str | None) -> int:
    """The page asked for, as ``Paginator.get_page`` reads a number in range: which page the search reads
    first (anything else costs it one more query, for the page the paginator settles on)."""
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


def _candidate_or_404(request: AppRequest, public_id: UUID, *, with_restricted: bool = False) -> Candidate:
    candidates = candidate_selectors.candidates_visible_to(user=request.user, with_restricted=with_restricted)
    return get_scoped_or_404(request, candidates, public_id=public_id)


def _notes_context(
    candidate: Candidate, placements: Sequence[Placement], form: NoteForm | None
) -> dict[str, object]:
    return {
        "candidate": candidate,
        "notes": candidate_selectors.candidate_notes(candidate),
        "note_form": form if form is not None else NoteForm(placements=placements),
    }


def _profile_page(
    request: AppRequest,
    candidate: Candidate,
    *,
    note_form: NoteForm | None = None,
    restriction_form: RestrictionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    restricted = candidate.status == Candidate.Status.RESTRICTED
    profile_access_record(
        candidate_ids=[candidate.pk],
        kind=ProfileAccess.Kind.STAFF,
        what=ProfileAccess.What.PROFILE,
        user=request.user,
    )
    profile = candidate_selectors.candidate_profile(candidate)
    matches = Paginator(candidate_selectors.candidate_matches(candidate), MATCHES_PER_PAGE).get_page(
        request.GET.get("matches")
    )
    explanations = explain_matches(matches.object_list)  # rebuilt for the rows on screen only
    match_rows = [(match, explanations.get(match.pk)) for match in matches.object_list]
    context = {
        "profile": profile,
        "matches": matches,
        "match_rows": match_rows,
        **_notes_context(candidate, profile.placements, note_form),
        # Read only for a restricted candidate's page: the others pay nothing for it.
        "restriction": candidate_open_restriction(candidate=candidate) if restricted else None,
        "restriction_form": restriction_form or (None if restricted else RestrictionForm()),
    }
    return render(request, "recruitment/recruiter/candidate_detail.html", context, status=status)


@staff_required
@require_safe
def candidate_detail(request: AppRequest, public_id: UUID) -> HttpResponse:
    return _profile_page(request, _candidate_or_404(request, public_id, with_restricted=True))


@staff_required
@require_POST
def candidate_note_add_view(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    """Add a note. With HTMX the notes section is swapped in place; without, back to the profile.

    A refused note writes nothing. Without HTMX it is a 400 with the profile and the message. With HTMX
    the refreshed section carries the message with a 200: htmx 2 does not swap a 4xx response by default
    (``responseHandling``), and the user must see why their note was not saved.
    """
    candidate = _candidate_or_404(request, public_id)
    placements = list(candidate_selectors.candidate_placements(candidate))
    form = NoteForm(request.POST, placements=placements)
    if form.is_valid():
        try:
            candidate_note_add(
                candidate=candidate,
                author=request.user,
                body=form.cleaned_data["body"],
                placement=form.chosen_placement(),
            )
        except ValidationError as refused:
            form.add_error("body", refused)
        else:
            if request.htmx:
                context = _notes_context(candidate, placements, None)
                context["saved"] = True
                return render(request, NOTES_TEMPLATE, context)
            messages.success(request, _("The note was saved."))
            return redirect(reverse("recruiter:candidate_detail", args=[candidate.public_id]) + "#notes")
    if request.htmx:
        return render(request, NOTES_TEMPLATE, _notes_context(candidate, placements, form))
    return _profile_page(request, candidate, note_form=form, status=400)


RESTRICTED_PER_PAGE = 25


@staff_required
@require_safe
def restricted_candidate_list(request: AppRequest) -> HttpResponse:
    """The candidates whose data is restricted: the one list they are on, to find one and lift it."""
    page = Paginator(candidates_restricted(), RESTRICTED_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "recruitment/recruiter/restricted_candidates.html", {"page": page})


@staff_required
@require_POST
def candidate_restrict_view(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    """Restrict the processing of the candidate's data, with a reason. Refused: the profile again with
    the message (400), nothing written."""
    candidate = _candidate_or_404(request, public_id, with_restricted=True)
    form = RestrictionForm(request.POST)
    if form.is_valid():
        try:
            candidate_restrict(candidate=candidate, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as refused:
            form.add_error("reason", refused)
        else:
            messages.success(
                request, _("The data is restricted: the candidate is out of matching and every list.")
            )
            return redirect("recruiter:candidate_detail", public_id=candidate.public_id)
    return _profile_page(request, candidate, restriction_form=form, status=400)


@staff_required
@require_POST
def candidate_restriction_lift_view(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    """Lift the restriction: the candidate is back in matching and the lists (after their recompute)."""
    candidate = _candidate_or_404(request, public_id, with_restricted=True)
    try:
        candidate_restriction_lift(candidate=candidate, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("The restriction is lifted."))
    return redirect("recruiter:candidate_detail", public_id=candidate.public_id)
