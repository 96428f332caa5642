"""Webhook subscriptions and their delivery log, as a partner manages them (docs/webhooks.md).

The signing secret appears in exactly two answers: creating a subscription and rotating its secret.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDecimalField,
    StrictSerializer,
)
from api.serializers.common import ReadModelSerializer
from webhooks.events import EventType
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription

SUBSCRIPTION_FIELDS = (
    "id",
    "url",
    "event_types",
    "min_score",
    "description",
    "is_active",
    "disabled_reason",
    "disabled_at",
    "failing_since",
    "created_at",
    "updated_at",
)


class WebhookSubscriptionInputSerializer(StrictSerializer):
    url = StrictCharField(max_length=500, help_text=_("Your HTTPS endpoint."))
    event_types = serializers.ListField(
        child=StrictChoiceField(choices=EventType.choices), min_length=1, max_length=len(EventType.values)
    )
    min_score = StrictDecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        allow_null=True,
        required=False,
        help_text=_("match.created and match.updated events below this score are not sent. Empty: all."),
    )
    description = StrictCharField(max_length=200, allow_blank=True, required=False)
    is_active = StrictBooleanField(required=False, help_text=_("Pause or resume (also after a disable)."))


class WebhookSubscriptionSerializer(ReadModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    event_types = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = WebhookSubscription
        fields = SUBSCRIPTION_FIELDS


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    secret = serializers.SerializerMethodField(
        help_text=_("The signing secret (whsec_...): shown this once. Null in a replayed answer.")
    )

    class Meta:
        model = WebhookSubscription
        fields = (*SUBSCRIPTION_FIELDS, "secret")

    def get_secret(self, subscription: WebhookSubscription) -> str | None:
        secret: str | None = self.context.get("secret")
        return secret


class WebhookSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(
        help_text=_("The new signing secret, shown this once; the old one keeps signing for a grace period.")
    )


class WebhookAttemptSerializer(ReadModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ("number", "attempted_at", "status_code", "error", "duration_ms")


class WebhookDeliverySerializer(ReadModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    subscription = serializers.UUIDField(source="subscription.public_id", read_only=True)
    event_id = serializers.UUIDField(source="event.id", read_only=True, help_text=_("The webhook-id header."))
    event_type = serializers.CharField(source="event.type", read_only=True)
    occurred_at = serializers.DateTimeField(source="event.occurred_at", read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "subscription",
            "event_id",
            "event_type",
            "occurred_at",
            "status",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "delivered_at",
            "last_status_code",
            "last_error",
            "last_duration_ms",
            "created_at",
        )


class WebhookDeliveryDetailSerializer(WebhookDeliverySerializer):
    data = serializers.SerializerMethodField(help_text=_("The event's ids and statuses, as sent."))  # type: ignore[assignment]
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = (*WebhookDeliverySerializer.Meta.fields, "data", "attempt_log")

    def get_data(self, delivery: WebhookDelivery) -> dict[str, Any]:
        data: dict[str, Any] = delivery.event.data
        return data


class WebhookDeliveryFilterSerializer(serializers.Serializer):
    subscription = serializers.UUIDField(required=False, help_text=_("A subscription's id."))
    status = StrictChoiceField(choices=DeliveryStatus.choices, required=False)
