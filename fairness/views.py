"""The fairness pages: a vacancy's and a project's (or cohort's) selections against the eligible pool.

Staff only (recruiters, coordinators, administrators): employers and partner users get a 403 before
anything is looked up. The figures are aggregates; no candidate is named or linked here.
"""

import math
from dataclasses import dataclass
from fractions import Fraction
from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from candidates.models import Candidate
from core.countries import country_name
from fairness import selectors as fairness_selectors
from fairness.method import (
    FOUR_FIFTHS,
    MIN_GROUP,
    STAGES,
    UNKNOWN,
    Breakdown,
    FairnessReport,
    GroupRow,
    fairness_report,
)
from recruitment import selectors
from recruitment.views.common import AppRequest, get_scoped_or_404, staff_required
from recruitment.views.projects import project_and_cohort


def _age_band_labels() -> dict[str, str]:
    return {
        "under_25": _("Under 25"),
        "25_34": _("25 to 34"),
        "35_44": _("35 to 44"),
        "45_54": _("45 to 54"),
        "55_plus": _("55 and over"),
    }


def _group_label(dimension: str, group: str) -> str:
    if dimension == "nationality":
        return country_name(group) if group != UNKNOWN else _("No nationality recorded")
    if dimension == "sex":
        return str(Candidate.Sex(group).label) if group != UNKNOWN else _("Not declared")
    return _age_band_labels().get(group, group)


def _dimension_title(dimension: str) -> str:
    return {
        "nationality": _("By nationality (the first one listed)"),
        "sex": _("By sex (self-declared)"),
        "age_band": _("By age band (age today)"),
    }[dimension]


def _percent(value: Fraction) -> int:
    return round(value * 100)


@dataclass(frozen=True)
class StageCell:
    count: int
    rate_percent: int
    # Rounded down, so that a flagged ratio never reads as 80 %.
    ratio_percent: int | None
    flagged: bool


@dataclass(frozen=True)
class ShownRow:
    label: str
    row: GroupRow
    stages: list[StageCell]


@dataclass(frozen=True)
class ShownBreakdown:
    title: str
    breakdown: Breakdown
    rows: list[ShownRow]


def _shown(breakdown: Breakdown) -> ShownBreakdown:
    rows = []
    for row in breakdown.rows:
        figures = [] if row.suppressed else [row.stages[stage] for stage in STAGES]
        cells = [
            StageCell(
                count=figure.count,
                rate_percent=_percent(figure.rate),
                ratio_percent=None if figure.impact_ratio is None else math.floor(figure.impact_ratio * 100),
                flagged=figure.flagged,
            )
            for figure in figures
        ]
        rows.append(ShownRow(label=_group_label(breakdown.dimension, row.group), row=row, stages=cells))
    return ShownBreakdown(title=_dimension_title(breakdown.dimension), breakdown=breakdown, rows=rows)


def _context(report: FairnessReport) -> dict[str, object]:
    labels = [
        pgettext("fairness stage", "Shortlisted"),
        pgettext("fairness stage", "Proposed"),
        pgettext("fairness stage", "Hired"),
    ]
    return {
        "report": report,
        "breakdowns": [_shown(b) for b in report.breakdowns],
        "stage_labels": labels,
        "stage_totals": [
            (label, report.totals.stages[stage]) for label, stage in zip(labels, STAGES, strict=True)
        ],
        "min_group": MIN_GROUP,
        "threshold_percent": _percent(FOUR_FIFTHS),
        "today": timezone.localdate(),
    }


@staff_required
@require_safe
def vacancy_fairness(request: AppRequest, public_id: UUID) -> HttpResponse:
    vacancy = get_scoped_or_404(
        request, selectors.vacancies_visible_to(user=request.user), public_id=public_id
    )
    cells = fairness_selectors.vacancy_cells(vacancy=vacancy, on=timezone.localdate())
    context = _context(fairness_report(cells)) | {"vacancy": vacancy}
    return render(request, "fairness/vacancy.html", context)


@staff_required
@require_safe
def project_fairness(request: AppRequest, project: str) -> HttpResponse:
    chosen, cohorts, cohort = project_and_cohort(request, project)
    cells = fairness_selectors.cohort_cells(project=chosen, cohort=cohort, on=timezone.localdate())
    context = _context(fairness_report(cells)) | {"project": chosen, "cohorts": cohorts, "cohort": cohort}
    return render(request, "fairness/project.html", context)
