"""``manage.py import_esco DIR --version v1.2.0 [--languages en,nl,fr]``: load an official ESCO download.

Thin on purpose: parsing, checks and writes live in ``reference.importers.esco``.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reference.importers.esco import EscoImportError, esco_import

MAX_ERRORS_SHOWN = 20


class Command(BaseCommand):
    help = (
        "Import the ESCO CSV files (ISCOGroups_xx, occupations_xx, skills_xx, occupationSkillRelations_xx) "
        "from DIR. All or nothing; re-importing the same files changes nothing."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Django's own --version (print the Django version) would clash with the ESCO release, which
        # this command takes as --version; "resolve" lets the option added below replace Django's.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Directory with the unzipped ESCO CSV download.")
        parser.add_argument(
            "--version",
            required=True,
            help="ESCO release of the files, such as v1.2.0; stored on every concept.",
        )
        parser.add_argument(
            "--languages",
            default="en,nl,fr",
            help="Comma-separated label languages (en required; nl and fr optional). Default: en,nl,fr.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        languages = [
            language.strip().lower() for language in options["languages"].split(",") if language.strip()
        ]
        try:
            result = esco_import(
                directory=options["directory"], version=options["version"], languages=languages
            )
        except EscoImportError as exc:
            raise CommandError(format_errors(exc.errors)) from exc
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            self.style.SUCCESS(
                f"ESCO {result.record.esco_version} imported ({', '.join(result.record.languages)}):"
            )
        )
        for label, count in (
            ("ISCO groups", result.isco_groups),
            ("occupations", result.occupations),
            ("skills", result.skills),
            ("relations", result.relations),
        ):
            self.stdout.write(f"  {label}: {count}")


def format_errors(errors: list[str]) -> str:
    """The first errors in full and a count of the rest: a broken file can yield one error per row."""
    lines = [f"ESCO import failed, nothing was written ({len(errors)} error(s)):"]
    lines += [f"  {error}" for error in errors[:MAX_ERRORS_SHOWN]]
    if len(errors) > MAX_ERRORS_SHOWN:
        lines.append(f"  ... and {len(errors) - MAX_ERRORS_SHOWN} more")
    return "\n".join(lines)
