"""Writing compact ``Match`` rows: only what changed (docs/adr/0008-matching-at-national-scale.md).

A recompute reads the subject's stored rows as arrays (``stored_rows``), compares them with what it
computed (``PairRows``) and writes the difference: new pairs inserted, changed pairs updated, pairs no
longer produced deleted. An unchanged pair costs nothing; most of a daily pass is unchanged pairs.

On PostgreSQL the rows go into a temporary table with one binary ``COPY`` that NumPy builds (no Python
object per row), then into the table with one ``INSERT … SELECT`` (new pairs: the caller's locks keep
them absent until it commits) or one ``UPDATE … FROM`` (changed pairs; its ``IS DISTINCT FROM`` makes a
row the database finds equal after all cost no new version either). SQLite runs the same statements one
parameter set per row.

``changed_at`` tells a recruiter what is new (the dashboard): a new pair gets the time of the run, and
an update moves it only when the outcome or the score differs from the stored row, decided by the
database in the same statement.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection

from core.arrays import fetch_arrays, id_array_param, id_filter
from recruitment.matching import ALGORITHM_VERSION
from recruitment.matching.codes import CODE_OUTCOME, OUTCOME_CODE
from recruitment.matching.results import Outcome
from recruitment.models import Match, MatchChangeCount, MatchRemoval, VacancyMatchCount

_TABLE = Match._meta.db_table
_CHANGES = MatchChangeCount._meta.db_table
_COUNTS = VacancyMatchCount._meta.db_table
_CHUNK = 500  # rows per statement: five parameters each, well under any bound parameter limit
_ELIGIBLE, _CONDITIONAL = OUTCOME_CODE[Outcome.ELIGIBLE], OUTCOME_CODE[Outcome.CONDITIONAL]
_INSERT_COLUMNS = (
    "vacancy_id",
    "candidate_id",
    "outcome",
    "score",
    "reason_bits",
    "route_bits",
    "algorithm_version",
    "vacancy_version",
    "candidate_version",
    "reference_date",
    "computed_at",
    "changed_at",
)


@dataclass(frozen=True)
class PairRows:
    """Computed matches of one recompute, one array per column, pair ``i`` across them."""

    vacancy_id: np.ndarray
    candidate_id: np.ndarray
    outcome: np.ndarray  # codes.OUTCOME_CODE: eligible or conditional only
    cents: np.ndarray
    reasons: np.ndarray
    routes: np.ndarray
    vacancy_version: np.ndarray
    candidate_version: np.ndarray

    def __len__(self) -> int:
        return len(self.vacancy_id)

    def take(self, index: np.ndarray) -> "PairRows":
        return PairRows(*(getattr(self, name)[index] for name in self.__dataclass_fields__))

    def pairs(self) -> list[tuple[int, int, str, Decimal]]:
        """(vacancy id, candidate id, outcome, score) per row, for the ``match.created`` events."""
        return [
            (int(v), int(c), CODE_OUTCOME[int(o)].value, Decimal(_score_text(int(s))))
            for v, c, o, s in zip(self.vacancy_id, self.candidate_id, self.outcome, self.cents, strict=True)
        ]


@dataclass(frozen=True)
class StoredRows:
    """The stored matches of one subject, as arrays: the other side's id and the compact content."""

    other_id: np.ndarray
    outcome: np.ndarray
    cents: np.ndarray
    reasons: np.ndarray
    routes: np.ndarray

    def __len__(self) -> int:
        return len(self.other_id)


