"""Writes of the duplicates app: ``detect`` fills the review queue, ``decide`` rejects a pair or merges
its two candidates (``merge``: every row of both on the kept one, in one transaction)."""

from duplicates.services.decide import pair_merge, pair_reject
from duplicates.services.detect import DetectReport, duplicates_detect
from duplicates.services.merge import MergeRefused, candidates_merge

__all__ = [
    "DetectReport",
    "MergeRefused",
    "candidates_merge",
    "duplicates_detect",
    "pair_merge",
    "pair_reject",
]
