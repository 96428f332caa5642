"""Projects and cohorts: each project's live funnel against its targets, and the candidates at each step.

Staff only: employers and partner users get a 403 before anything is looked up, so no count or chart of
any project ever reaches them. The chart is server-rendered SVG (no script, no inline style: the CSP
allows neither) with the same numbers in a table right below it, for screen readers and for copying.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from candidates.models import Candidate
from core.memo import memoised
from core.security import log_denial
from projects.models import Cohort, FunnelStep, Project
from recruitment.models import PlacementStage
from recruitment.selectors import funnel
from recruitment.selectors.funnel import FunnelRow
from recruitment.views.common import AppRequest, get_scoped_or_404, staff_required

PROJECTS_PER_PAGE = 25
CANDIDATES_PER_PAGE = 25

# The chart's geometry, in SVG user units (the viewBox scales it to the page's width). Each step's name
# stands on its own line above its bar, across the whole width: no name is ever cut off, whatever its
# length in any language (issue 12, item 15: the longest was once clipped in a column beside the bars).
CHART_WIDTH = 520
LEFT = 4  # a margin for the glyphs that reach left of their origin ("T", "J")
BAR_AREA = 346  # the longest bar (or the furthest target) takes all of it
VALUE_X = LEFT + BAR_AREA + 12  # the figures, after the bars: "reached / target"
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
ROW_GAP = 12
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
LEGEND_LINE = 24


@dataclass(frozen=True)
class ChartBar:
    row: FunnelRow
    label_y: int  # the baseline of the step's name
    y: int  # the top of the bar
    text_y: int  # the baseline of the figures
    width: int  # the bar (actual)
    target_x: int | None  # where the target marker stands; None without a target
    marker_top: int  # the target marker stands a little above and below the bar
    marker_bottom: int


@dataclass(frozen=True)
class FunnelChart:
    width: int
    height: int
    left: int  # where the names, the bars and the legend start
    bar_height: int
    value_x: int
    bars: list[ChartBar]
    legend_y: int  # the top of the legend's first swatch
    legend_text_x: int
    legend_marker_x: int  # the target's marker, in the legend's second line
    legend_text_y: int
    legend_target_y: int  # the second line of the legend: the target's marker
    legend_target_text_y: int
    legend_marker_top: int
    legend_marker_bottom: int
    notes: list[FunnelRow]  # the steps that count candidates who skipped the step before (footnotes)


def funnel_chart(rows: list[FunnelRow]) -> FunnelChart:
    """Horizontal bars for the actuals with a marker at each target, on one scale."""
    scale = max([1, *(row.actual for row in rows), *(row.target or 0 for row in rows)])
    bars = []
    for index, row in enumerate(rows):
        top = 4 + index * ROW_HEIGHT
        y = top + LABEL_HEIGHT
        bars.append(
            ChartBar(
                row=row,
                label_y=top + LABEL_HEIGHT - 5,
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                width=round(row.actual * BAR_AREA / scale),
                target_x=None if row.target is None else LEFT + round(row.target * BAR_AREA / scale),
                marker_top=y - 3,
                marker_bottom=y + BAR_HEIGHT + 3,
            )
        )
    legend_y = 4 + len(rows) * ROW_HEIGHT + 4
    return FunnelChart(
        width=CHART_WIDTH,
        height=legend_y + 2 * LEGEND_LINE,
        left=LEFT,
        bar_height=BAR_HEIGHT,
        value_x=VALUE_X,
        bars=bars,
        legend_y=legend_y,
        legend_text_x=LEFT + 22,
        legend_marker_x=LEFT + 7,
        legend_text_y=legend_y + 13,
        legend_target_y=legend_y + LEGEND_LINE,
        legend_target_text_y=legend_y + LEGEND_LINE + 13,
        legend_marker_top=legend_y + LEGEND_LINE - 2,
        legend_marker_bottom=legend_y + LEGEND_LINE + 16,
        notes=[row for row in rows if row.skipped],
    )


def project_and_cohort(request: AppRequest, code: str) -> tuple[Project, list[Cohort], Cohort | None]:
    """The project (404 when unknown) and the cohort chosen with ``?cohort=`` (404 for a cohort of
    another project, or a value that is no cohort id: never the whole project's figures instead)."""
    project = get_scoped_or_404(request, funnel.projects_visible_to(user=request.user), code=code)
    cohorts = funnel.project_cohorts(project=project)
    wanted = request.GET.get("cohort", "")
    if not wanted:
        return project, cohorts, None
    chosen = next((cohort for cohort in cohorts if str(cohort.pk) == wanted), None)
    if chosen is None:
        log_denial(request, "not-found:projects.Cohort")
        raise Http404
    return project, cohorts, chosen


@staff_required
@require_safe
def project_list(request: AppRequest) -> HttpResponse:
    """Every project with its registered and started counts.

    The counts read every candidate of each project (a whole table scan at national scale), for figures
    that move a few times a day: the page's rows are kept ``READ_CACHE_SECONDS`` in each process
    (``core.memo``), as the funnels' figures are (docs/adr/0010, section 2), and may be that much behind.
    The key is the page number as the paginator settled it (never the raw parameter: one entry a page).
    """
    page = Paginator(funnel.project_list_for_staff(), PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    projects = memoised(f"recruiter_project_list:{page.number}", lambda: list(page.object_list))
    return render(request, "recruitment/recruiter/project_list.html", {"page": page, "projects": projects})


@staff_required
@require_safe
def project_detail(request: AppRequest, project: str) -> HttpResponse:
    chosen_project, cohorts, cohort = project_and_cohort(request, project)
    rows = funnel.project_funnel(project=chosen_project, cohort=cohort)
    return render(
        request,
        "recruitment/recruiter/project_detail.html",
        {
            "project": chosen_project,
            "cohorts": cohorts,
            "cohort": cohort,
            "rows": rows,
            "chart": funnel_chart(rows),
            "has_targets": any(row.target is not None for row in rows),
        },
    )


@dataclass(frozen=True)
class StepCandidate:
    candidate: Candidate
    stage: str  # the label of the stage of their most advanced case, "" without a case


@staff_required
@require_safe
def funnel_step(request: AppRequest, project: str, step: str) -> HttpResponse:
    try:
        funnel_step_ = FunnelStep(step)
    except ValueError:
        raise Http404 from None
    chosen_project, _cohorts, cohort = project_and_cohort(request, project)
    candidates = funnel.funnel_step_candidates(project=chosen_project, step=funnel_step_, cohort=cohort)
    page = Paginator(candidates, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    stages = funnel.most_advanced_stages([candidate.pk for candidate in shown])
    rows = [
        StepCandidate(
            candidate=candidate,
            stage=str(PlacementStage(stages[candidate.pk]).label) if candidate.pk in stages else "",
        )
        for candidate in shown
    ]
    left_out = funnel.funnel_step_left_out(project=chosen_project, step=funnel_step_, cohort=cohort)
    return render(
        request,
        "recruitment/recruiter/funnel_step.html",
        {
            "project": chosen_project,
            "cohort": cohort,
            "step": funnel_step_,
            "page": page,
            "rows": rows,
            "anonymised": left_out.anonymised,
            "restricted": left_out.restricted,
        },
    )
