"""Query results as NumPy arrays, and NumPy rows into a table: the PostgreSQL-specific seam of the
columnar matching (docs/adr/0008-matching-at-national-scale.md).

On PostgreSQL a query is read with ``COPY (...) TO STDOUT (FORMAT BINARY)`` and parsed in one go with a
NumPy record type, since every column is fixed-width and never NULL (the queries ``COALESCE``): about
100 times faster than building a Python tuple per row. Other databases (SQLite, the embedded default)
fetch tuples and convert them; same arrays, same order.

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
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
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


def _fetch_binary(sql: str, params: Sequence[Any], columns: Columns) -> dict[str, np.ndarray]:
    with connection.cursor() as cursor:
        statement = cursor.cursor.mogrify(sql, params) if params else sql
        with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT (FORMAT BINARY)") as copy:
            data = b"".join(bytes(block) for block in copy)
    if not data.startswith(_SIGNATURE):
        raise ValueError("not a binary COPY stream")
    extension = int.from_bytes(data[15:19], "big")
    body = memoryview(data)[19 + extension : len(data) - 2]  # the trailer is a field count of -1
    fields: list[tuple[str, str]] = [("count", ">i2")]
    for index, (_name, kind) in enumerate(columns):
        fields += [(f"length{index}", ">i4"), (f"value{index}", _BINARY[kind][0])]
    records = np.frombuffer(body, dtype=np.dtype(fields))
    if len(records) and (records["count"] != len(columns)).any():
        raise ValueError("unexpected field count in a binary COPY row")
    arrays: dict[str, np.ndarray] = {}
    for index, (name, kind) in enumerate(columns):
        width = np.dtype(_BINARY[kind][0]).itemsize
        if len(records) and (records[f"length{index}"] != width).any():
            raise ValueError(f"column {name} has NULLs or another type than {kind}")
        values = records[f"value{index}"].astype(_BINARY[kind][1])
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
