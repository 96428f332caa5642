"""``manage.py detect_duplicates``: bring the review queue of probable duplicates up to date, by hand.

It only fills a queue that people review (nothing is merged without a person's decision), so it writes
without a ``--wet-run``; it prints counts, never names.
"""

from typing import Any

from django.core.management.base import BaseCommand

from duplicates.services import duplicates_detect


class Command(BaseCommand):
    help = "Find candidates that are probably the same person and queue them for review."

    def handle(self, *args: Any, **options: Any) -> None:
        report = duplicates_detect()
        self.stdout.write(
            f"{report.candidates} candidate(s), {report.compared} pair(s) compared, "
            f"{report.skipped_blocks} oversized block(s) skipped; pairs added {report.added}, "
            f"updated {report.updated}, withdrawn {report.withdrawn}; open now {report.open}."
        )
