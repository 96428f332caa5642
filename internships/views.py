"""Staff pages of the circular internships (docs/pathways/internships.md): the projects with internships,
a project's figures after return with its internship cases, and one case's outcomes after return.

Staff only, like the funnel and the report: employers, partners and candidates get a 403 before anything
is looked up; an unknown project or case, or a case that is not an internship, is a 404.
"""

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from internships import selectors
from internships.forms import OutcomeForm
from internships.models import ReturnOutcome
from internships.services import OutcomeError, outcome_record, returned_on
from recruitment.views.common import AppRequest, get_scoped_or_404, staff_required
from recruitment.views.projects import project_and_cohort

CASES_PER_PAGE = 50


@staff_required
@require_safe
def internship_index(request: AppRequest) -> HttpResponse:
    projects = list(selectors.internship_projects(user=request.user))
    return render(request, "internships/index.html", {"projects": projects})


@staff_required
@require_safe
def project_internships(request: AppRequest, project: str) -> HttpResponse:
    chosen, cohorts, cohort = project_and_cohort(request, project)
    figures = selectors.outcome_figures(project=chosen, cohort=cohort)
    page = Paginator(selectors.internship_cases(project=chosen, cohort=cohort), CASES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "internships/project.html",
        {
            "project": chosen,
            "cohorts": cohorts,
            "cohort": cohort,
            "figures": figures,
            "page": page,
            "outcome_choices": ReturnOutcome.choices,
        },
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_outcomes(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    placement = get_scoped_or_404(
        request, selectors.internship_case_for_staff(user=request.user), public_id=public_id
    )
    form = OutcomeForm(request.POST or None, initial={"observed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            outcome_record(
                placement=placement,
                outcome=form.cleaned_data["outcome"],
                observed_on=form.cleaned_data["observed_on"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except OutcomeError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The outcome after return is recorded."))
            return redirect("recruiter_internships:case_outcomes", public_id=placement.public_id)
    return render(
        request,
        "internships/case.html",
        {
            "placement": placement,
            "form": form,
            "history": list(selectors.outcome_history(placement=placement)),
            "returned_on": returned_on(placement),
            "project": placement.candidate.project,
        },
        status=400 if form.errors else 200,
    )
