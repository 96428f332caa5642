"""Celery tasks of the welcome pages: thin wake-up calls around one service each, with no arguments
(nothing personal in a message). Idempotency lives in the service: each (candidate, version) notice is
claimed by a unique row before the e-mail goes out (``welcome.services.notices``)."""

from typing import Any

from celery import shared_task

from core.db_errors import TRANSIENT_DATABASE_ERRORS
from welcome.services import welcome_notices_send

RETRY_SECONDS = 60


@shared_task(bind=True, name="welcome.tasks.send_welcome_notices_task", max_retries=3)
def send_welcome_notices_task(self: Any) -> int:
    """E-mail candidates whose stage shows pages they have not read and were not told of (run by beat,
    hourly). Running it twice, or on two workers at once, tells nobody twice."""
    try:
        return welcome_notices_send()
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=RETRY_SECONDS) from exc
