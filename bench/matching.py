"""Benchmark of the matching recompute on PostgreSQL, against the previous pipeline and a naive baseline.

Measures, at the scale given:
- the phases of one vacancy's recompute over its candidate pool (read facts, score, encode, lock and
  write), side by side: the previous pipeline (facts built from rows every time, the cyclic garbage
  collector on, ``Match`` instances adapted field by field), the current one with the worker's facts
  cache cold (first recompute of the day) and warm;
- a new vacancy: commit to ranked, stored shortlist through the service (cache cold, then warm);
- a changed candidate: re-score against all open vacancies and store;
- the core's scoring throughput over all visible candidates (pairs per second), collector on and paused;
- the naive baseline: per-candidate ORM reads and a per-pair ``update_or_create`` on a sample;
- the memory of the facts cache and the peak resident memory of this process.
Run: ``.venv/bin/python bench/matching.py --candidates 10000 --vacancies 1000``.
"""

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/talentbrug_bench"
PHASES = ("read", "score", "encode", "write")


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)  # tasks run in-process after commit: we time the recompute itself
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], capture_output=True, check=False)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)  # the in-process task log lines would drown the figures


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _median(fn: Callable[[], object], repeat: int) -> float:
    return statistics.median(_timed(fn) for _ in range(repeat))


