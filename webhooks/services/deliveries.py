"""Deliveries: claim, send, record, release. The database decides who sends what.

A message carries a delivery id. Before sending, the worker claims the delivery with one conditional
UPDATE (pending and due -> delivering, attempts + 1, a lease) that must change exactly one row: a
second message for the same delivery, or one that arrives before the backoff is over, changes none and
returns at once. Every write after the attempt is conditional on the claim still being ours (same
status and attempt number), so a worker that outlived its lease cannot overwrite the sweeper's work.

Delivery is at least once: a worker killed after the receiver answered but before the row was
written sends again after the lease expires. The receiver deduplicates by ``webhook-id``.
"""

import datetime
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.jobs import queue_task_after_commit
from webhooks.delivery import AttemptOutcome, event_body, post, signed_headers
from webhooks.models import (
    DeliveryStatus,
    DisabledReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

logger = logging.getLogger(__name__)

DELIVER_TASK = "webhooks.tasks.deliver_webhook_task"
SWEEP_TASK = "webhooks.tasks.sweep_webhook_deliveries_task"
SWEEP_PERIOD = datetime.timedelta(seconds=60)  # CELERY_BEAT_SCHEDULE["sweep-webhook-deliveries"]
SUBSCRIPTION_INACTIVE = "subscription_inactive"


def lease() -> datetime.timedelta:
    """How long a claim holds: one attempt (bounded by the timeout) plus DNS and database writes."""
    return datetime.timedelta(seconds=float(settings.WEBHOOK_TIMEOUT_SECONDS) + 120)


def retry_delay(attempts: int, *, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait after failed attempt number ``attempts``: exponential, capped, with jitter
    (between half and all of it) so many deliveries to one recovering endpoint do not retry at once."""
    base = float(settings.WEBHOOK_RETRY_BASE_SECONDS)
    delay = min(float(settings.WEBHOOK_RETRY_MAX_SECONDS), base * 2 ** max(attempts - 1, 0))
    return delay / 2 + rand() * delay / 2


@dataclass(frozen=True)
class AttemptResult:
    """What became of one claimed attempt; ``requeue_in``: send a wake-up message after that many
    seconds (backoffs shorter than a sweeper period; the sweeper sends the others when due)."""

    status: str
    requeue_in: float | None = None


def in_flight(subscription_id: int, now: datetime.datetime) -> int:
    """Attempts to the subscription's endpoint now under way (claimed, lease not expired: an expired
    one is a dead worker's, which the sweeper hands back)."""
    return WebhookDelivery.objects.filter(
        subscription_id=subscription_id, status=DeliveryStatus.DELIVERING, lease_expires_at__gt=now
    ).count()


def _endpoint_lock(subscription_id: int) -> None:
    """Serialise claims and hand-ons of one endpoint (its subscription row) until the transaction ends,
    so that two workers cannot both see a free slot. Lock order: the delivery row first, then this."""
    list(WebhookSubscription.objects.select_for_update().filter(pk=subscription_id).values_list("pk"))


@transaction.atomic
def delivery_claim(delivery_id: int) -> WebhookDelivery | None:
    """Take a pending, due delivery: a conditional UPDATE that must change exactly one row, else None
    (someone else holds or finished it, it is not due yet, or it used up its attempts: then it is
    failed here so that it stays visible).

    Also None while ``WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT`` attempts to its endpoint are under way: the
    delivery then waits in the database with no message on its way, not in a worker process. The
    attempt that frees a slot wakes it (``_hand_on``); else the sweeper sends it at its next run.
    """
    now = timezone.now()
    max_attempts = settings.WEBHOOK_MAX_ATTEMPTS
    due = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now, attempts__lt=max_attempts
    )
    subscription_id = due.select_for_update().values_list("subscription_id", flat=True).first()
    if subscription_id is None:
        WebhookDelivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, attempts__gte=max_attempts
        ).update(status=DeliveryStatus.FAILED, last_error="max_attempts")
        return None
    _endpoint_lock(subscription_id)
    if in_flight(subscription_id, now) >= settings.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT:
        due.update(message_sent_at=None)
        return None
    due.update(
        status=DeliveryStatus.DELIVERING,
        attempts=F("attempts") + 1,
        lease_expires_at=now + lease(),
        last_attempt_at=now,
    )
    return WebhookDelivery.objects.select_related("event", "subscription").get(pk=delivery_id)


