"""Read an uploaded spreadsheet (CSV or XLSX) into a header row and data rows, refusing broken files.

What a file is comes from its bytes, never from its name: a zip archive is read as XLSX, anything else
as CSV text. Every refusal is a ``FileRefused`` whose message is in the user's language and quotes no
cell (a cell may hold personal data). The checks, and why:

- size (``MAX_UPLOAD_BYTES``) and rows (``MAX_ROWS``): an import runs as one transaction, which must
  stay short enough not to hold locks for minutes;
- XLSX zip bombs: the declared uncompressed size and ratio of every member are checked before openpyxl
  opens anything; openpyxl parses the XML through defusedxml (a dependency), so a document type
  declaration with entities is refused rather than expanded (external entities, billion laughs);
- CSV text: UTF-16 (by its byte order mark), UTF-8 with or without BOM, else Windows-1252 (what a
  Belgian Excel writes); control characters left after decoding mean binary junk, not text;
- separator: ``;`` (Belgian Excel), ``,`` or tab, whichever the header line holds most of; quoted
  cells may hold separators and newlines (the csv module handles both);
- very long cells: over ``MAX_CELL_CHARS`` is a row error later; over the csv module's limit the file
  is refused here.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000  # data rows per file; more is split into several files
MAX_CELL_CHARS = 2_000  # longer is a row error (no field of a candidate or a vacancy holds more)
CSV_FIELD_LIMIT = 100_000  # a longer cell means a broken quote or junk: the whole file is refused
MAX_COLUMNS = 100
# XLSX: a real sheet of MAX_ROWS rows unpacks to a few tens of megabytes at most, and XML compresses
# well, but not a thousandfold: more is a zip bomb.
MAX_XLSX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_XLSX_MEMBERS = 500

Cell = str | int | float | datetime.date | datetime.datetime | None


class FileRefused(ValueError):
    """The file as a whole cannot be read; ``message`` is in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """A file as read: its header cells and its data rows, each with its row number in the file (the
    header is row 1, as a spreadsheet numbers it)."""

    file_format: str  # "csv" or "xlsx"
    headers: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)


def read_table(content: bytes) -> Table:
    """The table in ``content``, or ``FileRefused``."""
    if not content.strip():
        raise FileRefused(_("The file is empty."))
    if len(content) > MAX_UPLOAD_BYTES:
        raise FileRefused(
            _("The file is larger than %(size)d MB: split it into smaller files.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    return _read_csv(content)


def _finish(file_format: str, raw_rows: Iterator[list[Cell]]) -> Table:
    """Header and data rows from raw rows: blank rows skipped, the row cap enforced while reading (a
    huge file is refused without being read whole)."""
    table: Table | None = None
    for number, cells in enumerate(raw_rows, start=1):
        if len(cells) > MAX_COLUMNS:
            raise FileRefused(_("Row %(row)d has too many columns.") % {"row": number})
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        if table is None:
            headers = ["" if cell is None else str(cell).strip() for cell in cells]
            table = Table(file_format=file_format, headers=headers)
            continue
        if len(table.rows) >= MAX_ROWS:
            raise FileRefused(
                _("The file has more than %(max)d rows: split it into smaller files.") % {"max": MAX_ROWS}
            )
        table.rows.append((number, cells))
    if table is None:
        raise FileRefused(_("The file is empty."))
    if not table.rows:
        raise FileRefused(_("The file has a header row but no data rows."))
    return table


# --- CSV -------------------------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRefused(_("The file cannot be read as text.")) from None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        # Bytes Windows-1252 leaves undefined: not a spreadsheet saved by Excel.
        raise FileRefused(_("The file is not a CSV or XLSX file.")) from None


def _is_binary(text: str) -> bool:
    return any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text)


def _separator(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[list[Cell]]:
    for row in reader:
        yield list[Cell](row)


def _read_csv(content: bytes) -> Table:
    text = _decode(content)
    if _is_binary(text):
        raise FileRefused(_("The file is not a CSV or XLSX file."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text), strict=True)
    previous = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        return _finish("csv", _csv_rows(reader))
    except csv.Error:
        raise FileRefused(
            _("The file is not a valid CSV file (a quote left open, or a cell far too long).")
        ) from None
    finally:
        csv.field_size_limit(previous)


# --- XLSX ------------------------------------------------------------------------------------------


def _check_zip(content: bytes) -> None:
    """Refuse a zip bomb from the archive's directory, before anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise FileRefused(_("The file is not a valid XLSX file.")) from None
    too_big = _("The XLSX file unpacks to far more data than a spreadsheet holds: it is refused.")
    if len(members) > MAX_XLSX_MEMBERS:
        raise FileRefused(too_big)
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1024):
            raise FileRefused(too_big)
    if total > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise FileRefused(too_big)


def _xlsx_rows(sheet: Any) -> Iterator[list[Cell]]:
    for row in sheet.iter_rows(values_only=True):
        yield [cell if isinstance(cell, str | int | float | datetime.date) else _other(cell) for cell in row]


def _other(cell: Any) -> Cell:
    if cell is None:
        return None
    if isinstance(cell, bool):
        return "1" if cell else "0"
    return str(cell)


def _read_xlsx(content: bytes) -> Table:
    import openpyxl  # only when an XLSX is uploaded

    _check_zip(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, defusedxml's, zip errors): all mean "broken"
        raise FileRefused(_("The file is not a valid XLSX file.")) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileRefused(_("The file is empty."))
        try:
            return _finish("xlsx", _xlsx_rows(sheet))
        except FileRefused:
            raise
        except Exception:  # a sheet whose XML is refused (entities) or broken, read lazily
            raise FileRefused(_("The file is not a valid XLSX file.")) from None
    finally:
        workbook.close()
