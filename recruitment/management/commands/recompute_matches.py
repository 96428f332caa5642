"""``manage.py recompute_matches (--all | --stale | --vacancy ID | --candidate ID | --sweep) [--sync]``.

For operators: queue (or, with ``--sync``, run here and now) match recomputes. Each one is a job row
like any other (claimed, counted, auditable); a subject with an open job is joined, not duplicated.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recruitment import services
from recruitment.models import MatchJob


class Command(BaseCommand):
    help = "Queue or run match recomputes: every vacancy, the stale ones, one vacancy, one candidate."

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--all", action="store_true", help="Every vacancy (a full recompute).")
        target.add_argument("--stale", action="store_true", help="Every stale vacancy without a job.")
        target.add_argument("--vacancy", type=int, help="One vacancy, by id.")
        target.add_argument("--candidate", type=int, help="One candidate, by id.")
        target.add_argument("--sweep", action="store_true", help="Run the sweeper once.")
        parser.add_argument(
            "--sync", action="store_true", help="Run the recomputes in this process instead of queueing them."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sync = options["sync"]
        started = time.perf_counter()
        if options["sweep"]:
            self.stdout.write(f"Sweep: {services.matches_sweep()}")
            return
        if options["all"]:
            full, jobs = services.matches_recompute_all(queue=not sync)
            self.stdout.write(f"Full recompute (job {full.pk}): {len(jobs)} vacancy job(s).")
        elif options["stale"]:
            jobs = services.matches_queue_stale(queue=not sync)
        elif options["vacancy"] is not None:
            jobs = [services.job_create(MatchJob.Kind.VACANCY, options["vacancy"], queue=not sync)]
        else:
            jobs = [services.job_create(MatchJob.Kind.CANDIDATE, options["candidate"], queue=not sync)]
        if not sync:
            self.stdout.write(self.style.SUCCESS(f"{len(jobs)} job(s) queued or already open."))
            return
        failed = 0
        for job in jobs:
            try:
                if job.kind == MatchJob.Kind.VACANCY:
                    assert job.vacancy_id is not None
                    services.vacancy_matches_recompute(vacancy_id=job.vacancy_id, job_id=job.pk)
                else:
                    assert job.candidate_id is not None
                    services.candidate_matches_recompute(candidate_id=job.candidate_id, job_id=job.pk)
            except Exception as exc:  # the job row records it; go on with the others
                failed += 1
                self.stderr.write(f"job {job.pk}: {type(exc).__name__}")
        done = MatchJob.objects.filter(pk__in=[job.pk for job in jobs], status=MatchJob.Status.DONE).count()
        self.stdout.write(
            f"{done} of {len(jobs)} job(s) done in {time.perf_counter() - started:.1f} s"
            + (f", {failed} failed" if failed else "")
            + "."
        )
        if failed:
            raise CommandError(f"{failed} recompute(s) failed; see the match jobs in the admin.")
