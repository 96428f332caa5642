"""The webhook sweeper: run every minute by celery beat (``sweep_webhook_deliveries_task``).

It looks only at the database, so a lost message, a killed worker or a broker outage heals by itself:

1. deliveries whose lease expired (their worker died mid-attempt): back to pending and sent again, or
   failed after ``WEBHOOK_MAX_ATTEMPTS``; the lost attempt is logged with the error ``lease_expired``;
2. pending deliveries that are due and have no wake-up message on its way (none was sent, as after a
   bulk emit, a long backoff or a claim refused for a busy endpoint; or the last one is lost: older
   than ``RESEND_AFTER`` and not among those the queue still holds, ``core.broker``): sent, at most as
   many per endpoint as it has free slots (``WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT``);
3. finished events older than ``WEBHOOK_RETENTION_DAYS``: deleted with their deliveries and attempts.

Idempotent: every change is conditional on the state it saw, and a duplicate message is a no-op (the
claim). Each step handles at most ``limit`` rows; when one had more, the sweeper queues itself again.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from core.broker import lost_messages, task_queue
from core.jobs import queue_task_after_commit
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEvent
from webhooks.services.deliveries import DELIVER_TASK, SWEEP_PERIOD, SWEEP_TASK

SWEEP_LIMIT = 1_000
# A message on its way this long (two sweeper periods) and not among those the queue may still hold is
# lost (``core.broker``): sent again by the second or third sweep after it went out.
RESEND_AFTER = 2 * SWEEP_PERIOD


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


def _by_subscription(rows: "QuerySet[WebhookDelivery]") -> Counter[int]:
    counts = rows.values("subscription_id").annotate(n=Count("pk")).values_list("subscription_id", "n")
    return Counter(dict(counts))


def _within_free_slots(
    due: "QuerySet[WebhookDelivery]", on_way: "QuerySet[WebhookDelivery]", now: datetime.datetime, limit: int
) -> list[int]:
    """The oldest of ``due`` of each subscription, as many as it has free slots: the limit less its
    attempts under way and its messages on their way."""
    per_endpoint = settings.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT
    busy = _by_subscription(
        WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERING, lease_expires_at__gt=now)
    )
    busy.update(_by_subscription(on_way))
    rank = Window(
        RowNumber(), partition_by=[F("subscription_id")], order_by=[F("next_attempt_at").asc(), F("pk").asc()]
    )
    candidates = (
        due.annotate(rank=rank)
        .filter(rank__lte=per_endpoint)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "subscription_id", "rank")[:limit]
    )
    return [pk for pk, subscription_id, place in candidates if place <= per_endpoint - busy[subscription_id]]


def _send_due(report: WebhookSweepReport, limit: int) -> int:
    """Send the due deliveries without a message on its way, and again those whose message is lost
    (``core.broker``), but never more per endpoint than its free slots: attempts under way and messages
    on their way count against ``WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT``. A slow endpoint's backlog stays
    in the database; the queue holds a few messages per endpoint, none re-sent on top of a backlog."""
    now = timezone.now()
    pending = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
    on_way = pending.filter(message_sent_at__isnull=False)
    lost = list(
        lost_messages(
            on_way, sent_field="message_sent_at", queue=task_queue(DELIVER_TASK), cutoff=now - RESEND_AFTER
        ).values_list("pk", flat=True)[:limit]
    )
    due = pending.filter(next_attempt_at__lte=now).filter(Q(message_sent_at__isnull=True) | Q(pk__in=lost))
    if current_app.conf.task_always_eager:
        # Without a broker each message is an attempt run here and now, one after another: no endpoint
        # is ever busy, and slots would only hold the rest back until the next sweep.
        ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    else:
        ids = _within_free_slots(due, on_way.exclude(pk__in=lost), now, limit)
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
