"""Formula payloads are neutralised in every download, CSV and XLSX: a cell starting with =, +, -, @, a
tab or a carriage return gets a leading apostrophe and is shown, never run."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from candidates.access_log_export import access_log_csv_lines
from core.spreadsheets import csv_cell, csv_lines, neutralise_cell, xlsx_cell
from privacy.export_formats import as_csv_zip
from tests.exports.files import body, csv_rows, xlsx_cells
from tests.web.world import WebWorld, stored_match

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://x")', "+32 9 000", "-1+1", "@SUM(A1)", "\tcmd", "\rcmd"]


def test_the_one_neutraliser() -> None:
    assert [neutralise_cell(value) for value in [*PAYLOADS, "plain", ""]] == [
        *("'" + value for value in PAYLOADS),
        "plain",
        "",
    ]
    # Numbers are ours: a negative score stays a number, never a text with an apostrophe.
    assert csv_cell(-5) == "-5"
    assert xlsx_cell(-5) == -5
    assert xlsx_cell("=1+1") == "'=1+1"
    assert xlsx_cell("bad\x01char") == "badchar"  # a control character XML cannot hold


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_name_written_as_a_formula_is_text_in_csv_and_xlsx(
    recruiter: Client, world: WebWorld, payload: str
) -> None:
    world.near_miss.family_name = payload
    world.near_miss.save(update_fields=["family_name"])
    with translation.override("en"):
        url = reverse("recruiter_exports:candidate_list")
    _header, *rows = csv_rows(recruiter.get(url, {"format": "csv"}))
    names = [row[0] for row in rows]
    assert "'" + payload + ", Youssef" in names
    assert not any(name.startswith(("=", "+", "-", "@", "\t", "\r")) for name in names)

    _header_cells, *cells = xlsx_cells(recruiter.get(url, {"format": "xlsx"}))
    name_cells = [row[0] for row in cells]
    # XML reads a carriage return back as a line feed: still behind the apostrophe.
    assert ("'" + payload + ", Youssef").replace("\r", "\n") in [cell.value for cell in name_cells]
    assert all(cell.data_type == "s" for cell in name_cells)  # text, never a formula ("f")


def test_a_vacancy_title_and_project_written_as_formulas_are_text(recruiter: Client, world: WebWorld) -> None:
    world.project.name = "=cmd|' /C calc'!A0"
    world.project.save(update_fields=["name"])
    stored_match(world.other_vacancy, world.candidate)
    with translation.override("en"):
        url = reverse("recruiter_exports:vacancy_matches", args=[world.vacancy.public_id])
    _header, *rows = csv_rows(recruiter.get(url))
    assert rows[0][6] == "'=cmd|' /C calc'!A0"
    _header_cells, *cells = xlsx_cells(recruiter.get(url, {"format": "xlsx"}))
    assert cells[0][6].value == "'=cmd|' /C calc'!A0"
    assert cells[0][6].data_type == "s"


@pytest.mark.parametrize("payload", ["  =1+1", "\u00a0=HYPERLINK(1)", " \n@SUM(A1)", "   -2+3"])
def test_leading_spaces_do_not_hide_a_formula(payload: str) -> None:
    # Some spreadsheets trim a cell on import and then run what follows.
    assert neutralise_cell(payload) == "'" + payload
    assert csv_cell(payload) == "'" + payload
    assert xlsx_cell(payload) == "'" + payload
    assert neutralise_cell("  plain") == "  plain"


def test_every_csv_cell_is_quoted_so_a_semicolon_starts_no_cell() -> None:
    # A Belgian Excel splits unquoted cells at ";": "x;=1+1" would become a cell "=1+1", run as a formula.
    lines = list(csv_lines(["Project"], [["x;=cmd|' /C calc'!A0", 3]]))
    assert lines[1:] == ['"x;=cmd|\' /C calc\'!A0","3"\r\n']


def test_a_project_name_with_a_semicolon_and_a_formula_stays_in_one_quoted_cell(
    recruiter: Client, world: WebWorld
) -> None:
    world.project.name = "x;=1+1"
    world.project.save(update_fields=["name"])
    with translation.override("en"):
        url = reverse("recruiter_exports:vacancy_matches", args=[world.vacancy.public_id])
    data = body(recruiter.get(url)).decode("utf-8-sig")
    assert ',"x;=1+1",' in data
    assert ",x;=1+1," not in data


def test_the_access_log_and_the_data_download_quote_every_cell() -> None:
    # The same ";" split in the other CSV files of the application, which use the same neutraliser.
    payload = "x;=cmd|' /C calc'!A0"
    access_lines = list(access_log_csv_lines([(None, "c", "employer", payload, 1, "u", 2, "profile")]))
    assert f',"{payload}",' in access_lines[1]
    with zipfile.ZipFile(io.BytesIO(as_csv_zip({"profile": {"name": payload}}))) as archive:
        text = archive.read("profile.csv").decode("utf-8-sig")
    assert f'"{payload}"' in text
