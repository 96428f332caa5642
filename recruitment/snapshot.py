"""Columnar snapshots of the matching inputs, kept by each worker process (docs/adr/0008).

The vectorised recompute (``recruitment.matching.vectorised``) reads every visible candidate's facts as
columns. Building them from rows costs about 0.15 ms a candidate; most candidates do not change between
two recomputes, so a process keeps them and, before each recompute, one query of every visible
candidate's ``(id, profile_version, public_id)`` says which rows to rebuild. A row is kept only while
everything it was built from is unchanged:

| Input of a candidate's facts | Changes by | Covered by |
|---|---|---|
| The candidate and every row hanging from it | an edit (``candidates.services``) | ``profile_version`` |
| The same id given to another candidate (a restored database) | — | ``public_id`` |
| Experience counted up to the day, licences valid on the day | the calendar | ``changes_on`` per row |
| Share-with-employer consents in force | the clock | ``valid_until`` per row |
| Occupations' ISCO groups, programmes' Dutch targets | the admin, an import | the epoch |

The **epoch** is the recompute's basis (``recruitment.adapters.basis_of``: algorithm, dated rules, a
fingerprint of the reference data and of the inputs no version follows). A new epoch drops everything; a
new day rebuilds only the rows whose facts the calendar moves (``calendar_changes.facts_change_on``).
Rows are filed under the version read with the candidate's row, before its related rows: a change in between
leaves facts newer than their version, which the next refresh replaces; the recompute's write check
(the version read against the current one) never writes a pair whose profile moved meanwhile.

The vacancy side (``VacancySnapshot``) is the same for the open Flemish vacancies, keyed by
``criteria_version``: a candidate's recompute evaluates them all at once.

``check_match_consistency`` never reads a snapshot: it recomputes from rows with the scalar core, so a
write path that forgot to bump a version shows up there instead of being hidden by a kept row.
"""

import datetime
import threading
import time
import uuid
from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet
from django.utils import timezone

from candidates.models import Candidate
from core.arrays import fetch_arrays
from recruitment.adapters import (
    CANDIDATE_CHUNK_SIZE,
    CANDIDATE_COLUMNS,
    candidate_facts_from_rows,
    vacancy_facts,
)
from recruitment.calendar_changes import candidates_changed_by_date, consents_changing, facts_change_on
from recruitment.matching.columns import (
    CandidateColumns,
    VacancyColumns,
    Vocabulary,
    candidate_columns,
    vacancy_columns,
)
from recruitment.matching.vectorised import ages_crossing
from vacancies.models import Vacancy

NEVER = np.iinfo(np.int64).max


@dataclass(frozen=True)
class Candidates:
    """A snapshot as the recompute reads it: the columns and, per row, the profile version they were
    built from and the candidate's country of residence (read with that version; not a matching fact:
    the concentric search counts a vacancy's matches per country with it, ``concentric.services``)."""

    columns: CandidateColumns
    versions: np.ndarray
    countries: np.ndarray

    def rows_of(self, ids: np.ndarray) -> np.ndarray:
        """The rows of these candidate ids (-1 for an id not in the snapshot)."""
        order = np.argsort(self.columns.ids, kind="stable")
        position = np.searchsorted(self.columns.ids, ids, sorter=order)
        position = np.minimum(position, max(len(order) - 1, 0))
        if not len(order):
            return np.full(len(ids), -1, dtype=np.int64)
        rows = order[position]
        return np.where(self.columns.ids[rows] == ids, rows, -1)


@dataclass
class RefreshStats:
    kept: int = 0
    built: int = 0
    refreshes: int = 0


