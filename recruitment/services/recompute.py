"""Recompute and store the matches of one vacancy, or of one candidate (docs/adr/0003, docs/adr/0008).

Both run the same way: claim the job; read the subject's version, then the facts; score outside any
transaction with the vectorised core (``recruitment.matching.vectorised``) over the process's columnar
snapshots (``recruitment.snapshot``); then, in one short transaction, lock, re-check every version read,
write only what changed and what is still current, and stamp what was computed.

Every writer of a pair holds the vacancy's row lock: a vacancy's recompute ``FOR UPDATE``, a candidate's
recompute ``FOR SHARE`` on every open vacancy (taken before it reads what is stored). So writers of one
pair never interleave, and each compares the other side's versions under that lock:

- The subject's own row is checked first (the vacancy ``FOR UPDATE``, the candidate ``FOR SHARE``: see
  ``_candidate_recompute`` for why the candidate is stamped after commit). If its version moved on while
  we scored, the whole result is dropped and a follow-up job queued: an older run never overwrites a
  newer one.
- A pair whose other side changed since we read it is held back, neither written nor deleted: that
  side's own job (queued by its change) writes it, and it waits for the vacancy's lock we hold. A
  candidate's edit that commits after our check queues a job that waits for our commit the same way.
- Only rows whose content changed are written, pairs no longer produced are deleted
  (``recruitment.services.upsert``). Running a job twice gives the same rows (``changed_at`` included).
  Human work lives in other tables and is never touched.

A vacancy's recompute is **full** when its criteria, the basis (algorithm, dated rules, reference data)
or nothing is known; when only the day moved since its matches were computed (``matched_on``), it
re-evaluates only what a date can change: candidates whose facts the calendar moved, and its whole pool
if its own labour-market test may answer differently (``_daily_scope``).
"""

import dataclasses
import datetime
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from agreements.services import vacancy_shares_sync
from candidates.models import Candidate
from concentric.services import residence_counts_of, vacancy_search_sync
from core.arrays import fetch_arrays, id_array_param, id_filter
from core.choices import Region
from recruitment.adapters import (
    basis_of,
    candidate_facts,
    reference_date,
    reference_facts_on,
    vacancy_facts,
)
from recruitment.matching.codes import OUTCOME_CODE
from recruitment.matching.columns import candidate_columns, vacancy_columns
from recruitment.matching.results import Outcome
from recruitment.matching.vectorised import (
    PairResults,
    evaluate_pairs,
    labour_market_moved,
    possibly_relevant,
)
from recruitment.models import MatchJob
from recruitment.services.jobs import (
    job_claim_for,
    job_create,
    job_finish,
    job_release_after_error,
)
from recruitment.services.locks import locked_values
from recruitment.services.match_events import (
    matches_created_emit,
    matches_removed_emit,
    matches_updated_emit,
    vacancy_changed_emit,
)
from recruitment.services.match_facets import (
    candidate_facets_add,
    vacancy_facets_add,
    vacancy_facets_rebuild,
)
from recruitment.services.upsert import (
    PairRows,
    StoredRows,
    changes_of,
    match_changes_record,
    match_counts_add,
    match_counts_recount,
    matches_delete,
    matches_insert,
    matches_update,
    near_misses_delete_under,
    stored_rows,
)
from recruitment.snapshot import candidate_snapshot, vacancy_snapshot
from recruitment.storage_limits import near_miss_limit, near_miss_min_score
from vacancies.models import Vacancy

logger = logging.getLogger(__name__)

_CONDITIONAL_CODE = OUTCOME_CODE[Outcome.CONDITIONAL]

# Test-only: seconds to sleep between scoring and writing, so that the real-worker tests can kill a worker
# in the middle of a recompute (tests/recruitment/test_recompute_worker.py). Unset in any real deployment.
TEST_DELAY_ENV = "TALENTBRUG_TEST_RECOMPUTE_DELAY"


def matchable_vacancies() -> QuerySet[Vacancy]:
    """Vacancies that have matches: published, in Flanders (the permit rules modelled are Flemish)."""
    return Vacancy.objects.open().filter(region=Region.FLANDERS)


def is_matchable(status: str, region: str) -> bool:
    return status == Vacancy.Status.PUBLISHED and region == Region.FLANDERS


