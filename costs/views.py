"""The costs pages, per audience (mounted by config/urls.py through costs/urls.py).

- Staff: a case's costs page where they record costs. The public employment service's own staff
  (``pes_staff_required``) also have the queue of open incidents (cases held for a cost charged to the
  candidate: the cost alerts) and record refunds and void costs recorded in error, which lift a hold; a
  project coordinator employed by a partner agency does neither (the hold protects its own candidates).
- A partner agency: its candidates' cases (the held ones first: that is how it is told), and a case's
  costs page where it records costs; another organisation's case is a 404.
- An employer: a case's cost overview before it makes an offer (expected costs and who bears them,
  totals per payer), for the cases proposed to it only; another employer's case is a 404. It never sees
  who recorded a cost nor the payee and evidence notes: the amounts and payers are what concern it.
"""

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from costs import selectors
from costs.forms import CaseCostForm, RefundForm, VoidForm
from costs.models import CaseCost, Payer
from costs.services import CostError, case_cost_record, case_cost_refund, case_cost_void
from recruitment.models import Placement
from recruitment.partner_scope import partner_placements
from recruitment.selectors import is_pes_staff, placements_visible_to
from recruitment.views.common import (
    AppRequest,
    employer_required,
    get_scoped_or_404,
    partner_required,
    pes_staff_required,
    staff_required,
)

CASES_PER_PAGE = 25


# --- Staff -----------------------------------------------------------------------------------------------


@pes_staff_required
@require_safe
def incident_queue(request: AppRequest) -> HttpResponse:
    page = Paginator(selectors.open_incidents(), CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "costs/incidents.html", {"page": page})


def _staff_case(request: AppRequest, public_id: UUID) -> Placement:
    return get_scoped_or_404(request, placements_visible_to(user=request.user), public_id=public_id)


