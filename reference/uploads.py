"""Official reference files uploaded by staff (issue 12, item 4): a year's salary thresholds, a shortage list.

Read and checked completely before anything is written; every problem is reported at once, per row, in
the user's language. What comes out is a plan (plain JSON-able data, kept in the session between the
preview and the publication) that ``reference.publishing`` writes in one transaction.

The files:

* **Salary thresholds**: the columns of ``reference/data/salary_thresholds_flanders.csv``: ``year``,
  ``valid_from``, ``valid_to`` (empty: open-ended), ``highly_skilled_eur``, ``highly_skilled_reduced_eur``,
  ``manager_eur``, ``eu_blue_card_eur`` (empty: not published for that category), ``note``.
* **Shortage list**: one row per (function, ESCO occupation): ``title_nl`` (required), ``title_fr``,
  ``title_en``, ``isco_code``, ``competent_code``, ``esco_occupation`` (required: the ESCO URI, or its
  code, the UUID at its end), ``fit`` (exact, broader, narrower, approximate; empty: exact). Rows with
  the same ``title_nl`` are one function mapped to several occupations. The list's kind, title and
  period are given in the form.

Both: UTF-8 with or without a byte-order mark, ``;`` or ``,`` between cells, a decimal comma or point,
dates as 2027-01-01 or 01/01/2027.

A new period may not overlap a published one of the same category or kind, except that a published
open-ended one (no end date) that started earlier is ended the day before: the plan says so, and the
preview shows it. A row with the very same start as a published one replaces it (a corrected figure).
"""

import csv
import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from core.choices import Region
from reference.fixture_files import ESCO_OCCUPATION_NAMESPACE, THRESHOLD_COLUMNS
from reference.models import EscoOccupation, SalaryThreshold, ShortageList, ShortageListOccupation

THRESHOLD_FILE_COLUMNS = ("year", "valid_from", "valid_to", *THRESHOLD_COLUMNS, "note")
LIST_FILE_COLUMNS = (
    "title_nl",
    "title_fr",
    "title_en",
    "isco_code",
    "competent_code",
    "esco_occupation",
    "fit",
)
LIST_REQUIRED_COLUMNS = ("title_nl", "esco_occupation")
MAX_BYTES = 2_000_000  # an official list has a few hundred rows; anything near this is not one
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class UploadError(Exception):
    """The file cannot be published; ``problems`` are sentences in the user's language."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class Plan:
    """What publishing will write: ``kind`` "thresholds" or "shortage_list"; plain JSON-able values."""

    kind: str
    filename: str = ""
    thresholds: list[dict[str, Any]] = field(default_factory=list)  # category, valid_from, valid_to, ...
    shortage_list: dict[str, Any] = field(default_factory=dict)  # kind, title, valid_from, valid_to, ...
    entries: list[dict[str, Any]] = field(default_factory=list)  # title_nl, ..., occupations [[id, fit]]
    closes: list[dict[str, Any]] = field(default_factory=list)  # model, pk, label, valid_to (ISO)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "filename": self.filename,
            "thresholds": self.thresholds,
            "shortage_list": self.shortage_list,
            "entries": self.entries,
            "closes": self.closes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Plan":
        return cls(**data)


# --- Reading the file ---------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise UploadError([_("The file is too large for a reference file (at most 2 MB).")])
    try:
        return data.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError:
        raise UploadError(
            [_("The file is not in UTF-8. Save it as “CSV UTF-8” and upload it again.")]
        ) from None


def _rows(
    data: bytes, *, columns: Sequence[str], required: Sequence[str]
) -> list[tuple[int, dict[str, str]]]:
    """(line number, cells by column) for each non-empty row; the separator is read from the header."""
    lines = _text(data).splitlines()
    header = lines[0] if lines else ""
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    names = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in required if name not in names]
    if missing:
        raise UploadError(
            [
                _("The first line must name the columns; missing: %(columns)s. Expected: %(expected)s.")
                % {"columns": ", ".join(missing), "expected": ", ".join(columns)}
            ]
        )
    rows = []
    problems = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(names):
            problems.append(_("Line %(line)s: more cells than columns.") % {"line": number})
            continue
        rows.append(
            (number, {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names)})
        )
    if problems:
        raise UploadError(problems)
    if not rows:
        raise UploadError([_("The file has no rows under its header.")])
    return rows


def parse_date(text: str) -> datetime.date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def parse_amount(text: str) -> Decimal | None:
    """48912, 48912.50, 48912,50, 48.912,50, 48 912,50, € 48 912: the last separator is the decimal one."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text)
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _overlaps(
    start: datetime.date,
    end: datetime.date | None,
    other_start: datetime.date,
    other_end: datetime.date | None,
) -> bool:
    return (other_end is None or start <= other_end) and (end is None or other_start <= end)


