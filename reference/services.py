"""Writes of reference data that matching depends on: shortage lists, their entries and occupations,
salary thresholds, the ISCED-VKS crosswalk.

Staleness after a reference change needs no marking here: every vacancy's matches record the basis they
were computed on, including a fingerprint of the reference facts valid on the reference date
(``recruitment.adapters.reference_facts_on``), and the sweeper compares it with the current one. That
also catches a list that becomes valid at midnight, or a change made by any path. This app sits below
``vacancies`` in the layering and cannot bump their versions, so it only wakes the sweeper up
(docs/adr/0003-match-recompute.md).
"""

from django.db import models, transaction

from core.jobs import queue_task_after_commit

SWEEP_TASK = "recruitment.tasks.sweep_stale_matches_task"


def reference_data_changed() -> None:
    """Wake the match sweeper after the current transaction commits.

    Call it in the transaction that created, changed or deleted a shortage list, entry, entry-occupation
    link, salary threshold or qualification equivalence. Idempotent: several calls lead to sweeps that
    find the same stale vacancies, and a vacancy has at most one open recompute job.
    """
    queue_task_after_commit(SWEEP_TASK)


@transaction.atomic
def reference_row_save(instance: models.Model) -> None:
    """Save a reference row edited elsewhere (the admin form) and wake the sweeper."""
    instance.save()
    reference_data_changed()


@transaction.atomic
def reference_row_delete(instance: models.Model) -> None:
    """Delete a reference row (and what cascades from it) and wake the sweeper."""
    instance.delete()
    reference_data_changed()
