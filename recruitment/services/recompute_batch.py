"""Recompute the matches of a batch of candidates in one job run (a bulk request's candidates).

One candidate's recompute against every open vacancy costs about 0.06 s, most of it fixed: the reference
facts and their basis, the vacancy snapshot, the candidate's facts (a dozen queries), the locks, a dozen
statements to write. A partner sending a thousand candidates a second would need a thousand such jobs a
second. This job does the same work for up to ``RECOMPUTE_BATCH`` candidates at the cost of about one:
their facts in one read, every (candidate, open vacancy) pair scored in one NumPy pass (the vectorised
core takes any list of pairs), and one statement per kind of write for all of them.

The rules are the single candidate job's (``recompute._candidate_recompute``; docs/adr/0008, section 5):

- Each candidate keeps its own job row, claimed pending -> running by one conditional UPDATE for the
  batch (``jobs.jobs_claim_candidates``): a duplicate delivery, or a candidate's single job (the
  sweeper's), claims nothing twice, and the sweeper and the consistency check see the usual rows.
- Versions first, facts second; the write transaction share-locks the candidates, then every open
  vacancy and every vacancy holding a stored match of theirs (in id order), before it reads what is
  stored. A candidate whose profile moved since the read is dropped whole (its job finished as
  superseded, a follow-up queued); a pair whose vacancy moved is held back for the vacancy's job; a
  stored pair no longer produced is deleted only when its vacancy is gone or was read at its version.
- Only changed rows are written; each candidate is stamped ``matched_version`` after commit, as the
  single job does (taking its row lock inside would deadlock with vacancy recomputes).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate
from candidates.services import candidates_recompute_queue
from recruitment.adapters import (
    basis_of,
    candidate_facts,
    reference_date,
    reference_facts_on,
)
from recruitment.matching.columns import candidate_columns
from recruitment.matching.vectorised import evaluate_pairs
from recruitment.models import MatchJob
from recruitment.services.jobs import (
    JobCounts,
    job_create,
    job_release_after_error,
    jobs_claim_candidates,
    jobs_finish,
)
from recruitment.services.locks import locked_values
from recruitment.services.match_events import (
    matches_created_emit,
    matches_removed_emit,
    matches_updated_emit,
)
from recruitment.services.match_facets import candidates_facets_add
from recruitment.services.recompute import (
    _above_floor,
    _lookup,
    _moved,
    _pair_rows,
    _test_delay,
    is_matchable,
    matchable_vacancies,
)
from recruitment.services.upsert import (
    PairRows,
    StoredRows,
    changes_of,
    match_changes_record,
    match_counts_add,
    matches_delete_pairs,
    matches_insert,
    matches_update_pairs,
    stored_pairs,
)
from recruitment.snapshot import vacancy_snapshot
from recruitment.storage_limits import near_miss_min_score
from vacancies.models import Vacancy


def candidates_matches_recompute(*, candidate_ids: list[int]) -> list[MatchJob]:
    """Recompute and store the matches of these candidates with every open vacancy, in one run; returns
    the jobs it finished (none: every candidate was up to date, or its job is another worker's).

    Idempotent like ``candidate_matches_recompute``: each candidate's job is claimed before any work, a
    result computed for an older profile is not written, and running the batch again writes nothing.
    On an error every claimed job is handed back (transient errors) or failed, before it is re-raised.
    """
    jobs = jobs_claim_candidates(candidate_ids)
    if not jobs:
        return []
    try:
        _recompute(jobs)
    except BaseException as exc:
        for job in jobs:
            job_release_after_error(job, exc)
        raise
    return list(MatchJob.objects.filter(pk__in=[job.pk for job in jobs]).order_by("candidate_id"))


@dataclass(frozen=True)
class _Read:
    """What the scoring read: each candidate's profile version (by id), the visible ones, and the open
    vacancies' ids and criteria versions."""

    versions: dict[int, int]
    visible: frozenset[int]
    vacancy_ids: np.ndarray
    vacancy_versions: np.ndarray


def _score(candidate_ids: list[int], day: datetime.date) -> tuple[_Read, PairRows]:
    """Every (candidate, open vacancy) pair of the visible candidates, scored in one vectorised pass;
    the pairs kept (eligible, or near-misses from the minimum) as rows to write."""
    rows = Candidate.objects.filter(pk__in=candidate_ids).values_list("pk", "profile_version", "status")
    versions = {pk: version for pk, version, _status in rows}
    visible = frozenset(pk for pk, _version, status in rows if status == Candidate.Status.ACTIVE)
    facts = reference_facts_on(day)
    # Versions first, facts second (as for one candidate): a change in between leaves the facts newer
    # than the version recorded, which the write check catches.
    vacancies = vacancy_snapshot.current(matchable_vacancies(), epoch=basis_of(facts))
    read = _Read(versions, visible, vacancies.columns.ids, vacancies.versions)
    empty = np.zeros(0, dtype=np.int64)
    if not visible or not len(vacancies.columns):
        return read, PairRows(empty, empty, empty, empty, empty, empty, empty, empty)
    candidates = candidate_columns(
        candidate_facts(Candidate.objects.filter(pk__in=sorted(visible)), day=day),
        vacancy_snapshot.vocabulary,
    )
    count = len(vacancies.columns)
    # Pair i: candidate row i // count against vacancy row i % count.
    candidate_rows = np.repeat(np.arange(len(candidates)), count)
    vacancy_rows = np.tile(np.arange(count), len(candidates))
    results = evaluate_pairs(candidates, candidate_rows, vacancies.columns, vacancy_rows, facts)
    kept = results.kept(near_miss_min_score() * 100)
    ids = candidates.ids[candidate_rows[kept]]
    return read, _pair_rows(
        results,
        kept,
        vacancy_ids=vacancies.columns.ids[vacancy_rows[kept]],
        candidate_ids=ids,
        vacancy_versions=vacancies.versions[vacancy_rows[kept]],
        candidate_versions=np.array([versions[int(pk)] for pk in ids], dtype=np.int64),
    )


def _recompute(jobs: list[MatchJob]) -> None:
    day = reference_date()
    job_of = {job.candidate_id: job for job in jobs if job.candidate_id is not None}
    read, computed = _score(sorted(job_of), day)
    now = timezone.now()
    _test_delay()

    with transaction.atomic():
        own = locked_values(Candidate, read.versions, ("profile_version",))
        # Deleted since the claim: nothing to do (their jobs went with them). Changed since the read: the
        # whole result of that candidate is dropped, and a follow-up computes the newer profile.
        current = sorted(pk for pk, version in read.versions.items() if own.get(pk, (None,))[0] == version)
        moved = sorted(pk for pk in read.versions if pk in own and own[pk][0] != read.versions[pk])
        computed = computed.take(np.flatnonzero(np.isin(computed.candidate_id, current)))
        # Every vacancy a write could touch, share-locked before what is stored is read (as for one).
        owners, stored = stored_pairs(np.array(current, dtype=np.int64))
        locked = locked_values(
            Vacancy,
            set(read.vacancy_ids.tolist()) | set(stored.other_id.tolist()),
            ("criteria_version", "status", "region", "near_miss_floor"),
        )
        owners, stored = stored_pairs(np.array(current, dtype=np.int64))
        vacancy_ids = np.array(sorted(locked), dtype=np.int64)
        floors = np.array([locked[pk][3] for pk in vacancy_ids.tolist()], dtype=np.int64)
        computed = _above_floor(computed, _lookup(vacancy_ids, floors, computed.vacancy_id, 0))
        open_version = np.array(
            [
                locked[pk][0] if is_matchable(locked[pk][1], locked[pk][2]) else -1
                for pk in vacancy_ids.tolist()
            ],
            dtype=np.int64,
        )
        visible = np.array(sorted(read.visible), dtype=np.int64)
        written = _write(
            computed,
            owners,
            stored,
            read,
            current_version=lambda v, c: np.where(
                np.isin(c, visible), _lookup(vacancy_ids, open_version, v, -1), -1
            ),
            day=day,
            now=now,
        )
        counts = {job_of[pk].pk: count for pk, count in written.items()}
        counts |= {job_of[pk].pk: JobCounts(superseded=True) for pk in moved}
        jobs_finish(jobs, counts)
        for pk in moved:
            job_create(MatchJob.Kind.CANDIDATE, pk, queue=False, sent=True)
        candidates_recompute_queue(moved)  # after commit: the follow-ups' message
    # Stamped after commit, in a transaction of its own, as for one candidate (see the module docstring):
    # one UPDATE per profile version (a bulk request's new candidates all have version 1).
    for version in sorted({read.versions[pk] for pk in current}):
        Candidate.objects.filter(
            pk__in=[pk for pk in current if read.versions[pk] == version], matched_version__lt=version
        ).update(matched_version=version)


def _per_candidate(ids: np.ndarray) -> dict[int, int]:
    values, counts = np.unique(ids, return_counts=True)
    return dict(zip(values.tolist(), counts.tolist(), strict=True))


def _write(
    computed: PairRows,
    owners: np.ndarray,
    stored: StoredRows,
    read: _Read,
    *,
    current_version: Callable[[np.ndarray, np.ndarray], np.ndarray],
    day: datetime.date,
    now: datetime.datetime,
) -> dict[int, JobCounts]:
    """Write what changed for the batch's candidates, inside the caller's transaction and locks: what
    ``recompute._write(by="candidate")`` writes for one, with one statement per kind for all of them
    (rows, change and match counts, removals, outbox events; ``tests/recruitment/test_recompute_batch``
    holds the two equal). Returns each candidate's counts.

    ``owners``: the candidate of each ``stored`` row (keyed by vacancy); ``current_version(v, c)``: per
    pair, the vacancy's criteria version now, -1 when it is closed or gone or the candidate not visible.
    Pairs are compared by a key of both positions (candidate, vacancy), so one candidate's vacancies are
    never mistaken for another's.
    """
    candidate_ids = np.unique(np.concatenate([computed.candidate_id, owners]))
    vacancy_ids = np.unique(np.concatenate([computed.vacancy_id, stored.other_id]))

    def key(c: np.ndarray, v: np.ndarray) -> np.ndarray:
        return np.searchsorted(candidate_ids, c) * len(vacancy_ids) + np.searchsorted(vacancy_ids, v)

    computed_key = key(computed.candidate_id, computed.vacancy_id)
    keyed = StoredRows(
        key(owners, stored.other_id), stored.outcome, stored.cents, stored.reasons, stored.routes
    )
    changes = changes_of(computed, computed_key, keyed)
    # A new or changed row whose vacancy moved since the read is held: the vacancy's own job writes it.
    writing = np.concatenate([changes.new, changes.changed])
    now_of = current_version(computed.vacancy_id[writing], computed.candidate_id[writing])
    current = (now_of >= 0) & (now_of == computed.vacancy_version[writing])
    new = computed.take(changes.new[current[: len(changes.new)]])
    changed_index = changes.changed[current[len(changes.new) :]]
    changed = computed.take(changed_index)
    matches_insert(new, day=day, now=now)
    matches_update_pairs(changed, day=day, now=now)
    moved_index = _moved(keyed, computed_key[changed_index], changed)
    moved = changed.take(moved_index)
    match_changes_record(new, moved, now=now)  # one statement: its rows locked in one vacancy order
    if len(new):
        matches_created_emit(added=new.pairs())  # outbox rows, committed with the matches
    matches_updated_emit(updated=changed.pairs())
    # A stored pair no longer produced goes when its vacancy is gone or closed (or the candidate hidden),
    # or was read at its current version; else it is held for the vacancy's job.
    leftover = np.flatnonzero(~np.isin(keyed.other_id, computed_key))
    stored_now = current_version(stored.other_id[leftover], owners[leftover])
    read_of_stored = _lookup(read.vacancy_ids, read.vacancy_versions, stored.other_id[leftover], -1)
    removable = (stored_now < 0) | (stored_now == read_of_stored)
    gone = leftover[removable]
    removed = matches_delete_pairs(stored.other_id[gone], owners[gone], now=now)
    before = _lookup(keyed.other_id, keyed.outcome, computed_key[changed_index][moved_index], -1)
    match_counts_add(
        np.concatenate([new.vacancy_id, moved.vacancy_id, moved.vacancy_id, stored.other_id[gone]]),
        np.concatenate([new.outcome, moved.outcome, before, stored.outcome[gone]]),
        np.concatenate([np.ones(len(new) + len(moved)), -np.ones(len(moved)), -np.ones(len(gone))]),
    )
    for candidate_id in np.unique(owners[gone]).tolist():  # removals are rare: one call per candidate
        matches_removed_emit(
            by="candidate",
            subject_id=candidate_id,
            other_ids=stored.other_id[gone][owners[gone] == candidate_id],
        )
    candidates_facets_add(candidate_ids=candidate_ids)
    added, updated = _per_candidate(new.candidate_id), _per_candidate(changed.candidate_id)
    held = _per_candidate(
        np.concatenate([computed.candidate_id[writing[~current]], owners[leftover][~removable]])
    )
    unchanged = np.setdiff1d(np.arange(len(computed)), writing, assume_unique=True)
    same = _per_candidate(computed.candidate_id[unchanged])
    return {
        pk: JobCounts(
            added=added.get(pk, 0),
            updated=updated.get(pk, 0),
            removed=removed.get(pk, 0),
            held=held.get(pk, 0),
            unchanged=same.get(pk, 0),
        )
        for pk in candidate_ids.tolist()
    }