def stored_rows(*, vacancy_id: int | None = None, candidate_id: int | None = None) -> StoredRows:
    """One vacancy's stored matches keyed by candidate, or one candidate's keyed by vacancy."""
    subject, other = (
        ("vacancy_id", "candidate_id") if vacancy_id is not None else ("candidate_id", "vacancy_id")
    )
    arrays = fetch_arrays(
        f"SELECT {other}, CASE WHEN outcome = %s THEN {_ELIGIBLE} ELSE {_CONDITIONAL} END, "
        f"CAST(ROUND(score * 100) AS integer), reason_bits, route_bits FROM {_TABLE} WHERE {subject} = %s",
        [Outcome.ELIGIBLE.value, vacancy_id if vacancy_id is not None else candidate_id],
        [("other", "int8"), ("outcome", "int4"), ("cents", "int4"), ("reasons", "int8"), ("routes", "int2")],
    )
    return StoredRows(
        arrays["other"], arrays["outcome"], arrays["cents"], arrays["reasons"], arrays["routes"]
    )


@dataclass(frozen=True)
class Changes:
    """Which computed rows are new, which differ from their stored row, and how many are unchanged."""

    new: np.ndarray
    changed: np.ndarray
    unchanged: int


def changes_of(computed: PairRows, computed_other: np.ndarray, stored: StoredRows) -> Changes:
    """Compare computed rows (keyed by ``computed_other``, the other side's ids) with the stored ones."""
    order = np.argsort(stored.other_id, kind="stable")
    position = np.searchsorted(stored.other_id, computed_other, sorter=order)
    inside = position < len(order)
    row = (
        order[np.where(inside, position, 0)] if len(order) else np.zeros(len(computed_other), dtype=np.int64)
    )
    found = (
        inside & (stored.other_id[row] == computed_other)
        if len(order)
        else np.zeros(len(computed_other), bool)
    )
    differs = (
        (stored.outcome[row] != computed.outcome)
        | (stored.cents[row] != computed.cents)
        | (stored.reasons[row] != computed.reasons)
        | (stored.routes[row] != computed.routes)
        if len(order)
        else np.zeros(len(computed_other), dtype=bool)
    )
    return Changes(
        new=np.flatnonzero(~found),
        changed=np.flatnonzero(found & differs),
        unchanged=int((found & ~differs).sum()),
    )


def _score_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


_STAGE_COLUMNS = (
    ("vacancy_id", "bigint", ">i8"),
    ("candidate_id", "bigint", ">i8"),
    ("outcome", "smallint", ">i2"),
    ("cents", "integer", ">i4"),
    ("reason_bits", "bigint", ">i8"),
    ("route_bits", "smallint", ">i2"),
    ("vacancy_version", "integer", ">i4"),
    ("candidate_version", "integer", ">i4"),
)
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # the binary COPY header: no flags, no extension


def _stage(rows: PairRows) -> None:
    """PostgreSQL: the rows into a temporary table (dropped at commit, private to this session) with
    one binary ``COPY`` built by NumPy: every column fixed-width, no Python object per row."""
    fields: list[tuple[str, str]] = [("count", ">i2")]
    for name, _sql, code in _STAGE_COLUMNS:
        fields += [(f"{name}_length", ">i4"), (name, code)]
    records = np.zeros(len(rows), dtype=np.dtype(fields))
    records["count"] = len(_STAGE_COLUMNS)
    values = {
        "vacancy_id": rows.vacancy_id,
        "candidate_id": rows.candidate_id,
        "outcome": rows.outcome,
        "cents": rows.cents,
        "reason_bits": rows.reasons,
        "route_bits": rows.routes,
        "vacancy_version": rows.vacancy_version,
        "candidate_version": rows.candidate_version,
    }
    for name, _sql, code in _STAGE_COLUMNS:
        records[f"{name}_length"] = np.dtype(code).itemsize
        records[name] = values[name]
    columns = ", ".join(f"{name} {sql}" for name, sql, _code in _STAGE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS match_stage ({columns}) ON COMMIT DROP")
        cursor.execute("TRUNCATE match_stage")
        with cursor.cursor.copy("COPY match_stage FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(_SIGNATURE + records.tobytes() + b"\xff\xff")


_STAGED_OUTCOME = f"CASE u.outcome WHEN {_ELIGIBLE} THEN 'eligible' ELSE 'conditional' END"


def matches_insert(rows: PairRows, *, day: datetime.date, now: datetime.datetime) -> None:
    """Insert rows for pairs that have none. The caller's locks must keep them absent until it commits
    (a vacancy's recompute holds the vacancy's row lock, which every other writer of its pairs waits for)."""
    if not len(rows):
        return
    columns = ", ".join(_INSERT_COLUMNS)
    if connection.vendor != "postgresql":
        placeholders = ", ".join(["%s"] * len(_INSERT_COLUMNS))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {_TABLE} ({columns}) VALUES ({placeholders})", _rows(rows, day, now)
            )
        return
    # In key order: each index is then walked once from left to right instead of at random.
    _stage(rows.take(np.lexsort((rows.candidate_id, rows.vacancy_id))))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_TABLE} ({columns}) SELECT u.vacancy_id, u.candidate_id, {_STAGED_OUTCOME}, "
            f"u.cents / 100.0, u.reason_bits, u.route_bits, %s, u.vacancy_version, u.candidate_version, "
            f"%s, %s, %s FROM match_stage AS u",
            [ALGORITHM_VERSION, day, now, now],
        )