def _hand_on(subscription_id: int) -> None:
    """Our attempt ended and freed a slot: send the message of the endpoint's next due delivery that has
    none on its way (one refused while the endpoint was busy). Best effort: the sweeper does it too.

    Not without a broker: attempts then run one after another in this process (none is refused for a
    busy endpoint), and an eager hand-on would chain every waiting delivery inside this call."""
    if current_app.conf.task_always_eager:
        return
    now = timezone.now()
    try:
        with transaction.atomic():
            _endpoint_lock(subscription_id)  # after any claim of this endpoint under way has committed
            if in_flight(subscription_id, now) >= settings.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT:
                return
            waiting = (
                WebhookDelivery.objects.filter(
                    subscription_id=subscription_id,
                    status=DeliveryStatus.PENDING,
                    next_attempt_at__lte=now,
                    message_sent_at__isnull=True,
                )
                # A row a claim holds is skipped, not waited for (the claim locks it before the endpoint).
                .select_for_update(skip_locked=True)
                .order_by("next_attempt_at", "pk")
                .values_list("pk", flat=True)
                .first()
            )
            if waiting is None:
                return
            WebhookDelivery.objects.filter(pk=waiting).update(message_sent_at=now)
            queue_task_after_commit(DELIVER_TASK, waiting)
    except Exception:
        logger.warning("could not hand on the slot of webhook subscription %s", subscription_id)


def _send(delivery: WebhookDelivery) -> AttemptOutcome:
    subscription, event = delivery.subscription, delivery.event
    if not subscription.is_active:
        return AttemptOutcome(None, SUBSCRIPTION_INACTIVE, 0)
    now = timezone.now()
    keys = [subscription.secret]
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret and expires is not None and expires > now:
        keys.append(subscription.previous_secret)
    body = event_body(event_type=event.type, occurred_at=event.occurred_at, data=event.data)
    headers = signed_headers(event_id=str(event.id), body=body, secrets_=keys, now=now)
    return post(
        url=subscription.url, body=body, headers=headers, timeout=float(settings.WEBHOOK_TIMEOUT_SECONDS)
    )


def _subscription_failed(subscription_id: int, now: datetime.datetime, *, final: bool) -> None:
    """Note when the endpoint started failing; disable it when a delivery fails for good after it has
    failed for ``WEBHOOK_DISABLE_AFTER_FAILING_DAYS`` without one success."""
    WebhookSubscription.objects.filter(pk=subscription_id, failing_since__isnull=True).update(
        failing_since=now
    )
    days = settings.WEBHOOK_DISABLE_AFTER_FAILING_DAYS
    if not final or days <= 0:
        return
    disabled = WebhookSubscription.objects.filter(
        pk=subscription_id, is_active=True, failing_since__lte=now - datetime.timedelta(days=days)
    ).update(is_active=False, disabled_reason=DisabledReason.ENDPOINT_FAILING, disabled_at=now)
    if disabled:
        logger.warning(
            "webhook subscription %s disabled: its endpoint failed for %s days", subscription_id, days
        )


