"""Benchmark of a full re-evaluation fanned out over real Celery worker processes: one, then two.

A basis change (a shortage list or threshold, a project's weights, an algorithm bump) makes every open
vacancy stale; the sweeper gives each one a job of its own, and any number of worker processes take them
(one writer per vacancy: the job's claim and the vacancy's row lock). This script makes every open
vacancy stale by its basis, queues their jobs (as the sweeper does) on a private queue, starts
``celery worker -c N`` on it (cold: each process builds its snapshot on its first job), and times until
no job is open, for N = 1 then 2, side by side. Needs ``REDIS_URL`` and a database already computed
(``bench/matching.py``).

Run: ``REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/fan_out.py [--limit 400]`` (``--limit``:
the first N open vacancies only, the same ones for each worker count).
"""

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/talentbrug_bench"
VACANCY_TASK = "recruitment.tasks.recompute_vacancy_matches_task"


def _machine_busy_s() -> float:
    """CPU seconds this machine has spent busy since boot, all cores (``/proc/stat``)."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:9]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")


def _process_tree_cpu_s(pid: int) -> float:
    """CPU seconds of a process and its children still alive (the worker and its pool)."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
            with open(f"/proc/{current}/task/{current}/children") as children:
                pending += [int(child) for child in children.read().split()]
        except FileNotFoundError:
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--processes", default="1,2", help="worker processes to compare, e.g. 1,2")
    parser.add_argument(
        "--limit", type=int, default=0, help="re-evaluate only the first N open vacancies (0: all of them)"
    )
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL must point to a Redis broker")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.db import transaction

    from config.celery import app
    from recruitment.models import OPEN_JOB_STATUSES, MatchJob
    from recruitment.services import job_create
    from recruitment.services.recompute import matchable_vacancies
    from vacancies.models import Vacancy

    open_ids = list(matchable_vacancies().order_by("pk").values_list("pk", flat=True))
    if args.limit:
        open_ids = open_ids[: args.limit]  # the same vacancies for every worker count
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load[0]:.2f}; "
        f"{len(open_ids)} vacancies to re-evaluate"
    )
    figures: dict[str, object] = {"open_vacancies": len(open_ids)}
    for count in (int(n) for n in args.processes.split(",")):
        queue = f"bench-{uuid.uuid4().hex[:10]}"
        app.conf.task_always_eager = False
        app.conf.task_routes = {VACANCY_TASK: {"queue": queue}}
        app.amqp.flush_routes()
        del app.amqp.router  # rebuilt from the routes above
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "prefork",
                "-c",
                str(count),
                "-Q",
                queue,
                "-n",
                f"{queue}@bench",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
        )
        try:
            time.sleep(3)  # the worker connects; its processes start cold either way
            # Stale by the basis (as after a list change): every pair re-evaluated, the stored ones kept.
            Vacancy.objects.filter(pk__in=open_ids).update(matched_basis="")
            start, busy_before = time.perf_counter(), _machine_busy_s()
            with transaction.atomic():  # queued on commit, as the sweeper does
                jobs = [job_create(MatchJob.Kind.VACANCY, pk) for pk in open_ids]
            while MatchJob.objects.filter(pk__in=[j.pk for j in jobs], status__in=OPEN_JOB_STATUSES).exists():
                time.sleep(0.5)
            took = time.perf_counter() - start
            busy = _machine_busy_s() - busy_before
            workers = _process_tree_cpu_s(worker.pid)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        failed = MatchJob.objects.filter(pk__in=[j.pk for j in jobs], status=MatchJob.Status.FAILED).count()
        print(
            f"full re-evaluation, {count} worker process(es): {took:.1f} s "
            f"for {len(jobs)} jobs, {failed} failed"
        )
        # Where the CPU went: the worker processes, and the rest (PostgreSQL above all).
        print(
            f"  CPU: machine busy {busy:.0f} s ({busy / (took * (os.cpu_count() or 1)):.0%} of its cores), "
            f"worker processes {workers:.0f} s, PostgreSQL and the rest {busy - workers:.0f} s"
        )
        figures[f"full_pass_{count}_process_s"] = round(took, 1)
        figures[f"cpu_busy_{count}_process_s"] = round(busy)
        figures[f"cpu_workers_{count}_process_s"] = round(workers)
    if "full_pass_1_process_s" in figures and "full_pass_2_process_s" in figures:
        ratio = float(figures["full_pass_1_process_s"]) / float(figures["full_pass_2_process_s"])  # type: ignore[arg-type]
        print(f"two processes against one: {ratio:.2f}x faster")
        figures["speedup_2_processes"] = round(ratio, 2)
        # The most two cores could give: the one-process pass's CPU work spread over both cores.
        cores = os.cpu_count() or 1
        bound = float(figures["full_pass_1_process_s"]) / (float(figures["cpu_busy_1_process_s"]) / cores)  # type: ignore[arg-type]
        print(f"the most {cores} cores could give for that work (CPU-bound): {bound:.2f}x")
        figures["speedup_bound_this_machine"] = round(bound, 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
