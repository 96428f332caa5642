"""``manage.py seed_demo [--candidates N] [--vacancies N] [--employers N] [--seed N] [--reset]``.

Fills a development or demo database with synthetic, deterministic data: the same seed and scale give
the same candidates, vacancies and employers on every machine. Thin on purpose: the generator lives
in ``demo``.
"""

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.context import DemoSetupError
from demo.employers import DEMO_PASSWORD
from demo.generator import DemoScale, seed_demo


class Command(BaseCommand):
    help = (
        "Generate synthetic demo data (employers, vacancies, candidates, demo logins) on top of the "
        "reference data. Deterministic per seed and scale; does nothing if demo data exists, unless --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--candidates", type=int, default=300, help="Number of candidates (default 300).")
        parser.add_argument("--vacancies", type=int, default=80, help="Number of vacancies (default 80).")
        parser.add_argument("--employers", type=int, default=25, help="Number of employers (default 25).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo data of earlier runs first (never reference data).",
        )
        parser.add_argument(
            "--no-recompute",
            action="store_true",
            help="Leave the matches stale (the bulk load only; `recompute_matches --stale` computes them).",
        )
        parser.add_argument(
            "--skip-reference-data",
            action="store_true",
            help="Do not run load_reference_data first (it is idempotent, but takes a moment).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            scale = DemoScale(
                candidates=options["candidates"],
                vacancies=options["vacancies"],
                employers=options["employers"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        verbosity = options["verbosity"]

        def say(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(message)

        if not options["skip_reference_data"]:
            say("Loading reference data…")
            call_command(
                "load_reference_data", verbosity=max(0, verbosity - 1), stdout=self.stdout, stderr=self.stderr
            )
        say(
            f"Seeding demo data: {scale.candidates} candidates, {scale.vacancies} vacancies, "
            f"{scale.employers} employers, seed {options['seed']}"
            + (" (reset first)" if options["reset"] else "")
        )
        try:
            report = seed_demo(
                scale=scale,
                seed=options["seed"],
                reset=options["reset"],
                recompute=not options["no_recompute"],
                progress=say if verbosity >= 1 else None,
            )
        except DemoSetupError as exc:
            raise CommandError(str(exc)) from exc
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if report.deleted:
            say("Deleted:")
            for label, count in sorted(report.deleted.items()):
                say(f"  {label:<40} {count:>10,}")
        if report.counts:
            say("Rows written:")
            for label, count in report.counts.items():
                say(f"  {label:<40} {count:>10,}")
            say(f"  {'total':<40} {sum(report.counts.values()):>10,}")
        say((self.style.SUCCESS if report.generated else self.style.WARNING)(report.message))
        if report.matching:
            say(report.matching)
        if report.cases:
            say(f"Demo cases ({len(report.cases)}):")
            for line in report.cases:
                say(f"  {line}")
        if report.logins:
            say(f"Demo logins, all with the password {DEMO_PASSWORD!r}:")
            for login in report.logins:
                say(f"  {login}")
        if report.skipped_logins:
            self.stderr.write(
                self.style.WARNING(
                    "Not written (username taken by a non-demo user, or no suitable organisation): "
                    + ", ".join(report.skipped_logins)
                )
            )
        say(f"Done in {time.perf_counter() - started:.1f} s.")
