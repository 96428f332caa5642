"""Webhook subscriptions of the partner organisation and their delivery log (scope webhooks:manage).

Writes go through ``webhooks.services`` (validation, the SSRF guard on the URL, the secret); reads
through ``webhooks.selectors``, which scope everything to the organisation. Sending is the webhooks
app's business (docs/webhooks.md).
"""

from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from api.idempotency import idempotent
from api.scopes import WEBHOOKS_MANAGE
from api.serializers.webhooks import (
    WebhookDeliveryDetailSerializer,
    WebhookDeliveryFilterSerializer,
    WebhookDeliverySerializer,
    WebhookSecretSerializer,
    WebhookSubscriptionCreatedSerializer,
    WebhookSubscriptionInputSerializer,
    WebhookSubscriptionSerializer,
)
from api.views.base import PartnerView, service_errors
from core.models import Organisation
from webhooks import selectors as webhook_selectors
from webhooks import services as webhook_services
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

TAG = "Webhooks"
MANAGE = {
    "GET": WEBHOOKS_MANAGE,
    "POST": WEBHOOKS_MANAGE,
    "PATCH": WEBHOOKS_MANAGE,
    "DELETE": WEBHOOKS_MANAGE,
}


def _delivery(organisation: Organisation, delivery_id: Any) -> WebhookDelivery:
    """One of the organisation's deliveries with its attempts, or a 404."""
    attempts = WebhookAttempt.objects.order_by("number", "pk")
    delivery = (
        webhook_selectors.deliveries_for(organisation=organisation)
        .filter(public_id=delivery_id)
        .prefetch_related(Prefetch("attempt_log", queryset=attempts))
        .first()
    )
    if delivery is None:
        raise NotFound(_("No delivery of yours has this id."))
    return delivery


class SubscriptionView(PartnerView):
    """Your webhook subscriptions."""

    required_scopes = MANAGE

    def subscription(self, subscription_id: Any) -> WebhookSubscription:
        subscription = (
            webhook_selectors.subscriptions_for(organisation=self.organisation)
            .filter(public_id=subscription_id)
            .first()
        )
        if subscription is None:
            raise NotFound(_("No subscription of yours has this id."))
        return subscription


class SubscriptionListView(SubscriptionView):
    """Your webhook subscriptions: list them, add one."""

    required_scopes = {"GET": WEBHOOKS_MANAGE, "POST": WEBHOOKS_MANAGE}

    @extend_schema(
        tags=[TAG],
        operation_id="webhook_subscriptions_list",
        responses=WebhookSubscriptionSerializer(many=True),
        summary="List your webhook subscriptions",
    )
    def get(self, request: Request) -> Response:
        subscriptions = webhook_selectors.subscriptions_for(organisation=self.organisation)
        return self.paginated(subscriptions, WebhookSubscriptionSerializer)

    @extend_schema(
        tags=[TAG],
        operation_id="webhook_subscriptions_create",
        request=WebhookSubscriptionInputSerializer,
        responses={201: WebhookSubscriptionCreatedSerializer},
        summary="Subscribe to events about your candidates",
        description=(
            "The answer holds the signing secret, this once (a replay with the same Idempotency-Key "
            "answers the subscription without it: rotate the secret if you lost it)."
        ),
    )
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = WebhookSubscriptionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "is_active" in data:
            data.pop("is_active")  # a new subscription is active
        with service_errors():
            subscription, secret = webhook_services.subscription_create(
                organisation=self.organisation, **data
            )
        return self._created(subscription, secret)

    def _created(self, subscription: WebhookSubscription, secret: str | None) -> Response:
        context = {**self.serializer_context(), "secret": secret}
        return Response(
            WebhookSubscriptionCreatedSerializer(subscription, context=context).data,
            status=status.HTTP_201_CREATED,
            headers={
                "Location": reverse(
                    "api:webhook-subscription-detail", kwargs={"subscription_id": subscription.public_id}
                )
            },
        )

    def idempotency_snapshot(self, request: Request, response: Response) -> Any:
        return {"subscription": response.data["id"]}  # never the secret

    def idempotency_replay(self, request: Request, status_code: int, snapshot: Any) -> Response:
        return self._created(self.subscription(snapshot["subscription"]), None)


