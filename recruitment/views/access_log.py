"""The access log of candidates' profiles, for the data protection officer: the latest views on screen,
every view (filtered) as a CSV download streamed a line at a time.

Who may open it: a superuser, or anyone given the permission ``candidates.view_profileaccess``
(``access_log_reader_required``); anyone else gets a 403, logged as a security event. Read-only.
"""

from django.http import HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from candidates.access_log_export import access_log_csv_lines
from candidates.models import ProfileAccess
from candidates.selectors import profile_accesses_for_export
from recruitment.forms.access_log import AccessLogFilterForm
from recruitment.views.common import AppRequest, access_log_reader_required

ROWS_SHOWN = 100
EXPORT_CHUNK_ROWS = 2000


@access_log_reader_required
@require_safe
def access_log(request: AppRequest) -> HttpResponseBase:
    """``?download=csv``: the CSV of every view the filters keep; else the page with the latest ones.
    A filter that is not valid shows its error (a 400) and no rows: never a wider export than asked."""
    form = AccessLogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request, "recruitment/recruiter/access_log.html", {"form": form, "rows": []}, status=400
        )
    filters = form.filters() if form.is_bound else {}
    if request.GET.get("download") == "csv":
        every = profile_accesses_for_export(**filters).iterator(chunk_size=EXPORT_CHUNK_ROWS)
        response = StreamingHttpResponse(access_log_csv_lines(every), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="profile-access-log.csv"'
        return response
    kinds = dict(ProfileAccess.Kind.choices)
    whats = dict(ProfileAccess.What.choices)
    rows = [
        {
            "at": at,
            "candidate": candidate,
            "kind": kinds.get(kind, kind),
            "organisation": organisation or "",
            "user": user or "",
            "what": whats.get(what, what),
        }
        for at, candidate, kind, organisation, _organisation_id, user, _user_id, what in (
            profile_accesses_for_export(**filters, newest_first=True)[:ROWS_SHOWN]
        )
    ]
    query = request.GET.copy()
    query["download"] = "csv"
    context = {"form": form, "rows": rows, "limit": ROWS_SHOWN, "download_query": query.urlencode()}
    return render(request, "recruitment/recruiter/access_log.html", context)
