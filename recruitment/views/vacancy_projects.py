"""The recruiter opens a vacancy to labour-mobility projects (their partner agencies then see it)."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recruitment import selectors
from recruitment.forms.vacancy_projects import VacancyProjectsForm
from recruitment.views.common import AppRequest, get_scoped_or_404, staff_required
from vacancies.services import vacancy_projects_set


@staff_required
@require_POST
def vacancy_projects_view(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    vacancy = get_scoped_or_404(
        request, selectors.vacancies_visible_to(user=request.user), public_id=public_id
    )
    form = VacancyProjectsForm(request.POST)
    if form.is_valid():
        vacancy_projects_set(vacancy=vacancy, projects=form.cleaned_data["projects"])
        messages.success(request, _("The projects this vacancy is open to were saved."))
    else:
        # Only an unknown project id gets here (a tampered form): say so, change nothing.
        messages.error(request, _("Choose projects from the list."))
    return redirect("recruiter:vacancy_detail", public_id=vacancy.public_id)
