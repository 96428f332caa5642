"""Celery tasks of the candidate's space: thin wake-up calls around one service each, ids only.

Idempotency lives in the services: a correction notice is claimed (``CorrectionRequest.notified_at``)
before it is sent, so a redelivered message, or the task and the sweeper together, send it once.
"""

from typing import Any

from celery import shared_task
from django.utils import timezone

from candidate_space.services.corrections import correction_notice_send, correction_notices_sweep
from core.db_errors import TRANSIENT_DATABASE_ERRORS

RETRY_BASE_SECONDS = 5
MAIL_OR_DATABASE_ERRORS: tuple[type[Exception], ...] = (*TRANSIENT_DATABASE_ERRORS, OSError)


@shared_task(bind=True, name="candidate_space.tasks.send_correction_notice_task", max_retries=5)
def send_correction_notice_task(self: Any, correction_request_id: int) -> None:
    """E-mail the candidate's agency that a correction request waits for it; retried on a transient
    database or mail error (the claim is given back when nobody was told)."""
    try:
        correction_notice_send(correction_request_id=correction_request_id)
    except MAIL_OR_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=RETRY_BASE_SECONDS * 2**self.request.retries) from exc


@shared_task(name="candidate_space.tasks.sweep_correction_notices_task")
def sweep_correction_notices_task() -> None:
    """Send the correction notices whose own task was lost (beat, every few minutes)."""
    correction_notices_sweep(now=timezone.now())