def matches_update(
    rows: PairRows, *, by: str, subject_id: int, day: datetime.date, now: datetime.datetime
) -> None:
    """Rewrite the rows of these existing pairs of one subject (``by`` = "vacancy" or "candidate").

    ``changed_at`` moves only when the outcome or the score differs from the stored row."""
    if not len(rows):
        return
    other = "candidate_id" if by == "vacancy" else "vacancy_id"
    subject = f"{by}_id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _stage(rows)
            outcome, score = _STAGED_OUTCOME, "u.cents / 100.0"
            cursor.execute(
                f"UPDATE {_TABLE} AS m SET outcome = {outcome}, score = {score}, "
                f"reason_bits = u.reason_bits, route_bits = u.route_bits, algorithm_version = %s, "
                f"vacancy_version = u.vacancy_version, candidate_version = u.candidate_version, "
                f"reference_date = %s, computed_at = %s, changed_at = CASE WHEN m.outcome <> {outcome} "
                f"OR m.score <> {score} THEN %s ELSE m.changed_at END "
                f"FROM match_stage AS u WHERE m.{subject} = %s AND m.{other} = u.{other} "
                f"AND (m.outcome, m.score, m.reason_bits, m.route_bits) IS DISTINCT FROM "
                f"({outcome}, {score}, u.reason_bits, u.route_bits)",
                [ALGORITHM_VERSION, day, now, now, subject_id],
            )
            return
        # SQLite: the same UPDATE, one row at a time, the new values as parameters.
        index = {name: i for i, name in enumerate(_INSERT_COLUMNS)}
        cursor.executemany(
            f"UPDATE {_TABLE} SET outcome = %s, score = %s, reason_bits = %s, route_bits = %s, "
            f"algorithm_version = %s, vacancy_version = %s, candidate_version = %s, reference_date = %s, "
            f"computed_at = %s, "
            f"changed_at = CASE WHEN outcome <> %s OR score <> %s THEN %s ELSE changed_at END "
            f"WHERE {subject} = %s AND {other} = %s",
            [
                (
                    *row[index["outcome"] : index["changed_at"]],
                    row[index["outcome"]],
                    row[index["score"]],
                    row[index["changed_at"]],
                    subject_id,
                    row[index[other]],
                )
                for row in _rows(rows, day, now)
            ],
        )


def matches_delete(*, by: str, subject_id: int, other_ids: np.ndarray, now: datetime.datetime) -> int:
    """Delete one subject's matches with these others, each recorded as a ``MatchRemoval`` (a partner
    keeping a copy learns of it); returns how many went."""
    if not len(other_ids):
        return 0
    other = "candidate_id" if by == "vacancy" else "vacancy_id"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_TABLE} WHERE {by}_id = %s AND {id_filter(other)} RETURNING {other}",
            [subject_id, id_array_param(other_ids)],
        )
        gone = [row[0] for row in cursor.fetchall()]
    pairs = [(subject_id, other_id) if by == "vacancy" else (other_id, subject_id) for other_id in gone]
    _removals_record(pairs, now=now)
    return len(gone)


