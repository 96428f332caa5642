"""Benchmark of matching at national scale on PostgreSQL: the vectorised engine against the previous
engine and a naive baseline, side by side in one run (docs/adr/0008-matching-at-national-scale.md).

Measures, at the scale given (medians of ``--repeat`` runs, interleaved where two are compared):
- a full pass: every open Flemish vacancy recomputed from nothing, one process (the work a basis change,
  ``seed_demo`` or a deploy fans out to the workers);
- a new vacancy, commit to ranked, stored shortlist, through the service: the worker's snapshot warm, then
  cold (the first recompute of a worker process);
- the floor: the pool's scoring columns read with binary ``COPY`` into NumPy, scored vectorised, and its
  compact rows written with ``COPY`` (rolled back);
- the previous engine on the same pool: facts from rows (its cache cold) or kept in memory (warm), the
  scalar core, JSON explanations written with ``COPY`` into a table of the previous shape (rolled back);
- a changed candidate re-scored against every open vacancy and stored;
- the naive baseline: per-candidate ORM reads and one ``update_or_create`` per pair, on a sample;
- the daily pass: the next day, every open vacancy brought up to date (only what the date moved);
- the snapshot's memory and this process's peak resident memory.

``bench/fan_out.py`` times a full re-evaluation through real Celery workers, one process then two.

Prints one line per figure, then one JSON line. Tasks run in-process (no broker), so that "commit to
stored shortlist" is the recompute itself, not a queue.
Run: ``.venv/bin/python bench/matching.py --candidates 10000 --vacancies 1000``.
"""

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/talentbrug_bench"


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
    import importlib
    import logging

    from celery import current_app

    # Everything a run will import, imported now: a run lasts an hour at 1M, and modules Celery and the
    # URL checks would import later must be those of the code the run started with.
    current_app.loader.import_default_modules()
    importlib.import_module("config.urls")
    logging.disable(logging.INFO)  # the in-process task log lines would drown the figures


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _say(label: str, value: str) -> None:
    print(f"{label:<58} {value}", flush=True)


@contextmanager
def _rolled_back() -> Iterator[None]:
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("VACUUM recruitment_match")  # no run writes into another's dead rows
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _full_pass(ids: list[int]) -> float:
    """Every vacancy of ``ids`` recomputed in this process, one job each."""
    from recruitment import services
    from recruitment.models import MatchJob

    def run() -> None:
        for vacancy_id in ids:
            job = services.job_create(MatchJob.Kind.VACANCY, vacancy_id, queue=False)
            services.vacancy_matches_recompute(vacancy_id=vacancy_id, job_id=job.pk)

    return _timed(run)


