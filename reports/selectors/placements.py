"""Placements per employer and per sector: the cases of a project's (or cohort's) candidates proposed to
an employer, and how many of them reached an offer and the start of work.

These count CASES, not candidates: a candidate proposed to two employers counts at both, so a column can
add up to more than the funnel's figure for the step (the page says so). A case deleted by the data
lifecycle (pruned after the retention period, or its candidate erased) is in none of these counts: the
step kept for the funnel (``RetainedFunnelStep``) holds no employer, on purpose.

The sector is the ISCO-08 sub-major group (two digits, "Health professionals", "ICT professionals") of
the vacancy's occupation: every vacancy has one, which the projects' free-text sectors do not give.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr

from projects.models import Cohort, Project
from recruitment.models import Placement, PlacementQuerySet, PlacementTransition
from recruitment.selectors.funnel import funnel_registered
from recruitment.workflow import Stage
from reference.models import IscoGroup

SECTOR_DIGITS = 2


@dataclass(frozen=True)
class PlacementGroup:
    key: str
    label: str
    proposed: int  # cases proposed to the employer
    offered: int  # of which reached a job offer
    started: int  # of which reached the start of work


def _reached(stage: Stage) -> Q:
    return Q(Exists(PlacementTransition.objects.filter(placement=OuterRef("pk"), to_stage=stage)))


def _proposed_cases(project: Project, cohort: Cohort | None) -> PlacementQuerySet:
    return Placement.objects.filter(candidate__in=funnel_registered(project, cohort).values("pk")).filter(
        _reached(Stage.PROPOSED)
    )


def placements_per_employer(*, project: Project, cohort: Cohort | None = None) -> list[PlacementGroup]:
    """Per employer, the most started first, in one query."""
    rows = (
        _proposed_cases(project, cohort)
        .order_by()
        .values("vacancy__employer_id", "vacancy__employer__name")
        .annotate(
            proposed_n=Count("pk"),
            offered_n=Count("pk", filter=_reached(Stage.OFFER)),
            started_n=Count("pk", filter=_reached(Stage.STARTED)),
        )
    )
    groups = [
        PlacementGroup(
            key=str(row["vacancy__employer_id"]),
            label=row["vacancy__employer__name"],
            proposed=row["proposed_n"],
            offered=row["offered_n"],
            started=row["started_n"],
        )
        for row in rows
    ]
    return sorted(groups, key=lambda group: (-group.started, -group.offered, -group.proposed, group.label))


def placements_per_sector(*, project: Project, cohort: Cohort | None = None) -> list[PlacementGroup]:
    """Per ISCO-08 sub-major group of the vacancy's occupation, the most started first, in two queries."""
    rows = list(
        _proposed_cases(project, cohort)
        .annotate(sector=Substr("vacancy__occupation__isco_group_id", 1, SECTOR_DIGITS))
        .order_by()
        .values("sector")
        .annotate(
            proposed_n=Count("pk"),
            offered_n=Count("pk", filter=_reached(Stage.OFFER)),
            started_n=Count("pk", filter=_reached(Stage.STARTED)),
        )
    )
    names = {
        group.code: group.label for group in IscoGroup.objects.filter(code__in=[r["sector"] for r in rows])
    }
    groups = [
        PlacementGroup(
            key=row["sector"],
            label=f"{row['sector']} {names.get(row['sector'], '')}".strip(),
            proposed=row["proposed_n"],
            offered=row["offered_n"],
            started=row["started_n"],
        )
        for row in rows
    ]
    return sorted(groups, key=lambda group: (-group.started, -group.offered, -group.proposed, group.key))
