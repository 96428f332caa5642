"""Rate limits per OAuth2 client (not per IP: one partner's servers may sit behind many addresses).

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` and are read on every request, so a
changed setting applies without a restart of the throttle classes. A refused request gets a 429 problem
with ``Retry-After`` (seconds). Counters live in the default cache (Redis in production).

- ``client``: every API request of a client;
- ``bulk``: bulk upserts of a client, on top of ``client`` (each one may write 100 candidates);
- ``token``: token requests per client address, against guessing client secrets.
"""

from typing import Any, cast

from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _SettingsRateThrottle(SimpleRateThrottle):
    def __init__(self) -> None:  # read the rate now, not when the module was imported
        self.THROTTLE_RATES = cast(dict[str, str | None], api_settings.DEFAULT_THROTTLE_RATES)
        super().__init__()


class ClientRateThrottle(_SettingsRateThrottle):
    scope = "client"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        application = getattr(request.auth, "application", None)
        if application is None:
            return None  # unauthenticated requests are refused before they cost anything
        return self.cache_format % {"scope": self.scope, "ident": application.client_id}


class BulkRateThrottle(ClientRateThrottle):
    scope = "bulk"


class TokenRateThrottle(_SettingsRateThrottle):
    scope = "token"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_token_request(self, request: HttpRequest) -> bool:
        return self.allow_request(request, None)  # type: ignore[arg-type]
