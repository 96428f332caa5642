"""Share locks on the rows whose versions a recompute checks before it writes.

Django has no ``FOR SHARE``. On PostgreSQL it is added to the compiled query; elsewhere (SQLite, which
serialises writers anyway) the same query runs without it: the one PostgreSQL-specific seam of the
recompute, with a portable fallback (architecture.md, Settings).

A share lock blocks the UPDATE that bumps a version until our transaction ends, and lets other readers
and other recomputes through, so two recomputes never wait for each other here.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

LOCK_BATCH = 5_000


def locked_values(
    model: type[models.Model], ids: Iterable[int], fields: Sequence[str]
) -> dict[int, tuple[Any, ...]]:
    """``{id: (field values...)}`` of the rows ``ids``, share-locked in id order (no deadlock cycles)."""
    ordered = sorted(set(ids))
    found: dict[int, tuple[Any, ...]] = {}
    suffix = " FOR SHARE" if connection.vendor == "postgresql" else ""
    size = min(LOCK_BATCH, connection.features.max_query_params or LOCK_BATCH)
    for start in range(0, len(ordered), size):
        batch = ordered[start : start + size]
        query = model._default_manager.filter(pk__in=batch).order_by("pk").values_list("pk", *fields)
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql + suffix, params)
            for pk, *values in cursor.fetchall():
                found[pk] = tuple(values)
    return found