def near_misses_delete_under(
    *, vacancy_id: int, floor_cents: int, now: datetime.datetime
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Delete the vacancy's near-misses scoring under ``floor_cents``, whoever wrote them: a candidate's
    recompute that read the vacancy's previous floor may have stored one (ADR 0008, "how much is
    stored"). Safe whatever the candidate's version: under the floor the pair is not kept either way.
    Returns the candidate ids of the deleted rows (for their ``match.removed`` events)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_TABLE} WHERE vacancy_id = %s AND outcome = %s AND score < %s "
            "RETURNING candidate_id",
            [vacancy_id, Outcome.CONDITIONAL.value, Decimal(floor_cents) / 100],
        )
        gone = [row[0] for row in cursor.fetchall()]
    _removals_record([(vacancy_id, candidate_id) for candidate_id in gone], now=now)
    return np.asarray(gone, dtype=np.int64)


def _removals_record(pairs: list[tuple[int, int]], *, now: datetime.datetime) -> None:
    """One ``MatchRemoval`` per deleted pair, in the deleting transaction (committed with it or never)."""
    for start in range(0, len(pairs), _CHUNK):
        MatchRemoval.objects.bulk_create(
            MatchRemoval(vacancy_id=vacancy_id, candidate_id=candidate_id, removed_at=now)
            for vacancy_id, candidate_id in pairs[start : start + _CHUNK]
        )


def match_changes_record(*rows: PairRows, now: datetime.datetime) -> None:
    """Add these new or changed (outcome or score) matches to their vacancies' change counts of this hour
    (``MatchChangeCount``: what the recruiter's dashboard reads).

    One ``INSERT … ON CONFLICT DO UPDATE`` adds to the hour's rows in vacancy order (one statement for
    all of a writer's rows: two statements would each be ordered, but not the two together), so two
    recomputes adding to the same vacancies wait for each other instead of deadlocking.
    """
    all_vacancies = np.concatenate([part.vacancy_id for part in rows])
    outcomes = np.concatenate([part.outcome for part in rows])
    if not len(all_vacancies):
        return
    vacancy_ids, position = np.unique(all_vacancies, return_inverse=True)
    eligible = np.bincount(position, weights=outcomes == _ELIGIBLE, minlength=len(vacancy_ids))
    conditional = np.bincount(position, weights=outcomes == _CONDITIONAL, minlength=len(vacancy_ids))
    hour: Any = now.replace(minute=0, second=0, microsecond=0)
    latest: Any = now
    if connection.vendor != "postgresql":
        hour = connection.ops.adapt_datetimefield_value(hour)
        latest = connection.ops.adapt_datetimefield_value(now)
    values = list(
        zip(
            vacancy_ids.tolist(), eligible.astype(int).tolist(), conditional.astype(int).tolist(), strict=True
        )
    )
    with connection.cursor() as cursor:
        for start in range(0, len(values), _CHUNK):
            chunk = values[start : start + _CHUNK]
            cursor.execute(
                f"INSERT INTO {_CHANGES} AS t (vacancy_id, hour, eligible, conditional, latest) VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
                + " ON CONFLICT (vacancy_id, hour) DO UPDATE SET eligible = t.eligible + excluded.eligible, "
                "conditional = t.conditional + excluded.conditional, "
                "latest = CASE WHEN excluded.latest > t.latest THEN excluded.latest ELSE t.latest END",
                [value for v, e, c in chunk for value in (v, hour, e, c, latest)],
            )


