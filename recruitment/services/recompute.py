"""Recompute and store the matches of one vacancy, or of one candidate (docs/adr/0003-match-recompute.md).

Both run the same way: claim the job; read the subject's version, then the facts; score outside any
transaction; then, in one short transaction, lock and re-check every version read, write only what is
still current, and stamp the version computed.

- The subject's own row is locked first (the vacancy ``FOR UPDATE``, the candidate ``FOR SHARE``: see
  ``_candidate_recompute`` for why the candidate is stamped after commit). If
  its version moved on while we scored, the whole result is dropped and a follow-up job queued: an older
  run never overwrites a newer one.
- The other side's rows are share-locked in id order and their versions compared with what we read; a
  pair whose other side changed is held back, neither written nor deleted: that side's own job (queued
  by its change, which waits for our lock) will write it.
- Upserts go in bulk on the (vacancy, candidate) key; matches no longer produced are deleted. Running a
  job twice gives the same rows (``changed_at`` included: it moves only when the outcome or the score
  does, in the upsert itself, ``recruitment.services.upsert``). Human work lives in other tables and is
  never touched.

A vacancy's recompute reads its candidates' facts through the worker's cache
(``recruitment.facts_cache``, docs/adr/0004-facts-cache.md), and scores and encodes them with the cyclic
garbage collector paused (``gc_paused``).
"""

import datetime
import gc
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from candidates.models import Candidate
from core.choices import Region
from recruitment.adapters import (
    basis_of,
    candidate_facts,
    candidates_possibly_relevant,
    reference_date,
    reference_facts_on,
    vacancy_facts,
)
from recruitment.facts_cache import candidate_facts_cache
from recruitment.matching.engine import evaluate_candidate, evaluate_vacancy
from recruitment.matching.results import MatchResult
from recruitment.models import Match, MatchJob
from recruitment.services.jobs import (
    job_claim_for,
    job_create,
    job_finish,
    job_release_after_error,
)
from recruitment.services.locks import locked_values
from recruitment.services.match_events import matches_created_emit
from recruitment.services.upsert import MatchValues, match_of, match_values, matches_write
from vacancies.models import Vacancy

logger = logging.getLogger(__name__)

# Test-only: seconds to sleep between scoring and writing, so that the real-worker tests can kill a worker
# in the middle of a recompute (tests/recruitment/test_recompute_worker.py). Unset in any real deployment.
TEST_DELAY_ENV = "TALENTBRUG_TEST_RECOMPUTE_DELAY"


def matchable_vacancies() -> QuerySet[Vacancy]:
    """Vacancies that have matches: published, in Flanders (the permit rules modelled are Flemish)."""
    return Vacancy.objects.open().filter(region=Region.FLANDERS)


def is_matchable(status: str, region: str) -> bool:
    return status == Vacancy.Status.PUBLISHED and region == Region.FLANDERS