def _period(start: datetime.date, end: datetime.date | None) -> str:
    if end is None:
        return _("from %(start)s") % {"start": start.isoformat()}
    return _("%(start)s to %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}


def _dates(
    cells: dict[str, str], line: int, problems: list[str]
) -> tuple[datetime.date | None, datetime.date | None]:
    start = parse_date(cells.get("valid_from", ""))
    if start is None:
        problems.append(
            _("Line %(line)s: “%(value)s” is not a start date (2027-01-01 or 01/01/2027).")
            % {"line": line, "value": cells.get("valid_from", "")}
        )
    end: datetime.date | None = None
    if cells.get("valid_to"):
        end = parse_date(cells["valid_to"])
        if end is None:
            problems.append(
                _("Line %(line)s: “%(value)s” is not an end date (2027-12-31 or 31/12/2027).")
                % {"line": line, "value": cells["valid_to"]}
            )
    if start and end and end < start:
        problems.append(_("Line %(line)s: the period ends before it starts.") % {"line": line})
    return start, end


# --- Salary thresholds -----------------------------------------------------------------------------------


def plan_thresholds(data: bytes, *, filename: str = "") -> Plan:
    """The thresholds of the file, checked against each other and the published ones."""
    rows = _rows(data, columns=THRESHOLD_FILE_COLUMNS, required=THRESHOLD_FILE_COLUMNS[:-1])
    problems: list[str] = []
    planned: list[tuple[int, str, datetime.date, datetime.date | None, Decimal, str]] = []
    for line, cells in rows:
        before = len(problems)
        start, end = _dates(cells, line, problems)
        if start and cells["year"] != str(start.year):
            problems.append(
                _("Line %(line)s: the year %(year)s is not the year of the start date %(start)s.")
                % {"line": line, "year": cells["year"], "start": start.isoformat()}
            )
        amounts = 0
        for column, column_category in THRESHOLD_COLUMNS.items():
            if not cells[column]:
                continue  # not published for this category
            amount = parse_amount(cells[column])
            if amount is None or amount <= 0 or amount >= Decimal("100000000"):
                problems.append(
                    _("Line %(line)s, column %(column)s: “%(value)s” is not an amount in euro (48912,50).")
                    % {"line": line, "column": column, "value": cells[column]}
                )
                continue
            amounts += 1
            if start:
                planned.append(
                    (
                        line,
                        str(column_category),
                        start,
                        end,
                        amount.quantize(Decimal("0.01")),
                        cells.get("note", ""),
                    )
                )
        if amounts == 0 and len(problems) == before:
            problems.append(_("Line %(line)s: no amount in any threshold column.") % {"line": line})
    # Per published open-ended threshold, the earliest close any uploaded row asks for: two rows of one
    # category (2027, then 2028 onwards) must end it before the first of them, not the last.
    closing: dict[int, dict[str, Any]] = {}
    published = list(
        SalaryThreshold.objects.filter(region=Region.FLANDERS).values_list(
            "pk", "category", "valid_from", "valid_to"
        )
    )
    for index, (line, category, start, end, _amount, _note) in enumerate(planned):
        label = str(SalaryThreshold.Category(category).label)
        for other_line, other_category, other_start, other_end, *_rest in planned[:index]:
            if other_category == category and _overlaps(start, end, other_start, other_end):
                problems.append(
                    _("Line %(line)s: the %(category)s threshold overlaps the one on line %(other)s.")
                    % {"line": line, "category": label, "other": other_line}
                )
        for pk, other_category, other_start, other_end in published:
            if (
                other_category != category
                or other_start == start
                or not _overlaps(start, end, other_start, other_end)
            ):
                continue
            if other_end is None and other_start < start:
                valid_to = (start - datetime.timedelta(days=1)).isoformat()
                if pk not in closing or valid_to < closing[pk]["valid_to"]:
                    closing[pk] = {
                        "model": "threshold",
                        "pk": pk,
                        "label": f"{label} {_period(other_start, None)}",
                        "valid_to": valid_to,
                    }
                continue
            problems.append(
                _("Line %(line)s: the %(category)s threshold overlaps the published one of %(period)s.")
                % {"line": line, "category": label, "period": _period(other_start, other_end)}
            )
    if problems:
        raise UploadError(problems)
    return Plan(
        kind="thresholds",
        filename=filename,
        thresholds=[
            {
                "category": category,
                "valid_from": start.isoformat(),
                "valid_to": end.isoformat() if end else None,
                "amount": str(amount),
                "note": note,
            }
            for _line, category, start, end, amount, note in planned
        ],
        closes=list(closing.values()),
    )


# --- A shortage list ---------------------------------------------------------------------------------------


def _occupation_ids(codes: set[str]) -> dict[str, int]:
    """ESCO URI or code (UUID) -> occupation id, for those known."""
    uris = {code if code.startswith("http") else ESCO_OCCUPATION_NAMESPACE + code for code in codes}
    by_uri = dict(EscoOccupation.objects.filter(uri__in=uris).values_list("uri", "pk"))
    return {
        code: by_uri[uri]
        for code in codes
        if (uri := code if code.startswith("http") else ESCO_OCCUPATION_NAMESPACE + code) in by_uri
    }


def plan_shortage_list(
    data: bytes,
    *,
    kind: str,
    title: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    legal_reference: str = "",
    source: str = "",
    filename: str = "",
) -> Plan:
    """A Flemish shortage list of ``kind`` for the period, its functions and their ESCO occupations."""
    rows = _rows(data, columns=LIST_FILE_COLUMNS, required=LIST_REQUIRED_COLUMNS)
    problems: list[str] = []
    if valid_to is not None and valid_to < valid_from:
        problems.append(_("The period ends before it starts."))
    codes = {cells["esco_occupation"].lower() for _line, cells in rows if cells["esco_occupation"]}
    known = _occupation_ids(codes)
    fits = set(ShortageListOccupation.Fit.values)
    entries: dict[str, dict[str, Any]] = {}
    for line, cells in rows:
        name, code = cells["title_nl"], cells["esco_occupation"].lower()
        if not name:
            problems.append(_("Line %(line)s: the Dutch title (title_nl) is empty.") % {"line": line})
        if not code:
            problems.append(_("Line %(line)s: no ESCO occupation.") % {"line": line})
        elif code not in known:
            shape = code.startswith(ESCO_OCCUPATION_NAMESPACE) or bool(UUID.match(code))
            problems.append(
                (
                    _("Line %(line)s: the ESCO occupation %(code)s is not in Talentbrug (import ESCO first).")
                    if shape
                    else _("Line %(line)s: “%(code)s” is not an ESCO occupation URI or code.")
                )
                % {"line": line, "code": code}
            )
        fit = (cells.get("fit") or ShortageListOccupation.Fit.EXACT).lower()
        if fit not in fits:
            problems.append(
                _("Line %(line)s: the fit “%(fit)s” is not one of %(fits)s.")
                % {"line": line, "fit": fit, "fits": ", ".join(sorted(fits))}
            )
        isco = cells.get("isco_code", "")
        if isco and not re.fullmatch(r"\d{1,4}", isco):
            problems.append(
                _("Line %(line)s: “%(code)s” is not an ISCO-08 code.") % {"line": line, "code": isco}
            )
        too_long = [c for c in ("title_nl", "title_fr", "title_en") if len(cells.get(c, "")) > 200]
        if too_long:
            problems.append(_("Line %(line)s: a title is longer than 200 characters.") % {"line": line})
        if not name or code not in known:
            continue
        entry = entries.setdefault(
            name,
            {
                "title_nl": name,
                "title_fr": cells.get("title_fr", ""),
                "title_en": cells.get("title_en", ""),
                "isco_code": isco,
                "competent_code": cells.get("competent_code", "")[:20],
                "occupations": [],
            },
        )
        if known[code] not in [pk for pk, _fit in entry["occupations"]]:
            entry["occupations"].append([known[code], fit])
    closes: list[dict[str, Any]] = []
    kind_label = str(ShortageList.Kind(kind).label)
    for pk, list_title, other_start, other_end in ShortageList.objects.filter(
        region=Region.FLANDERS, kind=kind
    ).values_list("pk", "title", "valid_from", "valid_to"):
        if not _overlaps(valid_from, valid_to, other_start, other_end):
            continue
        if other_end is None and other_start < valid_from:
            closes.append(
                {
                    "model": "shortage_list",
                    "pk": pk,
                    "label": list_title,
                    "valid_to": (valid_from - datetime.timedelta(days=1)).isoformat(),
                }
            )
            continue
        problems.append(
            _("The period overlaps the published %(kind)s “%(title)s” (%(period)s).")
            % {"kind": kind_label, "title": list_title, "period": _period(other_start, other_end)}
        )
    if problems:
        raise UploadError(problems)
    return Plan(
        kind="shortage_list",
        filename=filename,
        shortage_list={
            "kind": kind,
            "title": title,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat() if valid_to else None,
            "legal_reference": legal_reference,
            "source": source,
        },
        entries=list(entries.values()),
        closes=closes,
    )
