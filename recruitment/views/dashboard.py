"""The recruiter's dashboard: what needs attention today, and marking its changes as read."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from recruitment.forms.dashboard import DashboardMarkReadForm
from recruitment.selectors.dashboard import WAITING_STAGES, dashboard_for
from recruitment.services.dashboard import dashboard_mark_read
from recruitment.views.common import AppRequest, staff_required


@staff_required
@require_safe
def dashboard(request: AppRequest) -> HttpResponse:
    """Opening the page never moves the "read" mark: only the POST below does."""
    now = timezone.now()
    context = {
        "dashboard": dashboard_for(user=request.user, now=now),
        "mark_read_form": DashboardMarkReadForm(initial={"shown_at": now.isoformat()}),
        # The placement list filtered on each stage is the "see all" of the waiting cases.
        "waiting_stages": [(stage.value, stage.label) for stage in WAITING_STAGES],
    }
    return render(request, "recruitment/recruiter/dashboard.html", context)


@staff_required
@require_POST
def dashboard_mark_read_view(request: AppRequest) -> HttpResponseBase:
    form = DashboardMarkReadForm(request.POST)
    if not form.is_valid():  # a hidden field: only a forged or broken request gets here
        return HttpResponseBadRequest()
    dashboard_mark_read(user=request.user, shown_at=form.cleaned_data["shown_at"])
    messages.success(request, _("The changes shown are marked as read."))
    return redirect("recruiter:dashboard")
