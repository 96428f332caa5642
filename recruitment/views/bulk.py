"""Bulk actions on a vacancy's matches: the action bar of the recruiter's vacancy page posts here.

Post/redirect/get: the outcome (or what was wrong with the request) is shown as a message on the
vacancy page, with the filters it was sent from: the counts, then each candidate with their own outcome.
"""

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from recruitment import selectors
from recruitment.forms.bulk import PROPOSE, BulkActionForm
from recruitment.services.bulk import BulkOutcome, placements_bulk_propose, placements_bulk_shortlist
from recruitment.services.placements import PlacementError
from recruitment.views.common import AppRequest, get_scoped_or_404, staff_required


@staff_required
@require_POST
def vacancy_bulk(request: AppRequest, public_id: UUID) -> HttpResponseBase:
    vacancy = get_scoped_or_404(
        request, selectors.vacancies_visible_to(user=request.user), public_id=public_id
    )
    form = BulkActionForm(request.POST)
    back = form.back_query()
    target = reverse("recruiter:vacancy_detail", kwargs={"public_id": vacancy.public_id})
    target = f"{target}?{back}" if back else target
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else None
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return redirect(target)
    data = form.cleaned_data
    try:
        if data["action"] == PROPOSE:
            outcomes = placements_bulk_propose(
                vacancy=vacancy,
                candidate_public_ids=data["candidates"],
                actor=request.user,
                message=data["message"],
                response_due_on=data["response_due_on"],
            )
        else:
            outcomes = placements_bulk_shortlist(
                vacancy=vacancy, candidate_public_ids=data["candidates"], actor=request.user
            )
    except PlacementError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(target)
    level, report = bulk_report(outcomes, proposed=data["action"] == PROPOSE)
    messages.add_message(request, level, report)
    return redirect(target)


@dataclass(frozen=True)
class OutcomeLine:
    name: str
    kind: str  # "done", "already" or "refused": the class of its list item
    text: str


def _line(outcome: BulkOutcome, *, proposed: bool) -> OutcomeLine:
    name = outcome.name or _("Unknown candidate")
    if not outcome.ok:
        return OutcomeLine(name, "refused", _("refused. %(reason)s") % {"reason": outcome.reason})
    if outcome.already:
        return OutcomeLine(name, "already", _("already had a case, left as it was."))
    return OutcomeLine(
        name, "done", _("proposed to the employer.") if proposed else _("added to the shortlist.")
    )


def bulk_report(outcomes: list[BulkOutcome], *, proposed: bool) -> tuple[int, str]:
    """The message for the page and its level: the counts ("3 proposed; 1 refused."), then a list with
    each candidate's own outcome, so that a refusal is read next to its name, not in one long paragraph."""
    done = [outcome for outcome in outcomes if outcome.ok and not outcome.already]
    already = [outcome for outcome in outcomes if outcome.ok and outcome.already]
    refused = [outcome for outcome in outcomes if not outcome.ok]
    if proposed:
        parts = [ngettext("%(count)d proposed", "%(count)d proposed", len(done)) % {"count": len(done)}]
    else:
        parts = [
            ngettext("%(count)d added to the shortlist", "%(count)d added to the shortlist", len(done))
            % {"count": len(done)}
        ]
    if already:
        parts.append(
            ngettext("%(count)d already had a case", "%(count)d already had a case", len(already))
            % {"count": len(already)}
        )
    if refused:
        parts.append(
            ngettext("%(count)d refused", "%(count)d refused", len(refused)) % {"count": len(refused)}
        )
    if not refused:
        level = messages.SUCCESS
    elif done or already:
        level = messages.WARNING
    else:
        level = messages.ERROR
    # Rendered by a template (names escaped there); the message area shows it as it is.
    report = render_to_string(
        "recruitment/recruiter/includes/_bulk_outcomes.html",
        {
            "summary": "; ".join(parts) + ".",
            "lines": [_line(outcome, proposed=proposed) for outcome in outcomes],
        },
    )
    return level, report
