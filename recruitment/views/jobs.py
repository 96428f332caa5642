"""Long work started from a page: the bulk recompute of a vacancy list, and its progress page.

The progress page polls a fragment of itself with htmx every second while the job runs; the fragment of
a finished job carries no trigger, so the polling stops by itself (no script of our own).
"""

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.models import BackgroundJob
from recruitment import selectors
from recruitment.forms import VacancyFilterForm
from recruitment.selectors.jobs import background_jobs_visible_to
from recruitment.services.background import (
    MAX_BULK_VACANCIES,
    BulkRecomputeTooLarge,
    bulk_recompute_start,
)
from recruitment.views.common import AppRequest, get_scoped_or_404, staff_required
from vacancies.models import VacancyQuerySet

FINISHED = (BackgroundJob.Status.DONE, BackgroundJob.Status.FAILED)


def vacancy_list_filtered(form: VacancyFilterForm) -> VacancyQuerySet:
    """The recruiter's vacancy list as ``form`` filters it (all of it when the filters are invalid): the
    list page and its bulk recompute share this, so the action takes exactly the vacancies listed."""
    filters = form.cleaned_data if form.is_valid() else {}
    return selectors.vacancy_list_for_staff(
        occupation_id=filters.get("occupation"),
        employer_id=filters.get("employer"),
        status=filters.get("status") or None,
    )


@staff_required
@require_POST
def bulk_recompute(request: AppRequest) -> HttpResponseBase:
    """Recompute the matches of every vacancy of the filtered list (every page of it), as a job."""
    employers, occupations = selectors.vacancy_filter_choices()
    form = VacancyFilterForm(request.POST, employers=employers, occupations=occupations)
    if not form.is_valid():  # hidden copies of the list's filters: only a forged request gets here
        return HttpResponseBadRequest()
    vacancy_ids = list(vacancy_list_filtered(form).values_list("pk", flat=True))
    if not vacancy_ids:
        messages.error(request, _("There is no vacancy in this list to recompute."))
        return redirect("recruiter:vacancy_list")
    try:
        job = bulk_recompute_start(user=request.user, vacancy_ids=vacancy_ids)
    except BulkRecomputeTooLarge:
        messages.error(
            request,
            _("At most %(limit)d vacancies can be recomputed at once: narrow the filters.")
            % {"limit": MAX_BULK_VACANCIES},
        )
        return redirect("recruiter:vacancy_list")
    return redirect("recruiter:job_detail", public_id=job.public_id)


@staff_required
@require_safe
def job_detail(request: AppRequest, public_id: UUID) -> HttpResponse:
    """A job's progress; an htmx request gets the progress fragment only (what the page polls)."""
    job = get_scoped_or_404(request, background_jobs_visible_to(user=request.user), public_id=public_id)
    context = {"job": job, "finished": job.status in FINISHED}
    template = "recruitment/recruiter/job_detail.html"
    if request.htmx:
        template = "recruitment/recruiter/includes/_job_progress.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))  # the same URL answers a page or a fragment
    return response
