"""How much of the matching's result is stored (ADR 0008, "how much is stored"): the settings every
writer of a vacancy's pairs applies, and the basis records (a change recomputes the vacancy)."""

from django.conf import settings


def near_miss_min_score() -> int:
    """The lowest score of a near-miss that is stored (setting ``MATCH_NEAR_MISS_MIN_SCORE``, ADR 0008)."""
    return int(getattr(settings, "MATCH_NEAR_MISS_MIN_SCORE", 0))


def near_miss_limit() -> int:
    """How many near-misses a vacancy keeps at most, the best ones (``MATCH_NEAR_MISS_LIMIT``; 0: all)."""
    return max(0, int(getattr(settings, "MATCH_NEAR_MISS_LIMIT", 0)))
