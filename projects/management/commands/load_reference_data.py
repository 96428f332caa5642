"""``manage.py load_reference_data``: the shipped reference data and the reference projects, idempotently.

It lives in the projects app, not in reference, because it loads both and the layering contract lets
projects depend on reference but not the reverse.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from projects.reference_data import PROJECTS_FILE, reference_projects_load
from reference.fixtures_loader import DATA_DIR, ReferenceDataError, reference_data_load
from reference.services import reference_data_changed


class Command(BaseCommand):
    help = (
        "Load the reference data shipped in reference/data/ (ISCO groups, seed ESCO occupations, curated "
        "skills, shortage lists, salary thresholds, qualification levels) and the reference projects. "
        "Safe to run again: it writes only what changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir", type=Path, default=DATA_DIR, help="Directory of the reference files."
        )
        parser.add_argument(
            "--projects-file", type=Path, default=PROJECTS_FILE, help="Reference projects JSON."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # One transaction for both: never projects without their occupations, or the reverse.
            with transaction.atomic():
                summary = reference_data_load(data_dir=options["data_dir"])
                summary.merge(reference_projects_load(path=options["projects_file"]))
                if summary.writes:
                    reference_data_changed()  # matches computed on other lists or thresholds are stale
        except ReferenceDataError as exc:
            raise CommandError(
                "Reference data not loaded; nothing was written:\n" + "\n".join(exc.problems)
            ) from exc
        if options["verbosity"] >= 1:
            for line in summary.lines():
                self.stdout.write(line)
            self.stdout.write(self.style.SUCCESS(f"Reference data loaded ({summary.writes} rows written)."))
