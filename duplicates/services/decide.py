"""A person's decision on a pair of the queue: the same person (merge, keeping the record they chose)
or not (rejected for good: detection never proposes it again)."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from core.models import User
from duplicates.models import CandidateMerge, DuplicatePair
from duplicates.services.merge import MergeRefused, candidates_merge


def pair_reject(*, pair: DuplicatePair, by: User, now: datetime.datetime | None = None) -> DuplicatePair:
    """Mark the pair "not the same person"; ``MergeRefused`` if someone decided on it meanwhile. One
    conditional UPDATE: of two people deciding at once, only the first one's decision counts."""
    now = now or timezone.now()
    with transaction.atomic():
        done = DuplicatePair.objects.filter(pk=pair.pk, status=DuplicatePair.Status.OPEN).update(
            status=DuplicatePair.Status.REJECTED, decided_by=by, decided_at=now
        )
        if not done:
            raise MergeRefused(_("Someone has already decided on this pair."), code="decided")
    pair.refresh_from_db()
    return pair


def pair_merge(
    *, pair: DuplicatePair, keep_public_id: uuid.UUID, by: User, now: datetime.datetime | None = None
) -> CandidateMerge:
    """Merge the pair's two candidates, keeping the one whose public id is ``keep_public_id``."""
    candidates = {c.public_id: c for c in Candidate.objects.filter(pk__in=[pair.low_id, pair.high_id])}
    keep = candidates.pop(keep_public_id, None)
    if keep is None or len(candidates) != 1:
        raise MergeRefused(_("Keep one of the two candidates of this pair."), code="not_in_pair")
    (merge,) = candidates.values()
    return candidates_merge(keep=keep, merge=merge, by=by, pair=pair, now=now)
