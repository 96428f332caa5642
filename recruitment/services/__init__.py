"""Writes of the recruitment domain: stored matches and the jobs that compute them.

Split by concern: ``jobs`` (create, claim, finish, release), ``recompute`` (one vacancy or one candidate),
``sweep`` (the periodic sweeper and operators' bulk requests), ``consistency`` (the read-only invariant
check). The names below are the public surface; see docs/adr/0003-match-recompute.md.
"""

from recruitment.services.consistency import match_consistency_violations
from recruitment.services.jobs import LEASE, MAX_ATTEMPTS, job_claim, job_create
from recruitment.services.recompute import candidate_matches_recompute, vacancy_matches_recompute
from recruitment.services.sweep import SweepReport, matches_queue_stale, matches_recompute_all, matches_sweep

__all__ = [
    "LEASE",
    "MAX_ATTEMPTS",
    "SweepReport",
    "candidate_matches_recompute",
    "job_claim",
    "job_create",
    "match_consistency_violations",
    "matches_queue_stale",
    "matches_recompute_all",
    "matches_sweep",
    "vacancy_matches_recompute",
]
