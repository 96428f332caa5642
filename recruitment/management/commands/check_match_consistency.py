"""``manage.py check_match_consistency [--vacancy ID]``: the recompute invariants (quality.md section 1).

Compares the stored matches with a fresh synchronous recompute, and checks versions, duplicates and
jobs. Prints each violation (ids and codes only) and exits non-zero when there is any.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recruitment.services import match_consistency_violations


class Command(BaseCommand):
    help = (
        "Check the stored matches against a fresh synchronous recompute and the recompute invariants; "
        "exit non-zero on any violation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--vacancy", type=int, help="Check only this vacancy (by id).")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = match_consistency_violations(vacancy_id=options["vacancy"])
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} violation(s) of the match recompute invariants.")
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS("Matches consistent: no violation."))
