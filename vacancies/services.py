"""Writes of vacancies. Each one that can change a match bumps ``criteria_version`` in its transaction.

The bump is what makes the recompute durable: the vacancy is stale (``matched_version !=
criteria_version``) until a recompute has stored matches for the new version, and the sweeper finds
stale vacancies even when the wake-up message after commit is lost (docs/adr/0003-match-recompute.md).
This app may not import ``recruitment``: the task is named as a string (``core.jobs``).
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.jobs import queue_task_after_commit
from projects.models import Project
from vacancies.models import MATCH_STAMP_FIELDS, Vacancy

RECOMPUTE_VACANCY_TASK = "recruitment.tasks.recompute_vacancy_matches_task"


def _saved_fields(vacancy: Vacancy) -> list[str]:
    """Every concrete column but the primary key and the match stamps (see ``MATCH_STAMP_FIELDS``)."""
    return [
        field.name
        for field in vacancy._meta.concrete_fields
        if not field.primary_key and field.name not in MATCH_STAMP_FIELDS
    ]


@transaction.atomic
def vacancy_requirements_changed(vacancy_id: int) -> None:
    """Mark the vacancy's matches stale and queue its recompute after commit.

    Call it in the transaction of any change to the vacancy, its language or skill requirements, the
    projects it is open to, or its status. Idempotent in effect: two bumps before a recompute lead to
    one recompute of the newest version.
    """
    Vacancy.objects.filter(pk=vacancy_id).update(criteria_version=F("criteria_version") + 1)
    queue_task_after_commit(RECOMPUTE_VACANCY_TASK, vacancy_id)


@transaction.atomic
def vacancy_save(vacancy: Vacancy, *, mark_stale: bool = True) -> Vacancy:
    """Save a vacancy edited elsewhere (the admin form) and, unless told not to, mark matches stale.

    A new vacancy starts stale (criteria version 1, matched version 0). An existing one is saved
    without its match stamps, so a concurrent bump or recompute is never written back over.
    ``mark_stale=False`` is for a caller that saves related rows next and then calls
    ``vacancy_requirements_changed`` itself (the admin's ``save_related``).
    """
    if vacancy._state.adding:
        vacancy.save()
        if mark_stale:
            queue_task_after_commit(RECOMPUTE_VACANCY_TASK, vacancy.pk)
    else:
        vacancy.save(update_fields=_saved_fields(vacancy))
        if mark_stale:
            vacancy_requirements_changed(vacancy.pk)
    return vacancy


@transaction.atomic
def vacancy_create(**fields: Any) -> Vacancy:
    """Create a vacancy (validated) and queue its first recompute after commit."""
    projects = fields.pop("open_to_projects", None)
    vacancy = Vacancy(**fields)
    vacancy.full_clean()
    vacancy.save()
    if projects is not None:
        vacancy.open_to_projects.set(projects)
    queue_task_after_commit(RECOMPUTE_VACANCY_TASK, vacancy.pk)
    return vacancy


@transaction.atomic
def vacancy_update(vacancy: Vacancy, **fields: Any) -> Vacancy:
    """Change fields of a vacancy (validated) and mark its matches stale."""
    projects = fields.pop("open_to_projects", None)
    for name, value in fields.items():
        if name in MATCH_STAMP_FIELDS:
            raise ValueError(f"{name} is written by the recompute only")
        setattr(vacancy, name, value)
    vacancy.full_clean()
    vacancy.save(update_fields=_saved_fields(vacancy))
    if projects is not None:
        vacancy.open_to_projects.set(projects)
    vacancy_requirements_changed(vacancy.pk)
    return vacancy


@transaction.atomic
def vacancy_projects_set(*, vacancy: Vacancy, projects: Iterable[Project]) -> None:
    """Open the vacancy to exactly these labour-mobility projects (the public employment service's call).

    Their partner agencies see it and its matches through the API; the matching's inputs include the
    projects, so the matches are marked stale. Only the link rows are written: no other field of the
    vacancy, which its employer may be editing at the same time.
    """
    vacancy.open_to_projects.set(list(projects))
    # Only ``updated_at`` moves (no other field is written): partners syncing with ``updated_since``
    # learn of a vacancy newly open to them (docs/api.md, "Staying in sync").
    Vacancy.objects.filter(pk=vacancy.pk).update(updated_at=timezone.now())
    vacancy_requirements_changed(vacancy.pk)


def vacancy_publish(vacancy: Vacancy) -> Vacancy:
    """Publish a vacancy: from now on it has matches."""
    return vacancy_update(
        vacancy, status=Vacancy.Status.PUBLISHED, published_at=vacancy.published_at or timezone.now()
    )


def vacancy_close(vacancy: Vacancy, *, filled: bool = False) -> Vacancy:
    """Close (or mark filled) a vacancy: its recompute removes its matches."""
    return vacancy_update(vacancy, status=Vacancy.Status.FILLED if filled else Vacancy.Status.CLOSED)


@transaction.atomic
def vacancy_delete(vacancy: Vacancy) -> None:
    """Delete a vacancy; its matches and match jobs go with it (CASCADE)."""
    vacancy.delete()
