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
    if connection.vendor == "postgresql":
        # One array parameter per batch: compiling ``pk__in`` with thousands of ids took longer in
        # Django than the lock in the database (bench/matching.py).
        quote = connection.ops.quote_name
        meta = model._meta
        column = {f.name: str(f.column) for f in meta.concrete_fields} | {"pk": str(meta.pk.column)}
        pk = quote(column["pk"])
        columns = ", ".join([pk, *(quote(column[name]) for name in fields)])
        table = quote(meta.db_table)
        sql = f"SELECT {columns} FROM {table} WHERE {pk} = ANY(%s) ORDER BY {pk} FOR SHARE"
        with connection.cursor() as cursor:
            for start in range(0, len(ordered), LOCK_BATCH):
                cursor.execute(sql, [ordered[start : start + LOCK_BATCH]])
                for pk_value, *values in cursor.fetchall():
                    found[pk_value] = tuple(values)
        return found
    size = min(LOCK_BATCH, connection.features.max_query_params or LOCK_BATCH)
    for start in range(0, len(ordered), size):
        batch = ordered[start : start + size]
        query = model._default_manager.filter(pk__in=batch).order_by("pk").values_list("pk", *fields)
        found.update((pk_value, tuple(values)) for pk_value, *values in query)
    return found
