"""The report as an XLSX workbook: one sheet per section of the page, the same numbers.

openpyxl's write-only workbook, cells through ``core.spreadsheets.xlsx_cell`` (text neutralised against
formulas, numbers and dates typed), like every other download of the application. A report holds a few
hundred rows at most (steps, periods, routes, employers), so it is built in one go into a temporary file
that the response streams.
"""

import contextlib
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.spreadsheets import XLSX, XLSX_CONTENT_TYPE, export_filename, xlsx_cell
from reports.charts import period_label
from reports.selectors.outcomes import SMALL_GROUP, WomenAtStep
from reports.selectors.report import ProjectReport

Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]
SHEET_TITLE_LENGTH = 31


def _title(text: str) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in ILLEGAL_CHARACTERS_RE.sub("", text))
    return cleaned.strip()[:SHEET_TITLE_LENGTH] or "Sheet"


def _women_note(row: WomenAtStep) -> str:
    if row.suppressed:
        return _("Fewer than %(n)s declared: not shown.") % {"n": SMALL_GROUP}
    if row.small_split:
        return _(
            "Fewer than %(n)s women, or fewer than %(n)s who are not, among those who declared: not shown."
        ) % {"n": SMALL_GROUP}
    return ""


def report_sheets(report: ProjectReport) -> list[Sheet]:
    outcomes = report.outcomes
    about = [
        (_("Project"), report.project.name),
        (_("Cohort"), report.cohort.name if report.cohort else _("All cohorts (the whole project)")),
        (_("Made on"), timezone.localdate()),
        (_("Periods"), outcomes.period.label),
        (
            _("Note"),
            _(
                "The numbers of candidates per step are those of the project's funnel page. Candidates "
                "whose cases were deleted by the data lifecycle are counted, without a date."
            ),
        ),
    ]
    totals = [
        (step.label, step.total, step.target, step.percent_of_target, step.undated) for step in outcomes.steps
    ]
    over_time = [
        (
            step.label,
            day,
            period_label(day, outcomes.period),
            step.by_period.get(day, 0),
            reached,
            step.target,
        )
        for step in outcomes.steps
        for day, reached in zip(outcomes.periods, step.cumulative(outcomes.periods), strict=True)
    ]
    women = [
        (
            row.label,
            row.candidates,
            row.declared,
            None if row.percent is None else row.women,
            row.percent,
            report.women.target_percent,
            _women_note(row),
        )
        for row in report.women.steps
    ]
    few_cases = _("Fewer than %(n)s cases: not shown.") % {"n": SMALL_GROUP}
    lead = [
        (
            row.label,
            row.route_label,
            row.cases,
            row.median_days,
            row.p90_days,
            few_cases if row.suppressed else "",
        )
        for row in report.lead_times
    ]
    recognition = [
        (
            row.authority_label,
            row.decisions,
            row.median_days,
            row.p90_days,
            few_cases if row.suppressed else "",
        )
        for row in report.recognition_times
    ]
    other = [(row.label, row.candidates) for row in report.other_outcomes]
    documented = [
        (record.get_stage_display(), record.count, record.as_of, record.source, record.verified)
        for record in report.documented
    ]
    groups_headers = (_("Cases proposed"), _("Job offers"), _("Started work"))
    return [
        (_("About"), (_("Item"), _("Value")), about),
        (
            _("Outcomes"),
            (_("Step"), _("Candidates"), _("Target"), _("Share of target (%)"), _("Of which without a date")),
            totals,
        ),
        (_("Other outcomes"), (_("Outcome"), _("Candidates")), other),
        (
            _("Public sources"),
            (_("Stage"), _("Count"), _("As of"), _("Source"), _("Verified")),
            documented,
        ),
        (
            _("Over time"),
            (
                _("Step"),
                _("Period start"),
                _("Period"),
                _("Reached in the period"),
                _("Reached by the end of the period"),
                _("Target"),
            ),
            over_time,
        ),
        (
            _("Women"),
            (
                _("Step"),
                _("Candidates"),
                _("Declared their sex"),
                _("Women"),
                _("Share of women among those who declared (%)"),
                _("Target share of women (%)"),
                _("Note"),
            ),
            women,
        ),
        (
            _("Lead times"),
            (
                _("Stage"),
                _("Permit route"),
                _("Cases"),
                _("Median (days)"),
                _("90th percentile (days)"),
                _("Note"),
            ),
            lead,
        ),
        (
            _("Recognition"),
            (_("Authority"), _("Decisions"), _("Median (days)"), _("90th percentile (days)"), _("Note")),
            recognition,
        ),
        (
            _("Per employer"),
            (_("Employer"), *groups_headers),
            [(g.label, g.proposed, g.offered, g.started) for g in report.per_employer],
        ),
        (
            _("Per sector"),
            (_("Sector (ISCO-08)"), *groups_headers),
            [(g.label, g.proposed, g.offered, g.started) for g in report.per_sector],
        ),
        *_internship_sheet(report),
    ]


def _internship_sheet(report: ProjectReport) -> list[Sheet]:
    """Internships completed, returned, and each outcome after return: only for a project with internships."""
    figures = report.internships
    if figures is None:
        return []
    rows: list[tuple[object, ...]] = [
        (_("Internships completed"), figures.completed, None),
        (_("Returned home"), figures.returned, None),
        (
            _("Hired by their host company (here or abroad)"),
            figures.hired_by_host,
            figures.hired_by_host_percent,
        ),
        (_("In work (any employer)"), figures.employed, figures.employed_percent),
        *((row.label, row.count, row.percent) for row in figures.outcomes),
        (_("Not known yet"), figures.not_yet_known, None),
    ]
    return [(_("Internships"), (_("Figure"), _("People"), _("Share of those returned (%)")), rows)]


def workbook_response(*, sheets: list[Sheet], name: Sequence[str]) -> FileResponse:
    """An XLSX download of these sheets, named after ``name`` and today's date."""
    workbook = Workbook(write_only=True)
    file = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it once sent
    try:
        for title, headers, rows in sheets:
            sheet = workbook.create_sheet(title=_title(title))
            sheet.append([xlsx_cell(str(header)) for header in headers])
            for row in rows:
                sheet.append([xlsx_cell(value) for value in row])
        workbook.save(file)
    except BaseException:
        file.close()
        # openpyxl keeps each sheet's rows in a temporary file that only a save removes.
        for sheet in workbook.worksheets:
            writer = getattr(sheet, "_writer", None)
            if writer is not None:
                with contextlib.suppress(Exception):
                    sheet.close()
                    writer.cleanup()
        raise
    file.seek(0)
    filename = export_filename(*name, extension=XLSX)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
