"""The EU Talent Pool / EURES downloads (docs/talent-pool.md): a page for the public employment service's
staff saying what goes out, and the two JSON documents, streamed while the rows are read.

The public employment service's own staff only (``pes_staff_required``: a coordinator employed by a
partner agency or an international organisation, employers, partners and candidates get a 403; visitors
are sent to sign in): the documents name the exporting organisation as the candidates' contact point.
They hold every consenting candidate and every open shortage vacancy, whoever registered them: the
export is the public employment service's, as its candidate search is.
"""

from collections.abc import Iterator

from django.http import HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from core.spreadsheets import export_filename
from exports import talent_pool
from recruitment.views.common import AppRequest, pes_staff_required

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def _json_download(lines: Iterator[str], name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type=JSON_CONTENT_TYPE)
    filename = export_filename(name, extension="json")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@pes_staff_required
@require_safe
def talent_pool_page(request: AppRequest) -> HttpResponseBase:
    """What the two downloads hold today, with their links (two counts)."""
    today = timezone.localdate()
    context = {
        "candidate_count": talent_pool.talent_pool_candidates().count(),
        "vacancy_count": talent_pool.talent_pool_vacancies(day=today).vacancies.count(),
        "today": today,
    }
    return render(request, "exports/talent_pool.html", context)


@pes_staff_required
@require_safe
def talent_pool_candidates(request: AppRequest) -> HttpResponseBase:
    lines = talent_pool.candidate_document_lines(organisation=request.user.organisation)
    return _json_download(lines, "talent-pool-candidates")


@pes_staff_required
@require_safe
def talent_pool_vacancies(request: AppRequest) -> HttpResponseBase:
    lines = talent_pool.vacancy_document_lines(
        organisation=request.user.organisation, day=timezone.localdate()
    )
    return _json_download(lines, "talent-pool-vacancies")