class CandidateSnapshot:
    """Every visible candidate as columns, for one worker process (see the module docstring)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._lock = threading.Lock()
        self._epoch: str | None = None
        self._day: datetime.date | None = None
        self._columns: CandidateColumns | None = None
        self._versions = np.zeros(0, dtype=np.int64)
        self._countries = np.zeros(0, dtype="U2")
        self._public = np.zeros(0, dtype="V16")
        self._valid_until = np.zeros(0, dtype=np.int64)  # microseconds since the epoch; NEVER
        self._changes_on = np.zeros(0, dtype=np.int64)  # an ordinal; NEVER
        self._built_on = np.zeros(0, dtype=np.int64)  # the ordinal of the day a row was built for
        self._changed_by_date: dict[tuple[datetime.date, datetime.date], np.ndarray] = {}
        self._refreshed_at = float("-inf")
        self.stats = RefreshStats()

    def __len__(self) -> int:
        return 0 if self._columns is None else len(self._columns)

    def clear(self) -> None:
        with self._lock:
            self._epoch, self._columns = None, None
            self._changed_by_date = {}
            self._refreshed_at = float("-inf")

    def changed_by_date(self, since: datetime.date, day: datetime.date) -> np.ndarray:
        """The ids (sorted) of the candidates whose facts or age the calendar may have moved between the
        two days: ``calendar_changes.candidates_changed_by_date``, and an age the rules read (18, 30)
        reached in between. Kept for the day's pass: one query per process a day. Candidates who changed
        otherwise since are their own jobs' (their profile version moved)."""
        key = (since, day)
        with self._lock:
            if key not in self._changed_by_date:
                ids = np.array(sorted(candidates_changed_by_date(since, day)), dtype=np.int64)
                if self._columns is not None:
                    crossing = self._columns.ids[ages_crossing(self._columns, since, day)]
                    ids = np.union1d(ids, crossing)
                self._changed_by_date = {key: ids}
            return self._changed_by_date[key]

    def current(
        self,
        *,
        day: datetime.date,
        epoch: str,
        now: datetime.datetime | None = None,
        max_age: float = 0.0,
    ) -> Candidates:
        """The snapshot of every visible candidate, brought up to date (see the module docstring).

        ``max_age``: seconds a refresh stays good enough, for jobs run back to back (the daily pass). A
        row older than that is safe to use: the recompute writes no new or changed pair whose profile
        moved since it was read (held for the candidate's own job, which waits for the vacancy's lock),
        and a candidate who appeared meanwhile is written by their own job."""
        now = now or timezone.now()
        with self._lock:
            fresh = time.monotonic() - self._refreshed_at < max_age
            if fresh and self._columns is not None and (self._epoch, self._day) == (epoch, day):
                return Candidates(self._columns, self._versions, self._countries)
            candidates = self._refresh(day, epoch, now)
            self._refreshed_at = time.monotonic()
            return candidates

    def _refresh(self, day: datetime.date, epoch: str, now: datetime.datetime) -> Candidates:
        self.stats.refreshes += 1
        if epoch != self._epoch or self._columns is None:
            self._columns, self._epoch = None, epoch
        current = fetch_arrays(
            "SELECT id, profile_version, public_id FROM candidates_candidate WHERE status = %s",
            [Candidate.Status.ACTIVE],
            [("id", "int8"), ("version", "int4"), ("public", "uuid")],
        )
        ids = current["id"]
        keep = np.zeros(len(ids), dtype=bool)
        rows = np.full(len(ids), -1, dtype=np.int64)
        if self._columns is not None and len(self._columns):
            old = Candidates(self._columns, self._versions, self._countries)
            rows = old.rows_of(ids)
            known = rows >= 0
            safe = np.where(known, rows, 0)
            instant = _microseconds(now)
            keep = (
                known
                & (self._versions[safe] == current["version"])
                & (self._public[safe] == current["public"])
                & (self._valid_until[safe] > instant)
                & (self._built_on[safe] <= day.toordinal())
                & (self._changes_on[safe] > day.toordinal())
            )
        kept_rows = np.sort(rows[keep])
        stale = np.sort(ids[~keep])
        self.stats.kept += len(kept_rows)
        self.stats.built += len(stale)
        self._day = day
        if self._columns is not None and not len(stale) and len(kept_rows) == len(self._columns):
            return Candidates(
                self._columns, self._versions, self._countries
            )  # nothing changed (derived caches stay)
        parts: list[
            tuple[CandidateColumns, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
        ] = []
        if self._columns is not None and len(kept_rows):
            parts.append(
                (
                    self._columns.take(kept_rows),
                    self._versions[kept_rows],
                    self._countries[kept_rows],
                    self._public[kept_rows],
                    self._valid_until[kept_rows],
                    self._changes_on[kept_rows],
                    self._built_on[kept_rows],
                )
            )
        for start in range(0, len(stale), CANDIDATE_CHUNK_SIZE):
            parts.append(self._build(stale[start : start + CANDIDATE_CHUNK_SIZE].tolist(), day, now))
        if not parts:  # no visible candidate at all
            parts.append(self._build([], day, now))
        self._columns = CandidateColumns.concat([part[0] for part in parts])
        self._versions = np.concatenate([part[1] for part in parts])
        self._countries = np.concatenate([part[2] for part in parts])
        self._public = np.concatenate([part[3] for part in parts])
        self._valid_until = np.concatenate([part[4] for part in parts])
        self._changes_on = np.concatenate([part[5] for part in parts])
        self._built_on = np.concatenate([part[6] for part in parts])
        return Candidates(self._columns, self._versions, self._countries)

    def _build(
        self, ids: list[int], day: datetime.date, now: datetime.datetime
    ) -> tuple[CandidateColumns, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        # The version is read with the row, before the related rows: facts are never older than the
        # version they are filed under (a change in between shows as a newer version next time).
        rows = list(
            Candidate.objects.filter(pk__in=ids, status=Candidate.Status.ACTIVE)
            .order_by("pk")
            .values(*CANDIDATE_COLUMNS, "public_id", "country_of_residence")
        )
        facts = candidate_facts_from_rows(rows, day)
        built = [int(row["id"]) for row in rows]
        consents = consents_changing(built, now)
        changes = facts_change_on(built, day)
        return (
            candidate_columns(facts, self.vocabulary),
            np.array([row["profile_version"] for row in rows], dtype=np.int64),
            np.array([row["country_of_residence"] or "" for row in rows], dtype="U2"),
            np.frombuffer(b"".join(row["public_id"].bytes for row in rows), dtype="V16").copy()
            if rows
            else np.zeros(0, dtype="V16"),
            np.array(
                [_microseconds(consents[pk]) if pk in consents else NEVER for pk in built], dtype=np.int64
            ),
            np.array([changes[pk].toordinal() if pk in changes else NEVER for pk in built], dtype=np.int64),
            np.full(len(built), day.toordinal(), dtype=np.int64),
        )


def _microseconds(moment: datetime.datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


@dataclass(frozen=True)
class Vacancies:
    columns: VacancyColumns
    versions: np.ndarray


class VacancySnapshot:
    """The open Flemish vacancies as columns, for one worker process, refreshed by ``criteria_version``
    (vacancy facts do not depend on the day; what no version follows is in the epoch)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._lock = threading.Lock()
        self._epoch: str | None = None
        self._by_id: dict[int, tuple[tuple[int, uuid.UUID], VacancyColumns]] = {}
        self._assembled: tuple[tuple[int, ...], tuple[object, ...], Vacancies] | None = None

    def clear(self) -> None:
        with self._lock:
            self._epoch, self._by_id, self._assembled = None, {}, None

    def current(self, matchable: QuerySet[Vacancy], *, epoch: str) -> Vacancies:
        """The columns of the vacancies of ``matchable``, in id order, with the version each was built
        from."""
        with self._lock:
            if epoch != self._epoch:
                self._epoch, self._by_id, self._assembled = epoch, {}, None
            # The public id too: the same id given to another vacancy (a restored database) is another one.
            current = {
                pk: (version, public_id)
                for pk, version, public_id in matchable.order_by("pk").values_list(
                    "pk", "criteria_version", "public_id"
                )
            }
            stale = [pk for pk, key in current.items() if self._by_id.get(pk, (None,))[0] != key]
            if stale:
                rows = Vacancy.objects.filter(pk__in=stale).values_list("pk", "criteria_version", "public_id")
                keys = {pk: (version, public_id) for pk, version, public_id in rows}
                for fact in vacancy_facts(Vacancy.objects.filter(pk__in=stale)):
                    self._by_id[fact.id] = (keys[fact.id], vacancy_columns([fact], self.vocabulary))
            for pk in list(self._by_id):
                if pk not in current:
                    del self._by_id[pk]
            ids = tuple(pk for pk in current if pk in self._by_id)
            keys_now = tuple(self._by_id[pk][0] for pk in ids)
            if self._assembled is None or self._assembled[:2] != (ids, keys_now):
                columns = _concat_vacancies([self._by_id[pk][1] for pk in ids], self.vocabulary)
                versions = np.array([version for version, _public_id in keys_now], dtype=np.int64)
                self._assembled = (ids, keys_now, Vacancies(columns, versions))
            return self._assembled[2]


def _concat_vacancies(parts: list[VacancyColumns], vocabulary: Vocabulary) -> VacancyColumns:
    if not parts:
        return vacancy_columns([], vocabulary)
    return VacancyColumns.concat(parts)


_vocabulary = Vocabulary()
candidate_snapshot = CandidateSnapshot(_vocabulary)
"""This worker process's candidates."""
vacancy_snapshot = VacancySnapshot(_vocabulary)
"""This worker process's open vacancies (the same vocabulary: the two are evaluated together)."""


def snapshots_clear() -> None:
    """Forget both snapshots (tests; an operator after restoring a database)."""
    candidate_snapshot.clear()
    vacancy_snapshot.clear()
