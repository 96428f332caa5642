"""Celery tasks of the duplicates app. No arguments at all (nothing personal to leak)."""

from dataclasses import asdict
from typing import Any

from celery import shared_task

from core.db_errors import TRANSIENT_DATABASE_ERRORS
from duplicates.services import duplicates_detect


@shared_task(bind=True, name="duplicates.tasks.detect_duplicates_task", max_retries=3)
def detect_duplicates_task(self: Any) -> dict[str, int]:
    """Bring the review queue of probable duplicates up to date (daily, celery beat). Idempotent: a
    second run finds the same pairs and changes nothing. Returns counts only."""
    try:
        report = duplicates_detect()
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=60 * (self.request.retries + 1)) from exc
    return asdict(report)