def _case_page(
    request: AppRequest,
    placement: Placement,
    *,
    area: str,
    form: CaseCostForm | None = None,
    refund_forms: dict[int, RefundForm] | None = None,
    void_forms: dict[int, VoidForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case's costs page of staff (``area="staff"``) and of the partner agency (``"partner"``). Every
    recorded cost is listed, a voided one marked; only the service's own staff get the refund and void
    forms (and the link to the cost alerts)."""
    overview = selectors.cost_overview(placement)
    refund_forms, void_forms = refund_forms or {}, void_forms or {}
    rows = [
        (
            entry,
            refund_forms.get(entry.pk) or RefundForm(auto_id=f"id_refund_{entry.pk}_%s"),
            void_forms.get(entry.pk) or VoidForm(auto_id=f"id_void_{entry.pk}_%s"),
        )
        for entry in selectors.case_costs(placement)
    ]
    context = {
        "area": area,
        "may_settle": area == "staff" and is_pes_staff(request.user),
        "placement": placement,
        "vacancy": placement.vacancy,
        "overview": overview,
        "rows": rows,
        "form": form or CaseCostForm(),
        "events": list(selectors.hold_events(placement)) if area == "staff" else [],
    }
    return render(request, "costs/case.html", context, status=status)


@staff_required
@require_safe
def staff_case(request: AppRequest, public_id: UUID) -> HttpResponse:
    return _case_page(request, _staff_case(request, public_id), area="staff")


def _record(request: AppRequest, placement: Placement, form: CaseCostForm) -> bool:
    """Record the posted cost; False when the form must be shown again with its errors."""
    if not form.is_valid():
        return False
    try:
        entry = case_cost_record(placement=placement, actor=request.user, **form.cleaned_data)
    except CostError as refused:
        _show_error(form, refused)
        return False
    if entry.paid_by == Payer.CANDIDATE:
        messages.warning(
            request,
            _(
                "The cost was recorded as paid by the candidate: the case is on hold until it is refunded "
                "to them, and it appears in the staff's cost alerts."
            ),
        )
    else:
        messages.success(request, _("The cost was recorded."))
    return True


def _show_error(form: CaseCostForm | RefundForm | VoidForm, error: CostError) -> None:
    """The service's refusal on the form: on its field when it names one, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@staff_required
@require_POST
def staff_case_record(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    placement = _staff_case(request, public_id)
    form = CaseCostForm(request.POST)
    if _record(request, placement, form):
        return redirect("recruiter_costs:case", public_id=placement.public_id)
    return _case_page(request, placement, area="staff", form=form, status=400)


@pes_staff_required
@require_POST
def staff_refund(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    entry = get_scoped_or_404(request, CaseCost.objects.select_related("placement"), public_id=public_id)
    placement = _staff_case(request, entry.placement.public_id)
    form = RefundForm(request.POST, auto_id=f"id_refund_{entry.pk}_%s")
    if form.is_valid():
        try:
            case_cost_refund(entry=entry, actor=request.user, evidence=form.cleaned_data["refund_evidence"])
        except CostError as refused:
            _show_error(form, refused)
        else:
            placement.refresh_from_db(fields=["held_since"])
            if placement.held_since is None:
                messages.success(request, _("The refund was recorded and the hold on the case is lifted."))
            else:
                messages.success(request, _("The refund was recorded."))
            return redirect("recruiter_costs:case", public_id=placement.public_id)
    return _case_page(request, placement, area="staff", refund_forms={entry.pk: form}, status=400)


@pes_staff_required
@require_POST
def staff_void(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    """Void a cost recorded in error (with the reason); the hold lifts when it held the case alone."""
    entry = get_scoped_or_404(request, CaseCost.objects.select_related("placement"), public_id=public_id)
    placement = _staff_case(request, entry.placement.public_id)
    form = VoidForm(request.POST, auto_id=f"id_void_{entry.pk}_%s")
    if form.is_valid():
        try:
            case_cost_void(entry=entry, actor=request.user, reason=form.cleaned_data["void_reason"])
        except CostError as refused:
            _show_error(form, refused)
        else:
            placement.refresh_from_db(fields=["held_since"])
            if placement.held_since is None:
                messages.success(request, _("The cost was voided and the hold on the case is lifted."))
            else:
                messages.success(request, _("The cost was voided."))
            return redirect("recruiter_costs:case", public_id=placement.public_id)
    return _case_page(request, placement, area="staff", void_forms={entry.pk: form}, status=400)


# --- Partner agency --------------------------------------------------------------------------------------


def _partner_case(request: AppRequest, public_id: UUID) -> Placement:
    assert request.user.organisation is not None  # partner_required
    cases = partner_placements(organisation=request.user.organisation).select_related(
        "vacancy", "vacancy__employer", "candidate"
    )
    return get_scoped_or_404(request, cases, public_id=public_id)


@partner_required
@require_safe
def partner_cases(request: AppRequest) -> HttpResponse:
    assert request.user.organisation is not None  # partner_required
    cases = selectors.partner_cost_cases(organisation=request.user.organisation)
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "costs/partner_cases.html", {"page": page})


@partner_required
@require_safe
def partner_case(request: AppRequest, public_id: UUID) -> HttpResponse:
    return _case_page(request, _partner_case(request, public_id), area="partner")


@partner_required
@require_POST
def partner_case_record(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    placement = _partner_case(request, public_id)
    form = CaseCostForm(request.POST)
    if _record(request, placement, form):
        return redirect("partner_costs:case", public_id=placement.public_id)
    return _case_page(request, placement, area="partner", form=form, status=400)


# --- Employer --------------------------------------------------------------------------------------------


@employer_required
@require_safe
def employer_case(request: AppRequest, public_id: UUID) -> HttpResponse:
    placement = get_scoped_or_404(request, placements_visible_to(user=request.user), public_id=public_id)
    context = {
        "placement": placement,
        "vacancy": placement.vacancy,
        "overview": selectors.cost_overview(placement),
    }
    return render(request, "costs/employer_case.html", context)
