"""Spreadsheet downloads (CSV and XLSX) shared by every export: the one formula neutraliser, and the
responses that write rows as they come, so a list of twenty thousand rows is never held in memory.

Formula injection (OWASP "CSV injection"): a spreadsheet runs a cell starting with ``=``, ``+``, ``-`` or
``@`` (and, in some, a tab or a carriage return) as a formula, and exports hold text written by others
(names, notes, a vacancy's title). Such a text gets a leading apostrophe, shown as text and never run.
XLSX needs it as much as CSV: openpyxl itself stores a string starting with ``=`` as a formula.
Numbers, dates and booleans are written as such: they are ours, never someone's text.

CSV: comma-separated (RFC 4180, like the other CSV files of the application), UTF-8 with a byte order
mark, without which Excel reads accents wrongly. A Belgian Excel expects ``;`` when it opens a CSV by
double click: that is what the XLSX download is for, which every spreadsheet opens as it is.
XLSX: openpyxl's write-only workbook (rows go to a temporary file as they are appended), saved to a
temporary file that the response streams.
"""

import contextlib
import csv
import datetime
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_LENGTH = 31  # Excel's limit for a sheet's name

Row = Sequence[Any]


def neutralise_cell(value: str) -> str:
    """The text as a spreadsheet will show it, never run it. Leading spaces do not hide a formula: some
    spreadsheets trim them on import and then run what follows."""
    if value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def csv_cell(value: Any) -> str:
    """One value as a CSV cell: moments in the current time zone (ISO 8601), text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if _is_number(value):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise_cell(str(value))


def xlsx_cell(value: Any) -> Any:
    """One value as an XLSX cell: numbers and dates typed (a naive local moment: XLSX has no time
    zones), text neutralised and without the control characters XML cannot hold."""
    if value is None or _is_number(value):
        return value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(microsecond=0, tzinfo=None)
    if isinstance(value, datetime.date):
        return value
    return neutralise_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


class _Line:
    """A file-like object that hands back what ``csv.writer`` writes instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: Row, rows: Iterable[Row]) -> Iterator[str]:
    """The byte order mark and the header line, then one line per row, produced as they are read."""
    # Every cell quoted: a Belgian Excel splits an unquoted "Smith;=cmd|..." at the ``;`` into a second
    # cell that starts with ``=`` and runs, behind the neutraliser's back.
    writer = csv.writer(_Line(), quoting=csv.QUOTE_ALL)
    yield BOM + writer.writerow([neutralise_cell(str(header)) for header in headers])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def export_filename(*parts: str, extension: str) -> str:
    """``matches-welder-antwerp-2026-12-06.csv``: what the file holds and the day it was made."""
    words = "-".join(slug for slug in (slugify(part) for part in parts) if slug)[:80]
    return f"{words}-{timezone.localdate().isoformat()}.{extension}"


def csv_response(*, headers: Row, rows: Iterable[Row], filename: str) -> StreamingHttpResponse:
    """A CSV download streamed line by line (the rows are read while the response is sent)."""
    response = StreamingHttpResponse(csv_lines(headers, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def xlsx_response(*, headers: Row, rows: Iterable[Row], filename: str, title: str) -> FileResponse:
    """An XLSX download: a write-only workbook of one sheet, built in a temporary file and streamed."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", _sheet_title(title)))
    file = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it once sent
    try:
        sheet.append([xlsx_cell(str(header)) for header in headers])
        for row in rows:
            sheet.append([xlsx_cell(value) for value in row])
        workbook.save(file)
    except BaseException:
        # openpyxl keeps the sheet's rows in a named temporary file that only a save removes (or the
        # process's exit): a failed export must not leave personal data behind in the temporary folder.
        file.close()
        _discard_sheet_file(sheet)
        raise
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _discard_sheet_file(sheet: Any) -> None:
    writer = getattr(sheet, "_writer", None)  # openpyxl's WorksheetWriter, made at the first append
    if writer is None:
        return
    with contextlib.suppress(Exception):  # the failure may have come from the writing itself
        sheet.close()  # ends the writing first: its file is then closed, never written after removal
    if os.path.exists(writer.out):
        writer.cleanup()


def _sheet_title(title: str) -> str:
    # A sheet's name may not hold any of []:*?/\ and has at most 31 characters.
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return cleaned[:SHEET_TITLE_LENGTH] or "Export"


def requested_format(request: HttpRequest) -> str | None:
    """The format asked for with ``?format=`` (CSV when absent); None for any other value."""
    wanted = request.GET.get("format", CSV).strip().lower()
    return wanted if wanted in FORMATS else None


def unknown_format_response() -> HttpResponse:
    """The 400 for a format that is neither CSV nor XLSX, in the user's language."""
    return HttpResponseBadRequest(
        _("This export exists as CSV or XLSX only: add ?format=csv or ?format=xlsx to the address."),
        content_type="text/plain; charset=utf-8",
    )


def spreadsheet_response(
    *, fmt: str, headers: Row, rows: Iterable[Row], name: Sequence[str], title: str
) -> HttpResponseBase:
    """The download in ``fmt`` (one of ``FORMATS``), named after ``name`` and today's date."""
    if fmt == XLSX:
        filename = export_filename(*name, extension=XLSX)
        return xlsx_response(headers=headers, rows=rows, filename=filename, title=title)
    return csv_response(headers=headers, rows=rows, filename=export_filename(*name, extension=CSV))