def _rows(rows: PairRows, day: datetime.date, now: datetime.datetime) -> list[tuple[Any, ...]]:
    """The rows as column values in ``_INSERT_COLUMNS`` order (text for the score: exact decimals)."""
    moment = connection.ops.adapt_datetimefield_value(now) if connection.vendor != "postgresql" else now
    outcome = {code: outcome.value for code, outcome in CODE_OUTCOME.items()}
    return [
        (v, c, outcome[o], _score_text(s), r, t, ALGORITHM_VERSION, vv, cv, day, moment, moment)
        for v, c, o, s, r, t, vv, cv in zip(
            rows.vacancy_id.tolist(),
            rows.candidate_id.tolist(),
            rows.outcome.tolist(),
            rows.cents.tolist(),
            rows.reasons.tolist(),
            rows.routes.tolist(),
            rows.vacancy_version.tolist(),
            rows.candidate_version.tolist(),
            strict=True,
        )
    ]


# --- Many candidates at once (``recruitment.services.recompute_batch``) ----------------------------


def stored_pairs(candidate_ids: np.ndarray) -> tuple[np.ndarray, StoredRows]:
    """The stored matches of several candidates: each row's candidate id, and the rows keyed by vacancy
    (as ``stored_rows(candidate_id=...)`` gives them for one)."""
    arrays = fetch_arrays(
        f"SELECT candidate_id, vacancy_id, CASE WHEN outcome = %s THEN {_ELIGIBLE} ELSE {_CONDITIONAL} END, "
        f"CAST(ROUND(score * 100) AS integer), reason_bits, route_bits FROM {_TABLE} "
        f"WHERE {id_filter('candidate_id')}",
        [Outcome.ELIGIBLE.value, id_array_param(candidate_ids)],
        [
            ("candidate", "int8"),
            ("vacancy", "int8"),
            ("outcome", "int4"),
            ("cents", "int4"),
            ("reasons", "int8"),
            ("routes", "int2"),
        ],
    )
    rows = StoredRows(
        arrays["vacancy"], arrays["outcome"], arrays["cents"], arrays["reasons"], arrays["routes"]
    )
    return arrays["candidate"], rows


