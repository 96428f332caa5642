"""Writing many ``Match`` rows at once: the one PostgreSQL-specific seam of the recompute.

A result becomes a plain tuple of column values (``match_values``), never a model instance: building
34,000 ``Match`` objects and adapting each field through Django took longer than the database's own work.
On PostgreSQL the tuples are streamed with ``COPY`` into a temporary table (the explanations as JSON
text, dumped by the C encoder of ``json``) and merged with one ``INSERT … ON CONFLICT DO UPDATE``.
``bulk_create(update_conflicts=True)`` does the same portably, but psycopg quotes its array parameters
(the JSON explanations) in Python, which took most of a vacancy's recompute in the benchmark
(bench/matching.py). Other databases keep ``bulk_create``.
"""

import datetime
import json
from decimal import Decimal
from typing import Any

from django.db import connection

from recruitment.matching.results import MatchResult
from recruitment.models import Match

MatchValues = tuple[int, int, str, Decimal, str, str, str, str, int, int, datetime.date, datetime.datetime]
"""One row in ``_COLUMNS`` order, the explanations (breakdown, reasons, routes) as JSON text."""

UPDATE_FIELDS = [
    "outcome",
    "score",
    "breakdown",
    "reasons",
    "routes",
    "algorithm_version",
    "vacancy_version",
    "candidate_version",
    "reference_date",
    "computed_at",
]
BATCH_SIZE = 1_000
_COLUMNS = ["vacancy_id", "candidate_id", *UPDATE_FIELDS]
_JSON_COLUMNS = ("breakdown", "reasons", "routes")
_dumps = json.JSONEncoder(separators=(",", ":")).encode  # the C encoder; stored as jsonb, spacing is lost


def score_of(result: MatchResult) -> Decimal:
    return Decimal(str(result.score or 0)).quantize(Decimal("0.01"))


def match_values(
    result: MatchResult,
    *,
    vacancy_version: int,
    candidate_version: int,
    day: datetime.date,
    now: datetime.datetime,
) -> MatchValues:
    """The row of one result: reasons, routes and breakdown as JSON text (codes and values)."""
    return (
        result.vacancy_id,
        result.candidate_id,
        result.outcome.value,
        score_of(result),
        _dumps(
            [
                {"code": c.code, "earned": c.earned, "possible": c.possible, "reason": c.reason.as_dict()}
                for c in result.breakdown
            ]
        ),
        _dumps([reason.as_dict() for reason in result.reasons]),
        _dumps(
            [
                {
                    "route": check.route.value,
                    "outcome": check.outcome.value,
                    "reasons": [reason.as_dict() for reason in check.reasons],
                }
                for check in result.routes
            ]
        ),
        result.algorithm_version,
        vacancy_version,
        candidate_version,
        day,
        now,
    )


def match_of(values: MatchValues) -> Match:
    """An unsaved ``Match`` holding ``values``."""
    fields: dict[str, Any] = dict(zip(_COLUMNS, values, strict=True))
    for name in _JSON_COLUMNS:
        fields[name] = json.loads(fields[name])
    return Match(**fields)


def matches_write(rows: list[MatchValues], *, absent: bool = False) -> None:
    """Insert or update the rows (``match_values``) on (vacancy, candidate). Must run inside the
    caller's transaction.

    ``absent``: none of these pairs has a row, and the caller's locks keep it so until it commits (a
    vacancy's recompute holding the vacancy's row lock, which every other writer of its pairs waits
    for): on PostgreSQL the rows are then copied straight into the table, without the temporary table.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        Match.objects.bulk_create(
            [match_of(row) for row in rows],
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["vacancy", "candidate"],
            update_fields=UPDATE_FIELDS,
        )
        return
    by_attname = {field.attname: field for field in Match._meta.concrete_fields}
    fields = [by_attname[name] for name in _COLUMNS]
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    updates = ", ".join(
        f"{quoted} = EXCLUDED.{quoted}" for quoted in map(connection.ops.quote_name, UPDATE_FIELDS)
    )
    with connection.cursor() as cursor:
        if absent:
            with cursor.cursor.copy(f"COPY {Match._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # Dropped at commit; the name is private to this session, so concurrent jobs do not collide.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS match_upsert ON COMMIT DROP AS "
            f"SELECT {columns} FROM recruitment_match WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY match_upsert ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO recruitment_match ({columns}) SELECT {columns} FROM match_upsert "
            f"ON CONFLICT (vacancy_id, candidate_id) DO UPDATE SET {updates}"
        )
        cursor.execute("TRUNCATE match_upsert")  # a second call in the same transaction starts empty
