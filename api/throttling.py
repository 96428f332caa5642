"""Rate limits per OAuth2 client (not per IP: one partner's servers may sit behind many addresses).

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` and are read on every request, so a
changed setting applies without a restart of the throttle classes. A refused request gets a 429 problem
with ``Retry-After`` (seconds). Counters live in the default cache (Redis in production).

- ``client``: every API request of a client;
- ``bulk``: bulk upserts of a client, on top of ``client`` (each one may write 100 candidates);
- ``token``: token requests per client address, against guessing client secrets.

Counting is atomic: one counter per client (or address) and window, created by ``cache.add`` and raised
by ``cache.incr``, so concurrent requests can never both take the last place (DRF's own throttles read a
list, append and write it back, and lost updates let hundreds of requests too many through). Windows are
fixed (a new one starts every minute): a client may use its quota at the end of one window and again at
the start of the next. When Redis does not answer, each process counts in its own memory instead
(core.counters, shared with the sign-in limits): the limits still hold per process, and the API keeps
answering (it has no other use for Redis).

Every answer to a known client says where it stands (``rate_limit_headers``), in the fields of the IETF
draft "RateLimit header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers): ``RateLimit-Limit``
(requests per window), ``RateLimit-Remaining`` (left in this window, this request counted) and
``RateLimit-Reset`` (seconds until the window ends). Where two limits apply (bulk upserts), the one with
the fewest requests left is shown. A refused request also gets ``Retry-After`` (the same seconds).
"""

import ipaddress
import math
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.counters import count
from core.counters import fallback_counters as fallback_counters  # its tests clear it

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(request: HttpRequest) -> str:
    """The address a request comes from: ``REMOTE_ADDR``, unless that is one of ``TRUSTED_PROXIES``.

    Behind trusted proxies, ``X-Forwarded-For`` is read from the right, where each proxy appended the
    address it saw, and the first address that is not a trusted proxy is the client. Anything further
    left was written by the client itself and proves nothing; from anyone else the header is ignored.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = _networks(tuple(settings.TRUSTED_PROXIES))
    if not _is_trusted(remote, proxies):
        return remote
    for hop in reversed(str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")):
        hop = hop.strip()
        if not _is_trusted(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:  # not an address: count the proxy itself, coarse but safe
                return remote
    return remote


class _CountingRateThrottle(SimpleRateThrottle):
    def __init__(self) -> None:  # read the rate now, not when the module was imported
        self.THROTTLE_RATES = cast(dict[str, str | None], api_settings.DEFAULT_THROTTLE_RATES)
        super().__init__()
        self.limit, self.seconds = self.parse_rate(self.rate)
        self.retry_after = 0.0
        self.remaining: int | None = None  # set once this request was counted

    def allow_request(self, request: Request, view: Any) -> bool:
        key = self.get_cache_key(request, view)
        if key is None or self.limit is None or self.seconds is None:
            return True
        now = self.timer()
        window = int(now // self.seconds)
        self.retry_after = (window + 1) * self.seconds - now
        # The counter outlives its window (it is created within it), so it cannot restart early.
        used = count(f"{key}:{window}", self.seconds)
        self.remaining = max(self.limit - used, 0)
        return used <= self.limit

    def wait(self) -> float:
        return self.retry_after


def rate_limit_headers(throttles: Iterable[Any]) -> dict[str, str]:
    """The ``RateLimit-*`` fields for the most restrictive of the limits that counted this request (none
    when no limit counted it: an unauthenticated request has no client to count for)."""
    counted = [
        t for t in throttles if isinstance(t, _CountingRateThrottle) and t.remaining is not None and t.limit
    ]
    if not counted:
        return {}
    tightest = min(counted, key=lambda t: (t.remaining, -t.retry_after))
    return {
        "RateLimit-Limit": str(tightest.limit),
        "RateLimit-Remaining": str(tightest.remaining),
        "RateLimit-Reset": str(max(1, math.ceil(tightest.retry_after))),
    }


class ClientRateThrottle(_CountingRateThrottle):
    scope = "client"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        application = getattr(request.auth, "application", None)
        if application is None:
            return None  # unauthenticated requests are refused before they cost anything
        return self.cache_format % {"scope": self.scope, "ident": application.client_id}


class BulkRateThrottle(ClientRateThrottle):
    scope = "bulk"


class TokenRateThrottle(_CountingRateThrottle):
    scope = "token"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def allow_token_request(self, request: HttpRequest) -> bool:
        return self.allow_request(request, None)  # type: ignore[arg-type]
