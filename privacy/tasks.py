"""Celery tasks of the data lifecycle. Ids only in arguments (here: none at all)."""

from typing import Any

from celery import shared_task
from django.utils import timezone

from core.db_errors import TRANSIENT_DATABASE_ERRORS
from privacy.services import retention_apply


@shared_task(bind=True, name="privacy.tasks.apply_retention_task", max_retries=3)
def apply_retention_task(self: Any) -> dict[str, int]:
    """Remind inactive candidates, anonymise those still inactive after the grace days, prune ended
    unsuccessful cases (daily, celery beat; ``privacy.services.retention``). Idempotent: a reminder is
    claimed by its unique row before it is sent, an anonymised candidate or a pruned case is no longer
    due, so a second run (or a redelivered message) finds nothing left to do. Returns counts only."""
    try:
        report = retention_apply(now=timezone.now(), dry_run=False)
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=60 * (self.request.retries + 1)) from exc
    return {
        "reminded": len(report.reminded),
        "anonymised": len(report.anonymised),
        "pruned": len(report.pruned),
        "failed": len(report.failed),
    }