def _by_candidate(candidate_ids: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Each candidate id with the positions of its rows (the per-candidate statements of SQLite)."""
    return [(int(c), np.flatnonzero(candidate_ids == c)) for c in np.unique(candidate_ids)]


def matches_update_pairs(rows: PairRows, *, day: datetime.date, now: datetime.datetime) -> None:
    """``matches_update`` for the rows of several candidates: each row rewrites its own pair's stored row.
    PostgreSQL: one staged ``UPDATE … FROM`` joined on both ids; SQLite: one candidate at a time."""
    if not len(rows):
        return
    if connection.vendor != "postgresql":
        for candidate_id, mine in _by_candidate(rows.candidate_id):
            matches_update(rows.take(mine), by="candidate", subject_id=candidate_id, day=day, now=now)
        return
    _stage(rows)
    staged = {"outcome": _STAGED_OUTCOME, "score": "u.cents / 100.0"}
    assignments = [
        *(f"{name} = {value}" for name, value in staged.items()),
        *(
            f"{name} = u.{name}"
            for name in ("reason_bits", "route_bits", "vacancy_version", "candidate_version")
        ),
        "algorithm_version = %s",
        "reference_date = %s",
        "computed_at = %s",
        # As for one subject: ``changed_at`` moves only when the outcome or the score differs.
        f"changed_at = CASE WHEN (m.outcome, m.score) <> ({staged['outcome']}, {staged['score']}) "
        "THEN %s ELSE m.changed_at END",
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} AS m SET {', '.join(assignments)} FROM match_stage AS u "
            "WHERE (m.vacancy_id, m.candidate_id) = (u.vacancy_id, u.candidate_id) "
            "AND (m.outcome, m.score, m.reason_bits, m.route_bits) IS DISTINCT FROM "
            f"({staged['outcome']}, {staged['score']}, u.reason_bits, u.route_bits)",
            [ALGORITHM_VERSION, day, now, now],
        )


def matches_delete_pairs(
    vacancy_ids: np.ndarray, candidate_ids: np.ndarray, *, now: datetime.datetime
) -> dict[int, int]:
    """Delete the matches of these (vacancy, candidate) pairs, each recorded as a ``MatchRemoval`` (as
    ``matches_delete``); returns how many went per candidate."""
    if not len(candidate_ids):
        return {}
    if connection.vendor != "postgresql":
        return {
            candidate_id: matches_delete(
                by="candidate", subject_id=candidate_id, other_ids=vacancy_ids[mine], now=now
            )
            for candidate_id, mine in _by_candidate(candidate_ids)
        }
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_TABLE} AS m "
            "USING unnest(%s::bigint[], %s::bigint[]) AS d (vacancy_id, candidate_id) "
            "WHERE (m.vacancy_id, m.candidate_id) = (d.vacancy_id, d.candidate_id) "
            "RETURNING m.vacancy_id, m.candidate_id",
            [id_array_param(vacancy_ids), id_array_param(candidate_ids)],
        )
        gone = [(int(v), int(c)) for v, c in cursor.fetchall()]
    _removals_record(gone, now=now)
    removed: dict[int, int] = {}
    for _vacancy_id, candidate_id in gone:
        removed[candidate_id] = removed.get(candidate_id, 0) + 1
    return removed


def match_counts_add(vacancy_ids: np.ndarray, outcomes: np.ndarray, signs: np.ndarray) -> None:
    """Add to the vacancies' match counts (``VacancyMatchCount``): one entry per row gained (sign 1) or
    lost (sign -1) with that outcome code. Written in vacancy order, like the change counts."""
    if not len(vacancy_ids):
        return
    ids, position = np.unique(vacancy_ids, return_inverse=True)
    eligible = np.bincount(position, weights=signs * (outcomes == _ELIGIBLE), minlength=len(ids))
    conditional = np.bincount(position, weights=signs * (outcomes == _CONDITIONAL), minlength=len(ids))
    moved = np.flatnonzero((eligible != 0) | (conditional != 0))
    values = list(
        zip(
            ids[moved].tolist(),
            eligible[moved].astype(int).tolist(),
            conditional[moved].astype(int).tolist(),
            strict=True,
        )
    )
    with connection.cursor() as cursor:
        for start in range(0, len(values), _CHUNK):
            chunk = values[start : start + _CHUNK]
            cursor.execute(
                f"INSERT INTO {_COUNTS} AS t (vacancy_id, eligible, conditional) VALUES "
                + ", ".join(["(%s, %s, %s)"] * len(chunk))
                + " ON CONFLICT (vacancy_id) DO UPDATE SET eligible = t.eligible + excluded.eligible, "
                "conditional = t.conditional + excluded.conditional",
                [value for row in chunk for value in row],
            )


@dataclass(frozen=True)
class StoredOutcomes:
    """A vacancy's stored matches: each one's candidate and whether it is eligible (else a near-miss)."""

    candidate_id: np.ndarray
    eligible: np.ndarray


def match_counts_recount(vacancy_id: int) -> StoredOutcomes:
    """Count the vacancy's stored matches afresh (caller: its recompute, holding its row lock), and
    return them: the same scan feeds the concentric search's counts per country (no second scan, no join
    of the candidates under the lock: the caller has their countries at hand)."""
    rows = fetch_arrays(
        f"SELECT candidate_id, CASE WHEN outcome = %s THEN 1 ELSE 0 END FROM {_TABLE} WHERE vacancy_id = %s",
        [Outcome.ELIGIBLE.value, vacancy_id],
        [("candidate", "int8"), ("eligible", "int4")],
    )
    eligible = rows["eligible"] == 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_COUNTS} AS t (vacancy_id, eligible, conditional) VALUES (%s, %s, %s) "
            f"ON CONFLICT (vacancy_id) DO UPDATE SET eligible = excluded.eligible, "
            f"conditional = excluded.conditional",
            [vacancy_id, int(eligible.sum()), int((~eligible).sum())],
        )
    return StoredOutcomes(rows["candidate"], eligible)
