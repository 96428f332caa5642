"""Outgoing webhooks: subscriptions, the outbox of events, one delivery per event and subscription,
and the log of every attempt.

The outbox is written in the transaction of the change it reports (``webhooks.services.emit``), so an
event exists exactly when the change committed. A Celery message only wakes a worker up; the
``WebhookDelivery`` row is the truth, claimed with a conditional UPDATE and a lease like the match jobs
(docs/adr/0002), so a message delivered twice sends once and a killed worker is healed by the sweeper.
"""

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Organisation
from webhooks.events import OUTBOX_EVENT_TYPES, EventType
from webhooks.targets import validate_webhook_url


class DisabledReason(models.TextChoices):
    NONE = "", _("Not disabled by the system")
    ENDPOINT_FAILING = "endpoint_failing", _("The endpoint failed every delivery for too long")


def validate_event_types(value: object) -> None:
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Choose at least one event type."), code="event_types")
    unknown = sorted(set(value) - set(EventType.values))
    if unknown:
        raise ValidationError(
            _("Unknown event types: %(types)s."), code="event_types", params={"types": ", ".join(unknown)}
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Name each event type once."), code="event_types")


class WebhookSubscription(models.Model):
    """A partner organisation's endpoint and the events it wants about its own candidates.

    ``secret`` is stored because Standard Webhooks signatures are symmetric (HMAC-SHA256): we must
    sign with the very key the partner verifies with. It is shown once, when created or rotated, and
    never again (not in the admin, the API or logs). After a rotation the previous secret also signs
    until ``previous_secret_expires_at``, so a partner can switch keys without losing events.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("organisation"),
    )
    url = models.URLField(
        _("endpoint URL"),
        max_length=500,
        validators=[validate_webhook_url],
        help_text=_("Where events are sent with an HTTPS POST request."),
    )
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    previous_secret = models.CharField(
        _("previous signing secret"), max_length=100, blank=True, editable=False
    )
    previous_secret_expires_at = models.DateTimeField(
        _("previous secret valid until"), null=True, blank=True, editable=False
    )
    event_types = models.JSONField(
        _("event types"), default=list, validators=[validate_event_types], help_text=_("The events to send.")
    )
    min_score = models.DecimalField(
        _("minimum match score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Only matches scoring at least this much (0 to 100) are sent. Empty: all matches."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    failing_since = models.DateTimeField(
        _("failing since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The first failed attempt since the last successful delivery."),
    )
    disabled_reason = models.CharField(
        _("disabled because"), max_length=20, choices=DisabledReason.choices, blank=True, editable=False
    )
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_score__isnull=True) | Q(min_score__gte=0, min_score__lte=100),
                name="webhook_subscription_min_score_range",
            ),
            models.CheckConstraint(
                condition=Q(disabled_reason__in=DisabledReason.values),
                name="webhook_subscription_disabled_reason_valid",
            ),
            # A subscription the system disabled stays inactive until someone reactivates it (which
            # clears the reason): the two fields must not disagree.
            models.CheckConstraint(
                condition=Q(disabled_reason="", disabled_at__isnull=True)
                | (~Q(disabled_reason="") & Q(is_active=False, disabled_at__isnull=False)),
                name="webhook_subscription_disabled_is_inactive",
            ),
            models.CheckConstraint(
                condition=Q(previous_secret="", previous_secret_expires_at__isnull=True)
                | (~Q(previous_secret="") & Q(previous_secret_expires_at__isnull=False)),
                name="webhook_subscription_previous_secret_expires",
            ),
            models.CheckConstraint(condition=~Q(secret=""), name="webhook_subscription_has_secret"),
        ]
        indexes = [models.Index(fields=["organisation", "is_active"], name="webhook_sub_org_active")]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.description or self.public_id}"


class WebhookEvent(models.Model):
    """The outbox: one row per event that at least one subscription wanted, written in the
    transaction of the change. Its id is the ``webhook-id`` header, the partner's deduplication key:
    every attempt of every delivery of this event carries the same id. ``data`` holds ids and statuses
    only (``webhooks.events.check_event_data``)."""

    id = models.UUIDField(_("event id"), primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="webhook_events",
        verbose_name=_("organisation"),
    )
    type = models.CharField(_("event type"), max_length=40, choices=OUTBOX_EVENT_TYPES)
    data = models.JSONField(_("data"), default=dict, encoder=DjangoJSONEncoder)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-occurred_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=[value for value, _label in OUTBOX_EVENT_TYPES]),
                name="webhook_event_type_valid",
            ),
        ]
        indexes = [models.Index(fields=["occurred_at"], name="webhook_event_occurred")]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERING = "delivering", _("Delivering")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


FINAL_DELIVERY_STATUSES = (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)


class WebhookDelivery(models.Model):
    """One event for one subscription, from pending to delivered or failed.

    A worker sends only after claiming the row (pending and due -> delivering, attempts + 1, a lease);
    a failure puts it back to pending with ``next_attempt_at`` moved by exponential backoff, until
    ``WEBHOOK_MAX_ATTEMPTS``. ``message_sent_at`` tells the sweeper whether a wake-up message is already
    on its way. ``last_error`` is a short code or exception class name, never a response body.
    """

    Status = DeliveryStatus

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        WebhookEvent, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("event")
    )
    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    message_sent_at = models.DateTimeField(
        _("wake-up message sent at"),
        null=True,
        blank=True,
        help_text=_("Empty: the sweeper sends one when the delivery is due."),
    )
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=100, blank=True)
    last_duration_ms = models.PositiveIntegerField(_("last duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="webhook_delivery_once_per_sub"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="webhook_delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="delivering", lease_expires_at__isnull=False)
                | (~Q(status="delivering") & Q(lease_expires_at__isnull=True)),
                name="webhook_delivery_lease_while_delivering",
            ),
            models.CheckConstraint(
                condition=Q(status="delivered", delivered_at__isnull=False, attempts__gte=1)
                | (~Q(status="delivered") & Q(delivered_at__isnull=True)),
                name="webhook_delivery_delivered_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["status", "lease_expires_at"], name="webhook_delivery_lease"),
            models.Index(fields=["subscription", "created_at"], name="webhook_delivery_sub_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} -> {self.subscription_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP attempt of a delivery, for operators and partners reading the history. A worker that
    died mid-attempt leaves none; the sweeper then records one with the error ``lease_expired``."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    attempted_at = models.DateTimeField(_("attempted at"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=100, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status_code__isnull=True) | Q(status_code__gte=100, status_code__lte=599),
                name="webhook_attempt_status_code_range",
            ),
            models.CheckConstraint(
                condition=Q(status_code__isnull=False) | ~Q(error=""), name="webhook_attempt_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"
