"""From a ``Table`` to rows of values by field name, with every problem found on the way.

Header problems (an unknown, a repeated or a missing required column) stop here: no row is read with
a header in doubt. Row problems are collected for every row, so that one report lists them all.
A problem names the row number as the spreadsheet shows it and the column's header as the file wrote
it; its message says what is expected, never what the cell held.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from imports.columns import CellError, Column, header_lookup, normalise_header
from imports.readers import Table


@dataclass(frozen=True)
class Problem:
    row: int  # 0: the file as a whole; 1: the header row
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Mapped:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # field name -> header as the file wrote it


def _header_problems(table: Table, columns: tuple[Column, ...]) -> tuple[list[Column | None], list[Problem]]:
    lookup = header_lookup(columns)
    found: list[Column | None] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for position, header in enumerate(table.headers):
        if not header:
            found.append(None)  # a blank header: its cells must be blank too (checked per row)
            continue
        column = lookup.get(normalise_header(header))
        if column is None:
            # Named by its letter, not its text: a file without a header row would put a person's data
            # in the report.
            problems.append(
                Problem(1, column_letter(position), _("Unknown column: see the template for the columns."))
            )
        elif column.key in seen:
            problems.append(Problem(1, header[:100], _("This column appears twice.")))
        else:
            seen.add(column.key)
        found.append(column)
    for column in columns:
        if column.required and column.key not in seen:
            problems.append(Problem(1, column.header(_language()), _("This required column is missing.")))
    return found, problems


def column_letter(position: int) -> str:
    """A spreadsheet's name for the column at ``position`` (0: A, 26: AA)."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _language() -> str:
    language = (get_language() or "en")[:2]
    return language if language in ("nl", "fr", "en") else "en"


def map_table(table: Table, columns: tuple[Column, ...]) -> Mapped:
    """The table's rows as values by field name, and the problems of its headers and cells."""
    found, problems = _header_problems(table, columns)
    mapped = Mapped(problems=problems)
    if problems:
        return mapped
    mapped.headers = {c.key: table.headers[i] for i, c in enumerate(found) if c is not None}
    first_row_of: dict[str, int] = {}
    for number, cells in table.rows:
        values: dict[str, Any] = {}
        row_problems: list[Problem] = []
        for position, cell in enumerate(cells):
            column = found[position] if position < len(found) else None
            if column is None:
                if cell is not None and str(cell).strip():
                    row_problems.append(Problem(number, "", _("A cell outside the columns of the header.")))
                continue
            try:
                value = column.parse(cell)
            except CellError as exc:
                row_problems.append(Problem(number, mapped.headers[column.key], exc.message))
                continue
            if value not in (None, ""):  # an empty cell: the field's default, as if the column were absent
                values[column.key] = value
        for column in columns:
            header = mapped.headers.get(column.key)
            missing = column.required and header is not None and values.get(column.key) in (None, "", [])
            if missing and not any(p.column == header for p in row_problems):
                row_problems.append(Problem(number, str(header), _("This field is required.")))
        external_id = values.get("external_id")
        if external_id:
            if external_id in first_row_of:
                row_problems.append(
                    Problem(
                        number,
                        mapped.headers["external_id"],
                        _("The same reference as row %(row)d: each row must have its own.")
                        % {"row": first_row_of[external_id]},
                    )
                )
            else:
                first_row_of[external_id] = number
        if row_problems:
            mapped.problems.extend(row_problems)
        else:
            mapped.rows.append((number, values))
    return mapped
