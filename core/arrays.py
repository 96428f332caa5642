"""Query results as NumPy arrays, and NumPy rows into a table: the PostgreSQL-specific seam of the
columnar matching (docs/adr/0008-matching-at-national-scale.md).

On PostgreSQL each column comes back as one ``bytea``: its values in binary form, concatenated by the
database (``string_agg``), parsed by NumPy in one go, since every column is fixed-width and never NULL
(the queries ``COALESCE``). Reading rows costs about 10 µs a row in Python even through ``COPY``; this
costs nothing per row on this side. Other databases (SQLite, the embedded default) fetch tuples and
convert them; same arrays, same order.

Kinds: ``int2``, ``int4``, ``int8``, ``float8``, ``bool``, ``date`` (as a proleptic ordinal, like
``datetime.date.toordinal()``) and ``uuid`` (as 16 bytes).
"""

import datetime
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import connection

_BINARY: dict[str, tuple[str, Any]] = {
    "int2": (">i2", np.int16),
    "int4": (">i4", np.int32),
    "int8": (">i8", np.int64),
    "float8": (">f8", np.float64),
    "bool": ("?", np.bool_),
    "date": (">i4", np.int32),
    "uuid": ("V16", np.dtype("V16")),
}
_PG_EPOCH = datetime.date(2000, 1, 1).toordinal()  # binary dates count days from 2000-01-01

Columns = Sequence[tuple[str, str]]


def fetch_arrays(sql: str, params: Sequence[Any], columns: Columns) -> dict[str, np.ndarray]:
    """The rows of ``sql`` as one array per column, named and typed by ``columns`` (name, kind), in the
    order of the query's select list. No column may be NULL."""
    if connection.vendor == "postgresql":
        return _fetch_binary(sql, params, columns)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {name: _convert([row[i] for row in rows], kind) for i, (name, kind) in enumerate(columns)}


def _convert(values: list[Any], kind: str) -> np.ndarray:
    if kind == "date":
        days = [
            (v if isinstance(v, datetime.date) else datetime.date.fromisoformat(str(v))).toordinal()
            for v in values
        ]
        return np.array(days, dtype=np.int32)
    if kind == "uuid":
        raw = b"".join((v if isinstance(v, uuid.UUID) else uuid.UUID(str(v))).bytes for v in values)
        return np.frombuffer(raw, dtype="V16").copy()
    return np.array(values, dtype=_BINARY[kind][1])


_SEND = {
    "int2": "int2send({})",
    "int4": "int4send({})",
    "int8": "int8send({})",
    "float8": "float8send({})",
    "bool": "boolsend({})",
    "date": "int4send({} - DATE '2000-01-01')",
    "uuid": "uuid_send({})",
}


def _fetch_binary(sql: str, params: Sequence[Any], columns: Columns) -> dict[str, np.ndarray]:
    """One row back, one ``bytea`` per column: every value in its binary form, concatenated by
    ``string_agg`` in one pass (so in the same row order for every column). Parsed by NumPy in one go:
    no Python object per row, which is what reading rows (even by ``COPY``) costs here."""
    names = [f"c{index}" for index in range(len(columns))]
    aggregates = ", ".join(
        f"string_agg({_SEND[kind].format(name)}, ''::bytea)"
        for name, (_column, kind) in zip(names, columns, strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {aggregates} FROM ({sql}) AS q({', '.join(names)})", params)
        row = cursor.fetchone()
    arrays: dict[str, np.ndarray] = {}
    for value, (name, kind) in zip(row or [None] * len(columns), columns, strict=True):
        code, dtype = _BINARY[kind]
        values = np.frombuffer(bytes(value or b""), dtype=code).astype(dtype)
        arrays[name] = values + _PG_EPOCH if kind == "date" else values
    return arrays


def id_array_param(ids: np.ndarray | Sequence[int]) -> Any:
    """A list of ids as one query parameter: an array on PostgreSQL (``= ANY(%s)``), else a JSON text
    for SQLite's ``IN (SELECT value FROM json_each(%s))``. See ``id_filter``."""
    values = [int(i) for i in ids]
    if connection.vendor == "postgresql":
        return values
    import json

    return json.dumps(values)


def id_filter(column: str) -> str:
    """The SQL that keeps rows whose ``column`` is in the ids given by ``id_array_param``."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)"
    return f"{column} IN (SELECT value FROM json_each(%s))"
