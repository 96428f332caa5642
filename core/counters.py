"""Counters behind limits (failed sign-ins, API rate limits) that keep counting while Redis is down.

They live in the default cache (Redis in production), so a limit holds across all processes. When Redis
does not answer, each process counts in its own memory instead (docs/adr/0009-faults.md): the limit then
holds per process (with N processes, N times the attempts for as long as the outage lasts), and nobody
gets an error page because a cache is down. What was counted in Redis before an outage is not seen
during it, and what was counted in memory meanwhile is forgotten when Redis is back.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# This process's counters while the shared cache does not answer (room for many addresses guessing).
fallback_counters = LocMemCache("counters-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
WARNING_INTERVAL = 60  # seconds: operators hear of an outage once a minute per process, not per request

T = TypeVar("T")


def _shared_or_fallback(operation: Callable[[BaseCache], T]) -> T:
    try:
        return operation(cache)
    except RedisError as exc:  # timeouts included (settings CACHES OPTIONS bound them)
        if fallback_counters.add("cache-down-warned", True, WARNING_INTERVAL):
            # The class only: the message names the server, never a person, but need not be trusted to.
            logger.warning("the cache does not answer (%s): limits count in this process", type(exc).__name__)
        return operation(fallback_counters)


def _increment(counters: BaseCache, key: str, timeout: int) -> int:
    counters.add(key, 0, timeout)
    try:
        return counters.incr(key)
    except ValueError:  # expired or evicted between add and incr: this one starts the count again
        counters.set(key, 1, timeout)
        return 1


def count(key: str, timeout: int) -> int:
    """Add one to ``key`` and return the count, this one included. A new counter expires ``timeout``
    seconds after it was created, however often it is raised: windows are fixed, never extended."""
    return _shared_or_fallback(lambda counters: _increment(counters, key, timeout))


def read(*keys: str) -> list[int]:
    """The counts of ``keys`` (0 for a counter that does not exist or expired), in one round trip."""
    values = _shared_or_fallback(lambda counters: counters.get_many(keys))
    return [int(values.get(key, 0)) for key in keys]


def forget(key: str) -> None:
    _shared_or_fallback(lambda counters: counters.delete(key))
