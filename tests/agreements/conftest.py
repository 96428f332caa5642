"""Fixtures reused here: the webhook tests' (a real HTTP receiver, fast retries, subscriptions) and the
partner API tests' (two agencies with OAuth2 clients)."""

from tests.api.conftest import _clear_cache, api_x, api_y, partner_x, partner_y
from tests.webhooks.conftest import fast_settings, partner, receiver, subscribe

__all__ = [
    "_clear_cache",
    "api_x",
    "api_y",
    "fast_settings",
    "partner",
    "partner_x",
    "partner_y",
    "receiver",
    "subscribe",
]
