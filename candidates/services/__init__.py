"""Writes of candidate profiles. Every change that can alter a match bumps ``profile_version``.

``versions``: mark a candidate's matches stale and queue their recompute (every write path ends there);
``profiles``: create, update, upsert and withdraw a whole profile with what hangs from it (the partner
API and imports); ``consents``: grant and withdraw consents without ever deleting one.
"""

from candidates.services.consents import sharing_consents_changed
from candidates.services.profiles import (
    ChangeResult,
    ProfileInput,
    candidate_create,
    candidate_update,
    candidate_upsert,
    candidate_withdraw,
    candidates_upsert,
)
from candidates.services.versions import (
    RECOMPUTE_CANDIDATE_TASK,
    RECOMPUTE_CANDIDATES_TASK,
    candidate_delete,
    candidate_profile_changed,
    candidate_profiles_changed,
    candidate_save,
    candidates_recompute_queue,
)

__all__ = [
    "RECOMPUTE_CANDIDATES_TASK",
    "RECOMPUTE_CANDIDATE_TASK",
    "ChangeResult",
    "ProfileInput",
    "candidate_create",
    "candidate_delete",
    "candidate_profile_changed",
    "candidate_profiles_changed",
    "candidate_save",
    "candidate_update",
    "candidate_upsert",
    "candidate_withdraw",
    "candidates_recompute_queue",
    "candidates_upsert",
    "sharing_consents_changed",
]
