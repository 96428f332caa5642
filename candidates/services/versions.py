"""Versions of candidate profiles: mark a candidate's matches stale and queue their recompute.

Call ``candidate_profile_changed`` in the transaction of any edit of the candidate or of what hangs from
it (languages, diplomas and their recognition steps, experience, skills, licences, consents, recruitment
costs, training enrolments, desired occupations, status). The bump makes the candidate stale
(``matched_version != profile_version``) until their candidate-side recompute ran, so the sweeper finds
them even when the wake-up message is lost (docs/adr/0003-match-recompute.md). This app may not import
``recruitment``: the task is named as a string (``core.jobs``).
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from candidates.models import Candidate
from candidates.models.profile import PROFILE_VERSION_FIELDS
from core.jobs import queue_task_after_commit

RECOMPUTE_CANDIDATE_TASK = "recruitment.tasks.recompute_candidate_matches_task"
# Many candidates scored together against every open vacancy, in one job (a bulk request's candidates).
RECOMPUTE_CANDIDATES_TASK = "recruitment.tasks.recompute_candidates_matches_task"
# Candidates per batch message: a bulk request's worth. Scoring them is one NumPy pass over their pairs
# with every open vacancy (about 130,000 pairs at 1,300 vacancies), well under a second.
RECOMPUTE_BATCH = 100


@transaction.atomic
def candidate_profile_changed(candidate_id: int) -> None:
    """Mark the candidate's matches stale and queue their recompute after commit.

    Idempotent in effect: two bumps before a recompute lead to one recompute of the newest profile.
    """
    Candidate.objects.filter(pk=candidate_id).update(profile_version=F("profile_version") + 1)
    queue_task_after_commit(RECOMPUTE_CANDIDATE_TASK, candidate_id)


def candidates_recompute_queue(candidate_ids: Iterable[int]) -> None:
    """Queue the recompute of these (stale) candidates after commit: one candidate's own job, or for
    several, one message per ``RECOMPUTE_BATCH`` of them, each recomputed together in one job (the
    worker claims each candidate's job row, so the locking and version rules are the single job's)."""
    ids = sorted(set(candidate_ids))
    if len(ids) == 1:
        queue_task_after_commit(RECOMPUTE_CANDIDATE_TASK, ids[0])
        return
    for start in range(0, len(ids), RECOMPUTE_BATCH):
        queue_task_after_commit(RECOMPUTE_CANDIDATES_TASK, *ids[start : start + RECOMPUTE_BATCH])


@transaction.atomic
def candidate_profiles_changed(candidate_ids: Iterable[int], *, new_ids: Iterable[int] = ()) -> None:
    """``candidate_profile_changed`` for many candidates (a bulk request, an admin action): one UPDATE,
    and their recompute queued in batches (``candidates_recompute_queue``). ``new_ids``: candidates
    created in this transaction, stale from the start (profile version 1, matched version 0), queued
    with the others without a bump."""
    ids = sorted(set(candidate_ids))
    if ids:
        Candidate.objects.filter(pk__in=ids).update(profile_version=F("profile_version") + 1)
    candidates_recompute_queue([*ids, *new_ids])


@transaction.atomic
def candidate_save(candidate: Candidate, *, mark_stale: bool = True) -> Candidate:
    """Save a candidate edited elsewhere (the admin form) and, unless told not to, mark matches stale.

    An existing candidate is saved without the version columns, so a concurrent bump or recompute
    stamp is never written back over. ``mark_stale=False`` is for a caller that saves related rows
    next and then calls ``candidate_profile_changed`` itself (the admin's ``save_related``).
    """
    if candidate._state.adding:
        candidate.save()  # a new candidate starts stale: profile version 1, matched version 0
        if mark_stale:
            queue_task_after_commit(RECOMPUTE_CANDIDATE_TASK, candidate.pk)
    else:
        candidate.save(
            update_fields=[
                field.name
                for field in candidate._meta.concrete_fields
                if not field.primary_key and field.name not in PROFILE_VERSION_FIELDS
            ]
        )
        if mark_stale:
            candidate_profile_changed(candidate.pk)
    return candidate
