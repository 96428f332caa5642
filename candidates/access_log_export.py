"""The access log as CSV, for the data protection officer: written a line at a time, so an export of
millions of rows streams (a staff download, or the ``export_access_log`` command) without being held in
memory.

A cell that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return at its start) gets a
leading apostrophe: an organisation named "=HYPERLINK(...)" is shown, never run (OWASP CSV injection).
Moments are written in UTC, ISO 8601.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from candidates.selectors import ACCESS_EXPORT_COLUMNS
from core.spreadsheets import neutralise_cell


class _Line:
    """A file-like object that hands back what ``csv.writer`` writes instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return neutralise_cell(str(value))


def access_log_csv_lines(rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    """The header, then one CSV line per row (tuples in the order of ``ACCESS_EXPORT_COLUMNS``)."""
    # Every cell quoted: a ";" in an unquoted cell starts a new one in a Belgian Excel, which would run it.
    writer = csv.writer(_Line(), quoting=csv.QUOTE_ALL)
    yield writer.writerow(ACCESS_EXPORT_COLUMNS)
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])
