"""The recruiter's candidate search, the candidate's profile, and the notes on a candidate.

Withdrawn and anonymised candidates are outside these pages altogether: never listed, and their profile
is a 404 like any unknown candidate (``recruitment.selectors.candidates``).
"""

from collections.abc import Sequence
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from candidates.models import Candidate
from recruitment.explanations import explain_matches
from recruitment.forms.candidates import CandidateFilterForm, NoteForm
from recruitment.models import Placement
from recruitment.selectors import candidates as candidate_selectors
from recruitment.services.notes import candidate_note_add
from recruitment.views.common import AppRequest, get_scoped_or_404, staff_required

CANDIDATES_PER_PAGE = 25
MATCHES_PER_PAGE = 20
NOTES_TEMPLATE = "recruitment/recruiter/includes/_notes.html"


@staff_required
@require_safe
def candidate_list(request: AppRequest) -> HttpResponse:
    """The search. An invalid filter (a cohort of another project, say) shows its error and no list:
    a list that silently ignored part of the question would mislead."""
    form = CandidateFilterForm(request.GET or None, choices=candidate_selectors.candidate_filter_choices())
    valid = form.is_valid() or not form.is_bound
    search = form.search() if form.is_bound and valid else candidate_selectors.CandidateSearch()
    page = None
    if valid:
        candidates = candidate_selectors.candidate_search(search)
        page = Paginator(candidates, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "recruitment/recruiter/candidate_list.html",
        {"form": form, "page": page, "search": search},
    )


def _candidate_or_404(request: AppRequest, public_id: UUID) -> Candidate:
    return get_scoped_or_404(
        request, candidate_selectors.candidates_visible_to(user=request.user), public_id=public_id
    )


def _notes_context(
    candidate: Candidate, placements: Sequence[Placement], form: NoteForm | None
) -> dict[str, object]:
    return {
        "candidate": candidate,
        "notes": candidate_selectors.candidate_notes(candidate),
        "note_form": form if form is not None else NoteForm(placements=placements),
    }


def _profile_page(
    request: AppRequest, candidate: Candidate, *, note_form: NoteForm | None = None, status: int = 200
) -> HttpResponse:
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
    }
    return render(request, "recruitment/recruiter/candidate_detail.html", context, status=status)


@staff_required
@require_safe
def candidate_detail(request: AppRequest, public_id: UUID) -> HttpResponse:
    return _profile_page(request, _candidate_or_404(request, public_id))


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
