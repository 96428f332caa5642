"""Reading a download back: its rows as lists of strings (CSV) or of cell values (XLSX)."""

import csv
import io
from typing import Any

from django.http import HttpResponseBase
from openpyxl import load_workbook


def body(response: HttpResponseBase) -> bytes:
    """The whole body, streamed or not (reading it runs the streamed rows' queries)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return bytes(response.content)  # type: ignore[attr-defined]


def csv_rows(response: HttpResponseBase) -> list[list[str]]:
    data = body(response)
    assert data.startswith("\ufeff".encode()), "the CSV starts with a byte order mark"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(response: HttpResponseBase) -> list[list[Any]]:
    """The first sheet's rows: openpyxl must open the file (a valid workbook) in read-only mode."""
    workbook = load_workbook(io.BytesIO(body(response)), read_only=True)
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def xlsx_cells(response: HttpResponseBase) -> list[list[Any]]:
    """The first sheet's cells (for their types)."""
    workbook = load_workbook(io.BytesIO(body(response)), read_only=True)
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows()]
    finally:
        workbook.close()