def _test_delay() -> None:
    delay = os.environ.get(TEST_DELAY_ENV)
    if delay:
        time.sleep(float(delay))


def _run_claimed(
    kind: str, subject_id: int, job_id: int | None, work: Callable[[MatchJob, int], None]
) -> MatchJob | None:
    """Claim the subject's job (None: another delivery has it), run ``work``, and on any error hand the
    job back (transient errors) or fail it, before re-raising for Celery's retry policy."""
    job = job_claim_for(kind, subject_id, job_id)
    if job is None:
        return None
    try:
        work(job, subject_id)
    except BaseException as exc:
        job_release_after_error(job, exc)
        raise
    job.refresh_from_db()
    return job


def _pair_rows(
    results: PairResults,
    kept: np.ndarray,
    vacancy_ids: np.ndarray,
    candidate_ids: np.ndarray,
    vacancy_versions: np.ndarray,
    candidate_versions: np.ndarray,
) -> PairRows:
    """The kept results as rows to write; the id and version arrays are per pair (already indexed)."""
    return PairRows(
        vacancy_id=vacancy_ids,
        candidate_id=candidate_ids,
        outcome=results.outcome[kept].astype(np.int32),
        cents=results.score_cents[kept].astype(np.int32),
        reasons=results.reasons[kept],
        routes=results.routes[kept],
        vacancy_version=vacancy_versions,
        candidate_version=candidate_versions,
    )


def _above_floor(rows: PairRows, floors: np.ndarray) -> PairRows:
    """The rows without the near-misses scoring under their vacancy's floor (``floors``: one per row)."""
    return rows.take(np.flatnonzero((rows.outcome != _CONDITIONAL_CODE) | (rows.cents >= floors)))


@dataclass(frozen=True)
class _Written:
    added: int
    updated: int
    removed: int
    held: int
    unchanged: int


def _current_candidates(ids: np.ndarray) -> dict[str, np.ndarray]:
    """The current profile version and visibility of these candidates (a plain read: the vacancy's row
    lock, held by the caller, is what orders the writers)."""
    return fetch_arrays(
        f"SELECT id, profile_version, CASE WHEN status = %s THEN 1 ELSE 0 END FROM candidates_candidate "
        f"WHERE {id_filter('id')}",
        [Candidate.Status.ACTIVE, id_array_param(ids)],
        [("id", "int8"), ("version", "int4"), ("active", "int4")],
    )


def _countries_of(ids: np.ndarray, known_ids: np.ndarray, known_countries: np.ndarray) -> np.ndarray:
    """Each candidate's country of residence: from the worker's snapshot (``known_*``, read with the
    version the pairs were computed from), else, for the few it does not hold (a pair its candidate's own
    job wrote, or no snapshot read), one lookup by id: never a join of the vacancy's matches."""
    countries = np.full(len(ids), "", dtype="U2")
    found = np.zeros(len(ids), dtype=bool)
    if len(known_ids) and len(ids):
        order = np.argsort(known_ids, kind="stable")
        row = order[np.minimum(np.searchsorted(known_ids, ids, sorter=order), len(known_ids) - 1)]
        found = known_ids[row] == ids
        countries[found] = known_countries[row[found]]
    missing = ids[~found]
    if len(missing):
        looked_up = dict(
            Candidate.objects.filter(pk__in=missing.tolist()).values_list("pk", "country_of_residence")
        )
        countries[~found] = [looked_up.get(pk) or "" for pk in missing.tolist()]
    return countries


