"""Export the log of who looked at candidates' profiles as CSV (for the data protection officer).

    manage.py export_access_log [--candidate <public id>] [--since 2026-11-01] [--output log.csv]

Read-only. Writes to standard output unless ``--output`` names a file; streams the rows, so a large log
needs no more memory than a small one.
"""

import datetime
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from candidates.access_log_export import access_log_csv_lines
from candidates.selectors import profile_accesses_for_export

CHUNK_ROWS = 2000


def _since(value: str) -> datetime.datetime:
    """A date (from its midnight, in the site's time zone) or a moment (without a zone: the site's)."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--since: not a date or a moment: {value!r}")
        moment = datetime.datetime.combine(day, datetime.time())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Export the log of who looked at candidates' profiles as CSV (read-only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--candidate", help="Only this candidate (their public id).")
        parser.add_argument("--since", help="Only views at or after this date or moment (ISO 8601).")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        candidate = None
        if options["candidate"]:
            try:
                candidate = uuid.UUID(options["candidate"])
            except ValueError:
                raise CommandError(f"--candidate: not a public id: {options['candidate']!r}") from None
        since = _since(options["since"]) if options["since"] else None
        rows = profile_accesses_for_export(candidate_public_id=candidate, since=since)
        lines = access_log_csv_lines(rows.iterator(chunk_size=CHUNK_ROWS))
        if options["output"]:
            count = -1  # the header is not a view
            with open(options["output"], "w", encoding="utf-8", newline="") as output:
                for line in lines:
                    output.write(line)
                    count += 1
            self.stderr.write(f"{count} views written to {options['output']}")
        else:
            for line in lines:
                self.stdout.write(line, ending="")
