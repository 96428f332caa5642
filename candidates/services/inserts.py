"""Insert many new rows of one model in one statement: what a profile write creates.

``bulk_create`` spends more Python per row than validating the row did: for every value ``pre_save``, a
check for expressions and ``get_db_prep_save`` through the compiler's layers, for every row its
relations. A bulk request of 100 profiles inserts some 1,900 rows. On PostgreSQL ``rows_insert`` sends
what Django's own bulk insert sends there (one array per column, ``INSERT ... SELECT * FROM UNNEST``,
ids returned in the order of the rows), from one pass over the values with the same ``pre_save`` and
``get_db_prep_save``; on another database, or for a model it cannot write that way, it is
``bulk_create`` (row by row where the database cannot return the ids).

The arrays travel as binary parameters, apart from the SQL: Django's cursor binds on the client, which
spells each array out as an SQL literal (every value dumped as text and escaped in Python) for the server
to parse back. That was a quarter of the time a new profile spent in Python.

Relations must already point at saved rows: the caller inserts candidates first, then what hangs from
them. Rows inserted ``with_ids`` come out saved, like ``bulk_create``'s; the others may stay unsaved
(without the id nobody reads, PostgreSQL sends none back): callers use them for nothing but the write.
"""

import contextlib
import functools
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper

from candidates.services.field_memo import PLAIN_TYPES


class Statement(NamedTuple):
    sql: str  # INSERT ... SELECT * FROM UNNEST(one binary array parameter per field)
    returning: str  # what to add to learn the ids
    fields: tuple["models.Field[Any, Any]", ...]


# Values a column prepares once each (``field_memo.PLAIN_TYPES``: immutable, equal only when the same
# value; the type is part of the key, as True == 1), for Django's own field types, whose preparation of
# such a value never varies.


class _NotAnArrayItem(Exception):
    """A value is an SQL expression (``Now()``, say): it cannot travel inside an array."""


def _column(
    field: "models.Field[Any, Any]", objects: Sequence[models.Model], connection: BaseDatabaseWrapper
) -> list[Any]:
    """One column as ``bulk_create`` sends it (``pre_save``, then ``get_db_prep_save``), each distinct
    plain value prepared once: a column of a hundred profiles' rows repeats most of its values."""
    if not type(field).__module__.startswith("django."):
        values = [field.pre_save(obj, True) for obj in objects]
        if any(hasattr(value, "as_sql") for value in values):
            raise _NotAnArrayItem
        return [field.get_db_prep_save(value, connection) for value in values]
    prepared: dict[tuple[type, Any], Any] = {}
    column = []
    for obj in objects:
        value = field.pre_save(obj, True)
        if type(value) not in PLAIN_TYPES:
            if hasattr(value, "as_sql"):
                raise _NotAnArrayItem
            column.append(field.get_db_prep_save(value, connection))
            continue
        key = (type(value), value)
        if key not in prepared:
            prepared[key] = field.get_db_prep_save(value, connection)
        column.append(prepared[key])
    return column


@functools.cache
def _unnest_insert(model: type[models.Model], alias: str) -> Statement | None:
    """The statement for ``model`` (every concrete column but the id), or None when a column cannot
    travel as an array (Django's own conditions for its UNNEST insert) or the database would return
    more than the id."""
    connection = connections[alias]
    opts = model._meta
    if list(opts.db_returning_fields) != [opts.pk]:
        return None
    fields = tuple(f for f in opts.concrete_fields if not f.primary_key and not f.generated)
    for field in fields:
        internal = (field.target_field if field.is_relation else field).get_internal_type()  # type: ignore[attr-defined]
        if (
            hasattr(field, "get_placeholder")
            or internal not in connection.data_types
            or field.has_db_default()  # a ``DatabaseDefault`` value is an expression, not an array item
        ):
            return None
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    # Without a type's parameters (varchar, not varchar(64)): the column's own type checks the length.
    arrays = ", ".join(f"%b::{str(f.db_type(connection)).split('(')[0]}[]" for f in fields)
    return Statement(
        sql=f"INSERT INTO {quote(opts.db_table)} ({columns}) SELECT * FROM UNNEST({arrays})",
        returning=f" RETURNING {quote(str(opts.pk.column))}",
        fields=fields,
    )


def _binding_cursor(connection: BaseDatabaseWrapper) -> Any:
    """A cursor of ``connection`` (PostgreSQL) that sends its parameters apart from the SQL (``%b``: in
    binary), wrapped as Django wraps its own: execute wrappers, query log, database errors."""
    import psycopg  # PostgreSQL only: not imported where another database serves

    connection.ensure_connection()
    connection.validate_thread_sharing()
    # What Django's ``server_side_binding`` option makes every cursor (``Any``: django-stubs take the
    # wrappers' argument for a wrapper).
    cursor: Any = psycopg.Cursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)


def rows_insert(
    model: type[models.Model], objects: Sequence[models.Model], *, with_ids: bool = False
) -> None:
    """Insert ``objects``, new rows of ``model``, in one statement; ``with_ids``: learn their ids (the
    objects come out saved), else they may stay unsaved."""
    if not objects:
        return
    alias = router.db_for_write(model)
    # The connection itself, not ``django.db.connection``: each attribute read through that proxy looks
    # the connection up again, and ``get_db_prep_save`` reads a few per value.
    connection = connections[alias]
    statement = _unnest_insert(model, alias) if connection.vendor == "postgresql" else None
    columns: list[list[Any]] | None = None
    if statement is not None:
        # A value that is an SQL expression: as Django does, such rows go through ``bulk_create``'s VALUES.
        with contextlib.suppress(_NotAnArrayItem):
            columns = [_column(field, objects, connection) for field in statement.fields]
    if statement is None or columns is None:
        if with_ids and not connection.features.can_return_rows_from_bulk_insert:
            for instance in objects:  # a database that cannot say which ids it gave: row by row
                instance.save(force_insert=True, using=alias)
        else:
            model._default_manager.db_manager(alias).bulk_create(objects)
        return
    with _binding_cursor(connection) as cursor:
        cursor.execute(statement.sql + (statement.returning if with_ids else ""), columns)
        if not with_ids:
            return
        ids = cursor.fetchall()
    for instance, (pk,) in zip(objects, ids, strict=True):
        # What ``bulk_create`` does with the ids PostgreSQL returns, in the order of the rows.
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = alias
