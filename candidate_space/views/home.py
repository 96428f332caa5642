"""The candidate's overview (their cases in short, what to do next) and who looked at their profile."""

import datetime
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_otp import user_has_device

from candidate_space import selectors
from candidate_space.models import CorrectionRequest
from candidate_space.views.cases import case_row
from candidate_space.views.common import CandidateRequest, candidate_required
from candidates.models import ProfileAccess
from candidates.selectors import ACCESSES_SHOWN, ProfileAccessRow, profile_accesses_for_candidate

# The overview lists the most recently moved cases; the cases page has them all.
HOME_CASES = 5


@candidate_required
@require_safe
def home(request: CandidateRequest) -> HttpResponse:
    candidate = request.candidate
    rows = [case_row(placement) for placement in selectors.cases_of(candidate=candidate)[: HOME_CASES + 1]]
    open_rows = [row for row in rows[:HOME_CASES] if not row.closed]
    open_corrections = (
        selectors.correction_requests_of(candidate=candidate)
        .filter(status=CorrectionRequest.Status.OPEN)
        .count()
    )
    return render(
        request,
        "candidate_space/home.html",
        {
            "candidate": candidate,
            "cases": rows[:HOME_CASES],
            "more_cases": len(rows) > HOME_CASES,
            "to_do": [row for row in open_rows if row.to_do],
            "open_corrections": open_corrections,
            # Offered, never forced: a candidate's account holds only their own data.
            "offer_second_factor": not user_has_device(request.user, confirmed=True),
        },
    )


@dataclass(frozen=True)
class ViewRow:
    at: datetime.datetime
    who: str
    what: str


def _who(access: ProfileAccessRow, revealed: set[int]) -> str:
    """Organisations by name, never a person; an employer only once it knows who the candidate is."""
    if access.viewer_kind == ProfileAccess.Kind.EMPLOYER:
        if access.organisation_id is not None and access.organisation_id in revealed:
            return access.organisation_name
        return _("An employer to whom you were proposed")
    if access.viewer_kind == ProfileAccess.Kind.STAFF:
        return access.organisation_name or _("The public employment service")
    return access.organisation_name or _("A partner agency")


@candidate_required
@require_safe
def profile_views(request: CandidateRequest) -> HttpResponse:
    candidate = request.candidate
    accesses = profile_accesses_for_candidate(candidate=candidate)
    revealed = selectors.revealed_employer_ids(candidate=candidate) if accesses else set()
    rows = [ViewRow(at=access.at, who=_who(access, revealed), what=access.what_label) for access in accesses]
    return render(request, "candidate_space/profile_views.html", {"rows": rows, "limit": ACCESSES_SHOWN})
