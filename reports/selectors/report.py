"""The whole report of a project or cohort, as the page and the XLSX download both show it."""

from dataclasses import dataclass

from django.utils.translation import get_language

from core.memo import memoised
from internships.selectors import OutcomeFigures, report_figures
from projects.models import Cohort, FunnelRecord, Project
from reports.selectors.lead_times import LeadTime, RecognitionTime, lead_times, recognition_times
from reports.selectors.outcomes import (
    OtherOutcome,
    OutcomesOverTime,
    Period,
    WomenShare,
    documented_figures,
    outcomes_beyond_the_funnel,
    outcomes_over_time,
    women_share,
)
from reports.selectors.placements import PlacementGroup, placements_per_employer, placements_per_sector


@dataclass(frozen=True)
class ProjectReport:
    project: Project
    cohort: Cohort | None
    outcomes: OutcomesOverTime
    other_outcomes: list[OtherOutcome]
    documented: list[FunnelRecord]
    women: WomenShare
    lead_times: list[LeadTime]
    recognition_times: list[RecognitionTime]
    per_employer: list[PlacementGroup]
    per_sector: list[PlacementGroup]
    # Internships completed, returned and the outcomes after return (internships/); None without any.
    internships: OutcomeFigures | None = None


def project_report(
    *, project: Project, cohort: Cohort | None = None, period: Period = Period.QUARTER
) -> ProjectReport:
    """Every section, in a fixed number of queries whatever the number of candidates and cases.

    The report reads every candidate of the project several times over (tens of thousands at national
    scale): each web process keeps it ``READ_CACHE_SECONDS`` (``core.memo``, like the funnel's counts), so
    the page and its XLSX download show the same numbers, every section read in the same build. Per
    language, as its labels are translated when it is built.
    """
    return memoised(
        f"report:{project.pk}:{cohort.pk if cohort else ''}:{period.value}:{get_language()}",
        lambda: _build(project=project, cohort=cohort, period=period),
    )


def _build(*, project: Project, cohort: Cohort | None, period: Period) -> ProjectReport:
    return ProjectReport(
        project=project,
        cohort=cohort,
        outcomes=outcomes_over_time(project=project, cohort=cohort, period=period),
        other_outcomes=outcomes_beyond_the_funnel(project=project, cohort=cohort),
        documented=documented_figures(project=project, cohort=cohort),
        women=women_share(project=project, cohort=cohort),
        lead_times=lead_times(project=project, cohort=cohort),
        recognition_times=recognition_times(project=project, cohort=cohort),
        per_employer=placements_per_employer(project=project, cohort=cohort),
        per_sector=placements_per_sector(project=project, cohort=cohort),
        internships=report_figures(project=project, cohort=cohort),
    )
