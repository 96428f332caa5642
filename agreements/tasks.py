"""Celery tasks of agreements: thin wake-up calls around one service each, taking ids only.

Idempotency lives in the services: a sync writes only the difference between the shares a vacancy
should have and those stored, under the vacancy's row lock, so a redelivered message writes nothing.
A lost message heals at the daily re-sync of every agreement.
"""

from typing import Any

from celery import shared_task

from agreements.services import agreement_shares_sync, agreements_sync_all
from core.db_errors import TRANSIENT_DATABASE_ERRORS

RETRY_BASE_SECONDS = 5


@shared_task(bind=True, name="agreements.tasks.sync_agreement_shares_task", max_retries=5)
def sync_agreement_shares_task(self: Any, agreement_id: int) -> None:
    """Re-sync the vacancies one agreement concerns (queued after the agreement was saved)."""
    try:
        agreement_shares_sync(agreement_id)
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=RETRY_BASE_SECONDS * 2**self.request.retries) from exc


@shared_task(bind=True, name="agreements.tasks.sync_all_agreements_task", max_retries=3)
def sync_all_agreements_task(self: Any) -> None:
    """Re-sync every agreement (daily, celery beat): periods that started or ended, lost messages."""
    try:
        agreements_sync_all()
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=RETRY_BASE_SECONDS * 2**self.request.retries) from exc
