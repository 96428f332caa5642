"""The imports pages, one set per area: the recruiter's (candidates and vacancies), the partner agency's
(its candidates) and the employer's (its vacancies).

Each page is authorised like the area's other pages (the role decorator: a 403 before anything is
looked up); an import is fetched through ``imports_visible_to``, so another organisation's is a 404.
The job page is the recruiter's bulk recompute page's progress bar (the same fragment, polled with
htmx while the import runs; without JavaScript a reload shows the progress), then the report.
"""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from core.models import User
from core.spreadsheets import requested_format, spreadsheet_response, unknown_format_response
from imports.importers import columns_for
from imports.models import ImportArea, ImportJob, ImportKind
from imports.readers import MAX_ROWS, MAX_UPLOAD_BYTES
from imports.selectors import imports_visible_to, recent_imports
from imports.services import import_start
from imports.uploads import CappedUploadHandler
from recruitment.selectors import is_pes_staff
from recruitment.views.common import (
    AppRequest,
    employer_required,
    get_scoped_or_404,
    partner_required,
    staff_required,
)

FINISHED = (ImportJob.Status.DONE, ImportJob.Status.FAILED)
# Which imports each area offers, and who may open its pages.
AREA_KINDS: dict[str, tuple[str, ...]] = {
    ImportArea.RECRUITER: (ImportKind.CANDIDATES, ImportKind.VACANCIES),
    ImportArea.PARTNER: (ImportKind.CANDIDATES,),
    ImportArea.EMPLOYER: (ImportKind.VACANCIES,),
}
AREA_DECORATOR: dict[str, Callable[..., Any]] = {
    ImportArea.RECRUITER: staff_required,
    ImportArea.PARTNER: partner_required,
    ImportArea.EMPLOYER: employer_required,
}


def too_large_message() -> str:
    return _("The file is larger than %(size)d MB: split it into smaller files.") % {
        "size": MAX_UPLOAD_BYTES // (1024 * 1024)
    }


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (CSV or XLSX)"))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large_message())
        return bytes(upload.read())


def _language() -> str:
    language = (get_language() or "en")[:2]
    return language if language in ("nl", "fr", "en") else "en"


def _may_import(user: User, area: str, kind: str) -> bool:
    """A recruiter's vacancy import writes for any employer: only the public employment service's staff
    may (staff of another organisation kind are not trusted with every employer's vacancies)."""
    if area == ImportArea.RECRUITER and kind == ImportKind.VACANCIES:
        return is_pes_staff(user)
    return True


def _kinds(user: User, area: str) -> tuple[str, ...]:
    return tuple(kind for kind in AREA_KINDS[area] if _may_import(user, area, kind))


def _kind_or_404(request: AppRequest, area: str, kind: str) -> str:
    if kind not in AREA_KINDS[area]:
        raise Http404
    if not _may_import(request.user, area, kind):
        raise PermissionDenied  # by role, like the area's other pages
    return kind


def _index_context(request: AppRequest, area: str, forms_by_kind: dict[str, UploadForm]) -> dict[str, Any]:
    kinds = [
        {
            "kind": kind,
            "label": ImportKind(kind).label,
            "form": forms_by_kind.get(kind) or UploadForm(),
            "columns": [c.header(_language()) for c in columns_for(kind, area)],
        }
        for kind in _kinds(request.user, area)
    ]
    return {
        "area": area,
        "namespace": f"{area}_imports",
        "kinds": kinds,
        "jobs": recent_imports(user=request.user, area=area),
        "max_rows": MAX_ROWS,
        "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
    }


def _index(area: str) -> Callable[..., HttpResponseBase]:
    @require_safe
    def index(request: AppRequest) -> HttpResponse:
        """The upload forms, the templates to download and the latest imports."""
        return render(request, "imports/index.html", _index_context(request, area, {}))

    return AREA_DECORATOR[area](index)


