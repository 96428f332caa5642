"""Reads of the duplicates app: the review queue and one pair, for staff."""

from django.db.models import QuerySet

from candidates.models import Candidate
from duplicates.models import COMPARED, CandidateMerge, DuplicatePair


def open_pairs() -> QuerySet[DuplicatePair]:
    """Open pairs of two candidates a merge may still take, best first, with what the list shows."""
    return (
        DuplicatePair.objects.filter(
            status=DuplicatePair.Status.OPEN, low__status__in=COMPARED, high__status__in=COMPARED
        )
        .select_related("low__registered_by", "high__registered_by")
        .order_by("-score", "pk")
    )


def pair_for_staff(pk: int) -> DuplicatePair | None:
    """Any pair (open or decided) whose two candidates are still there to show."""
    return (
        DuplicatePair.objects.filter(pk=pk)
        .select_related("low__registered_by", "high__registered_by", "decided_by")
        .first()
    )


def merge_of_pair(pair: DuplicatePair) -> CandidateMerge | None:
    return (
        CandidateMerge.objects.filter(pair=pair).select_related("kept", "merged_away_registered_by").first()
    )


# A merged record merged again (A into B, then B into C) is followed this many steps at most.
MAX_CHAIN = 10


def merged_into(*, organisation_id: int, external_id: str) -> Candidate | None:
    """The candidate a partner's merged-away reference now lives on, if it was merged (following a
    record merged again), or None."""
    merge = (
        CandidateMerge.objects.filter(
            merged_away_registered_by_id=organisation_id, merged_away_external_id=external_id
        )
        .select_related("kept")
        .order_by("-at")
        .first()
    )
    for _step in range(MAX_CHAIN):
        if merge is None:
            return None
        if merge.kept.status != Candidate.Status.ANONYMISED:
            return merge.kept
        merge = (
            CandidateMerge.objects.filter(merged_away_public_id=merge.kept.public_id)
            .select_related("kept")
            .first()
        )
    return None
