"""Writes of subscriptions. The signing secret leaves this module twice only: as the return value of
``subscription_create`` and of ``subscription_rotate_secret``; it is never logged."""

import datetime
import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.jobs import queue_task_after_commit
from core.models import Organisation
from webhooks.delivery import secret_generate
from webhooks.events import PING
from webhooks.models import DisabledReason, WebhookDelivery, WebhookEvent, WebhookSubscription
from webhooks.services.deliveries import DELIVER_TASK

logger = logging.getLogger(__name__)

UPDATABLE_FIELDS = frozenset({"url", "event_types", "min_score", "description", "is_active"})


def _check_partner(organisation: Organisation) -> None:
    if organisation.kind not in Organisation.PARTNER_KINDS:
        raise ValidationError(
            {"organisation": _("Only partner organisations can subscribe to webhooks.")}, code="not_partner"
        )


@transaction.atomic
def subscription_create(
    *,
    organisation: Organisation,
    url: str,
    event_types: list[str],
    min_score: Decimal | None = None,
    description: str = "",
) -> tuple[WebhookSubscription, str]:
    """A new active subscription (validated: partner organisation, allowed URL, known event types)
    and its signing secret, returned this once."""
    _check_partner(organisation)
    secret = secret_generate()
    subscription = WebhookSubscription(
        organisation=organisation,
        url=url,
        event_types=list(event_types),
        min_score=min_score,
        description=description,
        secret=secret,
    )
    subscription.full_clean()
    subscription.save()
    logger.info(
        "webhook subscription %s created for organisation %s", subscription.public_id, organisation.pk
    )
    return subscription, secret


@transaction.atomic
def subscription_update(*, subscription: WebhookSubscription, **fields: Any) -> WebhookSubscription:
    """Change ``url``, ``event_types``, ``min_score``, ``description`` or ``is_active`` (validated).

    Reactivating clears what the system recorded when it disabled the subscription, so its failure
    window starts afresh. Deliveries that failed meanwhile stay failed (``delivery_retry``).
    """
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"subscription_update cannot change {', '.join(sorted(unknown))}")
    reactivated = fields.get("is_active") is True and not subscription.is_active
    for name, value in fields.items():
        setattr(subscription, name, value)
    changed = [*fields, "updated_at"]
    if reactivated:
        subscription.disabled_reason = DisabledReason.NONE
        subscription.disabled_at = None
        subscription.failing_since = None
        changed += ["disabled_reason", "disabled_at", "failing_since"]
    subscription.full_clean()
    subscription.save(update_fields=changed)
    return subscription


@transaction.atomic
def subscription_rotate_secret(*, subscription: WebhookSubscription) -> str:
    """A new signing secret, returned this once. The old one keeps signing (as a second signature)
    for ``WEBHOOK_SECRET_ROTATION_GRACE_SECONDS``, so the partner can switch without losing events."""
    grace = settings.WEBHOOK_SECRET_ROTATION_GRACE_SECONDS
    new = secret_generate()
    if grace > 0:
        subscription.previous_secret = subscription.secret
        subscription.previous_secret_expires_at = timezone.now() + datetime.timedelta(seconds=grace)
    else:
        subscription.previous_secret = ""
        subscription.previous_secret_expires_at = None
    subscription.secret = new
    subscription.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"])
    logger.info("webhook subscription %s: secret rotated", subscription.public_id)
    return new


@transaction.atomic
def subscription_delete(*, subscription: WebhookSubscription) -> None:
    """Delete the subscription with its deliveries and their attempts (the events stay until pruned)."""
    public_id = subscription.public_id
    subscription.delete()
    logger.info("webhook subscription %s deleted", public_id)


@transaction.atomic
def subscription_ping(*, subscription: WebhookSubscription) -> WebhookDelivery:
    """Send a ``ping`` event to the subscription's endpoint now, whatever events it asked for: signed,
    claimed, retried and logged like any event (the partner tests its receiver and signature check).

    Refused for a paused or disabled subscription: the delivery would fail at once
    (``subscription_inactive``), which tests nothing. The data is the subscription's id only.
    """
    if not subscription.is_active:
        raise ValidationError(
            _("This subscription is not active: activate it, then ping it."), code="inactive"
        )
    now = timezone.now()
    event = WebhookEvent.objects.create(
        organisation_id=subscription.organisation_id,
        type=PING,
        data={"subscription": str(subscription.public_id)},
        occurred_at=now,
    )
    delivery = WebhookDelivery.objects.create(
        event=event, subscription=subscription, next_attempt_at=now, message_sent_at=now, created_at=now
    )
    queue_task_after_commit(DELIVER_TASK, delivery.pk)
    logger.info("webhook subscription %s: ping %s", subscription.public_id, event.pk)
    return delivery
