"""Compliance holds on a case: while ``Placement.held_since`` is set the case cannot move on, only stop
(``HOLD_EXITS``: the employer's decline, a permit refusal, its end or withdrawal;
``recruitment.services.placements`` refuses every other move, in the same conditional UPDATE that makes
the move, so a hold and a concurrent move never both win), and no interview date is proposed or
confirmed (``recruitment.services.interviews``).

The apps that find a breach (``costs``: a recruitment cost charged to the candidate) put the hold on and
lift it through these two functions, inside their own transaction, and keep their own log of why. Both
are idempotent conditional UPDATEs and return whether they changed the case. Neither bumps the case's
``version``: a hold is not a move, and an open page's move form stays valid for the closing moves.
"""

import datetime

from django.db.models import Q

from recruitment.models import Placement

# The reason a hold carries when a recruitment cost was recorded as paid by the candidate (the
# employer-pays principle, docs/pathways/employer-costs.md); the case page says it in the user's language.
CANDIDATE_PAID_COST = "candidate_paid_cost"


def placement_hold(*, placement_id: int, reason: str, at: datetime.datetime) -> bool:
    """Put the case on hold since ``at`` with ``reason`` (a code such as ``CANDIDATE_PAID_COST``); a case
    already held keeps its first date and reason. True when this call put the hold on."""
    if not reason:
        raise ValueError("A hold needs its reason.")
    return bool(
        Placement.objects.filter(pk=placement_id, held_since__isnull=True).update(
            held_since=at, hold_reason=reason
        )
    )


def placement_release(*, placement_id: int, reason: str) -> bool:
    """Lift the hold ``reason`` put on the case (a hold for another reason stays). True when lifted."""
    return bool(
        Placement.objects.filter(
            Q(pk=placement_id) & Q(held_since__isnull=False) & Q(hold_reason=reason)
        ).update(held_since=None, hold_reason="")
    )


__all__ = ["CANDIDATE_PAID_COST", "placement_hold", "placement_release"]
