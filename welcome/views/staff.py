"""The staff's side of the welcome pages (/<lang>/recruiter/welcome/): the pages per stage and language,
their versions, writing and publishing a version, and who read what.

Reading is for every staff user; writing and publishing for those who may edit (``editor_required``).
Writes are POSTs that call one service each; a refusal shows its reason in the user's language and
writes nothing. Lists are bounded: the pages' list costs three queries whatever the number of pages,
the readers' table is paginated.
"""

from itertools import groupby

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.security import log_denial
from recruitment.selectors.candidates import candidates_visible_to
from recruitment.views.common import AppRequest, get_scoped_or_404
from welcome.formatting import text_blocks
from welcome.forms import PUBLISH, PageCreateForm, PageTextForm
from welcome.models import InformationPage, PageLanguage, PageVersion, StageGroup
from welcome.selectors import (
    can_edit_pages,
    latest_version,
    page_for_staff,
    page_reading,
    page_versions,
    pages_for_staff,
    welcome_entries_for_candidate,
)
from welcome.services import PageError, page_create, page_version_create, page_version_publish
from welcome.views.common import editor_required, staff_required

READERS_PER_PAGE = 50


def _page_or_404(request: AppRequest, public_id: str) -> InformationPage:
    page = page_for_staff(public_id=public_id)
    if page is None:
        log_denial(request, "not-found:welcome.InformationPage")
        raise Http404
    return page


def _put_back(form: PageTextForm, error: PageError) -> None:
    """A service's refusal on the form: on its field when there is one, else on the whole form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@staff_required
@require_safe
def page_list(request: AppRequest) -> HttpResponse:
    group = request.GET.get("stage", "")
    if group not in StageGroup.values:
        group = ""
    rows = pages_for_staff(group=group)
    sections = [
        {"label": StageGroup(key).label, "rows": list(found)}
        for key, found in groupby(rows, key=lambda row: row.page.stage_group)
    ]
    return render(
        request,
        "welcome/staff/page_list.html",
        {
            "sections": sections,
            "groups": StageGroup.choices,
            "group": group,
            "languages": PageLanguage.choices,
            "can_edit": can_edit_pages(request.user),
        },
    )


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def page_new(request: AppRequest) -> HttpResponseBase:
    form = PageCreateForm(request.POST or None, initial={"language": (get_language() or "nl")[:2]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = page_create(
                topic=data["topic"],
                stage_group=data["stage_group"],
                region=data["region"],
                municipality=data["municipality"],
                position=data["position"],
                language=data["language"],
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                is_example=data["is_example"],
                publish=request.POST.get("action") == PUBLISH,
                by=request.user,
            )
        except PageError as error:
            _put_back(form, error)
        else:
            messages.success(request, _("The page was created."))
            return redirect("welcome_admin:page_detail", public_id=version.page.public_id)
    status = 400 if form.errors else 200
    return render(request, "welcome/staff/page_new.html", {"form": form}, status=status)


@staff_required
@require_safe
def page_detail(request: AppRequest, public_id: str) -> HttpResponse:
    page = _page_or_404(request, public_id)
    versions = page_versions(page=page)
    by_language = {
        code: list(found) for code, found in groupby(versions, key=lambda version: version.language)
    }
    reading = page_reading(page=page)
    return render(
        request,
        "welcome/staff/page_detail.html",
        {
            "page": page,
            "stage": StageGroup(page.stage_group).label,
            "languages": [(code, label, by_language.get(code, [])) for code, label in PageLanguage.choices],
            "reading": reading,
            "can_edit": can_edit_pages(request.user),
        },
    )


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def version_new(request: AppRequest, public_id: str, language: str) -> HttpResponseBase:
    if language not in PageLanguage.values:
        raise Http404
    page = _page_or_404(request, public_id)
    newest = latest_version(page=page, language=language)
    form = PageTextForm(request.POST or None, initial=PageTextForm.initial_from(newest))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = page_version_create(
                page=page,
                language=language,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                is_example=data["is_example"],
                publish=request.POST.get("action") == PUBLISH,
                by=request.user,
            )
        except PageError as error:
            _put_back(form, error)
        else:
            if version.status == PageVersion.Status.PUBLISHED:
                messages.success(request, _("Version %(number)d is published.") % {"number": version.number})
            else:
                messages.success(
                    request, _("Version %(number)d is saved as a draft.") % {"number": version.number}
                )
            return redirect("welcome_admin:page_detail", public_id=page.public_id)
    return render(
        request,
        "welcome/staff/version_new.html",
        {
            "page": page,
            "form": form,
            "language": PageLanguage(language).label,
            "newest": newest,
        },
        status=400 if form.errors else 200,
    )


@staff_required
@require_safe
def version_detail(request: AppRequest, public_id: str) -> HttpResponse:
    version = get_scoped_or_404(
        request, PageVersion.objects.select_related("page", "created_by", "published_by"), public_id=public_id
    )
    return render(
        request,
        "welcome/staff/version_detail.html",
        {
            "version": version,
            "page": version.page,
            "blocks": text_blocks(version.body),
            "can_edit": can_edit_pages(request.user),
        },
    )


@editor_required
@require_POST
def version_publish(request: AppRequest, public_id: str) -> HttpResponseBase:
    version = get_scoped_or_404(request, PageVersion.objects.select_related("page"), public_id=public_id)
    try:
        page_version_publish(version_id=version.pk, by=request.user)
    except PageError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Version %(number)d is published.") % {"number": version.number})
    return redirect("welcome_admin:page_detail", public_id=version.page.public_id)


@staff_required
@require_safe
def page_readers(request: AppRequest, public_id: str) -> HttpResponse:
    page = _page_or_404(request, public_id)
    reading = page_reading(page=page)
    readers = Paginator(reading.rows, READERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "welcome/staff/page_readers.html",
        {"page": page, "stage": StageGroup(page.stage_group).label, "reading": reading, "readers": readers},
    )


@staff_required
@require_safe
def candidate_reading(request: AppRequest, public_id: str) -> HttpResponse:
    candidate = get_scoped_or_404(request, candidates_visible_to(user=request.user), public_id=public_id)
    entries = welcome_entries_for_candidate(candidate=candidate, language=(get_language() or "en")[:2])
    return render(
        request, "welcome/staff/candidate_reading.html", {"candidate": candidate, "entries": entries}
    )
