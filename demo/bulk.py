"""Batched inserts for the demo generator, with counts kept per table for the final report.

A hundred thousand candidates means about one and a half million rows. On PostgreSQL they are
streamed with ``COPY`` (several times faster than multi-row INSERTs, whose statements Django must
build and the server must parse); primary keys are drawn from the table's sequence first, so children
can point at their parents just as after ``bulk_create``. Any other database gets ``bulk_create`` in
batches: the one PostgreSQL-specific seam, with a portable fallback (architecture.md, Settings).
"""

from collections import Counter
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections, models, router
from django.utils import timezone

BATCH_SIZE = 5_000

M = TypeVar("M", bound=models.Model)


class BulkWriter:
    """Writes model instances in batches and counts the rows written per table."""

    def __init__(self, batch_size: int = BATCH_SIZE, *, use_copy: bool = True) -> None:
        self.batch_size = batch_size
        self.use_copy = use_copy
        self.counts: Counter[str] = Counter()

    def insert(self, model: type[M], rows: Sequence[M]) -> Sequence[M]:
        """Insert ``rows`` and return them with their primary keys set."""
        if not rows:
            return rows
        connection = connections[router.db_for_write(model)]
        if self.use_copy and connection.vendor == "postgresql":
            for start in range(0, len(rows), self.batch_size):
                _copy(connection, model, rows[start : start + self.batch_size])
        else:
            model._default_manager.bulk_create(rows, batch_size=self.batch_size)
        self.counts[model._meta.label] += len(rows)
        return rows


# Field types whose Python value psycopg adapts exactly as Django's ``get_db_prep_save`` would prepare it;
# everything else (JSON above all) goes through Django's preparation.
_PASS_THROUGH = (
    models.BooleanField,
    models.CharField,
    models.DateField,  # includes DateTimeField
    models.DecimalField,
    models.ForeignKey,
    models.IntegerField,  # includes the auto and positive integer fields
    models.TextField,
    models.UUIDField,
)


def _copy(connection: Any, model: type[models.Model], rows: Sequence[models.Model]) -> None:
    """``COPY`` the rows into the model's table, after drawing their ids from its sequence.

    Timestamps with ``auto_now``/``auto_now_add`` get one value per batch, as ``bulk_create`` gives them;
    JSON and any unusual field go through Django's ``get_db_prep_save``.
    """
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = list(meta.concrete_fields)
    now = timezone.now()
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for row in rows:
        for field in stamped:
            setattr(row, field.attname, now)
    attnames = [field.attname for field in fields]
    prepared = [None if isinstance(field, _PASS_THROUGH) else (field, connection) for field in fields]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(rows)],
        )
        for row, (pk_value,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk_value
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = row.__dict__
                copy.write_row(
                    [
                        values[attname]
                        if prep is None
                        else prep[0].get_db_prep_save(values[attname], prep[1])
                        for attname, prep in zip(attnames, prepared, strict=True)
                    ]
                )
    for row in rows:
        row._state.adding = False
        row._state.db = connection.alias
