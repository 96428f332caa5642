"""The candidate's data rights (/<lang>/me/data/): download everything held about them (JSON, CSV), ask
that their data be restricted, ask for its erasure.

Every page is the signed-in candidate's own (``candidate_required``): there is no id in these addresses,
so nobody can ask for another candidate's data. The downloads are built when asked and never stored.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from candidate_space.views.common import CandidateRequest, candidate_required
from candidates.models import Candidate
from candidates.services.restriction import candidate_restrict
from privacy import selectors
from privacy.export_formats import as_csv_zip, as_json
from privacy.forms import ErasureForm, RestrictionForm
from privacy.models import ErasureRequest, RequestedBy
from privacy.services import erasure_request_create


def _index_context(request: CandidateRequest, **extra: object) -> dict[str, object]:
    candidate = request.candidate
    return {
        "candidate": candidate,
        "restricted": candidate.status == Candidate.Status.RESTRICTED,
        "open_request": selectors.open_erasure_request(candidate=candidate),
        "decided_requests": selectors.erasure_requests_of(candidate=candidate).exclude(
            status=ErasureRequest.Status.REQUESTED
        )[:5],
        "restriction_form": RestrictionForm(),
        **extra,
    }


@require_safe
@candidate_required
def index(request: CandidateRequest) -> HttpResponse:
    return render(request, "privacy/me_data.html", _index_context(request))


def _download(request: CandidateRequest, content: bytes, content_type: str, extension: str) -> HttpResponse:
    filename = f"talentbrug-my-data-{timezone.localdate():%Y-%m-%d}.{extension}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@never_cache  # personal data: no copy in a shared cache or the browser's back button
@candidate_required
def export_json(request: CandidateRequest) -> HttpResponse:
    data = selectors.candidate_data_export(candidate=request.candidate)
    return _download(request, as_json(data), "application/json; charset=utf-8", "json")


@require_safe
@never_cache
@candidate_required
def export_csv(request: CandidateRequest) -> HttpResponse:
    data = selectors.candidate_data_export(candidate=request.candidate)
    return _download(request, as_csv_zip(data), "application/zip", "zip")


@candidate_required
@require_POST
def restrict(request: CandidateRequest) -> HttpResponseBase:
    form = RestrictionForm(request.POST)
    if not form.is_valid():
        return render(
            request, "privacy/me_data.html", _index_context(request, restriction_form=form), status=400
        )
    # Stored text read by staff: in the site's language, whatever the candidate reads the page in.
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("The candidate asked for the restriction of their data in their space.")
    note = form.cleaned_data["note"].strip()
    try:
        candidate_restrict(candidate=request.candidate, reason=f"{reason} {note}".strip())
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(
            request, "privacy/me_data.html", _index_context(request, restriction_form=form), status=400
        )
    messages.success(
        request,
        _(
            "Your data is restricted: it is kept, but no longer used. Ask your recruiter when you want it "
            "lifted."
        ),
    )
    return redirect("me_data:index")


@require_http_methods(["GET", "HEAD", "POST"])
@candidate_required
def erasure(request: CandidateRequest) -> HttpResponseBase:
    candidate = request.candidate
    open_request = selectors.open_erasure_request(candidate=candidate)
    form = ErasureForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if open_request is not None:  # asked already (a second tab, a double click): nothing new
            return redirect("me_data:index")
        if form.is_valid():
            try:
                erasure_request_create(candidate=candidate, requested_by_kind=RequestedBy.CANDIDATE)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "We have your request. Your data is restricted from now on and will be erased "
                        "within a month; you will no longer be able to sign in then."
                    ),
                )
                return redirect("me_data:index")
        status = 400
    return render(
        request,
        "privacy/me_erasure.html",
        {
            "candidate": candidate,
            "open_request": open_request,
            "preview": selectors.erasure_preview(candidate=candidate),
            "form": form,
        },
        status=status,
    )