def _previous_upsert(rows: list[Any]) -> None:
    """The write of the previous pipeline: each field of each ``Match`` adapted by Django, then COPY."""
    from django.db import connection

    from recruitment.models import Match
    from recruitment.services.upsert import _COLUMNS, UPDATE_FIELDS

    by_attname = {field.attname: field for field in Match._meta.concrete_fields}
    fields = [by_attname[name] for name in _COLUMNS]
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    updates = ", ".join(f"{q} = EXCLUDED.{q}" for q in map(connection.ops.quote_name, UPDATE_FIELDS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS match_upsert ON COMMIT DROP AS "
            f"SELECT {columns} FROM recruitment_match WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY match_upsert ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields])
        cursor.execute(
            f"INSERT INTO recruitment_match ({columns}) SELECT {columns} FROM match_upsert "
            f"ON CONFLICT (vacancy_id, candidate_id) DO UPDATE SET {updates}"
        )
        cursor.execute("TRUNCATE match_upsert")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--vacancies", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-sample", type=int, default=300, help="candidates for the naive baseline")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args()
    _setup(args.database_url)

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from candidates.models import Candidate
    from candidates.services import candidate_profile_changed
    from recruitment.adapters import (
        basis_of,
        candidate_facts,
        candidate_facts_chunks,
        candidates_possibly_relevant,
        reference_date,
        reference_facts_on,
        vacancy_facts,
    )
    from recruitment.facts_cache import candidate_facts_cache
    from recruitment.matching.engine import evaluate, evaluate_vacancy
    from recruitment.models import Match
    from recruitment.services.locks import locked_values
    from recruitment.services.recompute import gc_paused, match_row
    from recruitment.services.upsert import match_values, matches_write
    from vacancies.models import Vacancy
    from vacancies.services import vacancy_create

    call_command("migrate", verbosity=0)
    seeded = Candidate.objects.filter(external_id__startswith="DEMO-").count()
    if seeded != args.candidates:
        t = _timed(
            lambda: call_command(
                "seed_demo",
                candidates=args.candidates,
                vacancies=args.vacancies,
                employers=25,
                reset=True,
                verbosity=0,
            )
        )
        print(f"seeded {args.candidates} candidates / {args.vacancies} vacancies in {t:.1f} s")
    candidates = Candidate.objects.visible().count()
    open_vacancies = Vacancy.objects.open().filter(region="VLG").count()
    print(f"scale: {candidates} visible candidates, {open_vacancies} open Flemish vacancies")

    day = reference_date()
    facts = reference_facts_on(day)
    basis = basis_of(facts)
    template = Vacancy.objects.open().filter(region="VLG").order_by("pk").first()
    assert template is not None, "no open Flemish vacancy to copy"
    vacancy = vacancy_facts(Vacancy.objects.filter(pk=template.pk))[0]
    pool = candidates_possibly_relevant(vacancy)
    now = timezone.now()

    # 1. One vacancy's recompute, phase by phase: the previous pipeline and the current one.
    def write_rolled_back(write: Callable[[], None], ids: set[int]) -> float:
        # Rolled-back rows leave dead tuples behind: vacuum first, so no run writes into another's bloat.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM recruitment_match")
        with transaction.atomic():
            start = time.perf_counter()
            locked_values(Candidate, ids, ("profile_version", "status"))
            write()
            elapsed = time.perf_counter() - start
            transaction.set_rollback(True)
        return elapsed

    def previous() -> dict[str, float]:
        times: dict[str, float] = {}
        start = time.perf_counter()
        chunks = list(candidate_facts_chunks(pool, day=day))
        times["read"] = time.perf_counter() - start
        start = time.perf_counter()
        results = [r for chunk, _ in chunks for r in evaluate_vacancy(vacancy, chunk, facts)]
        times["score"] = time.perf_counter() - start
        start = time.perf_counter()
        rows = [match_row(r, vacancy_version=1, candidate_version=1, day=day, now=now) for r in results]
        times["encode"] = time.perf_counter() - start
        times["write"] = write_rolled_back(lambda: _previous_upsert(rows), {r.candidate_id for r in results})
        times["pairs"] = len(results)
        return times

    def current() -> dict[str, float]:
        times: dict[str, float] = {}
        with gc_paused():
            start = time.perf_counter()
            chunks = list(candidate_facts_cache.chunks(pool, day=day, epoch=basis))
            times["read"] = time.perf_counter() - start
            start = time.perf_counter()
            results = [r for chunk, _ in chunks for r in evaluate_vacancy(vacancy, chunk, facts)]
            times["score"] = time.perf_counter() - start
            start = time.perf_counter()
            rows = [
                match_values(r, vacancy_version=1, candidate_version=1, day=day, now=now) for r in results
            ]
            times["encode"] = time.perf_counter() - start
        times["write"] = write_rolled_back(lambda: matches_write(rows), {r.candidate_id for r in results})
        times["pairs"] = len(results)
        return times

    def median_phases(runs: list[dict[str, float]]) -> dict[str, float]:
        return {key: statistics.median(run[key] for run in runs) for key in (*PHASES, "pairs")}

    candidate_facts_cache.clear()
    cold = current()
    runs = [(previous(), current()) for _ in range(args.repeat)]  # interleaved: the same conditions
    before = median_phases([run[0] for run in runs])
    warm = median_phases([run[1] for run in runs])
    pool_size = pool.count()
    print(f"one vacancy's recompute, {pool_size} candidates in its pool, {int(warm['pairs'])} matches:")
    print(f"  {'phase':<8}{'previous':>10}{'cache cold':>12}{'cache warm':>12}")
    for phase in PHASES:
        print(f"  {phase:<8}{before[phase]:>9.2f}s{cold[phase]:>11.2f}s{warm[phase]:>11.2f}s")
    totals = {
        name: sum(run[p] for p in PHASES)
        for name, run in (("previous", before), ("cold", cold), ("warm", warm))
    }
    print(
        f"  {'total':<8}{totals['previous']:>9.2f}s{totals['cold']:>11.2f}s{totals['warm']:>11.2f}s"
        f"   ({totals['previous'] / totals['warm']:.1f}x warm, "
        f"{totals['previous'] / totals['cold']:.1f}x cold)"
    )

    # 2. A new vacancy: from the service call (which commits and recomputes after commit) to stored rows.
    def new_vacancy() -> None:
        fields = {
            f.name: getattr(template, f.name)
            for f in Vacancy._meta.concrete_fields
            if f.name
            not in {
                "id",
                "public_id",
                "created_at",
                "updated_at",
                "criteria_version",
                "matched_version",
                "matched_basis",
            }
        }
        fields["employer"] = template.employer
        fields["occupation"] = template.occupation
        fields.pop("employer_id", None)
        fields.pop("occupation_id", None)
        created = vacancy_create(**fields)
        assert Vacancy.objects.get(pk=created.pk).matched_version == 1

    candidate_facts_cache.clear()
    new_cold_s = _timed(new_vacancy)
    new_vacancy_s = _median(new_vacancy, args.repeat)
    stored = Match.objects.filter(vacancy_id=Vacancy.objects.order_by("-pk").values("pk")[:1]).count()
    print(
        f"new vacancy, commit to stored shortlist: {new_vacancy_s:.2f} s with the facts cache warm "
        f"(median of {args.repeat}), {new_cold_s:.2f} s cold; {stored} matches stored"
    )

    # 3. A changed candidate: re-score against every open vacancy and store.
    all_ids = list(Candidate.objects.visible().order_by("pk").values_list("pk", flat=True))
    candidate_id = all_ids[len(all_ids) // 2]
    changed_s = _median(lambda: candidate_profile_changed(candidate_id), args.repeat)
    print(f"changed candidate, re-scored against {open_vacancies} vacancies and stored: {changed_s:.2f} s")

    # 4. The core alone: every visible candidate against one vacancy, collector on and paused.
    all_facts = candidate_facts(Candidate.objects.visible(), day=day)
    score_s = _median(lambda: evaluate_vacancy(vacancy, all_facts, facts), args.repeat)
    with gc_paused():
        score_paused_s = _median(lambda: evaluate_vacancy(vacancy, all_facts, facts), args.repeat)
    pairs_per_s = len(all_facts) / score_paused_s
    print(
        f"score 1 vacancy x {len(all_facts)} candidates: {score_s:.2f} s collector on, "
        f"{score_paused_s:.2f} s paused = {pairs_per_s:,.0f} pairs/s"
    )
    all_facts = []
    gc.collect()

    # 5. Naive baseline on a sample: per-candidate ORM reads, one update_or_create per pair.
    sample_ids = all_ids[: args.naive_sample]
    naive_vacancy = Vacancy.objects.open().filter(region="VLG").order_by("-pk").first()
    assert naive_vacancy is not None

    def naive() -> None:
        vf = vacancy_facts(Vacancy.objects.filter(pk=naive_vacancy.pk))[0]
        for cid in sample_ids:
            cf = candidate_facts(Candidate.objects.filter(pk=cid), day=day)[0]
            result = evaluate(cf, vf, facts)
            if result.score is None:
                Match.objects.filter(vacancy_id=vf.id, candidate_id=cid).delete()
                continue
            row = match_row(result, vacancy_version=1, candidate_version=1, day=day, now=template.created_at)
            Match.objects.update_or_create(
                vacancy_id=vf.id,
                candidate_id=cid,
                defaults={
                    f.attname: getattr(row, f.attname)
                    for f in Match._meta.concrete_fields
                    if f.attname not in {"id", "vacancy_id", "candidate_id"}
                },
            )

    naive_s = _timed(naive)
    naive_pairs_per_s = len(sample_ids) / naive_s
    optimised_pairs_per_s = pool_size / new_vacancy_s
    print(
        f"naive baseline: {len(sample_ids)} pairs in {naive_s:.2f} s = {naive_pairs_per_s:,.0f} pairs/s; "
        f"new vacancy end to end {optimised_pairs_per_s:,.0f} pairs/s "
        f"({optimised_pairs_per_s / naive_pairs_per_s:.0f}x)"
    )

    # 6. Memory of the facts cache, traced on a sample of candidates and scaled to all of them.
    import tracemalloc

    sample = min(5_000, len(all_ids))
    candidate_facts_cache.clear()
    gc.collect()
    tracemalloc.start()
    list(
        candidate_facts_cache.chunks(
            Candidate.objects.visible().filter(pk__lte=all_ids[sample - 1]), day=day, epoch=basis
        )
    )
    per_candidate_kb = tracemalloc.get_traced_memory()[0] / 1024 / max(len(candidate_facts_cache), 1)
    tracemalloc.stop()
    cache_mb = per_candidate_kb * len(all_ids) / 1024
    db_share = warm["write"] / sum(warm[p] for p in PHASES)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"facts cache: ~{per_candidate_kb:.1f} kB per candidate (traced on {sample}), "
        f"~{cache_mb:.0f} MB for all {len(all_ids)}; share of a warm recompute spent locking and writing: "
        f"{db_share:.0%}; peak memory {peak_mb:.0f} MB"
    )
    print(
        json.dumps(
            {
                "candidates": candidates,
                "open_vacancies": open_vacancies,
                "pool": pool_size,
                "previous_phases_s": {p: round(before[p], 3) for p in PHASES},
                "cold_phases_s": {p: round(cold[p], 3) for p in PHASES},
                "warm_phases_s": {p: round(warm[p], 3) for p in PHASES},
                "new_vacancy_s": round(new_vacancy_s, 3),
                "new_vacancy_cold_s": round(new_cold_s, 3),
                "stored_matches_per_new_vacancy": stored,
                "changed_candidate_s": round(changed_s, 3),
                "score_s": round(score_s, 3),
                "score_paused_s": round(score_paused_s, 3),
                "pairs_per_s": round(pairs_per_s),
                "naive_pairs_per_s": round(naive_pairs_per_s),
                "optimised_pairs_per_s": round(optimised_pairs_per_s),
                "write_share": round(db_share, 3),
                "cache_kb_per_candidate": round(per_candidate_kb, 2),
                "cache_mb": round(cache_mb),
                "peak_rss_mb": round(peak_mb),
                "database": connection.vendor,
            }
        )
    )


if __name__ == "__main__":
    main()
