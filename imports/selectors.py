"""Reads of the imports pages, scoped to the user: another organisation's import is not found (404)."""

from django.db.models import QuerySet

from core.models import User
from imports.models import ImportJob

RECENT_IMPORTS = 10


def imports_visible_to(*, user: User, area: str) -> QuerySet[ImportJob]:
    """The imports of ``user``'s organisation started from the pages of ``area`` (a recruiter's imports
    are not an employer's page, even within one organisation)."""
    if user.organisation_id is None:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(organisation_id=user.organisation_id, area=area)


def recent_imports(*, user: User, area: str) -> list[ImportJob]:
    """The latest imports for the index page, without their files' bytes."""
    return list(imports_visible_to(user=user, area=area).defer("content", "problems")[:RECENT_IMPORTS])
