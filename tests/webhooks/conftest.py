"""Fixtures for the webhook tests: partner organisations, subscriptions, a real HTTP receiver, and
settings shrunk so that every retry and timeout happens within a fraction of a second."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytest_django import Settings

from core.models import Organisation
from tests import factories
from tests.webhooks.receiver import Receiver
from webhooks.events import EventType
from webhooks.models import WebhookSubscription
from webhooks.services import subscription_create


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture
def fast_settings(settings: Settings) -> Settings:
    """Short timeouts and backoffs, so retries and timeouts happen within a test's seconds.

    The timeout stays at 1 s: a loaded CI machine (2 cores) has been seen to take over 0.5 s to answer a
    loopback request, which turned an expected HTTP 500 into a timeout.
    """
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    # At least a quarter of a second: "a message before the backoff is over is a no-op" must not depend
    # on the next statement running within 25 ms on a loaded machine.
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.5
    settings.WEBHOOK_RETRY_MAX_SECONDS = 1.0
    return settings


@pytest.fixture
def partner() -> Organisation:
    return factories.OrganisationFactory.create()


SubscribeFn = Callable[..., tuple[WebhookSubscription, str]]


@pytest.fixture
def subscribe(partner: Organisation) -> SubscribeFn:
    """``subscribe(url, event_types=[...], organisation=..., min_score=...)`` -> (subscription, secret)."""

    def make(
        url: str = "https://hooks.partner.example/talentbrug",
        *,
        event_types: list[str] | None = None,
        organisation: Organisation | None = None,
        **fields: Any,
    ) -> tuple[WebhookSubscription, str]:
        return subscription_create(
            organisation=organisation or partner,
            url=url,
            event_types=list(EventType.values) if event_types is None else event_types,
            **fields,
        )

    return make
