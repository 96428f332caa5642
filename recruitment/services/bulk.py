"""Bulk actions on a vacancy's matches: shortlist, or propose to the employer, many candidates at once.

Each candidate is processed in a transaction of its own through the single-case services
(``recruitment.services.placements``), so every rule of one case (a published vacancy, an active
candidate, consent to share with this employer, the transition table, the row version) holds for each
of them, and one refusal neither stops the others nor leaves anything half-written: a proposal that is
refused rolls back the shortlist it needed.

Candidates are looked up only among the vacancy's own matches (``Match`` rows of that vacancy, the scope
of ``recruitment.selectors.matches_for_vacancy``): an id of anyone else is refused like an unknown one,
without revealing whether that person exists.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from core.models import User
from recruitment.models import Match, Placement
from recruitment.services.placements import (
    PlacementError,
    is_staff_actor,
    placement_propose,
    placement_shortlist,
)
from vacancies.models import Vacancy

# The most candidates one request may act on: a page of matches with room to spare, and a bound on
# the time one request holds a worker.
MAX_BULK_CANDIDATES = 50


@dataclass(frozen=True)
class BulkOutcome:
    """What happened to one candidate of a bulk action."""

    candidate_public_id: UUID
    name: str  # "" for an id that is not among the vacancy's matches (nothing is revealed about it)
    ok: bool
    reason: str = ""  # why it was refused, in the user's language
    placement: Placement | None = None
    already: bool = False  # shortlist: the candidate already had a case for this vacancy


def placements_bulk_shortlist(
    *, vacancy: Vacancy, candidate_public_ids: Iterable[UUID], actor: User
) -> list[BulkOutcome]:
    """Add the matched candidates to the vacancy's shortlist; a candidate with a case keeps it as it is.

    Idempotent, as ``placement_shortlist`` is: repeating the request creates nothing more.
    """
    matches, unknown = _matched(vacancy, candidate_public_ids, actor)
    outcomes: list[BulkOutcome] = []
    for match in matches:
        candidate = match.candidate
        existed = Placement.objects.filter(vacancy=vacancy, candidate=candidate).exists()
        try:
            with transaction.atomic():
                placement = placement_shortlist(vacancy=vacancy, candidate=candidate, actor=actor)
        except PlacementError as refused:
            outcomes.append(_refused(match, refused))
        else:
            outcomes.append(
                BulkOutcome(candidate.public_id, str(candidate), True, placement=placement, already=existed)
            )
    return outcomes + [_unknown(public_id) for public_id in unknown]


def placements_bulk_propose(
    *,
    vacancy: Vacancy,
    candidate_public_ids: Iterable[UUID],
    actor: User,
    message: str,
    response_due_on: datetime.date | None,
) -> list[BulkOutcome]:
    """Propose the matched candidates to the employer with one message and one answer deadline,
    shortlisting first those not yet on the shortlist. A candidate already proposed (or further on) is
    refused with the reason the transition table gives; so is one who did not consent to share their
    profile with this employer, and then no shortlist is left behind either.
    """
    matches, unknown = _matched(vacancy, candidate_public_ids, actor)
    outcomes: list[BulkOutcome] = []
    for match in matches:
        candidate = match.candidate
        try:
            with transaction.atomic():
                placement = placement_shortlist(vacancy=vacancy, candidate=candidate, actor=actor)
                placement = placement_propose(
                    placement=placement,
                    actor=actor,
                    expected_version=placement.version,
                    message=message,
                    response_due_on=response_due_on,
                )
        except PlacementError as refused:
            outcomes.append(_refused(match, refused))
        else:
            outcomes.append(BulkOutcome(candidate.public_id, str(candidate), True, placement=placement))
    return outcomes + [_unknown(public_id) for public_id in unknown]


def _matched(
    vacancy: Vacancy, candidate_public_ids: Iterable[UUID], actor: User
) -> tuple[list[Match], list[UUID]]:
    """The vacancy's matches of these candidates, best first, and the ids that are none of them."""
    if not is_staff_actor(actor):
        raise PlacementError(_("Only staff of the public employment service can act on a vacancy's matches."))
    wanted = list(dict.fromkeys(candidate_public_ids))  # without repeats, in the order given
    if len(wanted) > MAX_BULK_CANDIDATES:
        raise PlacementError(
            _("Select at most %(limit)d candidates at a time.") % {"limit": MAX_BULK_CANDIDATES},
            code="too_many",
        )
    matches = list(
        Match.objects.filter(vacancy=vacancy, candidate__public_id__in=wanted)
        .select_related("candidate")
        .ranked()
    )
    found = {match.candidate.public_id for match in matches}
    return matches, [public_id for public_id in wanted if public_id not in found]


def _refused(match: Match, error: PlacementError) -> BulkOutcome:
    candidate = match.candidate
    return BulkOutcome(candidate.public_id, str(candidate), False, reason=" ".join(error.messages))


def _unknown(public_id: UUID) -> BulkOutcome:
    return BulkOutcome(public_id, "", False, reason=_("This candidate is not among this vacancy's matches."))
