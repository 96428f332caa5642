"""Operators' views of webhooks. Events, deliveries and attempts are read-only (the outbox and the
workers write them); subscriptions can be corrected, deactivated and reactivated, never created here,
because a new secret must reach the partner through the API, the one place that shows it once. The
secret itself is never displayed."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription
from webhooks.services import delivery_retry, subscription_update


class ReadOnlyAdmin(admin.ModelAdmin):
    """No adding or editing; deleting keeps the model permission (cascades from organisations)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("public_id", "organisation", "description", "is_active", "disabled_reason", "created_at")
    list_filter = ("is_active", "disabled_reason", "organisation")
    list_select_related = ("organisation",)
    search_fields = ("description", "url", "organisation__name")
    # ``secret`` and ``previous_secret`` are not editable fields, so no form or page shows them.
    fields = (
        "public_id",
        "organisation",
        "url",
        "event_types",
        "min_score",
        "description",
        "is_active",
        "failing_since",
        "disabled_reason",
        "disabled_at",
        "previous_secret_expires_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = (
        "public_id",
        "organisation",
        "is_active",
        "failing_since",
        "disabled_reason",
        "disabled_at",
        "previous_secret_expires_at",
        "created_at",
        "updated_at",
    )
    actions = ("deactivate", "reactivate")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: WebhookSubscription, form: Any, change: bool) -> None:
        subscription_update(subscription=obj, **{name: getattr(obj, name) for name in form.changed_data})

    @admin.action(description=_("Deactivate the selected subscriptions"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[WebhookSubscription]) -> None:
        for subscription in queryset:
            subscription_update(subscription=subscription, is_active=False)

    @admin.action(description=_("Reactivate the selected subscriptions"))
    def reactivate(self, request: HttpRequest, queryset: QuerySet[WebhookSubscription]) -> None:
        for subscription in queryset:
            subscription_update(subscription=subscription, is_active=True)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "type", "organisation", "occurred_at")
    list_filter = ("type", "organisation")
    list_select_related = ("organisation",)
    search_fields = ("organisation__name",)
    date_hierarchy = "occurred_at"


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ("number", "attempted_at", "status_code", "error", "duration_ms")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "public_id",
        "event",
        "subscription",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_status_code",
        "last_error",
    )
    list_filter = ("status", "event__type", "last_error", "subscription__organisation")
    list_select_related = ("event", "subscription")
    search_fields = ("subscription__organisation__name", "subscription__description")
    raw_id_fields = ("event", "subscription")
    date_hierarchy = "created_at"
    inlines = (WebhookAttemptInline,)
    actions = ("send_again",)

    @admin.action(description=_("Send the selected failed deliveries again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        sent = 0
        for delivery in queryset:
            try:
                delivery_retry(delivery=delivery)
            except ValidationError:
                continue
            sent += 1
        self.message_user(
            request, _("%(count)d deliveries queued again.") % {"count": sent}, messages.SUCCESS
        )


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(ReadOnlyAdmin):
    list_display = ("delivery", "number", "attempted_at", "status_code", "error", "duration_ms")
    list_filter = ("error", "status_code")
    list_select_related = ("delivery",)
    raw_id_fields = ("delivery",)
    date_hierarchy = "attempted_at"
