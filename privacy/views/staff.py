"""Erasure requests for staff (/<lang>/recruiter/privacy/): the list, one request with what its erasure
would keep, and the two decisions (execute, refuse).

Who: staff (``staff_required``'s roles) holding ``privacy.change_erasurerequest`` (given to the data
protection officer and whoever handles requests for them; a superuser holds it). Any other user gets a
403 before anything is looked up; an unknown request is a 404. A decision is a POST, and a request
already decided (by a colleague a moment ago) is refused with a message, never decided twice.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.models import User
from privacy import selectors
from privacy.forms import ExecuteForm, RefuseForm
from privacy.models import ErasureRequest
from privacy.services import erasure_request_execute, erasure_request_refuse
from recruitment.selectors import is_staff_user
from recruitment.views.common import AppRequest, _role_required, get_scoped_or_404

PERMISSION = "privacy.change_erasurerequest"
PER_PAGE = 25
# GDPR art. 12(3): a request is answered within one month of its receipt.
ANSWER_WITHIN = datetime.timedelta(days=30)


def can_handle_erasure(user: User) -> bool:
    return is_staff_user(user) and user.is_active and user.has_perm(PERMISSION)


privacy_officer_required = _role_required(can_handle_erasure, "privacy")


@require_safe
@privacy_officer_required
def request_list(request: AppRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ErasureRequest.Status.values:
        status = ""
    page = Paginator(selectors.erasure_requests_for_staff(user=request.user, status=status or None), PER_PAGE)
    return render(
        request,
        "privacy/staff_list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "status": status,
            "statuses": ErasureRequest.Status.choices,
            "counts": selectors.erasure_request_counts(user=request.user),
            "answer_within": ANSWER_WITHIN,
        },
    )


def _request(request: AppRequest, public_id: object) -> ErasureRequest:
    return get_scoped_or_404(
        request, selectors.erasure_requests_for_staff(user=request.user), public_id=public_id
    )


def _detail(
    request: AppRequest,
    erasure: ErasureRequest,
    *,
    execute_form: ExecuteForm | None = None,
    refuse_form: RefuseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    candidate = erasure.candidate
    is_open = erasure.status == ErasureRequest.Status.REQUESTED
    return render(
        request,
        "privacy/staff_detail.html",
        {
            "erasure": erasure,
            "candidate": candidate,
            "is_open": is_open,
            "answer_by": erasure.requested_at + ANSWER_WITHIN,
            "preview": selectors.erasure_preview(candidate=candidate) if candidate and is_open else None,
            "execute_form": execute_form or ExecuteForm(),
            "refuse_form": refuse_form or RefuseForm(),
        },
        status=status,
    )


@require_safe
@privacy_officer_required
def request_detail(request: AppRequest, public_id: object) -> HttpResponse:
    return _detail(request, _request(request, public_id))


@privacy_officer_required
@require_POST
def request_execute(request: AppRequest, public_id: object) -> HttpResponseBase:
    erasure = _request(request, public_id)
    form = ExecuteForm(request.POST)
    if not form.is_valid():
        return _detail(request, erasure, execute_form=form, status=400)
    try:
        done = erasure_request_execute(request=erasure, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("privacy:request_detail", public_id=erasure.public_id)
    messages.success(
        request,
        _("The data is erased. Cases kept under a legal hold, without identity: %(count)d.")
        % {"count": len(done.legal_holds)},
    )
    return redirect("privacy:request_detail", public_id=done.public_id)


@privacy_officer_required
@require_POST
def request_refuse(request: AppRequest, public_id: object) -> HttpResponseBase:
    erasure = _request(request, public_id)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _detail(request, erasure, refuse_form=form, status=400)
    try:
        erasure_request_refuse(request=erasure, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        form.add_error("reason" if exc.code in ("reason_required", "reason_too_long") else None, exc)
        return _detail(request, erasure, refuse_form=form, status=400)
    messages.success(request, _("The erasure is refused; the candidate's data stays restricted."))
    return redirect("privacy:request_detail", public_id=erasure.public_id)


__all__ = ["request_detail", "request_execute", "request_list", "request_refuse"]
