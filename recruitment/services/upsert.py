"""Writing many ``Match`` rows at once: the one PostgreSQL-specific seam of the recompute.

A result becomes a plain tuple of column values (``match_values``), never a model instance: building
34,000 ``Match`` objects and adapting each field through Django took longer than the database's own work.
On PostgreSQL the tuples are streamed with ``COPY`` into a temporary table (the explanations as JSON
text, dumped by the C encoder of ``json``) and merged with one ``INSERT … ON CONFLICT DO UPDATE``.
``bulk_create(update_conflicts=True)`` does the same portably, but psycopg quotes its array parameters
(the JSON explanations) in Python, which took most of a vacancy's recompute in the benchmark
(bench/matching.py). SQLite gets the same ``INSERT … ON CONFLICT DO UPDATE`` statement, one row per
parameter set (``executemany``).

``changed_at`` tells a recruiter what is new (the dashboard): a new pair gets the time of the run, and
an update moves it only when the outcome or the score differs from the stored row, decided by the
database inside the same statement (a CASE on the old row and ``EXCLUDED``), so the hot path reads
nothing more and every writer of a pair agrees, whatever the interleaving.
"""

import datetime
import json
from decimal import Decimal
from typing import Any

from django.db import connection

from recruitment.matching.results import MatchResult
from recruitment.models import Match

MatchValues = tuple[
    int, int, str, Decimal, str, str, str, str, int, int, datetime.date, datetime.datetime, datetime.datetime
]
"""One row in ``_COLUMNS`` order, the explanations (breakdown, reasons, routes) as JSON text; the last
value is ``changed_at`` as a new row gets it (an update keeps the stored one unless the result changed)."""

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
_COLUMNS = ["vacancy_id", "candidate_id", *UPDATE_FIELDS, "changed_at"]
_TABLE = Match._meta.db_table
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
        now,  # changed_at, for a new pair
    )


def match_of(values: MatchValues) -> Match:
    """An unsaved ``Match`` holding ``values``."""
    fields: dict[str, Any] = dict(zip(_COLUMNS, values, strict=True))
    for name in _JSON_COLUMNS:
        fields[name] = json.loads(fields[name])
    return Match(**fields)


def _quoted_columns() -> str:
    by_attname = {field.attname: field for field in Match._meta.concrete_fields}
    return ", ".join(connection.ops.quote_name(str(by_attname[name].column)) for name in _COLUMNS)


def _on_conflict() -> str:
    """The update of an existing pair: every computed field, and ``changed_at`` only when the outcome or
    the score differ (in a DO UPDATE, the table's own columns are the old row on both databases)."""
    quote = connection.ops.quote_name
    updates = [f"{quote(name)} = EXCLUDED.{quote(name)}" for name in UPDATE_FIELDS]
    outcome, score, changed = quote("outcome"), quote("score"), quote("changed_at")
    differs = f"{_TABLE}.{outcome} <> EXCLUDED.{outcome} OR {_TABLE}.{score} <> EXCLUDED.{score}"
    updates.append(f"{changed} = CASE WHEN {differs} THEN EXCLUDED.{changed} ELSE {_TABLE}.{changed} END")
    return f"ON CONFLICT (vacancy_id, candidate_id) DO UPDATE SET {', '.join(updates)}"


def matches_write(rows: list[MatchValues], *, absent: bool = False) -> None:
    """Insert or update the rows (``match_values``) on (vacancy, candidate). Must run inside the
    caller's transaction.

    ``absent``: none of these pairs has a row, and the caller's locks keep it so until it commits (a
    vacancy's recompute holding the vacancy's row lock, which every other writer of its pairs waits
    for): on PostgreSQL the rows are then copied straight into the table, without the temporary table.
    """
    if not rows:
        return
    columns = _quoted_columns()
    if connection.vendor != "postgresql":
        _sqlite_write(rows, columns)
        return
    with connection.cursor() as cursor:
        if absent:
            with cursor.cursor.copy(f"COPY {_TABLE} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # Dropped at commit; the name is private to this session, so concurrent jobs do not collide.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS match_upsert ON COMMIT DROP AS "
            f"SELECT {columns} FROM {_TABLE} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY match_upsert ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {_TABLE} ({columns}) SELECT {columns} FROM match_upsert {_on_conflict()}"
        )
        cursor.execute("TRUNCATE match_upsert")  # a second call in the same transaction starts empty


def _sqlite_write(rows: list[MatchValues], columns: str) -> None:
    """The same upsert on SQLite, one parameter set per row. Its driver stores an aware datetime with
    its offset, which would not compare as text with Django's own values: both are adapted as Django
    does (naive UTC text); a run's rows share their timestamps, so each is adapted once."""
    adapt = connection.ops.adapt_datetimefield_value
    adapted: dict[datetime.datetime, Any] = {}

    def params(row: MatchValues) -> tuple[Any, ...]:
        computed, changed = row[-2], row[-1]
        if computed not in adapted:
            adapted[computed] = adapt(computed)
        if changed not in adapted:
            adapted[changed] = adapt(changed)
        return (*row[:-2], adapted[computed], adapted[changed])

    placeholders = ", ".join(["%s"] * len(_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {_TABLE} ({columns}) VALUES ({placeholders}) {_on_conflict()}",
            [params(row) for row in rows],
        )
