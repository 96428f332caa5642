"""Correction requests: the candidate asks (``correction_new``); their registering partner agency's
users and recruiters read and answer them (``handler_list``, ``handler_detail``, under /<lang>/corrections/).

The handlers correct the profile itself with their usual tools (the partner API, the recruiter's pages);
here they close the request with an answer the candidate reads on their profile page.
"""

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from candidate_space import selectors
from candidate_space.forms import CorrectionAnswerForm, CorrectionRequestForm
from candidate_space.models import CorrectionRequest
from candidate_space.services.corrections import (
    CorrectionRefused,
    correction_request_close,
    correction_request_create,
)
from candidate_space.views.common import (
    CandidateRequest,
    StaffOrPartnerRequest,
    candidate_required,
    staff_or_partner_required,
)
from core.security import log_denial
from recruitment.selectors import is_staff_user

REQUESTS_PER_PAGE = 25


@candidate_required
@require_http_methods(["GET", "POST"])
def correction_new(request: CandidateRequest) -> HttpResponseBase:
    initial = (
        {"part": request.GET.get("part")} if request.GET.get("part") in CorrectionRequest.Part.values else {}
    )
    form = CorrectionRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            correction_request_create(
                candidate=request.candidate,
                part=form.cleaned_data["part"],
                message=form.cleaned_data["message"],
            )
        except CorrectionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Your request was sent. You will find the answer on this page."),
            )
            return redirect("me:profile")
    return render(request, "candidate_space/correction_new.html", {"form": form})


@staff_or_partner_required
@require_safe
def handler_list(request: StaffOrPartnerRequest) -> HttpResponse:
    status = request.GET.get("status", CorrectionRequest.Status.OPEN)
    if status not in CorrectionRequest.Status.values and status != "all":
        status = CorrectionRequest.Status.OPEN
    requests = selectors.correction_requests_for(
        user=request.user, status=None if status == "all" else status
    )
    page = Paginator(requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "candidate_space/handler_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [*CorrectionRequest.Status.choices, ("all", _("All"))],
            "staff": is_staff_user(request.user),
        },
    )


def _candidate_page(request: StaffOrPartnerRequest) -> str:
    """The URL name of the candidate's page on the handler's side, to correct the profile there."""
    namespace = "recruiter" if is_staff_user(request.user) else "partner"
    return f"{namespace}:candidate_detail"


@staff_or_partner_required
@require_http_methods(["GET", "POST"])
def handler_detail(request: StaffOrPartnerRequest, public_id: UUID) -> HttpResponseBase:
    correction = selectors.correction_request_for(user=request.user, public_id=public_id)
    if correction is None:
        log_denial(request, "not-found:candidate_space.CorrectionRequest")
        raise Http404
    form = CorrectionAnswerForm(request.POST or None)
    if request.method == "POST" and correction.status == CorrectionRequest.Status.OPEN and form.is_valid():
        try:
            correction_request_close(
                correction=correction,
                actor=request.user,
                status=form.cleaned_data["status"],
                answer=form.cleaned_data["answer"],
            )
        except CorrectionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The request is answered. The candidate sees your answer."))
        return redirect("corrections:detail", public_id=correction.public_id)
    return render(
        request,
        "candidate_space/handler_detail.html",
        {
            "correction": correction,
            "form": form,
            "candidate_page": _candidate_page(request),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )
