"""The selection pages: a project's steps and funnel, its candidates' results, job datings.

Staff (recruiters, coordinators, administrators) define steps, record results and plan job datings;
employers see only the job datings they are invited to, with the invited candidates anonymised (a
pseudonym per event, never a name) and a video-CV link only with its own consent. Partner users get a
403 on both. Another employer's event is a 404, as is one that does not exist.
"""

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from candidates.models import Candidate
from projects.models import Project
from recruitment.selectors.funnel import projects_visible_to
from recruitment.views.common import AppRequest, employer_required, get_scoped_or_404, staff_required
from selection import selectors, services
from selection.forms import CancelForm, InviteForm, JobDatingForm, ResultForm, StepForm
from selection.models import JobDating, SelectionStep

CANDIDATES_PER_PAGE = 25
# The job-dating page lists at most this many invitations (the earliest first) and this many candidates
# to invite per page, with the totals and a name search: a project may have hundreds of each.
INVITATIONS_SHOWN = 50
INVITABLE_PER_PAGE = 25
SEARCH_MAX_LENGTH = 100


def _project(request: AppRequest, code: str) -> Project:
    return get_scoped_or_404(request, projects_visible_to(user=request.user), code=code)


# --- Staff: the project's selection ----------------------------------------------------------------


def _project_page(
    request: AppRequest,
    project: Project,
    *,
    step_form: StepForm | None = None,
    dating_form: JobDatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    steps = selectors.project_steps(project=project)
    context = {
        "project": project,
        "funnel": selectors.step_funnel(project=project),
        "step_form": step_form or StepForm(),
        "dating_form": dating_form or JobDatingForm(steps=steps, employers=selectors.employer_choices()),
        "job_datings": selectors.project_job_datings(project=project),
    }
    return render(request, "selection/project.html", context, status=status)


@staff_required
@require_safe
def project_selection(request: AppRequest, project: str) -> HttpResponse:
    return _project_page(request, _project(request, project))


@staff_required
@require_POST
def step_add(request: AppRequest, project: str) -> HttpResponseBase:
    chosen = _project(request, project)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.selection_step_add(
                project=chosen,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                pass_mark=form.cleaned_data["pass_mark"],
            )
        except services.SelectionError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The step was added."))
            return redirect("recruiter_selection:project", project=chosen.code)
    return _project_page(request, chosen, step_form=form, status=400)


@staff_required
@require_POST
def job_dating_create(request: AppRequest, project: str) -> HttpResponseBase:
    chosen = _project(request, project)
    steps = selectors.project_steps(project=chosen)
    form = JobDatingForm(request.POST, steps=steps, employers=selectors.employer_choices())
    if form.is_valid():
        data = form.cleaned_data
        try:
            event = services.job_dating_create(
                project=chosen,
                name=data["name"],
                held_on=data["held_on"],
                place=data["place"],
                online=data["online"],
                required_step=data["required_step"],
                employers=data["employers"],
                actor=request.user,
            )
        except services.SelectionError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The job dating is planned."))
            return redirect("recruiter_selection:job_dating", public_id=event.public_id)
    return _project_page(request, chosen, dating_form=form, status=400)


# --- Staff: candidates and their results -----------------------------------------------------------


def _passed_step(request: AppRequest, steps: list[SelectionStep]) -> SelectionStep | None:
    wanted = request.GET.get("passed", "")
    if not wanted:
        return None
    for step in steps:
        if str(step.pk) == wanted:
            return step
    raise Http404  # another project's step, or none


def _candidates_page(request: AppRequest, project: Project, *, status: int = 200) -> HttpResponse:
    steps = selectors.project_steps(project=project)
    passed_step = _passed_step(request, steps)
    candidates = selectors.project_candidates(project=project, passed_step=passed_step)
    page = Paginator(candidates, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for candidate in page.object_list:
        by_step = {result.step_id: result for result in candidate.selection_results.all()}
        rows.append(
            {
                "candidate": candidate,
                "results": [by_step.get(step.pk) for step in steps],
                "form": ResultForm(
                    steps=steps, initial={"candidate": candidate.pk}, auto_id=f"id_{candidate.pk}_%s"
                ),
            }
        )
    context = {
        "project": project,
        "steps": steps,
        "passed_step": passed_step,
        "page": page,
        "rows": rows,
        "query": request.GET.urlencode(),
    }
    return render(request, "selection/candidates.html", context, status=status)


@staff_required
@require_safe
def candidate_list(request: AppRequest, project: str) -> HttpResponse:
    return _candidates_page(request, _project(request, project))


@staff_required
@require_POST
def result_record(request: AppRequest, project: str) -> HttpResponseBase:
    chosen = _project(request, project)
    steps = selectors.project_steps(project=chosen)
    form = ResultForm(request.POST, steps=steps)
    back = reverse("recruiter_selection:candidates", kwargs={"project": chosen.code})
    if request.GET.urlencode():
        back += f"?{request.GET.urlencode()}"
    if not form.is_valid():
        messages.error(request, _("The result was not recorded: check the step, the score and the verdict."))
        return _candidates_page(request, chosen, status=400)
    candidate = get_scoped_or_404(
        request,
        Candidate.objects.filter(project=chosen, status__in=selectors.PROCESSABLE_STATUSES),
        pk=form.cleaned_data["candidate"],
    )
    try:
        services.selection_result_record(
            step=form.chosen_step(),
            candidate=candidate,
            verdict=form.cleaned_data["verdict"],
            score=form.cleaned_data["score"],
            note=form.cleaned_data["note"],
            actor=request.user,
            now=timezone.now(),
        )
    except services.SelectionError as refused:
        messages.error(request, refused.messages[0])
        return _candidates_page(request, chosen, status=400)
    messages.success(request, _("The result was recorded."))
    return redirect(back)


# --- Staff: a job dating ---------------------------------------------------------------------------


def _event(request: AppRequest, public_id: UUID) -> JobDating:
    return get_scoped_or_404(request, selectors.job_datings_for_staff(), public_id=public_id)


def _event_page(
    request: AppRequest, event: JobDating, *, cancel_form: CancelForm | None = None, status: int = 200
) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    invitations = selectors.event_invitations(event=event, search=search)
    shown = list(invitations[:INVITATIONS_SHOWN])
    invitable = selectors.invitable(event=event, search=search)
    page = Paginator(invitable, INVITABLE_PER_PAGE).get_page(request.GET.get("page"))
    # The page's rows read with their own query even when there are none (the paginator skips it): the
    # page takes the same queries whether or not anyone is left to invite.
    first = (page.number - 1) * INVITABLE_PER_PAGE
    choices = [
        (c.pk, f"{c.given_name} {c.family_name}") for c in invitable[first : first + INVITABLE_PER_PAGE]
    ]
    context = {
        "event": event,
        "employers": list(event.employers.order_by("name")),
        "search": search,
        "invitations": shown,
        # Counted only when the list is cut: one query less on the usual page.
        "invitation_total": invitations.count() if len(shown) == INVITATIONS_SHOWN else len(shown),
        "page": page,
        "invite_form": InviteForm(choices=choices) if choices else None,
        "cancel_form": cancel_form or CancelForm(),
    }
    return render(request, "selection/job_dating.html", context, status=status)


@staff_required
@require_safe
def job_dating_detail(request: AppRequest, public_id: UUID) -> HttpResponse:
    return _event_page(request, _event(request, public_id))


@staff_required
@require_POST
def job_dating_invite(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    event = _event(request, public_id)
    ids = [int(value) for value in request.POST.getlist("candidates") if value.isdigit()]
    try:
        outcome = services.job_dating_invite(event=event, candidate_ids=ids, now=timezone.now())
    except services.SelectionError as refused:
        messages.error(request, refused.messages[0])
        return _event_page(request, event, status=400)
    messages.success(request, _("Invited: %(count)d.") % {"count": outcome.invited})
    if outcome.refused:
        messages.warning(
            request,
            _("Not invited, because they no longer qualify: %(count)d.") % {"count": outcome.refused},
        )
    return redirect("recruiter_selection:job_dating", public_id=event.public_id)


@staff_required
@require_POST
def job_dating_cancel(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    event = _event(request, public_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.job_dating_cancel(event=event, reason=form.cleaned_data["reason"], now=timezone.now())
        except services.SelectionError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The job dating is cancelled; its record stays."))
            return redirect("recruiter_selection:job_dating", public_id=event.public_id)
    return _event_page(request, event, cancel_form=form, status=400)


@staff_required
@require_POST
def job_dating_held(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    event = _event(request, public_id)
    try:
        services.job_dating_mark_held(event=event)
    except services.SelectionError as refused:
        messages.error(request, refused.messages[0])
        return _event_page(request, event, status=400)
    messages.success(request, _("The job dating is marked as held."))
    return redirect("recruiter_selection:job_dating", public_id=event.public_id)


# --- Employers -------------------------------------------------------------------------------------


@employer_required
@require_safe
def employer_job_datings(request: AppRequest) -> HttpResponse:
    assert request.user.organisation_id is not None  # employer_required
    events = selectors.job_datings_for_employer(organisation_id=request.user.organisation_id)
    return render(request, "selection/employer_list.html", {"events": events})


@employer_required
@require_safe
def employer_job_dating(request: AppRequest, public_id: UUID) -> HttpResponse:
    assert request.user.organisation_id is not None  # employer_required
    organisation_id = request.user.organisation_id
    event = get_scoped_or_404(
        request, selectors.job_datings_for_employer(organisation_id=organisation_id), public_id=public_id
    )
    profiles = selectors.invited_profiles(event=event, organisation_id=organisation_id)
    return render(request, "selection/employer_detail.html", {"event": event, "profiles": profiles})
