"""Writes of candidate profiles. Every change that can alter a match bumps ``profile_version``.

``versions``: mark a candidate's matches stale and queue their recompute (every write path ends there);
``profiles``: create, update, upsert and withdraw a whole profile with what hangs from it (the partner
API and imports); ``consents``: grant and withdraw consents without ever deleting one; ``restriction``:
restrict the processing of a candidate's data and lift it (GDPR art. 18); ``access_log``: record who
looked at a profile; ``consent_wording``: publish a new version of a consent's text (never change one).
"""

from candidates.services.access_log import profile_access_record
from candidates.services.consent_wording import WordingText, consent_wording_publish
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
from candidates.services.restriction import candidate_restrict, candidate_restriction_lift
from candidates.services.versions import (
    RECOMPUTE_CANDIDATE_TASK,
    RECOMPUTE_CANDIDATES_TASK,
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
    "WordingText",
    "candidate_create",
    "candidate_profile_changed",
    "candidate_profiles_changed",
    "candidate_restrict",
    "candidate_restriction_lift",
    "candidate_save",
    "candidate_update",
    "candidate_upsert",
    "candidate_withdraw",
    "candidates_recompute_queue",
    "candidates_upsert",
    "consent_wording_publish",
    "profile_access_record",
    "sharing_consents_changed",
]
