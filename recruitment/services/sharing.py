"""The follow-up of a case whose employer may no longer see it: the candidate's consent to share ended.

Who sees what is decided when the employer reads (``PlacementQuerySet.shared_with_employer``): a consent
withdrawn or run out hides the case at once, whatever wrote it (the partner API, the admin) and even when
only the clock changed. What must also happen once per such loss is done here, for open cases (closed
ones need no one to act): the case is flagged for the recruiter (``Placement.hidden_from_employer_at``,
shown on the case page, the board and the dashboard), and the partner agency that registered the
candidate gets a ``placement.consent_withdrawn`` event when its API shows it the case. When the consent is
given again the flag goes (the employer sees the case again by the same rule); no event is sent.

Woken after commit by the consent writes of ``candidates`` (a task named as a string: that app may not
import this one), and run every minute by celery beat over every case, which catches consents that ran
out and lost messages. Idempotent: a case is flagged by a conditional UPDATE (still unflagged, still
hidden), and only the run whose UPDATE flagged it emits the event, in the same transaction.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from candidates.models import Consent
from recruitment.models import Placement
from recruitment.services.placements import placement_event_emit
from webhooks.events import EventType


@dataclass(frozen=True)
class SharingSyncReport:
    hidden: int  # cases newly flagged (and reported to their partner agency when it sees them)
    shown: int  # flags cleared: the candidate consents again


def _sharing_ended_at(placement: Placement, now: datetime.datetime) -> datetime.datetime:
    """When the candidate's latest consent to share with the case's employer ended: withdrawn, or run
    out, whichever came first (now, when the row is gone: deleted in the admin)."""
    latest = (
        Consent.objects.filter(
            candidate_id=placement.candidate_id,
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
            recipient_id=placement.vacancy.employer_id,
            granted_at__lte=now,
        )
        .order_by("-granted_at", "-pk")
        .first()
    )
    if latest is None:
        return now
    ends = [moment for moment in (latest.withdrawn_at, latest.expires_at) if moment is not None]
    return min([moment for moment in ends if moment <= now], default=now)


def employer_sharing_sync(*, candidate_id: int | None = None) -> SharingSyncReport:
    """Flag (and report) the open cases newly hidden from their employer, and clear the flag of cases
    shown again; only the cases of ``candidate_id`` when given, else every case."""
    now = timezone.now()
    cases = Placement.objects.all()
    if candidate_id is not None:
        cases = cases.filter(candidate_id=candidate_id)
    shown = (
        cases.shared_with_employer()
        .filter(hidden_from_employer_at__isnull=False)
        .update(hidden_from_employer_at=None)
    )
    hidden = 0
    newly_hidden = (
        cases.open()
        .hidden_from_employer()
        .filter(hidden_from_employer_at__isnull=True)
        .select_related("candidate", "vacancy")
        .order_by("pk")
    )
    for placement in newly_hidden:
        ended_at = _sharing_ended_at(placement, now)
        with transaction.atomic():
            # Conditional: a concurrent run, or a consent given back meanwhile, leaves nothing to do.
            flagged = (
                Placement.objects.open()
                .hidden_from_employer()
                .filter(pk=placement.pk, hidden_from_employer_at__isnull=True)
                .update(hidden_from_employer_at=ended_at)
            )
            if flagged != 1:
                continue
            placement.hidden_from_employer_at = ended_at
            placement_event_emit(
                placement,
                EventType.PLACEMENT_CONSENT_WITHDRAWN,
                extra={"employer": placement.vacancy.employer_id, "consent_ended_at": ended_at.isoformat()},
            )
        hidden += 1
    return SharingSyncReport(hidden=hidden, shown=shown)


__all__ = ["SharingSyncReport", "employer_sharing_sync"]