def _lookup(keys: np.ndarray, values: np.ndarray, wanted: np.ndarray, missing: int) -> np.ndarray:
    """``values`` at the position of each ``wanted`` key in ``keys`` (``missing`` where absent)."""
    if not len(keys):
        return np.full(len(wanted), missing, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    position = np.minimum(np.searchsorted(keys, wanted, sorter=order), len(keys) - 1)
    row = order[position]
    return np.where(keys[row] == wanted, values[row], missing)


def _moved(stored: StoredRows, other_ids: np.ndarray, rows: PairRows) -> np.ndarray:
    """The positions of ``rows`` (stored pairs, keyed by ``other_ids``) whose outcome or score differs
    from the stored row: the changes a recruiter's dashboard counts (a change of reasons alone is not)."""
    outcome = _lookup(stored.other_id, stored.outcome, other_ids, -1)
    cents = _lookup(stored.other_id, stored.cents, other_ids, -1)
    return np.flatnonzero((outcome != rows.outcome) | (cents != rows.cents))


def _write(
    computed: PairRows,
    computed_other: np.ndarray,
    read_other: np.ndarray,
    stored: StoredRows,
    read_of_stored: np.ndarray,
    current_versions: Callable[[np.ndarray], np.ndarray],
    *,
    by: str,
    subject_id: int,
    day: datetime.date,
    now: datetime.datetime,
) -> _Written:
    """Write what changed for one subject, inside the caller's transaction and locks.

    ``computed_other`` / ``read_other``: the other side's id and the version read, per computed row;
    ``read_of_stored``: the version read of each stored row's other side (-1: not read by this run).
    ``current_versions(ids)``: the other side's version now, -1 when it is gone, hidden or closed.

    Only rows about to change are checked: a computed row equal to the stored one is not written, so it
    cannot overwrite anything. A new or changed row whose other side moved since the read is held (that
    side's job writes it); a stored row not produced again is deleted when its other side is gone or was
    evaluated on its current version, else held.
    """
    changes = changes_of(computed, computed_other, stored)
    leftover = np.flatnonzero(~np.isin(stored.other_id, computed_other))
    candidates = np.concatenate([changes.new, changes.changed])
    check = np.union1d(computed_other[candidates], stored.other_id[leftover])
    versions = current_versions(check)
    now_of = _lookup(check, versions, computed_other[candidates], -1)
    current = (now_of >= 0) & (now_of == read_other[candidates])
    held = int((~current).sum())
    new = computed.take(changes.new[current[: len(changes.new)]])
    changed_index = changes.changed[current[len(changes.new) :]]
    changed = computed.take(changed_index)
    matches_insert(new, day=day, now=now)
    matches_update(changed, by=by, subject_id=subject_id, day=day, now=now)
    moved = changed.take(_moved(stored, computed_other[changed_index], changed))
    match_changes_record(new, moved, now=now)  # one statement: its rows locked in one vacancy order
    if len(new):
        matches_created_emit(added=new.pairs())  # outbox rows, committed with the matches
    matches_updated_emit(updated=changed.pairs())  # match.updated: no query when nothing changed
    stored_now = _lookup(check, versions, stored.other_id[leftover], -1)
    removable = (stored_now < 0) | (stored_now == read_of_stored[leftover])
    held += int((~removable).sum())
    removed = matches_delete(
        by=by, subject_id=subject_id, other_ids=stored.other_id[leftover][removable], now=now
    )
    if by == "candidate":  # a vacancy's recompute counts its rows afresh instead
        gone = leftover[removable]
        before = _lookup(stored.other_id, stored.outcome, moved.vacancy_id, -1)
        match_counts_add(
            np.concatenate([new.vacancy_id, moved.vacancy_id, moved.vacancy_id, stored.other_id[gone]]),
            np.concatenate([new.outcome, moved.outcome, before, stored.outcome[gone]]),
            np.concatenate([np.ones(len(new) + len(moved)), -np.ones(len(moved)), -np.ones(len(gone))]),
        )
    matches_removed_emit(by=by, subject_id=subject_id, other_ids=stored.other_id[leftover][removable])
    return _Written(len(new), len(changed), removed, held, changes.unchanged)


# --- One vacancy against all active candidates ----------------------------------------------------


def vacancy_matches_recompute(*, vacancy_id: int, job_id: int | None = None) -> MatchJob | None:
    """Recompute and store the matches of one vacancy; returns the finished job, or None for a no-op.

    Idempotent: the claim lets one delivery run a job, a re-run of the vacancy writes nothing more, and
    a result computed for an older criteria version (or against an older candidate profile) is not
    written. A vacancy that is not published in Flanders ends with no matches.
    """
    if job_id is None and _vacancy_up_to_date(vacancy_id):
        return None  # a wake-up call for a change a finished job already covered
    return _run_claimed(MatchJob.Kind.VACANCY, vacancy_id, job_id, _vacancy_recompute)


def _vacancy_up_to_date(vacancy_id: int) -> bool:
    row = (
        Vacancy.objects.filter(pk=vacancy_id)
        .values("criteria_version", "matched_version", "matched_basis", "matched_on")
        .first()
    )
    if row is None:
        return True
    if row["matched_version"] != row["criteria_version"]:
        return False
    return not matchable_vacancies().filter(pk=vacancy_id).exists() or (
        row["matched_basis"] == basis_of(reference_facts_on(reference_date()))
        and row["matched_on"] == reference_date()
    )


def _daily_scope(
    row: Mapping[str, Any],
    version: int,
    basis: str,
    day: datetime.date,
    vacancy_moved: Callable[[datetime.date], bool],
) -> np.ndarray | None:
    """The candidate ids (sorted) a new day may have changed for this vacancy, or None for a full
    re-evaluation: only when nothing but the day moved since the matches were computed (same criteria
    version, same basis, an earlier ``matched_on``) and the vacancy's own date rule answers the same."""
    since = row["matched_on"]
    if (
        row["matched_version"] != version
        or row["matched_basis"] != basis
        or not isinstance(since, datetime.date)
        or since >= day
        or vacancy_moved(since)
    ):
        return None
    return candidate_snapshot.changed_by_date(since, day)


def _vacancy_recompute(job: MatchJob, vacancy_id: int) -> None:
    day = reference_date()
    row = (
        Vacancy.objects.filter(pk=vacancy_id)
        .values(
            "criteria_version",
            "status",
            "region",
            "matched_version",
            "matched_basis",
            "matched_on",
            "near_miss_floor",
        )
        .first()
    )
    if row is None:  # deleted since the job was queued (its jobs cascade; nothing to do)
        job_finish(job)
        return
    version = row["criteria_version"]
    matchable = is_matchable(row["status"], row["region"])
    facts = reference_facts_on(day)
    # The basis stamped is the one read before the facts it covers: a change after this point leaves the
    # stamp behind the current basis, and the sweeper recomputes.
    basis = basis_of(facts)
    now = timezone.now()
    empty = np.zeros(0, dtype=np.int64)
    computed = PairRows(empty, empty, empty, empty, empty, empty, empty, empty)
    snapshot_ids, snapshot_versions = empty, empty
    snapshot_countries = np.zeros(0, dtype="U2")
    scope: np.ndarray | None = None  # None: every stored pair is this run's to judge
    # Which near-misses are kept: a full run sets the floor from the whole pool; a daily run, which sees
    # only part of it, applies the floor set last time (ADR 0008, "how much is stored").
    floor, unkept = near_miss_min_score() * 100, 0
    if matchable:
        snapshot = candidate_snapshot.current(
            day=day, epoch=basis, now=now, max_age=settings.MATCH_SNAPSHOT_MAX_AGE
        )
        columns = vacancy_columns(
            vacancy_facts(Vacancy.objects.filter(pk=vacancy_id)), candidate_snapshot.vocabulary
        )
        snapshot_ids, snapshot_versions = snapshot.columns.ids, snapshot.versions
        snapshot_countries = snapshot.countries
        pool = possibly_relevant(snapshot.columns, columns, 0)
        scope = _daily_scope(
            row,
            version,
            basis,
            day,
            vacancy_moved=lambda since: bool(labour_market_moved(columns, since, day)[0]),
        )
        if scope is not None:
            pool = pool[np.isin(snapshot_ids[pool], scope, assume_unique=True)]
        results = evaluate_pairs(snapshot.columns, pool, columns, np.zeros(len(pool), dtype=np.int64), facts)
        if scope is None:
            floor, unkept = results.near_miss_floor(floor, near_miss_limit())
        else:
            floor = row["near_miss_floor"]
        kept = results.kept(floor)
        rows = pool[kept]
        computed = _pair_rows(
            results,
            kept,
            vacancy_ids=np.full(len(kept), vacancy_id, dtype=np.int64),
            candidate_ids=snapshot_ids[rows],
            vacancy_versions=np.full(len(kept), version, dtype=np.int64),
            candidate_versions=snapshot_versions[rows],
        )
    _test_delay()

    with transaction.atomic():
        locked = (
            Vacancy.objects.select_for_update()
            .filter(pk=vacancy_id)
            .values("criteria_version", "near_miss_floor")
            .first()
        )
        if locked is None:
            job_finish(job)
            return
        # Changed while we scored: a newer version wants computing, or (a daily run, which applied the
        # floor it read) another run of this vacancy moved the floor. Drop ours, queue a follow-up.
        if locked["criteria_version"] != version or (
            scope is not None and locked["near_miss_floor"] != floor
        ):
            job_finish(job, superseded=True)
            job_create(MatchJob.Kind.VACANCY, vacancy_id)
            return
        stored = stored_rows(vacancy_id=vacancy_id)
        if scope is not None:
            keep = np.isin(stored.other_id, scope)
            stored = StoredRows(*(getattr(stored, name)[keep] for name in stored.__dataclass_fields__))

        def current_versions(ids: np.ndarray) -> np.ndarray:
            """Visible candidates' versions now; -1 for the others (and all, the vacancy being closed)."""
            if not matchable:
                return np.full(len(ids), -1, dtype=np.int64)
            current = _current_candidates(ids)
            active = np.where(current["active"] == 1, current["version"], -1)
            return _lookup(current["id"], active, ids, -1)

        written = _write(
            computed,
            computed.candidate_id,
            computed.candidate_version,
            stored,
            _lookup(snapshot_ids, snapshot_versions, stored.other_id, -1),
            current_versions,
            by="vacancy",
            subject_id=vacancy_id,
            day=day,
            now=now,
        )
        stamps: dict[str, Any] = {"matched_version": version, "matched_basis": basis, "matched_on": day}
        follow_up = False
        if scope is None:
            stamps |= {"near_miss_floor": floor, "near_misses_unkept": unkept}
            # A candidate's recompute that ran meanwhile applied the previous floor: a near-miss it stored
            # under the new one goes now; one it left out above a lower new floor (its pair held here)
            # is written by a follow-up run (ADR 0008, "how much is stored").
            under = near_misses_delete_under(vacancy_id=vacancy_id, floor_cents=floor, now=now)
            matches_removed_emit(by="vacancy", subject_id=vacancy_id, other_ids=under)
            written = dataclasses.replace(written, removed=written.removed + len(under))
            follow_up = bool(written.held) and floor < row["near_miss_floor"]
            vacancy_facets_rebuild(vacancy_id=vacancy_id)
        else:  # part of the pool: the values of the pairs it scored, which may be new ones
            vacancy_facets_add(vacancy_id=vacancy_id, candidate_ids=computed.candidate_id)
        stored_now = match_counts_recount(vacancy_id)
        if row["matched_version"] != version:  # a new version of the vacancy: told to partners once
            vacancy_changed_emit(vacancy_id=vacancy_id)
        # Shares under agreements follow the vacancy's status and fit, under the row lock held here, in
        # this transaction: a lost message heals with the job (docs/pathways/agreements.md).
        vacancy_shares_sync(vacancy_id)
        # The concentric search's channels and its matches per country, after the shares it reads and
        # the matches it counts are written (docs/pathways/concentric-search.md). Counted from the scan
        # above and the snapshot's countries: no join of up to 35k matches to the candidates under the lock.
        countries = _countries_of(stored_now.candidate_id, snapshot_ids, snapshot_countries)
        vacancy_search_sync(
            vacancy_id=vacancy_id, counts=residence_counts_of(countries, stored_now.eligible), now=now
        )
        Vacancy.objects.filter(pk=vacancy_id).update(**stamps)
        job_finish(
            job,
            added=written.added,
            updated=written.updated,
            removed=written.removed,
            held=written.held,
            unchanged=written.unchanged,
        )
        if follow_up:
            job_create(MatchJob.Kind.VACANCY, vacancy_id)


# --- One candidate against all open vacancies -----------------------------------------------------


def candidate_matches_recompute(*, candidate_id: int, job_id: int | None = None) -> MatchJob | None:
    """Recompute and store one candidate's matches with every open vacancy; None for a no-op.

    Idempotent in the same way as ``vacancy_matches_recompute``, guarded by the profile version. A
    candidate who is no longer visible (withdrawn, placed, anonymised) ends with no matches.
    """
    if (
        job_id is None
        and not Candidate.objects.filter(pk=candidate_id)
        .exclude(matched_version=F("profile_version"))
        .exists()
    ):
        return None  # a wake-up call for a change a finished job already covered
    return _run_claimed(MatchJob.Kind.CANDIDATE, candidate_id, job_id, _candidate_recompute)


def _candidate_recompute(job: MatchJob, candidate_id: int) -> None:
    day = reference_date()
    row = Candidate.objects.filter(pk=candidate_id).values("profile_version", "status").first()
    if row is None:
        job_finish(job)
        return
    version = row["profile_version"]
    visible = row["status"] == Candidate.Status.ACTIVE
    facts = reference_facts_on(day)
    basis = basis_of(facts)
    now = timezone.now()
    # Versions first, facts second: a change in between makes the facts newer than the version we
    # record, which the write check then catches. A vacancy opened after this read is its own job's.
    vacancies = vacancy_snapshot.current(matchable_vacancies(), epoch=basis)
    empty = np.zeros(0, dtype=np.int64)
    computed = PairRows(empty, empty, empty, empty, empty, empty, empty, empty)
    if visible:
        candidate = candidate_columns(
            candidate_facts(Candidate.objects.filter(pk=candidate_id), day=day), vacancy_snapshot.vocabulary
        )
        count = len(vacancies.columns)
        results = evaluate_pairs(
            candidate, np.zeros(count, dtype=np.int64), vacancies.columns, np.arange(count), facts
        )
        kept = results.kept(near_miss_min_score() * 100)
        computed = _pair_rows(
            results,
            kept,
            vacancy_ids=vacancies.columns.ids[kept],
            candidate_ids=np.full(len(kept), candidate_id, dtype=np.int64),
            vacancy_versions=vacancies.versions[kept],
            candidate_versions=np.full(len(kept), version, dtype=np.int64),
        )
    _test_delay()

    with transaction.atomic():
        own = locked_values(Candidate, [candidate_id], ("profile_version",)).get(candidate_id)
        if own is None:
            job_finish(job)
            return
        if own[0] != version:
            job_finish(job, superseded=True)
            job_create(MatchJob.Kind.CANDIDATE, candidate_id)
            return
        # Every open vacancy read, share-locked before reading what is stored: a vacancy's recompute
        # that could insert one of our pairs holds its row, so it is done, or waits for us.
        stored_ids = stored_rows(candidate_id=candidate_id).other_id
        current = locked_values(
            Vacancy,
            set(vacancies.columns.ids.tolist()) | set(stored_ids.tolist()),
            ("criteria_version", "status", "region", "near_miss_floor"),
        )
        stored = stored_rows(candidate_id=candidate_id)
        ids = np.array(sorted(current), dtype=np.int64)
        # Each vacancy's near-miss floor as it is now, under the lock its own recompute needs to move it.
        floors = np.array([current[pk][3] for pk in ids.tolist()], dtype=np.int64)
        computed = _above_floor(computed, _lookup(ids, floors, computed.vacancy_id, 0))
        matchable_now = np.array(
            [is_matchable(current[pk][1], current[pk][2]) for pk in ids.tolist()], dtype=bool
        )
        versions_now = np.array([current[pk][0] for pk in ids.tolist()], dtype=np.int64)
        open_version = np.where(matchable_now & visible, versions_now, -1)
        written = _write(
            computed,
            computed.vacancy_id,
            computed.vacancy_version,
            stored,
            _lookup(vacancies.columns.ids, vacancies.versions, stored.other_id, -1),
            lambda others: _lookup(ids, open_version, others, -1),
            by="candidate",
            subject_id=candidate_id,
            day=day,
            now=now,
        )
        candidate_facets_add(candidate_id=candidate_id)
        job_finish(
            job,
            added=written.added,
            updated=written.updated,
            removed=written.removed,
            held=written.held,
            unchanged=written.unchanged,
        )
    # Stamped after commit, in a transaction of its own: taking the candidate's row lock inside the one
    # above would upgrade our share lock while vacancy recomputes share it too (a deadlock cycle). If we
    # die in between, the candidate stays stale and the sweeper runs the job again, to the same rows.
    Candidate.objects.filter(pk=candidate_id, matched_version__lt=version).update(matched_version=version)