class SubscriptionDetailView(SubscriptionView):
    """One of your webhook subscriptions (its secret is never shown again)."""

    required_scopes = {"GET": WEBHOOKS_MANAGE, "PATCH": WEBHOOKS_MANAGE, "DELETE": WEBHOOKS_MANAGE}

    @extend_schema(
        tags=[TAG], operation_id="webhook_subscriptions_retrieve", responses=WebhookSubscriptionSerializer
    )
    def get(self, request: Request, subscription_id: Any) -> Response:
        return Response(WebhookSubscriptionSerializer(self.subscription(subscription_id)).data)

    @extend_schema(
        tags=[TAG],
        operation_id="webhook_subscriptions_update",
        request=WebhookSubscriptionInputSerializer(partial=True),
        responses=WebhookSubscriptionSerializer,
        summary="Change a subscription (URL, events, minimum score, description, active)",
    )
    def patch(self, request: Request, subscription_id: Any) -> Response:
        subscription = self.subscription(subscription_id)
        serializer = WebhookSubscriptionInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            subscription = webhook_services.subscription_update(
                subscription=subscription, **serializer.validated_data
            )
        return Response(WebhookSubscriptionSerializer(subscription).data)

    @extend_schema(
        tags=[TAG],
        operation_id="webhook_subscriptions_delete",
        responses={204: OpenApiResponse(description="Deleted, with its deliveries.")},
    )
    def delete(self, request: Request, subscription_id: Any) -> Response:
        webhook_services.subscription_delete(subscription=self.subscription(subscription_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SubscriptionSecretView(SubscriptionView):
    """A new signing secret for one of your subscriptions."""

    required_scopes = {"POST": WEBHOOKS_MANAGE}

    @extend_schema(
        tags=[TAG],
        operation_id="webhook_subscriptions_rotate_secret",
        request=None,
        responses={200: WebhookSecretSerializer},
        summary="Rotate the signing secret",
        description=(
            "Answers the new secret, this once. The old one keeps signing (as a second signature) for "
            "a grace period, so you can switch without losing events. Not idempotent by key: every call "
            "makes a new secret."
        ),
    )
    def post(self, request: Request, subscription_id: Any) -> Response:
        secret = webhook_services.subscription_rotate_secret(subscription=self.subscription(subscription_id))
        return Response({"secret": secret})


class SubscriptionPingView(SubscriptionView):
    """Send a test event to one of your subscriptions' endpoint."""

    required_scopes = {"POST": WEBHOOKS_MANAGE}

    @extend_schema(
        tags=[TAG],
        operation_id="webhook_subscriptions_ping",
        request=None,
        responses={201: WebhookDeliveryDetailSerializer},
        summary="Send a test ping to the endpoint",
        description=(
            "Sends a signed event of type ping (data: the subscription's id) to this subscription's "
            "endpoint now, whatever event types it asked for, through the normal delivery: same "
            "headers, signature, retries and log. The answer is the delivery (also at its Location); "
            "it is usually still pending: read it again, or the delivery log, to see how your "
            "endpoint answered. A paused or disabled subscription is a 409."
        ),
    )
    def post(self, request: Request, subscription_id: Any) -> Response:
        subscription = self.subscription(subscription_id)
        with service_errors(conflict_codes=("inactive",)):
            delivery = webhook_services.subscription_ping(subscription=subscription)
        url = reverse("api:webhook-delivery-detail", kwargs={"delivery_id": delivery.public_id})
        data = WebhookDeliveryDetailSerializer(_delivery(self.organisation, delivery.public_id)).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": url})


class DeliveryListView(PartnerView):
    """The delivery log of your subscriptions, newest first."""

    required_scopes = {"GET": WEBHOOKS_MANAGE}

    @extend_schema(
        tags=[TAG],
        operation_id="webhook_deliveries_list",
        parameters=[WebhookDeliveryFilterSerializer],
        responses=WebhookDeliverySerializer(many=True),
        summary="List webhook deliveries",
    )
    def get(self, request: Request) -> Response:
        filters = self.filters(WebhookDeliveryFilterSerializer)
        subscription_id = None
        if "subscription" in filters:
            subscription = (
                webhook_selectors.subscriptions_for(organisation=self.organisation)
                .filter(public_id=filters["subscription"])
                .first()
            )
            if subscription is None:
                nothing = webhook_selectors.deliveries_for(organisation=self.organisation).none()
                return self.paginated(nothing, WebhookDeliverySerializer)
            subscription_id = subscription.pk
        deliveries = webhook_selectors.deliveries_for(
            organisation=self.organisation, subscription_id=subscription_id
        )
        if "status" in filters:
            deliveries = deliveries.filter(status=filters["status"])
        return self.paginated(deliveries, WebhookDeliverySerializer)


class DeliveryView(PartnerView):
    def delivery(self, delivery_id: Any) -> WebhookDelivery:
        return _delivery(self.organisation, delivery_id)


class DeliveryDetailView(DeliveryView):
    """One delivery: the event it carried (ids and statuses) and every attempt."""

    required_scopes = {"GET": WEBHOOKS_MANAGE}

    @extend_schema(
        tags=[TAG], operation_id="webhook_deliveries_retrieve", responses=WebhookDeliveryDetailSerializer
    )
    def get(self, request: Request, delivery_id: Any) -> Response:
        return Response(WebhookDeliveryDetailSerializer(self.delivery(delivery_id)).data)


class DeliveryRetryView(DeliveryView):
    """Send a failed delivery again (the same event id), after fixing the endpoint."""

    required_scopes = {"POST": WEBHOOKS_MANAGE}

    @extend_schema(
        tags=[TAG],
        operation_id="webhook_deliveries_retry",
        request=None,
        responses={200: WebhookDeliveryDetailSerializer},
        summary="Send a failed delivery again",
        description="Only a failed delivery; anything else is a 409. Idempotent in effect.",
    )
    def post(self, request: Request, delivery_id: Any) -> Response:
        delivery = self.delivery(delivery_id)
        with service_errors(conflict_codes=("not_failed",)):
            webhook_services.delivery_retry(delivery=delivery)
        return Response(WebhookDeliveryDetailSerializer(self.delivery(delivery_id)).data)
