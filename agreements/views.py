"""Pages of agreements: staff of the public employment service manage them; an agency sees what was
shared with it.

The role checks mirror ``recruitment.views.common`` (which this app may not import: it sits below
recruitment): a user of another role gets a 403 before any object is read, an agreement that does not
exist a 404, and each refusal is logged as a security event.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from agreements import selectors
from agreements.forms import AgreementForm
from agreements.models import Agreement
from agreements.services import agreement_save
from core.models import User
from core.roles import is_partner_user, is_pes_staff
from core.security import log_denial, sign_in_first

SHARES_PER_PAGE = 50

ViewFunction = Callable[..., HttpResponseBase]


def _role_required(allowed: Callable[[User], bool], area: str) -> Callable[[ViewFunction], ViewFunction]:
    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return sign_in_first(request)
            if not allowed(request.user):
                log_denial(request, f"role:{area}")
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


pes_staff_required = _role_required(is_pes_staff, "pes-staff")
partner_required = _role_required(is_partner_user, "partner")


def _agreement_or_404(request: HttpRequest, code: str) -> Agreement:
    agreement = selectors.agreement_by_code(code)
    if agreement is None:
        log_denial(request, "not-found:agreements.Agreement")
        raise Http404
    return agreement


# --- Staff of the public employment service ---------------------------------------------------------


@pes_staff_required
@require_safe
def agreement_list(request: HttpRequest) -> HttpResponse:
    day = timezone.localdate()
    agreements = list(selectors.agreements_list())
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "rows": [
                (
                    agreement,
                    agreement.starts_on <= day and (agreement.ends_on is None or agreement.ends_on >= day),
                )
                for agreement in agreements
            ]
        },
    )


@pes_staff_required
@require_safe
def agreement_detail(request: HttpRequest, code: str) -> HttpResponse:
    agreement = _agreement_or_404(request, code)
    page = Paginator(selectors.agreement_shares(agreement), SHARES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "agreements/agreement_detail.html", {"agreement": agreement, "page": page})


def _form(request: HttpRequest, agreement: Agreement | None) -> AgreementForm:
    kwargs: dict[str, Any] = {
        "agencies": selectors.partner_agency_choices(),
        "occupations": selectors.occupation_choices(),
    }
    if request.method == "POST":
        return AgreementForm(request.POST, **kwargs)
    return AgreementForm(initial=AgreementForm.initial_for(agreement) if agreement else None, **kwargs)


def _save(request: HttpRequest, form: AgreementForm, agreement: Agreement | None) -> HttpResponseBase | None:
    """Save a valid form through the service; on a refusal, put its errors on the form (None)."""
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    agencies, occupations = data.pop("agencies"), data.pop("occupations")
    try:
        saved = agreement_save(agreement=agreement, agencies=agencies, occupations=occupations, **data)
    except ValidationError as refused:
        for field, errors in refused.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return None
    messages.success(request, _("The agreement is saved: the vacancies that fit it are shared in a moment."))
    return redirect("recruiter_agreements:detail", code=saved.code)


@pes_staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponseBase:
    form = _form(request, None)
    if request.method == "POST":
        done = _save(request, form, None)
        if done is not None:
            return done
    status = 400 if form.is_bound else 200
    return render(request, "agreements/agreement_form.html", {"form": form, "agreement": None}, status=status)


@pes_staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def agreement_edit(request: HttpRequest, code: str) -> HttpResponseBase:
    agreement = _agreement_or_404(request, code)
    form = _form(request, agreement)
    if request.method == "POST":
        done = _save(request, form, agreement)
        if done is not None:
            return done
    status = 400 if form.is_bound else 200
    return render(
        request, "agreements/agreement_form.html", {"form": form, "agreement": agreement}, status=status
    )


# --- A partner agency --------------------------------------------------------------------------------


@partner_required
@require_safe
def shared_vacancy_list(request: HttpRequest) -> HttpResponse:
    """The vacancies shared with the user's agency (active first, then withdrawn), never another's."""
    organisation = request.user.organisation  # type: ignore[union-attr]
    assert organisation is not None
    page = Paginator(selectors.shares_for_agency(organisation), SHARES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "agreements/partner_shared_list.html", {"page": page})