@transaction.atomic
def _record(delivery: WebhookDelivery, outcome: AttemptOutcome) -> AttemptResult:
    now = timezone.now()
    attempts = delivery.attempts
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=attempts,
        attempted_at=delivery.last_attempt_at or now,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
    )
    logger.info(
        "webhook delivery %s attempt %s: status %s %s in %s ms",
        delivery.pk,
        attempts,
        outcome.status_code,
        outcome.error or "ok",
        outcome.duration_ms,
    )
    ours = WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.DELIVERING, attempts=attempts)
    last = {
        "lease_expires_at": None,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
        "last_duration_ms": outcome.duration_ms,
    }
    if outcome.ok:
        if not ours.update(status=DeliveryStatus.DELIVERED, delivered_at=now, **last):
            return AttemptResult("lost_claim")
        WebhookSubscription.objects.filter(pk=delivery.subscription_id, failing_since__isnull=False).update(
            failing_since=None
        )
        return AttemptResult(DeliveryStatus.DELIVERED)
    if attempts >= settings.WEBHOOK_MAX_ATTEMPTS or outcome.error == SUBSCRIPTION_INACTIVE:
        if not ours.update(status=DeliveryStatus.FAILED, **last):
            return AttemptResult("lost_claim")
        if outcome.error != SUBSCRIPTION_INACTIVE:
            _subscription_failed(delivery.subscription_id, now, final=True)
        return AttemptResult(DeliveryStatus.FAILED)
    delay = retry_delay(attempts)
    # No message is recorded as sent: the sweeper sends one once it is due. A short backoff also gets
    # a countdown message (lower latency); if both arrive, the claim makes the second a no-op.
    if not ours.update(
        status=DeliveryStatus.PENDING,
        next_attempt_at=now + datetime.timedelta(seconds=delay),
        message_sent_at=None,
        **last,
    ):
        return AttemptResult("lost_claim")
    _subscription_failed(delivery.subscription_id, now, final=False)
    return AttemptResult(DeliveryStatus.PENDING, delay if delay < SWEEP_PERIOD.total_seconds() else None)


def _release_after_error(delivery: WebhookDelivery, exc: BaseException) -> None:
    """Give our claim back after an unexpected error (a bug, the database, the worker stopping): to
    pending with backoff, or failed when the attempts are used up. If even this fails, the lease
    expires and the sweeper takes over."""
    code = type(exc).__name__[:100]
    now = timezone.now()
    final = delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS
    try:
        with transaction.atomic():
            WebhookDelivery.objects.filter(
                pk=delivery.pk, status=DeliveryStatus.DELIVERING, attempts=delivery.attempts
            ).update(
                status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
                lease_expires_at=None,
                next_attempt_at=now + datetime.timedelta(seconds=retry_delay(delivery.attempts)),
                message_sent_at=None,
                last_error=code,
                last_status_code=None,
            )
            WebhookAttempt.objects.create(
                delivery=delivery,
                number=delivery.attempts,
                attempted_at=delivery.last_attempt_at or now,
                error=code,
            )
    except Exception:
        logger.warning("could not release webhook delivery %s after %s", delivery.pk, code)


def webhook_delivery_attempt(*, delivery_id: int) -> AttemptResult | None:
    """Claim the delivery, POST it once, record the outcome. None when it was not ours to send.

    Idempotent per message: see the module docstring. Network trouble and non-2xx answers are
    outcomes, recorded and retried with backoff; only unexpected errors propagate (after the claim
    was released), so an eager run after a request's commit never turns the request into an error.
    """
    delivery = delivery_claim(delivery_id)
    if delivery is None:
        return None
    try:
        outcome = _send(delivery)
    except BaseException as exc:
        _release_after_error(delivery, exc)
        _hand_on(delivery.subscription_id)
        raise
    result = _record(delivery, outcome)
    _hand_on(delivery.subscription_id)
    return result


@transaction.atomic
def delivery_retry(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a failed delivery again, from a fresh set of attempts (an operator's or partner's request,
    typically after fixing or reactivating the endpoint). The same event id is sent again."""
    now = timezone.now()
    changed = WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, message_sent_at=now
    )
    if not changed:
        raise ValidationError(_("Only a failed delivery can be sent again."), code="not_failed")
    queue_task_after_commit(DELIVER_TASK, delivery.pk)
    delivery.refresh_from_db()
    return delivery
