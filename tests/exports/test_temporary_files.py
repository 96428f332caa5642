"""An XLSX export leaves nothing in the temporary folder, even when it fails half-way (openpyxl keeps a
write-only sheet's rows in a named temporary file until the workbook is saved)."""

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.spreadsheets import Row, xlsx_response
from tests.exports.files import body


def _rows_then_failure() -> Iterator[Row]:
    yield ("Jane Doe", 1)
    raise RuntimeError("the database went away")


@pytest.fixture
def temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Only the folder changes (openpyxl's temporary files go where ``tempfile`` says): no other process's
    # files are counted.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_a_failed_xlsx_export_leaves_no_file_behind(temporary_folder: Path) -> None:
    with pytest.raises(RuntimeError):
        xlsx_response(headers=("Name", "Score"), rows=_rows_then_failure(), filename="x.xlsx", title="X")
    assert list(temporary_folder.iterdir()) == []


@pytest.mark.django_db  # closing the response ends the request, which tidies the database connections
def test_a_sent_xlsx_export_leaves_no_file_behind(temporary_folder: Path) -> None:
    response = xlsx_response(headers=("Name",), rows=[("Jane Doe",)], filename="x.xlsx", title="X")
    assert body(response).startswith(b"PK")
    response.close()
    assert list(temporary_folder.iterdir()) == []
