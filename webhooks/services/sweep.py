"""The webhook sweeper: run every minute by celery beat (``sweep_webhook_deliveries_task``).

It looks only at the database, so a lost message, a killed worker or a broker outage heals by itself:

1. deliveries whose lease expired (their worker died mid-attempt): back to pending and sent again, or
   failed after ``WEBHOOK_MAX_ATTEMPTS``; the lost attempt is logged with the error ``lease_expired``;
2. pending deliveries that are due and have no wake-up message on its way (none was sent, as after a
   bulk emit or a long backoff, or the last one went out ``RESEND_AFTER`` ago and was lost): sent;
3. finished events older than ``WEBHOOK_RETENTION_DAYS``: deleted with their deliveries and attempts.

Idempotent: every change is conditional on the state it saw, and a duplicate message is a no-op (the
claim). Each step handles at most ``limit`` rows; when one had more, the sweeper queues itself again.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.jobs import queue_task_after_commit
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEvent
from webhooks.services.deliveries import DELIVER_TASK, SWEEP_TASK

SWEEP_LIMIT = 1_000
RESEND_AFTER = datetime.timedelta(minutes=5)


@dataclass
class WebhookSweepReport:
    expired_requeued: int = 0
    expired_failed: int = 0
    sent: int = 0
    pruned: int = 0

    def __str__(self) -> str:
        return (
            f"expired leases re-queued {self.expired_requeued}, failed {self.expired_failed}; "
            f"due deliveries sent {self.sent}; events pruned {self.pruned}"
        )


def _expired_leases(report: WebhookSweepReport, limit: int) -> int:
    now = timezone.now()
    expired = WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERING, lease_expires_at__lt=now)
    rows = list(expired.order_by("lease_expires_at")[:limit])
    for delivery in rows:
        # Conditional on the claim we saw: a worker finishing just now wins.
        still = WebhookDelivery.objects.filter(
            pk=delivery.pk,
            status=DeliveryStatus.DELIVERING,
            attempts=delivery.attempts,
            lease_expires_at__lt=now,
        )
        final = delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS
        changed = still.update(
            status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
            lease_expires_at=None,
            next_attempt_at=now,
            message_sent_at=None if final else now,
            last_error="lease_expired",
            last_status_code=None,
        )
        if not changed:
            continue
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            attempted_at=delivery.last_attempt_at or now,
            error="lease_expired",
        )
        if final:
            report.expired_failed += 1
        else:
            queue_task_after_commit(DELIVER_TASK, delivery.pk)
            report.expired_requeued += 1
    return len(rows)


def _send_due(report: WebhookSweepReport, limit: int) -> int:
    now = timezone.now()
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now).filter(
        Q(message_sent_at__isnull=True) | Q(message_sent_at__lt=now - RESEND_AFTER)
    )
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    WebhookDelivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(message_sent_at=now)
    for delivery_id in ids:
        queue_task_after_commit(DELIVER_TASK, delivery_id)
    report.sent += len(ids)
    return len(ids)


def _prune(report: WebhookSweepReport, limit: int) -> int:
    days = settings.WEBHOOK_RETENTION_DAYS
    if days <= 0:
        return 0
    open_deliveries = WebhookDelivery.objects.filter(
        event=OuterRef("pk"), status__in=[DeliveryStatus.PENDING, DeliveryStatus.DELIVERING]
    )
    old = WebhookEvent.objects.filter(occurred_at__lt=timezone.now() - datetime.timedelta(days=days)).exclude(
        Exists(open_deliveries)
    )
    ids = list(old.order_by("occurred_at").values_list("pk", flat=True)[:limit])
    if ids:
        WebhookEvent.objects.filter(pk__in=ids).delete()
    report.pruned += len(ids)
    return len(ids)


@transaction.atomic
def webhook_deliveries_sweep(*, limit: int = SWEEP_LIMIT) -> WebhookSweepReport:
    """One sweep (see the module docstring); messages go out after commit."""
    report = WebhookSweepReport()
    full = [_expired_leases(report, limit), _send_due(report, limit), _prune(report, limit)]
    if any(count >= limit for count in full):
        queue_task_after_commit(SWEEP_TASK)
    return report
