"""Writing many ``Match`` rows at once: the one PostgreSQL-specific seam of the recompute.

On PostgreSQL the rows are streamed with ``COPY`` into a temporary table and merged with one
``INSERT … ON CONFLICT DO UPDATE``. ``bulk_create(update_conflicts=True)`` does the same portably, but
psycopg quotes its array parameters (the JSON explanations) in Python, which took most of a vacancy's
recompute in the benchmark (bench/matching.py). Other databases keep ``bulk_create``.
"""

from django.db import connection

from recruitment.models import Match

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


def matches_upsert(rows: list[Match]) -> None:
    """Insert or update ``rows`` on (vacancy, candidate). Must run inside the caller's transaction."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Match.objects.bulk_create(
            rows,
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
        # Dropped at commit; the name is private to this session, so concurrent jobs do not collide.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS match_upsert ON COMMIT DROP AS "
            f"SELECT {columns} FROM recruitment_match WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY match_upsert ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
                )
        cursor.execute(
            f"INSERT INTO recruitment_match ({columns}) SELECT {columns} FROM match_upsert "
            f"ON CONFLICT (vacancy_id, candidate_id) DO UPDATE SET {updates}"
        )
        cursor.execute("TRUNCATE match_upsert")  # a second call in the same transaction starts empty
