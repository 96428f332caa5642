"""The funders' and coordinators' report of a project or cohort: a page (charts readable without script,
tables with every number) and the same numbers as an XLSX workbook.

Staff only, like the funnel page: employers, partners and candidates get a 403 before anything is looked
up; a project or cohort that does not exist is a 404 (``project_and_cohort``, the funnel page's own).
"""

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from recruitment.views.common import AppRequest, staff_required
from recruitment.views.projects import funnel_chart, project_and_cohort
from reports.charts import BarChart, BarInput, bar_chart, period_label, time_chart
from reports.selectors.outcomes import SMALL_GROUP, Period
from reports.selectors.placements import PlacementGroup
from reports.selectors.report import ProjectReport, project_report
from reports.spreadsheet import report_sheets, workbook_response


def _period(request: AppRequest) -> Period | None:
    try:
        return Period(request.GET.get("period", Period.QUARTER.value))
    except ValueError:
        return None


def _bad_period() -> HttpResponse:
    return HttpResponseBadRequest(
        _("The report groups by quarter or by month only: use ?period=quarter or ?period=month."),
        content_type="text/plain; charset=utf-8",
    )


def _women_chart(report: ProjectReport) -> BarChart | None:
    """The share of women at each step where enough declared, against the project's target."""
    target = report.women.target_percent
    rows = [
        BarInput(
            label=row.label,
            value=row.percent or 0,
            target=target,
            text=f"{row.percent} %" + ("" if target is None else f" / {target} %"),
        )
        for row in report.women.steps
        if row.percent is not None
    ]
    return bar_chart(rows, scale=100) if rows else None


# The charts of employers and sectors show the first ones (the most started); the tables list them all.
CHART_GROUPS = 15


def _groups_chart(groups: list[PlacementGroup]) -> BarChart | None:
    """Started work per employer or sector; the figures read "started / proposed"."""
    rows = [
        BarInput(
            label=group.label, value=group.started, target=None, text=f"{group.started} / {group.proposed}"
        )
        for group in groups[:CHART_GROUPS]
    ]
    return bar_chart(rows) if rows else None


@staff_required
@require_safe
def project_report_page(request: AppRequest, project: str) -> HttpResponseBase:
    chosen, cohorts, cohort = project_and_cohort(request, project)
    period = _period(request)
    if period is None:
        return _bad_period()
    report = project_report(project=chosen, cohort=cohort, period=period)
    outcomes = report.outcomes
    cumulative = [(step, step.cumulative(outcomes.periods)) for step in outcomes.steps]
    # One row per period: per step, those who first reached it in the period and those by its end.
    table = [
        (
            period_label(day, period),
            [(step.by_period.get(day, 0), reached[index]) for step, reached in cumulative],
        )
        for index, day in enumerate(outcomes.periods)
    ]
    return render(
        request,
        "reports/project_report.html",
        {
            "project": chosen,
            "cohorts": cohorts,
            "cohort": cohort,
            "period": period,
            "periods": list(Period),
            "report": report,
            "funnel_chart": funnel_chart(outcomes.funnel_rows),
            "has_targets": any(step.target is not None for step in outcomes.steps),
            "time_chart": time_chart(outcomes),
            "time_table": table,
            "undated": [step for step in outcomes.steps if step.undated],
            "women_chart": _women_chart(report),
            "small_group": SMALL_GROUP,
            "chart_groups": CHART_GROUPS,
            "employer_chart": _groups_chart(report.per_employer),
            "sector_chart": _groups_chart(report.per_sector),
        },
    )


@staff_required
@require_safe
def project_report_xlsx(request: AppRequest, project: str) -> HttpResponseBase:
    chosen, _cohorts, cohort = project_and_cohort(request, project)
    period = _period(request)
    if period is None:
        return _bad_period()
    report = project_report(project=chosen, cohort=cohort, period=period)
    return workbook_response(
        sheets=report_sheets(report), name=(_("report"), chosen.code, cohort.name if cohort else "")
    )
