"""The review queue of probable duplicates, for staff (/<lang>/recruiter/duplicates/).

Who: staff (``staff_required``'s roles) whose organisation is the public employment service: the queue
shows every agency's candidates (names, dates of birth), so staff of any other organisation, employers,
partners and candidates get a 403 before anything is looked up, an unknown pair a 404. Merging and
rejecting (a merge cannot be undone) also need ``duplicates.merge_candidates``, as executing an erasure
needs its own permission (privacy/views/staff.py); a superuser holds it. The list shows names and scores;
a pair's page shows side by side only what deciding needs (names, date of birth, nationalities,
registering agencies, e-mail and phone partly masked) and records one profile view per candidate shown
(docs/privacy.md: every view of a profile by staff is logged). Decisions are POSTs; a pair decided by a
colleague a moment ago is refused with a message, never decided twice.
"""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from candidates.models import Candidate, ProfileAccess
from candidates.services import profile_access_record
from core.models import User
from core.security import log_denial
from duplicates import detection, selectors
from duplicates.forms import MergeForm
from duplicates.models import MERGEABLE, DuplicatePair
from duplicates.services import MergeRefused, pair_merge, pair_reject
from recruitment.selectors import is_pes_staff
from recruitment.views.common import AppRequest, _role_required, pes_staff_required

PERMISSION = "duplicates.merge_candidates"

PER_PAGE = 25
REASON_LABELS = {
    detection.NAME_SAME: gettext_lazy("Same name"),
    detection.NAME_SIMILAR: gettext_lazy("Similar name"),
    detection.BIRTH_DATE_SAME: gettext_lazy("Same date of birth"),
    detection.BIRTH_DATE_SWAPPED: gettext_lazy("Date of birth with day and month swapped"),
    detection.NATIONALITY_SHARED: gettext_lazy("A shared nationality"),
    detection.EMAIL_SAME: gettext_lazy("Same e-mail address"),
    detection.PHONE_SAME: gettext_lazy("Same phone number"),
}


def can_decide(user: User) -> bool:
    return is_pes_staff(user) and user.is_active and user.has_perm(PERMISSION)


decider_required = _role_required(can_decide, "duplicates-decide")


def mask_email(email: str) -> str:
    """ "f•••@example.org": enough to see that two addresses differ, not to write to one."""
    local, _at, domain = email.partition("@")
    if not email or not domain:
        return "•••" if email else ""
    return f"{local[:1]}•••@{domain}"


def mask_phone(phone: str) -> str:
    digits = [char for char in phone if char.isdigit()]
    return f"••• {''.join(digits[-3:])}" if len(digits) >= 3 else ("•••" if phone else "")


def _reasons(pair: DuplicatePair) -> list[str]:
    return [str(REASON_LABELS.get(code, code)) for code in pair.reasons]


def _side(candidate: Candidate) -> dict[str, object]:
    return {
        "candidate": candidate,
        "anonymised": candidate.status == Candidate.Status.ANONYMISED,
        "email": mask_email(candidate.email),
        "phone": mask_phone(candidate.phone),
    }


@require_safe
@pes_staff_required
def pair_list(request: AppRequest) -> HttpResponse:
    page = Paginator(selectors.open_pairs(), PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"pair": pair, "reasons": _reasons(pair)} for pair in page.object_list]
    return render(request, "duplicates/pair_list.html", {"page": page, "rows": rows})


def _pair(request: AppRequest, pk: int) -> DuplicatePair:
    pair = selectors.pair_for_staff(pk)
    if pair is None:
        log_denial(request, f"not-found:{DuplicatePair._meta.label}")
        raise Http404
    return pair


def _detail(
    request: AppRequest, pair: DuplicatePair, *, form: MergeForm | None = None, status: int = 200
) -> HttpResponse:
    sides = [_side(pair.low), _side(pair.high)]
    shown = [side["candidate"].pk for side in sides if not side["anonymised"]]  # type: ignore[attr-defined]
    profile_access_record(
        candidate_ids=shown, kind=ProfileAccess.Kind.STAFF, what=ProfileAccess.What.PROFILE, user=request.user
    )
    return render(
        request,
        "duplicates/pair_detail.html",
        {
            "pair": pair,
            "sides": sides,
            "reasons": _reasons(pair),
            # Restricted or anonymised: no decision offered (a merge would be refused).
            "can_decide": can_decide(request.user),
            "is_open": pair.status == DuplicatePair.Status.OPEN
            and pair.low.status in MERGEABLE
            and pair.high.status in MERGEABLE,
            "merge": selectors.merge_of_pair(pair) if pair.status == DuplicatePair.Status.MERGED else None,
            "form": form or MergeForm(pair=pair),
        },
        status=status,
    )


@require_safe
@pes_staff_required
def pair_detail(request: AppRequest, pk: int) -> HttpResponse:
    return _detail(request, _pair(request, pk))


@decider_required
@require_POST
def merge(request: AppRequest, pk: int) -> HttpResponseBase:
    pair = _pair(request, pk)
    form = MergeForm(request.POST, pair=pair)
    if not form.is_valid():
        return _detail(request, pair, form=form, status=400)
    try:
        done = pair_merge(pair=pair, keep_public_id=uuid.UUID(form.cleaned_data["keep"]), by=request.user)
    except MergeRefused as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("duplicates:pair_detail", pk=pair.pk)
    moved = sum(row.get("moved", 0) for row in done.counts.values())
    messages.success(
        request, _("The records are merged: %(count)d rows moved to the kept record.") % {"count": moved}
    )
    return redirect("duplicates:pair_list")


@decider_required
@require_POST
def reject(request: AppRequest, pk: int) -> HttpResponseBase:
    pair = _pair(request, pk)
    try:
        pair_reject(pair=pair, by=request.user)
    except MergeRefused as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("duplicates:pair_detail", pk=pair.pk)
    messages.success(request, _("Marked as not the same person: this pair will not be proposed again."))
    return redirect("duplicates:pair_list")
