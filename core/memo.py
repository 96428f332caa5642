"""Values worth keeping for a few seconds in each process: the filter choices of the lists.

Choices such as "the occupations of the searchable candidates" scan a large table for a handful of
values that change a few times a day. Each web process keeps them ``READ_CACHE_SECONDS`` (a new value
shows up within that time). In memory, not in the shared cache: a page must not fail or wait when Redis
does (docs/adr/0009-faults.md), and a few values per process cost nothing.
"""

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings

Value = TypeVar("Value")

_values: dict[str, tuple[float, Any]] = {}
_lock = threading.Lock()


def memoised(key: str, build: Callable[[], Value]) -> Value:
    """``build()``, kept ``READ_CACHE_SECONDS`` under ``key`` (0: built on every call)."""
    seconds = settings.READ_CACHE_SECONDS
    now = time.monotonic()
    with _lock:
        kept = _values.get(key)
    if seconds > 0 and kept is not None and now - kept[0] < seconds:
        value: Value = kept[1]
        return value
    value = build()  # outside the lock: two threads may both build once, neither waits for the other
    if seconds > 0:
        with _lock:
            _values[key] = (now, value)
    return value


def memo_clear() -> None:
    with _lock:
        _values.clear()