def _previous_write(rows: list[tuple[Any, ...]]) -> None:
    """The previous engine's write: JSON explanations (breakdown, reasons, routes) per row, COPY'd into a
    table of the previous shape, then merged (``ON CONFLICT``), as its upsert did."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS previous_match (vacancy_id bigint, candidate_id bigint, "
            "outcome varchar(12), score numeric(5,2), breakdown jsonb, reasons jsonb, routes jsonb, "
            "algorithm_version varchar(20), vacancy_version integer, candidate_version integer, "
            "reference_date date, computed_at timestamptz, changed_at timestamptz, "
            "UNIQUE (vacancy_id, candidate_id)) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS previous_ranked ON previous_match (vacancy_id, outcome, score)"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS previous_candidate ON previous_match (candidate_id, outcome)"
        )
        cursor.execute("CREATE INDEX IF NOT EXISTS previous_changed ON previous_match (changed_at)")
        with cursor.cursor.copy("COPY previous_match FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--vacancies", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-sample", type=int, default=200, help="candidates for the naive baseline")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--skip-full-pass", action="store_true", help="reuse the stored matches as they are")
    parser.add_argument("--skip-previous", action="store_true", help="do not run the previous engine")
    parser.add_argument("--skip-daily", action="store_true", help="do not run the daily pass")
    args = parser.parse_args()
    _setup(args.database_url)

    import numpy as np
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import override_settings
    from django.utils import timezone

    from candidates.models import Candidate
    from candidates.services import candidate_profile_changed
    from core.arrays import fetch_arrays, id_array_param, id_filter
    from recruitment.adapters import (
        basis_of,
        candidate_facts,
        candidate_facts_chunks,
        candidates_possibly_relevant,
        reference_date,
        reference_facts_on,
        vacancy_facts,
    )
    from recruitment.matching.columns import Ragged, vacancy_columns
    from recruitment.matching.engine import evaluate, evaluate_vacancy
    from recruitment.matching.vectorised import evaluate_pairs, possibly_relevant
    from recruitment.models import Match, MatchJob
    from recruitment.services import recompute as recompute_module
    from recruitment.services.recompute import matchable_vacancies
    from recruitment.services.upsert import PairRows, matches_insert
    from recruitment.snapshot import candidate_snapshot, snapshots_clear
    from vacancies.models import MATCH_STAMP_FIELDS, Vacancy, VacancyLanguageRequirement, VacancySkill
    from vacancies.services import vacancy_create, vacancy_requirements_changed

    load = os.getloadavg()
    _say("machine", f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    with connection.cursor() as cursor:
        settings_shown = []
        for name in ("server_version", "shared_buffers", "wal_compression", "max_wal_size"):
            cursor.execute(f"SHOW {name}")
            settings_shown.append(f"{name} {cursor.fetchone()[0]}")
    _say("PostgreSQL", ", ".join(settings_shown))
    call_command("migrate", verbosity=0)
    seeded = Candidate.objects.filter(external_id__startswith="DEMO-").count()
    if seeded != args.candidates:
        took = _timed(
            lambda: call_command(
                "seed_demo",
                candidates=args.candidates,
                vacancies=args.vacancies,
                employers=25,
                reset=True,
                no_recompute=True,
                verbosity=0,
            )
        )
        _say("seeded (bulk load, no recompute)", f"{args.candidates} candidates in {took:.1f} s")
    visible = Candidate.objects.visible().count()
    open_ids = list(matchable_vacancies().order_by("pk").values_list("pk", flat=True))
    _say("scale", f"{visible} visible candidates, {len(open_ids)} open Flemish vacancies")
    day = reference_date()
    facts = reference_facts_on(day)
    basis = basis_of(facts)
    figures: dict[str, Any] = {"candidates": visible, "open_vacancies": len(open_ids)}

    # 1. A full pass from nothing: every open vacancy, one process (the snapshot built on the way).
    if not args.skip_full_pass:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE recruitment_match")
        Vacancy.objects.update(matched_version=0, matched_basis="", matched_on=None)
        snapshots_clear()
        took = _full_pass(open_ids)
        stored = Match.objects.count()
        _say("full pass, one process (cold start)", f"{took:.1f} s, {stored} matches stored")
        figures |= {"full_pass_s": round(took, 2), "matches_stored": stored}
    size = fetch_arrays(
        "SELECT CAST(pg_total_relation_size('recruitment_match') AS bigint)", [], [("bytes", "int8")]
    )["bytes"][0]
    _say("matches table with its indexes", f"{size / 1e6:.0f} MB")
    figures["matches_mb"] = round(size / 1e6)

    # The template: the open vacancy with the largest pool, copied with its skills and languages.
    snapshot = candidate_snapshot.current(day=day, epoch=basis)
    all_vacancies = vacancy_facts(matchable_vacancies())
    columns = vacancy_columns(all_vacancies, candidate_snapshot.vocabulary)
    pools = [len(possibly_relevant(snapshot.columns, columns, row)) for row in range(len(all_vacancies))]
    template_row = int(np.argmax(pools))
    template = Vacancy.objects.get(pk=all_vacancies[template_row].id)
    pool_rows = possibly_relevant(snapshot.columns, columns, template_row)
    _say("template vacancy", f"{template.pk}, pool {len(pool_rows)} candidates")

    def new_vacancy() -> float:
        """Commit to stored shortlist: the service creates the copy, the recompute runs after commit."""
        fields = {
            f.name: getattr(template, f.name)
            for f in Vacancy._meta.concrete_fields
            if not f.primary_key and f.name not in ("public_id", "created_at", *MATCH_STAMP_FIELDS)
        }
        start = time.perf_counter()
        with transaction.atomic():
            copy = vacancy_create(**fields)
            VacancySkill.objects.bulk_create(
                VacancySkill(vacancy=copy, skill_id=s.skill_id, relation_type=s.relation_type)
                for s in VacancySkill.objects.filter(vacancy=template)
            )
            for requirement in VacancyLanguageRequirement.objects.filter(vacancy=template):
                requirement.pk, requirement.vacancy = None, copy
                requirement.save()
            vacancy_requirements_changed(copy.pk)
        took = time.perf_counter() - start
        assert Vacancy.objects.filter(pk=copy.pk, matched_on=day).exists(), "the recompute did not run"
        created.append(copy.pk)
        return took

    created: list[int] = []
    warm = statistics.median(new_vacancy() for _ in range(args.repeat))
    stored_for_new = Match.objects.filter(vacancy_id=created[-1]).count()
    snapshots_clear()
    cold = new_vacancy()
    _say("new vacancy -> stored shortlist, warm", f"{warm:.3f} s ({stored_for_new} matches)")
    _say("new vacancy -> stored shortlist, cold (snapshot built)", f"{cold:.3f} s")
    figures |= {"new_vacancy_warm_s": round(warm, 3), "new_vacancy_cold_s": round(cold, 3)}
    # The other choices of ADR 0008's "how much is stored": every near-miss, those from 50 points, or
    # the best 1,000 of those.
    configured = (settings.MATCH_NEAR_MISS_MIN_SCORE, settings.MATCH_NEAR_MISS_LIMIT)
    _say(
        "near-misses stored (MATCH_NEAR_MISS_MIN_SCORE, MATCH_NEAR_MISS_LIMIT)",
        f"from {configured[0]} points, at most {configured[1] or 'all'}",
    )
    figures["near_miss_min_score"], figures["near_miss_limit"] = configured
    choices = (
        ((0, 0), "new_vacancy_warm_all_s", "every near-miss"),
        ((50, 0), "new_vacancy_warm_min50_s", "near-misses from 50 points"),
        ((50, 1000), "new_vacancy_warm_best1000_s", "the best 1,000 near-misses from 50 points"),
    )
    for (minimum, limit), key, label in choices:
        if (minimum, limit) == configured:
            figures[key] = figures["new_vacancy_warm_s"]
            continue
        with override_settings(MATCH_NEAR_MISS_MIN_SCORE=minimum, MATCH_NEAR_MISS_LIMIT=limit):
            new_vacancy()  # another basis: the snapshot is built again once
            other = statistics.median(new_vacancy() for _ in range(args.repeat))
            stored_other = Match.objects.filter(vacancy_id=created[-1]).count()
        _say(f"new vacancy, warm, {label}", f"{other:.3f} s ({stored_other} matches)")
        figures[key] = round(other, 3)
    Vacancy.objects.filter(pk__in=created).delete()

    # 2. The floor: the pool's columns by binary COPY, vectorised scoring, compact rows by COPY.
    snapshot = candidate_snapshot.current(day=day, epoch=basis)
    pool_ids = snapshot.columns.ids[pool_rows]
    tables = (
        (
            "candidates_candidate",
            "id",
            "id, profile_version, COALESCE(available_from, '0001-01-01'::date)",
            [("a", "int8"), ("b", "int4"), ("c", "date")],
        ),
        (
            "candidates_languageproficiency",
            "candidate_id",
            "candidate_id, id",
            [("a", "int8"), ("b", "int8")],
        ),
        (
            "candidates_candidateskill",
            "candidate_id",
            "candidate_id, skill_id",
            [("a", "int8"), ("b", "int8")],
        ),
        (
            "candidates_workexperience",
            "candidate_id",
            "candidate_id, occupation_id",
            [("a", "int8"), ("b", "int8")],
        ),
        ("candidates_diploma", "candidate_id", "candidate_id, isced_level", [("a", "int8"), ("b", "int2")]),
        ("candidates_consent", "candidate_id", "candidate_id, id", [("a", "int8"), ("b", "int8")]),
    )

    def floor_once() -> dict[str, float]:
        times: dict[str, float] = {}
        start = time.perf_counter()
        for table, key, select, kinds in tables:
            fetch_arrays(
                f"SELECT {select} FROM {table} WHERE {id_filter(key)}", [id_array_param(pool_ids)], kinds
            )
        times["read"] = time.perf_counter() - start
        start = time.perf_counter()
        results = evaluate_pairs(
            snapshot.columns, pool_rows, columns, np.full(len(pool_rows), template_row), facts
        )
        floor, _ = results.near_miss_floor(configured[0] * 100, configured[1])
        kept = results.kept(floor)  # the rows the recompute stores
        times["score"] = time.perf_counter() - start
        rows = PairRows(
            np.full(len(kept), template.pk),
            pool_ids[kept],
            results.outcome[kept].astype(np.int32),
            results.score_cents[kept],
            results.reasons[kept],
            results.routes[kept],
            np.ones(len(kept), np.int64),
            np.ones(len(kept), np.int64),
        )
        with _rolled_back():
            Match.objects.filter(vacancy=template).delete()
            times["write"] = _timed(lambda: matches_insert(rows, day=day, now=timezone.now()))
        times["pairs"] = len(kept)
        return times

    floors = [floor_once() for _ in range(args.repeat)]
    floor = {
        key: statistics.median(run[key] for run in floors) for key in ("read", "score", "write", "pairs")
    }
    floor_total = floor["read"] + floor["score"] + floor["write"]
    _say(
        "floor: COPY read + vectorised score + COPY write",
        f"{floor_total:.3f} s (read {floor['read']:.3f}, score {floor['score']:.3f}, "
        f"write {floor['write']:.3f}; {int(floor['pairs'])} rows)",
    )
    figures |= {
        "floor_s": round(floor_total, 3),
        "floor_ratio": round(warm / floor_total, 2),
        "score_pairs_per_s": round(len(pool_rows) / floor["score"]),
    }
    _say("new vacancy (warm) against the floor", f"{warm / floor_total:.2f}x")

    # 3. The previous engine on the same pool, side by side with the vectorised scoring.
    if not args.skip_previous:
        template_facts = all_vacancies[template_row]
        pool = candidates_possibly_relevant(template_facts)
        now = timezone.now()

        def previous(cached: list[Any] | None) -> tuple[float, list[Any]]:
            start = time.perf_counter()
            chunks = cached if cached is not None else [c for c, _ in candidate_facts_chunks(pool, day=day)]
            results = [r for chunk in chunks for r in evaluate_vacancy(template_facts, chunk, facts)]
            encoded = [
                (
                    r.vacancy_id,
                    r.candidate_id,
                    r.outcome.value,
                    f"{r.score:.2f}",
                    json.dumps(r.as_dict()["breakdown"]),
                    json.dumps(r.as_dict()["reasons"]),
                    json.dumps(r.as_dict()["routes"]),
                    r.algorithm_version,
                    1,
                    1,
                    day,
                    now,
                    now,
                )
                for r in results
            ]
            with _rolled_back():
                _previous_write(encoded)
                took = time.perf_counter() - start
            return took, chunks

        previous_cold, kept_facts = previous(None)
        previous_warm = statistics.median(previous(kept_facts)[0] for _ in range(args.repeat))
        _say("previous engine, one vacancy, facts cache cold", f"{previous_cold:.2f} s")
        _say("previous engine, one vacancy, facts cache warm", f"{previous_warm:.2f} s")
        _say("vectorised (warm) against previous (warm)", f"{previous_warm / warm:.1f}x faster")
        figures |= {"previous_cold_s": round(previous_cold, 2), "previous_warm_s": round(previous_warm, 2)}

    # 4. A changed candidate against every open vacancy.
    sample = [int(i) for i in pool_ids[:: max(1, len(pool_ids) // args.repeat)][: args.repeat]]

    def changed_candidate(pk: int) -> float:
        start = time.perf_counter()
        with transaction.atomic():
            candidate_profile_changed(pk)
        took = time.perf_counter() - start
        job = MatchJob.objects.filter(candidate_id=pk).latest("pk")
        assert job.status == "done", job.status
        return took

    changed_candidate(sample[0])  # the open vacancies' snapshot, built once per worker process
    changed = statistics.median(changed_candidate(pk) for pk in sample)
    _say(f"changed candidate against {len(open_ids)} open vacancies", f"{changed:.3f} s")
    figures["changed_candidate_s"] = round(changed, 3)

    # 5. The naive baseline: per-candidate reads through the ORM, one update_or_create per pair.
    naive_ids = [int(i) for i in pool_ids[: args.naive_sample]]
    template_facts = all_vacancies[template_row]

    def naive() -> None:
        with _rolled_back():
            for pk in naive_ids:
                (person,) = candidate_facts(Candidate.objects.filter(pk=pk), day=day)
                result = evaluate(person, template_facts, facts)
                if result.outcome.value != "ineligible":
                    Match.objects.update_or_create(
                        vacancy_id=template.pk,
                        candidate_id=pk,
                        defaults={
                            "outcome": result.outcome.value,
                            "score": round(result.score or 0, 2),
                            "algorithm_version": result.algorithm_version,
                            "vacancy_version": 1,
                            "candidate_version": 1,
                            "reference_date": day,
                            "computed_at": timezone.now(),
                        },
                    )

    per_pair = _timed(naive) / len(naive_ids)
    naive_total = per_pair * len(pool_rows)
    _say(
        "naive baseline (per pair, extrapolated to the pool)", f"{per_pair * 1e3:.2f} ms, {naive_total:.1f} s"
    )
    _say("vectorised (warm) against naive", f"{naive_total / warm:.0f}x")
    figures["naive_ratio"] = round(naive_total / warm, 1)

    # 6. The daily pass: tomorrow, every open vacancy brought up to date, one process.
    if not args.skip_daily:
        tomorrow = day + datetime.timedelta(days=1)
        original = recompute_module.reference_date
        recompute_module.reference_date = lambda: tomorrow
        try:
            jobs_before = MatchJob.objects.count()
            took = _full_pass(open_ids)
            jobs = MatchJob.objects.filter(pk__gt=0).order_by("-pk")[: len(open_ids)]
            written = sum(j.added + j.updated + j.removed for j in jobs)
            unchanged = sum(j.unchanged for j in jobs)
        finally:
            recompute_module.reference_date = original
        # Tomorrow's matches are stored now: mark every vacancy stale so that today is computed again.
        Vacancy.objects.update(matched_on=None)
        _say(
            "daily pass (the next day), one process",
            f"{took:.1f} s for {MatchJob.objects.count() - jobs_before} jobs; {written} rows written, "
            f"{unchanged} pairs re-evaluated unchanged",
        )
        figures["daily_pass_s"] = round(took, 1)

    # 7. Memory.
    arrays = snapshot.columns
    nbytes = 0
    for name in arrays.__dataclass_fields__:
        value = getattr(arrays, name)
        if isinstance(value, np.ndarray):
            nbytes += value.nbytes
        elif isinstance(value, Ragged):
            nbytes += value.offsets.nbytes + value.owner.nbytes + sum(a.nbytes for a in value.values.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _say(
        "candidate snapshot (columns) in one process",
        f"{nbytes / 1e6:.0f} MB; peak RSS of this process {peak:.0f} MB",
    )
    figures |= {"snapshot_mb": round(nbytes / 1e6), "peak_rss_mb": round(peak)}

    load = os.getloadavg()
    figures["load_average"] = [round(x, 2) for x in load]
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
