"""Reads whose SQL is compiled once per process and run afresh each time (issue 11).

A few reads on many pages, such as the reference data in force on a day (``reference.in_force``), are
built from a handful of inputs through nested conditions and subqueries. The ORM spends 1 to 2 ms
building and compiling each of them; the database answers in a fraction of that. Their SQL depends on
those inputs alone, so each process keeps it under a key that names them, and the database is still
asked on every read: an edit is seen at once. Keeping the answers instead would show an edit made with
``QuerySet.update`` late.

The caller names every input of the query in the key: two queries under one key would read each other's
rows. The rows come back as ``values_list`` gives them, with the same conversions.
"""

import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler

MAX_KEPT = 512  # distinct keys per process (days × regions × ...); past it, the oldest half is dropped

_kept: dict[Hashable, "_Compiled | None"] = {}  # None: a query that can match nothing (EmptyResultSet)
_lock = threading.Lock()


@dataclass(frozen=True)
class _Compiled:
    alias: str
    sql: str
    params: tuple[Any, ...]
    compiler: SQLCompiler  # its selected columns give each value's conversion (dates on SQLite, ...)


def compiled_values(key: Hashable, build: Callable[[], "QuerySet[Any, Any]"]) -> list[tuple[Any, ...]]:
    """The rows of ``build()``, a ``values_list`` query whose SQL depends on ``key`` alone: compiled on
    the first call with that key in this process, run on every call."""
    with _lock:
        known = key in _kept
        found = _kept.get(key)
    if not known:
        found = _compile(build())
        with _lock:
            if len(_kept) >= MAX_KEPT:
                for old in list(_kept)[: MAX_KEPT // 2]:
                    del _kept[old]
            _kept[key] = found
    if found is None:
        return []
    with connections[found.alias].cursor() as cursor:
        cursor.execute(found.sql, found.params)
        rows = cursor.fetchall()
    compiler = found.compiler
    if compiler.has_extra_select:
        rows = [row[: compiler.col_count] for row in rows]
    converted: Iterable[tuple[Any, ...]] = compiler.results_iter(results=[rows], tuple_expected=True)  # type: ignore[assignment]
    return list(converted)


def compiled_clear() -> None:
    with _lock:
        _kept.clear()


def _compile(queryset: "QuerySet[Any, Any]") -> _Compiled | None:
    query = queryset.query
    if queryset._iterable_class is not ValuesListIterable:
        raise ValueError("compiled_values reads a values_list query (not flat, not named)")
    compiler = query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    return _Compiled(queryset.db, sql, tuple(params), compiler)