def _upload(area: str) -> Callable[..., HttpResponseBase]:
    @csrf_protect
    @require_POST
    def upload(request: AppRequest, kind: str, capped: CappedUploadHandler) -> HttpResponseBase:
        """Store the file as a pending import and show its progress; a missing or oversized file is the
        form again with its error."""
        kind = _kind_or_404(request, area, kind)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            if capped.exceeded:  # the upload was stopped: the form only sees a missing file
                form.errors["file"] = form.error_class([too_large_message()])
            context = _index_context(request, area, {kind: form})
            return render(request, "imports/index.html", context, status=400)
        job = import_start(
            user=request.user, area=area, kind=kind, content=form.cleaned_data["file"], language=_language()
        )
        return redirect(f"{area}_imports:job_detail", public_id=job.public_id)

    # The size cap must be installed before anything reads the body, the CSRF middleware included: it
    # skips this view (csrf_exempt), and csrf_protect checks the token inside, once the handler is in
    # place (Django's documented way to change upload handlers).
    @csrf_exempt
    def capped_upload(request: AppRequest, kind: str) -> HttpResponseBase:
        capped = CappedUploadHandler(request)
        request.upload_handlers.insert(0, capped)
        return upload(request, kind, capped)

    return AREA_DECORATOR[area](capped_upload)


def _template(area: str) -> Callable[..., HttpResponseBase]:
    @require_safe
    def template(request: AppRequest, kind: str) -> HttpResponseBase:
        """An empty file with the columns' headers in the page's language (``?format=csv|xlsx``)."""
        kind = _kind_or_404(request, area, kind)
        fmt = requested_format(request)
        if fmt is None:
            return unknown_format_response()
        headers = [c.header(_language()) for c in columns_for(kind, area)]
        label = str(ImportKind(kind).label)
        return spreadsheet_response(
            fmt=fmt, headers=headers, rows=[], name=(_("template"), label, _language()), title=label
        )

    return AREA_DECORATOR[area](template)


def _job_detail(area: str) -> Callable[..., HttpResponseBase]:
    @require_safe
    def job_detail(request: AppRequest, public_id: UUID) -> HttpResponse:
        """An import's progress and then its report; an htmx request gets the progress fragment only."""
        job = get_scoped_or_404(
            request, imports_visible_to(user=request.user, area=area).defer("content"), public_id=public_id
        )
        finished = job.status in FINISHED
        context = {
            "job": job,
            "finished": finished,
            "namespace": f"{area}_imports",
            "poll_url": reverse(f"{area}_imports:job_detail", args=[job.public_id]),
            "done_text": _("The import has finished: its report is below.")
            if request.htmx
            else _("The import has finished."),
            "failed_text": _("The import stopped on an error: nothing was written. Upload the file again."),
            "list_url": _list_url(area, job.kind),
        }
        if request.htmx:
            if finished:
                # A finished import's report is on the full page: reload it once (no script of ours).
                response = HttpResponse(status=204)
                response["HX-Refresh"] = "true"
                return response
            response = render(request, "recruitment/recruiter/includes/_job_progress.html", context)
        else:
            response = render(request, "imports/job_detail.html", context)
        patch_vary_headers(response, ("HX-Request",))
        return response

    return AREA_DECORATOR[area](job_detail)


def _list_url(area: str, kind: str) -> str:
    """Where the imported rows are listed."""
    if area == ImportArea.PARTNER:
        return reverse("partner:candidate_list")
    if area == ImportArea.EMPLOYER:
        return reverse("employer:vacancy_list")
    if kind == ImportKind.CANDIDATES:
        return reverse("recruiter:candidate_list")
    return reverse("recruiter:vacancy_list")


def views_for(area: str) -> dict[str, Callable[..., HttpResponseBase]]:
    return {
        "index": _index(area),
        "upload": _upload(area),
        "template": _template(area),
        "job_detail": _job_detail(area),
    }
