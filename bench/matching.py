"""Benchmark of the matching recompute on PostgreSQL, against a naive per-pair baseline.

Measures, at the scale given:
- a new vacancy: commit to ranked, stored shortlist (read candidates, score, write matches);
- a changed candidate: re-score against all open vacancies and store;
- the core's scoring throughput (pairs per second over prebuilt facts) and the share of time in the database;
- the naive baseline: per-candidate ORM reads and a per-pair ``update_or_create`` on a sample;
- peak resident memory of this process.
Run: ``.venv/bin/python bench/matching.py --candidates 10000 --vacancies 1000``.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

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


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _median(fn: Callable[[], object], repeat: int) -> float:
    return statistics.median(_timed(fn) for _ in range(repeat))


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
    from django.db import connection

    from candidates.models import Candidate
    from candidates.services import candidate_profile_changed
    from recruitment.adapters import candidate_facts, reference_date, reference_facts_on, vacancy_facts
    from recruitment.matching.engine import evaluate, evaluate_vacancy
    from recruitment.models import Match
    from recruitment.services.recompute import match_row
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
    template = Vacancy.objects.open().filter(region="VLG").order_by("pk").first()
    assert template is not None, "no open Flemish vacancy to copy"

    # 1. The pieces: read (database) and score (core), side by side.
    read_s = _median(lambda: candidate_facts(Candidate.objects.visible(), day=day), args.repeat)
    all_facts = candidate_facts(Candidate.objects.visible(), day=day)
    vacancy = vacancy_facts(Vacancy.objects.filter(pk=template.pk))[0]
    score_s = _median(lambda: evaluate_vacancy(vacancy, all_facts, facts), args.repeat)
    pairs_per_s = len(all_facts) / score_s
    print(f"read {len(all_facts)} candidate profiles: {read_s:.2f} s (median of {args.repeat})")
    print(f"score 1 vacancy x {len(all_facts)} candidates: {score_s:.2f} s = {pairs_per_s:,.0f} pairs/s")

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

    new_vacancy_s = _median(new_vacancy, args.repeat)
    stored = Match.objects.filter(vacancy_id=Vacancy.objects.order_by("-pk").values("pk")[:1]).count()
    print(
        f"new vacancy, commit to stored shortlist: {new_vacancy_s:.2f} s (median of {args.repeat}), "
        f"{stored} matches stored"
    )

    # 3. A changed candidate: re-score against every open vacancy and store.
    candidate_id = (
        Candidate.objects.visible().order_by("pk").values_list("pk", flat=True)[len(all_facts) // 2]
    )
    changed_s = _median(lambda: candidate_profile_changed(candidate_id), args.repeat)
    print(f"changed candidate, re-scored against {open_vacancies} vacancies and stored: {changed_s:.2f} s")

    # 4. Naive baseline on a sample: per-candidate ORM reads, one update_or_create per pair.
    sample_ids = list(
        Candidate.objects.visible().order_by("pk").values_list("pk", flat=True)[: args.naive_sample]
    )
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
    optimised_pairs_per_s = len(all_facts) / new_vacancy_s
    print(
        f"naive baseline: {len(sample_ids)} pairs in {naive_s:.2f} s = {naive_pairs_per_s:,.0f} pairs/s; "
        f"optimised end to end {optimised_pairs_per_s:,.0f} pairs/s "
        f"({optimised_pairs_per_s / naive_pairs_per_s:.0f}x)"
    )

    db_share = read_s / (read_s + score_s)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"share of read+score time spent reading profiles (queries + building facts): {db_share:.0%}; "
        f"peak memory {peak_mb:.0f} MB"
    )
    print(
        json.dumps(
            {
                "candidates": candidates,
                "open_vacancies": open_vacancies,
                "read_s": round(read_s, 3),
                "score_s": round(score_s, 3),
                "pairs_per_s": round(pairs_per_s),
                "new_vacancy_s": round(new_vacancy_s, 3),
                "stored_matches_per_new_vacancy": stored,
                "changed_candidate_s": round(changed_s, 3),
                "naive_pairs_per_s": round(naive_pairs_per_s),
                "optimised_pairs_per_s": round(optimised_pairs_per_s),
                "read_share": round(db_share, 3),
                "peak_rss_mb": round(peak_mb),
                "database": connection.vendor,
            }
        )
    )


if __name__ == "__main__":
    main()
