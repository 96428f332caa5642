"""Interview slots on the recruiter's case page: confirm one of the employer's dates for the candidate."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recruitment import selectors
from recruitment.selectors.interviews import interview_slots_for
from recruitment.services.interviews import interview_slot_accept
from recruitment.services.placements import PlacementError
from recruitment.views.common import AppRequest, get_scoped_or_404, staff_required


@staff_required
@require_POST
def interview_slot_accept_view(request: AppRequest, public_id: UUID, slot: UUID) -> HttpResponseBase:
    """Confirm a slot on the candidate's behalf (after agreeing it with them); the others are declined
    and a case at "employer interested" moves to "interview"."""
    placement = get_scoped_or_404(
        request, selectors.placements_visible_to(user=request.user), public_id=public_id
    )
    chosen = get_scoped_or_404(request, interview_slots_for(placement), public_id=slot)
    try:
        interview_slot_accept(slot=chosen, actor=request.user)
    except PlacementError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        # date_format prints the hour the datetime carries (UTC, as read from the database); templates
        # convert to the active time zone by themselves, a message must do it here.
        when = formats.date_format(timezone.localtime(chosen.starts_at), "DATETIME_FORMAT")
        messages.success(request, _("The interview on %(when)s is confirmed.") % {"when": when})
    return redirect("recruiter:placement_detail", public_id=placement.public_id)
