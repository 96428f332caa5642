"""Emitting events into the outbox, inside the caller's transaction.

Nothing is sent here. The event and its deliveries are rows written with the caller's change, so they
exist exactly when the change committed; the wake-up messages go out after commit
(``core.jobs.queue_task_after_commit``), and if one is lost the sweeper sends it again.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.jobs import queue_task_after_commit
from webhooks.events import EmittedEvent, check_event_data, check_event_type
from webhooks.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from webhooks.services.deliveries import DELIVER_TASK, SWEEP_TASK

# Up to this many new deliveries get one message each; more (a bulk recompute) get one sweeper run,
# which sends their messages in batches instead of thousands of on-commit callbacks here.
DIRECT_SEND_LIMIT = 20


def _wants(subscription: WebhookSubscription, event: EmittedEvent) -> bool:
    if event.event_type not in subscription.event_types:
        return False
    if event.score is None or subscription.min_score is None:
        return True
    return Decimal(str(event.score)) >= subscription.min_score


def webhook_event_emit(
    *,
    organisation_id: int,
    event_type: str,
    data: dict[str, Any],
    score: Decimal | float | None = None,
) -> int:
    """Record one event about a candidate of ``organisation_id`` for every active subscription of that
    organisation that wants ``event_type`` (and, when ``score`` is given, whose ``min_score`` it
    reaches). Call it inside the transaction of the change. Returns the number of deliveries; 0 and
    no rows when nobody subscribed. ``data``: ids and statuses only (``PersonalDataError`` otherwise).
    """
    event = EmittedEvent(organisation_id=organisation_id, event_type=event_type, data=data, score=score)
    return webhook_events_emit_many(events=[event])


def webhook_events_emit_many(*, events: Iterable[EmittedEvent]) -> int:
    """``webhook_event_emit`` for many events at once (a match recompute): one query for the
    subscriptions of all their organisations, then bulk inserts. Returns the number of deliveries."""
    checked: list[tuple[EmittedEvent, dict[str, Any]]] = []
    for event in events:
        check_event_type(event.event_type)
        checked.append((event, check_event_data(event.data)))
    if not checked:
        return 0
    organisation_ids = {event.organisation_id for event, _ in checked}
    subscriptions: dict[int, list[WebhookSubscription]] = {}
    for subscription in WebhookSubscription.objects.filter(
        organisation_id__in=organisation_ids, is_active=True
    ).only("pk", "organisation_id", "event_types", "min_score"):
        subscriptions.setdefault(subscription.organisation_id, []).append(subscription)
    if not subscriptions:
        return 0

    now = timezone.now()
    outbox: list[WebhookEvent] = []
    deliveries: list[WebhookDelivery] = []
    for event, data in checked:
        wanted = [s for s in subscriptions.get(event.organisation_id, []) if _wants(s, event)]
        if not wanted:
            continue
        row = WebhookEvent(
            organisation_id=event.organisation_id, type=event.event_type, data=data, occurred_at=now
        )
        outbox.append(row)
        deliveries += [
            WebhookDelivery(event=row, subscription=s, next_attempt_at=now, created_at=now) for s in wanted
        ]
    if not deliveries:
        return 0

    direct = len(deliveries) <= DIRECT_SEND_LIMIT
    for delivery in deliveries:
        delivery.message_sent_at = now if direct else None
    # No savepoint inside the caller's transaction; a transaction of its own when called outside one.
    with transaction.atomic(savepoint=False):
        WebhookEvent.objects.bulk_create(outbox)
        created = WebhookDelivery.objects.bulk_create(deliveries)
    if direct:
        for delivery in created:
            queue_task_after_commit(DELIVER_TASK, delivery.pk)
    else:
        queue_task_after_commit(SWEEP_TASK)
    return len(created)
