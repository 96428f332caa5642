"""A candidate's data export as JSON and as CSV (a zip of one CSV file per section). No Django models here:
the selector builds the data (``privacy.selectors.candidate_data_export``), this turns it into files.

CSV cells are neutralised against formula injection: a spreadsheet runs a cell starting with ``=``,
``+``, ``-`` or ``@`` (and, in some, a tab or carriage return) as a formula, and the data holds free text
written by others (notes, comments, answers). Such a cell is written with a leading apostrophe, which
spreadsheets show as text and never evaluate (OWASP, "CSV injection").
"""

import csv
import io
import json
import zipfile
from typing import Any

from core.spreadsheets import neutralise_cell as neutralise  # the one neutraliser of every export

__all__ = ["as_csv_zip", "as_json", "neutralise"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return neutralise(str(value))


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _tables(name: str, value: Any, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Flatten one section into tables: a dict is one table of field/value pairs, a list of rows a
    table of its own, and a list of rows inside a row (a case's moves) a child table whose rows name
    their parent's row number."""
    if isinstance(value, dict) and not any(_is_rows(item) and item for item in value.values()):
        tables[name] = [{"field": key, "value": item} for key, item in value.items()]
        return
    if isinstance(value, dict):  # a dict holding tables (the "other records" section)
        for key, item in value.items():
            _tables(f"{name}__{key}", item, tables)
        return
    if not _is_rows(value):
        tables[name] = [{"value": value}]
        return
    rows: list[dict[str, Any]] = []
    for number, row in enumerate(value, start=1):
        flat: dict[str, Any] = {}
        for key, item in row.items():
            if _is_rows(item):
                for child in item:
                    tables.setdefault(f"{name}__{key}", []).append({f"{name}_row": number, **child})
            else:
                flat[key] = item
        rows.append(flat)
    tables[name] = rows


def as_csv_zip(data: dict[str, Any]) -> bytes:
    """One CSV per section (UTF-8 with a byte order mark, which spreadsheets need to read accents)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, value in data.items():
        _tables(name, value, tables)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            columns: list[str] = []
            for row in rows:
                columns += [key for key in row if key not in columns]
            text = io.StringIO()
            # Every cell quoted: a ";" in an unquoted cell starts a new one in a Belgian Excel.
            writer = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
            writer.writerow([neutralise(column) for column in columns])
            for row in rows:
                writer.writerow([_cell(row.get(column)) for column in columns])
            archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()
