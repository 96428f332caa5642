"""``manage.py apply_retention [--wet-run] [--now ISO-MOMENT]``: the retention job, by hand.

Dry by default: it prints what it would do (candidate and case ids, never names) and writes nothing.
Only ``--wet-run`` reminds, anonymises and prunes. ``--now`` runs it as of another moment (a rehearsal
of what next year's runs will do), dry or wet.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from privacy.services import retention_apply


class Command(BaseCommand):
    help = "Remind inactive candidates, anonymise those still inactive, prune ended unsuccessful cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--wet-run", action="store_true", help="Write: without it, only say what would be done."
        )
        parser.add_argument(
            "--now", help="Run as of this moment (ISO 8601 with a time zone), e.g. to rehearse."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            parsed = parse_datetime(options["now"])
            if parsed is None or timezone.is_naive(parsed):
                raise CommandError(
                    "--now takes an ISO 8601 moment with a time zone, e.g. 2027-01-31T03:00+01:00"
                )
            now = parsed
        wet = options["wet_run"]
        report = retention_apply(now=now, dry_run=not wet)
        verb = {
            True: ("Reminded", "Anonymised", "Pruned"),
            False: ("Would remind", "Would anonymise", "Would prune"),
        }[wet]
        mode = "wet run" if wet else "dry run: nothing written"
        self.stdout.write(f"Retention as of {now.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC ({mode})")
        self.stdout.write(f"{verb[0]} {len(report.reminded)} candidate(s): {_ids(report.reminded)}")
        self.stdout.write(f"{verb[1]} {len(report.anonymised)} candidate(s): {_ids(report.anonymised)}")
        self.stdout.write(f"{verb[2]} {len(report.pruned)} case(s): {_ids(report.pruned)}")
        if report.failed:
            self.stderr.write(f"Failed: {_ids(report.failed)} (see the log)")
        if not wet:
            self.stdout.write(self.style.WARNING("Dry run: run again with --wet-run to do it."))


def _ids(ids: list[int]) -> str:
    return ", ".join(str(pk) for pk in ids) or "none"
