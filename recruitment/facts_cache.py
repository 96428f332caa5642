"""A worker-resident cache of candidate facts for the vacancy recompute (docs/adr/0004-facts-cache.md).

Building ``CandidateFacts`` from rows (a dozen queries per chunk, then one object per language, diploma,
experience, ...) was about half of a new vacancy's recompute. Most candidates do not change between two
recomputes, so each worker process keeps the facts it built, and one query per recompute (the pool's
ids with their profile versions) tells which are still current.

An entry is used only if all of these still hold; anything else rebuilds it:
- the candidate's ``profile_version`` is the one it was built from: every edit of the candidate or of
  a row hanging from it bumps it (``candidates.services``);
- the candidate's ``public_id`` is the same (a row deleted and an id given again, as a rolled-back test
  transaction does on SQLite, is another candidate);
- the **epoch** is the same: the basis of the recompute (``recruitment.adapters.basis_of``), which holds
  the reference date (experience counted up to today, licences valid today) and the inputs no version
  follows that candidate facts read (occupations' ISCO groups, training programmes' Dutch target level).
  A new day or such a change empties the cache;
- the clock has not reached the next change of the candidate's consents (one expires, or one granted
  for later takes effect): consents in force depend on the time, not only on the day.

The consistency check (``check_match_consistency``) never uses the cache: it recomputes from rows, so a
write path that forgot to bump a version shows up there instead of being hidden by a cached entry.
Memory: roughly 3 kB per candidate (measured by ``bench/matching.py``), per worker process; entries
beyond ``MATCH_FACTS_CACHE_SIZE`` (setting, default 200,000; 0 disables the cache) are dropped.
"""

import datetime
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from candidates.models import Candidate
from recruitment.adapters import (
    CANDIDATE_CHUNK_SIZE,
    CANDIDATE_COLUMNS,
    candidate_facts_chunks,
    candidate_facts_from_rows,
    consents_changing,
)
from recruitment.matching.facts import CandidateFacts

DEFAULT_SIZE = 200_000


@dataclass(frozen=True, slots=True)
class _Entry:
    public_id: uuid.UUID
    version: int
    facts: CandidateFacts
    valid_until: datetime.datetime | None  # the next change of consents in force by the clock alone


@dataclass
class CacheStats:
    hits: int = 0
    built: int = 0


class CandidateFactsCache:
    """Candidate id -> facts, for one worker process. Not shared between processes; a lock keeps it
    coherent should a worker run threads."""

    def __init__(self, size: int | None = None) -> None:
        self._size = size
        self._entries: dict[int, _Entry] = {}
        self._epoch: str | None = None
        self._lock = threading.Lock()
        self.stats = CacheStats()

    @property
    def size(self) -> int:
        return (
            self._size
            if self._size is not None
            else getattr(settings, "MATCH_FACTS_CACHE_SIZE", DEFAULT_SIZE)
        )

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries = {}
            self._epoch = None

    def chunks(
        self,
        pool: QuerySet[Candidate],
        *,
        day: datetime.date,
        epoch: str,
        now: datetime.datetime | None = None,
        chunk_size: int = CANDIDATE_CHUNK_SIZE,
    ) -> Iterator[tuple[list[CandidateFacts], dict[int, int]]]:
        """The facts of the candidates of ``pool``, a chunk at a time, with the profile version each was
        built from (as ``adapters.candidate_facts_chunks`` yields them, in another order).

        One query reads the pool's ids, versions and public ids; the facts of candidates whose entry is
        missing or outdated are built from rows, by chunks of their ids, and kept.
        """
        if self.size <= 0:
            yield from candidate_facts_chunks(pool, day=day, chunk_size=chunk_size)
            return
        now = now or timezone.now()
        with self._lock:
            if epoch != self._epoch:
                self._entries, self._epoch = {}, epoch
            entries = self._entries
        current = list(pool.order_by("pk").values_list("pk", "profile_version", "public_id"))
        facts: list[CandidateFacts] = []
        versions: dict[int, int] = {}
        outdated: list[int] = []
        for pk, version, public_id in current:
            entry = entries.get(pk)
            if (
                entry is not None
                and entry.version == version
                and entry.public_id == public_id
                and (entry.valid_until is None or now < entry.valid_until)
            ):
                facts.append(entry.facts)
                versions[pk] = version
                if len(facts) == chunk_size:
                    yield facts, versions
                    facts, versions = [], {}
            else:
                outdated.append(pk)
        self.stats.hits += len(current) - len(outdated)
        if facts:
            yield facts, versions
        for start in range(0, len(outdated), chunk_size):
            built, built_versions = self._build(outdated[start : start + chunk_size], day, now, epoch)
            yield built, built_versions
        if len(entries) > self.size:
            with self._lock:  # over the bound: keep only this pool's candidates
                wanted = {pk for pk, _version, _public_id in current}
                self._entries = {pk: e for pk, e in self._entries.items() if pk in wanted}

    def _build(
        self, ids: list[int], day: datetime.date, now: datetime.datetime, epoch: str
    ) -> tuple[list[CandidateFacts], dict[int, int]]:
        # The version is read with the row, before the related rows: facts are never older than the
        # version they are filed under (a change in between shows as a newer version next time).
        rows = list(
            Candidate.objects.filter(pk__in=ids).order_by("pk").values(*CANDIDATE_COLUMNS, "public_id")
        )
        built = candidate_facts_from_rows(rows, day)
        changing = consents_changing([int(row["id"]) for row in rows], now)
        versions: dict[int, int] = {}
        with self._lock:
            keep = self._epoch == epoch  # another recompute moved the epoch on meanwhile: do not file
            for row, facts in zip(rows, built, strict=True):
                pk = int(row["id"])
                versions[pk] = int(row["profile_version"])
                if keep:
                    self._entries[pk] = _Entry(row["public_id"], versions[pk], facts, changing.get(pk))
        self.stats.built += len(built)
        return built, versions


candidate_facts_cache = CandidateFactsCache()
"""The cache of this worker process."""
