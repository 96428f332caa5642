"""The reference data page (issue 12, item 4): staff who maintain reference data publish a year's salary
thresholds or a shortage list from the official CSV file, after a preview of what it changes.

Upload (POST) -> the file is read and checked completely (``reference.uploads``); on any problem the page
lists them all and nothing is kept. A valid file becomes a plan, kept in the user's session under a
random token (the session is in the database; no file is stored). Preview (GET) -> which open vacancies
and matches would change. Publish (POST) -> one transaction, and the match sweeper recomputes.

Who: staff (``staff_required``'s roles) who hold the reference data permissions of the admin
(``MAINTAINER_PERMISSIONS``; a superuser holds them all); any other user gets a 403.
"""

import secrets

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.models import User
from recruitment.explanations import route_label
from recruitment.forms.reference_data import ShortageListUploadForm, ThresholdUploadForm
from recruitment.selectors import is_staff_user
from recruitment.selectors.reference_preview import VacancyChange, reference_upload_preview
from recruitment.views.common import AppRequest, _role_required
from reference.in_force import in_force_on
from reference.models import SalaryThreshold, ShortageList
from reference.publishing import reference_publish
from reference.uploads import Plan, UploadError, plan_shortage_list, plan_thresholds
from reference.wording import part_label, provisional_sentence

MAINTAINER_PERMISSIONS = (
    "reference.add_salarythreshold",
    "reference.change_salarythreshold",
    "reference.add_shortagelist",
    "reference.change_shortagelist",
)
SESSION_PREFIX = "reference_upload:"


def can_maintain_reference(user: User) -> bool:
    return is_staff_user(user) and user.is_active and user.has_perms(MAINTAINER_PERMISSIONS)


maintainer_required = _role_required(can_maintain_reference, "reference")


def _index(
    request: AppRequest,
    *,
    thresholds_form: ThresholdUploadForm | None = None,
    list_form: ShortageListUploadForm | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    in_force = in_force_on(today)
    return render(
        request,
        "reference/reference_data.html",
        {
            "thresholds": SalaryThreshold.objects.filter(region="VLG").order_by("-valid_from", "category")[
                :40
            ],
            "lists": ShortageList.objects.filter(region="VLG").order_by("kind", "-valid_from"),
            "provisional_notes": [
                provisional_sentence(part.part, part.valid_from, part.valid_to, today)
                for part in in_force.provisional_parts()
            ],
            "thresholds_form": thresholds_form or ThresholdUploadForm(),
            "list_form": list_form or ShortageListUploadForm(),
            "problems": problems or [],
        },
        status=status,
    )


@maintainer_required
@require_safe
def reference_data(request: AppRequest) -> HttpResponse:
    return _index(request)


@maintainer_required
@require_POST
def reference_upload(request: AppRequest) -> HttpResponseBase:
    """Check the file; on success keep its plan in the session and show the preview."""
    if request.POST.get("what") == "shortage_list":
        list_form = ShortageListUploadForm(request.POST, request.FILES)
        if not list_form.is_valid():
            return _index(request, list_form=list_form, status=400)
        data = list_form.cleaned_data
        upload = data["file"]
        try:
            plan = plan_shortage_list(
                upload.read(),
                kind=data["kind"],
                title=data["title"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                legal_reference=data["legal_reference"],
                source=data["source"],
                filename=upload.name,
            )
        except UploadError as error:
            return _index(request, list_form=list_form, problems=error.problems, status=400)
    else:
        thresholds_form = ThresholdUploadForm(request.POST, request.FILES)
        if not thresholds_form.is_valid():
            return _index(request, thresholds_form=thresholds_form, status=400)
        upload = thresholds_form.cleaned_data["file"]
        try:
            plan = plan_thresholds(upload.read(), filename=upload.name)
        except UploadError as error:
            return _index(request, thresholds_form=thresholds_form, problems=error.problems, status=400)
    token = secrets.token_urlsafe(16)
    for key in [key for key in request.session.keys() if key.startswith(SESSION_PREFIX)]:  # noqa: SIM118 (a session is not iterable)
        del request.session[key]  # one upload awaits publishing at a time: the session stays small
    request.session[SESSION_PREFIX + token] = plan.as_dict()
    return redirect("recruiter:reference_preview", token=token)


def _plan(request: AppRequest, token: str) -> Plan:
    data = request.session.get(SESSION_PREFIX + token)
    if not isinstance(data, dict):
        raise Http404  # another user's token, an old one, or a made-up one: the session is the user's own
    return Plan.from_dict(data)


@maintainer_required
@require_safe
def reference_preview(request: AppRequest, token: str) -> HttpResponse:
    plan = _plan(request, token)
    today = timezone.localdate()
    preview = reference_upload_preview(plan, today=today)
    return render(
        request,
        "reference/reference_preview.html",
        {
            "token": token,
            "plan": plan,
            "list_kind": part_label(plan.shortage_list["kind"]) if plan.shortage_list else "",
            "category_label": {c.value: c.label for c in SalaryThreshold.Category},
            "preview": preview,
            "route_label": route_label,
            "rows": [_row(change) for change in preview.changes],
        },
    )


def _row(change: VacancyChange) -> dict[str, object]:
    """What the preview table shows of one vacancy, as labels."""
    salary = {
        "meets": _("meets the threshold"),
        "below": _("below the threshold"),
        "unknown": _("no threshold"),
    }
    return {
        "change": change,
        "salary": [
            f"{route_label(route)}: {salary[was]} → {salary[now]}"
            for route, was, now in change.salary_changes
        ],
        "lists_before": [part_label(kind) for kind in change.before.lists],
        "lists_after": [part_label(kind) for kind in change.after.lists],
        "opening": [route_label(route) for route in change.routes_opening],
        "closing": [route_label(route) for route in change.routes_closing],
        "matching_before": [route_label(r) for r in change.before.matching_routes],
        "matching_after": [route_label(r) for r in change.after.matching_routes],
    }


@maintainer_required
@require_POST
def reference_publish_view(request: AppRequest, token: str) -> HttpResponseBase:
    plan = _plan(request, token)
    # Spent before publishing: a second click finds no upload (404) instead of publishing it twice.
    kept = request.session.pop(SESSION_PREFIX + token)
    request.session.save()
    try:
        reference_publish(plan)
    except UploadError as error:
        request.session[SESSION_PREFIX + token] = kept  # the maintainer may fix the data and try again
        for problem in error.problems:
            messages.error(request, problem)
        return redirect("recruiter:reference_data")
    messages.success(
        request,
        _("Published. The matches of the open vacancies are being recomputed with the new reference data."),
    )
    return redirect("recruiter:reference_data")
