"""Writes of the webhooks app; each service owns its transaction or joins the caller's (emit).

Other apps import from here: ``from webhooks.services import webhook_event_emit``.
"""

from webhooks.services.deliveries import (
    AttemptResult,
    delivery_claim,
    delivery_retry,
    retry_delay,
    webhook_delivery_attempt,
)
from webhooks.services.emit import webhook_event_emit, webhook_events_emit_many
from webhooks.services.subscriptions import (
    subscription_create,
    subscription_delete,
    subscription_ping,
    subscription_rotate_secret,
    subscription_update,
)
from webhooks.services.sweep import WebhookSweepReport, webhook_deliveries_sweep

__all__ = [
    "AttemptResult",
    "WebhookSweepReport",
    "delivery_claim",
    "delivery_retry",
    "retry_delay",
    "subscription_create",
    "subscription_delete",
    "subscription_ping",
    "subscription_rotate_secret",
    "subscription_update",
    "webhook_deliveries_sweep",
    "webhook_delivery_attempt",
    "webhook_event_emit",
    "webhook_events_emit_many",
]