def match_row(
    result: MatchResult,
    *,
    vacancy_version: int,
    candidate_version: int,
    day: datetime.date,
    now: datetime.datetime,
) -> Match:
    """The unsaved ``Match`` row for one result: reasons, routes and breakdown as plain JSON."""
    return match_of(
        match_values(
            result, vacancy_version=vacancy_version, candidate_version=candidate_version, day=day, now=now
        )
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Scoring allocates millions of small objects without reference cycles; the cyclic collector would
    walk the whole heap (the facts cache included) again and again for nothing: it took about half of
    the scoring time in the benchmark. Reference counting still frees everything meanwhile, and any
    cycle made in between is collected once the collector is back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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


# --- One vacancy against all active candidates ----------------------------------------------------


def vacancy_matches_recompute(*, vacancy_id: int, job_id: int | None = None) -> MatchJob | None:
    """Recompute and store the matches of one vacancy; returns the finished job, or None for a no-op.

    Idempotent: the claim lets one delivery run a job, a re-run of the vacancy writes the same rows, and
    a result computed for an older criteria version (or against an older candidate profile) is not
    written. A vacancy that is not published in Flanders ends with no matches.
    """
    if job_id is None and _vacancy_up_to_date(vacancy_id):
        return None  # a wake-up call for a change a finished job already covered
    return _run_claimed(MatchJob.Kind.VACANCY, vacancy_id, job_id, _vacancy_recompute)


def _vacancy_up_to_date(vacancy_id: int) -> bool:
    row = (
        Vacancy.objects.filter(pk=vacancy_id)
        .values("criteria_version", "matched_version", "matched_basis")
        .first()
    )
    if row is None:
        return True
    if row["matched_version"] != row["criteria_version"]:
        return False
    return not matchable_vacancies().filter(pk=vacancy_id).exists() or (
        row["matched_basis"] == basis_of(reference_facts_on(reference_date()))
    )


def _vacancy_recompute(job: MatchJob, vacancy_id: int) -> None:
    day = reference_date()
    row = Vacancy.objects.filter(pk=vacancy_id).values("criteria_version", "status", "region").first()
    if row is None:  # deleted since the job was queued (its jobs cascade; nothing to do)
        job_finish(job)
        return
    version = row["criteria_version"]
    matchable = is_matchable(row["status"], row["region"])
    facts = reference_facts_on(day)
    # The basis stamped is the one read before the facts it covers: a change after this point leaves the
    # stamp behind the current basis, and the sweeper recomputes.
    basis = basis_of(facts)
    results: dict[int, MatchResult] = {}
    read: dict[int, int] = {}  # candidate id -> profile version read
    encoded: dict[int, MatchValues] = {}
    now = timezone.now()
    if matchable:
        vacancy = vacancy_facts(Vacancy.objects.filter(pk=vacancy_id))[0]
        pool = candidates_possibly_relevant(vacancy)  # the others cannot match (relevance rule)
        with gc_paused():
            for chunk, versions in candidate_facts_cache.chunks(pool, day=day, epoch=basis):
                read.update(versions)
                results.update((r.candidate_id, r) for r in evaluate_vacancy(vacancy, chunk, facts))
            # Encoded before the transaction, so that the locks below are held for the writing only.
            encoded = {
                cid: match_values(r, vacancy_version=version, candidate_version=read[cid], day=day, now=now)
                for cid, r in results.items()
            }
    _test_delay()

    with transaction.atomic():
        locked = Vacancy.objects.select_for_update().filter(pk=vacancy_id).values("criteria_version").first()
        if locked is None:
            job_finish(job)
            return
        if locked["criteria_version"] != version:
            # Changed while we scored: a newer version wants computing. Drop ours, queue a follow-up.
            job_finish(job, superseded=True)
            job_create(MatchJob.Kind.VACANCY, vacancy_id)
            return
        stored = dict(Match.objects.filter(vacancy_id=vacancy_id).values_list("candidate_id", "pk"))
        current = locked_values(Candidate, set(results) | set(stored), ("profile_version", "status"))
        rows = [values for cid, values in encoded.items() if cid in current and current[cid][0] == read[cid]]
        new = [row for row in rows if row[1] not in stored]
        held = sum(1 for cid in results if cid in current and current[cid][0] != read[cid])
        removed: list[int] = []
        for cid, match_id in stored.items():
            if cid in results:
                continue
            state = current.get(cid)
            if not matchable or state is None or state[1] != Candidate.Status.ACTIVE:
                removed.append(match_id)  # a closed vacancy, or a candidate gone or no longer visible
            elif cid in read and state[0] == read[cid]:
                removed.append(match_id)  # evaluated on the current profile: no longer a match
            else:
                held += 1  # the profile changed (or the candidate appeared) since we read: theirs to write
        # Pairs without a row stay so while we hold the vacancy's lock: every other writer of its
        # pairs (a candidate's recompute) share-locks the vacancy first.
        matches_write(new, absent=True)
        matches_write([row for row in rows if row[1] in stored])
        matches_created_emit(added=(row[:4] for row in new))  # outbox rows, committed with the matches
        Match.objects.filter(pk__in=removed).delete()
        Vacancy.objects.filter(pk=vacancy_id).update(matched_version=version, matched_basis=basis)
        written = {row[1] for row in rows}
        job_finish(
            job,
            added=len(written - stored.keys()),
            updated=len(written & stored.keys()),
            removed=len(removed),
            held=held,
        )


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
    results: dict[int, MatchResult] = {}
    # Versions first, facts second: a change in between makes the facts newer than the version we
    # record, which the write check then catches.
    read = dict(matchable_vacancies().values_list("pk", "criteria_version")) if visible else {}
    if visible:
        candidate = candidate_facts(Candidate.objects.filter(pk=candidate_id), day=day)[0]
        # A vacancy opened after we read the versions is left to its own job.
        vacancies = [v for v in vacancy_facts(matchable_vacancies()) if v.id in read]
        results = {r.vacancy_id: r for r in evaluate_candidate(candidate, vacancies, facts)}
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
        stored = dict(Match.objects.filter(candidate_id=candidate_id).values_list("vacancy_id", "pk"))
        current = locked_values(Vacancy, set(results) | set(stored), ("criteria_version", "status", "region"))
        now = timezone.now()
        rows = [
            match_values(result, vacancy_version=read[vid], candidate_version=version, day=day, now=now)
            for vid, result in results.items()
            if vid in current and current[vid][0] == read[vid]
        ]
        held = sum(1 for vid in results if vid in current and current[vid][0] != read[vid])
        removed: list[int] = []
        for vid, match_id in stored.items():
            if vid in results:
                continue
            state = current.get(vid)
            if not visible or state is None or not is_matchable(state[1], state[2]):
                removed.append(match_id)  # the candidate is hidden, or the vacancy gone or closed
            elif vid in read and state[0] == read[vid]:
                removed.append(match_id)
            else:
                held += 1  # the vacancy changed (or opened) since we read: its own job writes the pair
        matches_write(rows)
        matches_created_emit(added=(row[:4] for row in rows if row[0] not in stored))
        Match.objects.filter(pk__in=removed).delete()
        written = {row[0] for row in rows}
        job_finish(
            job,
            added=len(written - stored.keys()),
            updated=len(written & stored.keys()),
            removed=len(removed),
            held=held,
        )
    # Stamped after commit, in a transaction of its own: taking the candidate's row lock inside the one
    # above would upgrade our share lock while vacancy recomputes share it too (a deadlock cycle). If we
    # die in between, the candidate stays stale and the sweeper runs the job again, to the same rows.
    Candidate.objects.filter(pk=candidate_id, matched_version__lt=version).update(matched_version=version)
