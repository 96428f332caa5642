"""The candidate's information pages (/<lang>/me/welcome/): the pages for the stages of their cases, in
their language, with what is new or updated since they last read it.

Opening a page records a read receipt, on the GET itself: the receipt means "opened", which is what
staff need to know, and a button to press would be forgotten by most and so undercount. The write is
the smallest there is and idempotent (one row per candidate and version, the first opening kept; a
second view only reads), it is made only for the signed-in candidate themself (``candidate_required``),
so a link checker or a mail scanner following a link in an e-mail records nothing.
"""

from itertools import groupby

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from candidate_space.views.common import CandidateRequest, candidate_required
from core.security import log_denial
from welcome.formatting import text_blocks
from welcome.models import StageGroup
from welcome.selectors import ReadStatus, welcome_entries_for_candidate, welcome_entry_for_candidate
from welcome.services import page_read_record


def _language() -> str:
    return (get_language() or "en")[:2]


@candidate_required
@require_safe
def index(request: CandidateRequest) -> HttpResponse:
    entries = welcome_entries_for_candidate(candidate=request.candidate, language=_language())
    sections = [
        {"label": StageGroup(group).label, "entries": list(found)}
        for group, found in groupby(entries, key=lambda entry: entry.page.stage_group)
    ]
    unread = sum(entry.status != ReadStatus.READ for entry in entries)
    return render(request, "welcome/me/index.html", {"sections": sections, "unread": unread})


@candidate_required
@require_safe
def page(request: CandidateRequest, public_id: str) -> HttpResponse:
    entry = welcome_entry_for_candidate(
        candidate=request.candidate, public_id=public_id, language=_language()
    )
    if entry is None:  # not a page for this candidate's stages (or none): the same 404
        log_denial(request, "not-found:welcome.InformationPage")
        raise Http404
    page_read_record(candidate=request.candidate, version=entry.version)
    return render(
        request,
        "welcome/me/page.html",
        {
            "entry": entry,
            "version": entry.version,
            "blocks": text_blocks(entry.version.body),
            "stage": StageGroup(entry.page.stage_group).label,
            "other_language": entry.version.language != _language(),
        },
    )
