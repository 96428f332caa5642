"""Celery tasks of the webhooks app: thin wake-up calls around one service each.

They take ids only, are acknowledged late (a killed worker's message is redelivered) and are idempotent
because the service claims the delivery before sending (``webhooks.services.deliveries``). Retries of a
failed HTTP attempt are not Celery retries: the delivery row holds the attempt count and the next
attempt time, and a short backoff gets a countdown message on the same queue while a long one waits
for the sweeper. Only transient database errors are retried by Celery.
"""

from typing import Any

from celery import shared_task

from core.db_errors import TRANSIENT_DATABASE_ERRORS
from webhooks import services

DATABASE_RETRY_SECONDS = 5


def _backoff(retries: int) -> int:
    return int(DATABASE_RETRY_SECONDS * 2**retries)


@shared_task(bind=True, name="webhooks.tasks.deliver_webhook_task", acks_late=True, max_retries=5)
def deliver_webhook_task(self: Any, delivery_id: int) -> None:
    """Make one attempt at one delivery. A duplicate message, or one for a delivery that is not due,
    already taken or finished, is a no-op (the claim). Each attempt is bounded by the HTTP timeout."""
    try:
        result = services.webhook_delivery_attempt(delivery_id=delivery_id)
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
    if result is not None and result.requeue_in is not None and not self.request.is_eager:
        # Back on the queue this message came from (a worker may serve a queue of its own). Run
        # eagerly (no broker) a countdown means nothing: the delivery waits for the sweeper.
        queue = (self.request.delivery_info or {}).get("routing_key")
        options = {"queue": queue} if queue else {}
        self.apply_async((delivery_id,), countdown=result.requeue_in, **options)


@shared_task(bind=True, name="webhooks.tasks.sweep_webhook_deliveries_task", acks_late=True, max_retries=3)
def sweep_webhook_deliveries_task(self: Any) -> None:
    """Re-send due deliveries, heal expired leases, prune old events. Idempotent (see the service)."""
    try:
        services.webhook_deliveries_sweep()
    except TRANSIENT_DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
