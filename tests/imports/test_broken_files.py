"""The broken-file corpus of quality.md section 3, built here: each file gives either a clean import
or a report of its problems with nothing written."""

import io
import zipfile
from collections.abc import Callable

import openpyxl.xml
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from candidates.models import Candidate
from imports.models import ImportJob
from imports.readers import MAX_ROWS
from tests.imports.world import CANDIDATE_HEADERS_EN, candidate_row, csv_bytes, upload, xlsx_bytes

H = CANDIDATE_HEADERS_EN
ONE = [candidate_row("A-1", given_name="Hélène")]


def _xlsx_with_sheet_xml(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced by ``sheet_xml``."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(H, ONE)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item.filename, data)
    return out.getvalue()


XXE_SHEET = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>Reference</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row>
</sheetData></worksheet>"""

LAUGHS_SHEET = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"""


def _zip_bomb() -> bytes:
    """A workbook with one more member that unpacks a thousandfold (a real bomb nests this)."""
    out = io.BytesIO(xlsx_bytes(H, ONE))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.xml", b" " * (20 * 1024 * 1024))
    return out.getvalue()


CLEAN: dict[str, Callable[[], bytes]] = {
    "utf-8 without BOM": lambda: csv_bytes(H, ONE),
    "utf-8 with BOM": lambda: csv_bytes(H, ONE, encoding="utf-8-sig"),
    "cp1252 (Windows Excel)": lambda: csv_bytes(H, ONE, encoding="cp1252"),
    "latin-1": lambda: csv_bytes(H, ONE, encoding="latin-1"),
    "utf-16 with BOM": lambda: csv_bytes(H, ONE, encoding="utf-16"),
    "semicolons (Belgian Excel)": lambda: csv_bytes(H, ONE, delimiter=";", encoding="cp1252"),
    "tabs": lambda: csv_bytes(H, ONE, delimiter="\t"),
    "headers in another case with the required star": lambda: csv_bytes([f" {h.upper()} *" for h in H], ONE),
    "blank lines between rows": lambda: csv_bytes(H, ONE).replace(b"\r\n", b"\r\n\r\n", 1),
    "xlsx": lambda: xlsx_bytes(H, ONE),
    "dates as 17-05-1996 and 1996-05-17": lambda: csv_bytes(
        H, [candidate_row("A-1", given_name="Hélène", date_of_birth="17-05-1996")]
    ),
}


@pytest.mark.parametrize("build", CLEAN.values(), ids=CLEAN.keys())
def test_a_readable_file_imports_cleanly(iworld, django_capture_on_commit_callbacks, build):
    client = iworld.client_for(iworld.partner_user)
    job = upload(client, "partner", "candidates", build(), django_capture_on_commit_callbacks)
    assert job.problems == [] and job.created == 1
    assert Candidate.objects.get(registered_by=iworld.partner, external_id="A-1").given_name == "Hélène"


def test_a_quoted_newline_stays_in_its_cell(iworld, django_capture_on_commit_callbacks):
    client = iworld.client_for(iworld.partner_user)
    rows = [candidate_row("A-1", family_name="El Amrani\nBennani"), candidate_row("A-2")]
    job = upload(
        client, "partner", "candidates", csv_bytes(H, rows, delimiter=";"), django_capture_on_commit_callbacks
    )
    assert job.problems == [] and job.created == 2
    assert Candidate.objects.get(external_id="A-1").family_name == "El Amrani\nBennani"


FILE_PROBLEMS: dict[str, tuple[Callable[[], bytes], str]] = {
    "blank lines only": (lambda: b"\r\n \r\n", "The file is empty."),
    "header without rows": (lambda: csv_bytes(H, []), "The file has a header row but no data rows."),
    "binary junk named .csv": (lambda: bytes(range(256)) * 40, "The file is not a CSV or XLSX file."),
    "a cell beyond the csv limit": (
        lambda: csv_bytes(H, [candidate_row("A-1", family_name="x" * 200_000)]),
        "The file is not a valid CSV file (a quote left open, or a cell far too long).",
    ),
    "a quote left open": (
        lambda: csv_bytes(H, ONE) + b'"A-2,"Open' + b"x" * 150_000,
        "The file is not a valid CSV file (a quote left open, or a cell far too long).",
    ),
    "more rows than the cap": (
        lambda: csv_bytes(H, [candidate_row(f"A-{n}") for n in range(MAX_ROWS + 1)]),
        f"The file has more than {MAX_ROWS} rows: split it into smaller files.",
    ),
    "xlsx zip bomb": (
        _zip_bomb,
        "The XLSX file unpacks to far more data than a spreadsheet holds: it is refused.",
    ),
    "xlsx external entity": (lambda: _xlsx_with_sheet_xml(XXE_SHEET), "The file is not a valid XLSX file."),
    "xlsx billion laughs": (lambda: _xlsx_with_sheet_xml(LAUGHS_SHEET), "The file is not a valid XLSX file."),
    "a zip that is no workbook": (
        lambda: b"PK\x03\x04" + b"\x00" * 200,
        "The file is not a valid XLSX file.",
    ),
}


@pytest.mark.parametrize(("build", "message"), FILE_PROBLEMS.values(), ids=FILE_PROBLEMS.keys())
def test_an_unreadable_file_is_refused_whole(iworld, django_capture_on_commit_callbacks, build, message):
    client = iworld.client_for(iworld.partner_user)
    job = upload(client, "partner", "candidates", build(), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    assert job.problems == [{"row": 0, "column": "", "message": message}]
    assert job.content is None
    assert not Candidate.objects.exists()


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


ROW_PROBLEMS: dict[str, tuple[list[str], list[list[str]], list[tuple[int, str, str]]]] = {
    "a required column missing": (
        H[:3] + H[4:],
        [candidate_row("A-1")[:3] + candidate_row("A-1")[4:]],
        [(1, "Date of birth *", "This required column is missing.")],
    ),
    "an unknown column": (
        [*H, "Shoe size"],
        [[*candidate_row("A-1"), "42"]],
        [(1, "H", "Unknown column: see the template for the columns.")],
    ),
    "a column twice": (
        [*H, "Voornaam"],
        [[*candidate_row("A-1"), "Amina"]],
        [(1, "Voornaam", "This column appears twice.")],
    ),
    "a cell outside the header": (
        H,
        [[*candidate_row("A-1"), "stray"], candidate_row("A-2")],
        [(2, "", "A cell outside the columns of the header.")],
    ),
    "the same reference twice": (
        H,
        [candidate_row("A-1"), candidate_row("A-2"), candidate_row("A-1")],
        [(4, "Reference", "The same reference as row 2: each row must have its own.")],
    ),
    "a very long cell": (
        H,
        [candidate_row("A-1", family_name="x" * 5000), candidate_row("A-2")],
        [(2, "Family name", "Too long: at most 2000 characters.")],
    ),
    "a value too long for its field": (
        H,
        [candidate_row("A-1", family_name="x" * 150)],
        [(2, "Family name", "Ensure this value has at most 100 characters (it has 150).")],
    ),
    "a month first date": (
        H,
        [candidate_row("A-1", date_of_birth="05/17/1996")],
        [(2, "Date of birth", "Not a date: write it as day/month/year, e.g. 31/12/2026.")],
    ),
    "a required cell empty": (
        H,
        [candidate_row("A-1", given_name=" ")],
        [(2, "Given name", "This field is required.")],
    ),
    "a cohort without the project column": (
        [*H[:-1], "Cohort"],
        [[*candidate_row("A-1")[:-1], "2026-A"], [*candidate_row("A-2")[:-1], ""]],
        [(2, "Cohort", "A cohort needs the Project column.")],
    ),
    "a country that is no code": (
        H,
        [candidate_row("A-1", country_of_residence="Morocco")],
        [
            (2, "Country of residence", "Enter a two-letter country code such as MA or TN."),
            (2, "Country of residence", "Ensure this value has at most 2 characters (it has 7)."),
        ],
    ),
}


@pytest.mark.parametrize(("headers", "rows", "expected"), ROW_PROBLEMS.values(), ids=ROW_PROBLEMS.keys())
def test_row_problems_are_reported_and_nothing_is_written(
    iworld, django_capture_on_commit_callbacks, headers, rows, expected
):
    client = iworld.client_for(iworld.partner_user)
    job = upload(
        client, "partner", "candidates", csv_bytes(headers, rows), django_capture_on_commit_callbacks
    )
    assert [(p["row"], p["column"], p["message"]) for p in job.problems] == expected
    assert not Candidate.objects.exists()
    assert job.created == job.updated == 0


def test_an_empty_or_oversized_upload_is_the_form_again(iworld):
    client = iworld.client_for(iworld.partner_user)
    url = reverse("partner_imports:upload", args=["candidates"])
    assert client.post(url, {"file": SimpleUploadedFile("e.csv", b"")}).status_code == 400
    big = SimpleUploadedFile("big.csv", b"x" * (5 * 1024 * 1024 + 1))
    response = client.post(url, {"file": big})
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_an_upload_past_the_limit_is_stopped_before_it_is_stored(iworld):
    """The size cap reads no further than the limit: the file never reaches request.FILES (memory or a
    temporary file), and the page says why rather than "this field is required"."""
    client = iworld.client_for(iworld.partner_user)
    with translation.override("en"):
        url = reverse("partner_imports:upload", args=["candidates"])
    big = SimpleUploadedFile("big.csv", b"x" * (6 * 1024 * 1024))
    response = client.post(url, {"file": big})
    assert response.status_code == 400
    assert "The file is larger than 5 MB: split it into smaller files." in response.content.decode()
    assert "file" not in response.wsgi_request.FILES
    assert not ImportJob.objects.exists()


def test_a_report_names_no_value(iworld, django_capture_on_commit_callbacks):
    client = iworld.client_for(iworld.partner_user)
    rows = [candidate_row("A-1", nationalities="Marokko-secret")]
    job = upload(client, "partner", "candidates", csv_bytes(H, rows), django_capture_on_commit_callbacks)
    assert job.problems and "secret" not in str(job.problems).lower()


def test_columns_are_named_by_their_spreadsheet_letters():
    from imports.mapping import column_letter

    assert [column_letter(n) for n in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_a_file_without_a_header_row_reports_column_letters(iworld, django_capture_on_commit_callbacks):
    client = iworld.client_for(iworld.partner_user)
    rows = [candidate_row("A-2")]
    content = csv_bytes(candidate_row("A-1", given_name="Secretname"), rows)
    job = upload(client, "partner", "candidates", content, django_capture_on_commit_callbacks)
    assert job.problems and "Secretname" not in str(job.problems)
    assert not Candidate.objects.exists()
