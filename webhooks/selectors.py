"""Reads of the webhooks app, always scoped to one organisation: a partner sees only its own."""

from django.db.models import QuerySet

from core.models import Organisation
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription


def subscriptions_for(*, organisation: Organisation) -> QuerySet[WebhookSubscription]:
    """The organisation's subscriptions, newest first (by id: a stable order for paging)."""
    return WebhookSubscription.objects.filter(organisation=organisation).order_by("-pk")


def deliveries_for(
    *, organisation: Organisation, subscription_id: int | None = None
) -> QuerySet[WebhookDelivery]:
    """The organisation's deliveries, newest first (by id: a stable order for paging), with their event
    and subscription (no N+1)."""
    deliveries = WebhookDelivery.objects.filter(subscription__organisation=organisation)
    if subscription_id is not None:
        deliveries = deliveries.filter(subscription_id=subscription_id)
    return deliveries.select_related("event", "subscription").order_by("-pk")


def attempts_for(*, organisation: Organisation, delivery_id: int) -> QuerySet[WebhookAttempt]:
    """The attempt log of one of the organisation's deliveries (empty for another's)."""
    return WebhookAttempt.objects.filter(
        delivery_id=delivery_id, delivery__subscription__organisation=organisation
    ).order_by("number", "pk")
