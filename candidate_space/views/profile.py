"""The candidate's profile as recorded by their partner agency and the public employment service, with
their correction requests and how each was answered."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from candidate_space import selectors
from candidate_space.views.common import CandidateRequest, candidate_required


@candidate_required
@require_safe
def profile(request: CandidateRequest) -> HttpResponse:
    return render(
        request,
        "candidate_space/profile.html",
        {
            "profile": selectors.recorded_profile(candidate=request.candidate),
            "corrections": list(selectors.correction_requests_of(candidate=request.candidate)),
        },
    )
