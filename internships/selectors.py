"""Reads for the internship pages and the project's figures after return. Selectors never write.

The figures are computed from the move log (completed, returned: ``recruitment.selectors.funnel``) and
from the outcome log (each returned candidate's latest ``OutcomeUpdate``), never stored: the scheme's
"hired by their host company" share is a division done here, so it follows every update at once.
"""

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from core.models import User
from internships.models import EMPLOYED, HIRED_BY_HOST, OutcomeUpdate, ReturnOutcome
from projects.models import Cohort, Project
from recruitment.models import Placement
from recruitment.selectors import is_staff_user
from recruitment.selectors.funnel import funnel_registered, internship_reached
from recruitment.workflow import Stage
from vacancies.models import Vacancy


def _latest(outer: str) -> QuerySet[OutcomeUpdate]:
    """The outcome updates of the outer row's case (``outer`` = "placement") or candidate, latest first."""
    return OutcomeUpdate.objects.filter(**{outer: OuterRef("pk")}).order_by(
        F("observed_on").desc(), F("recorded_at").desc(), F("pk").desc()
    )


@dataclass(frozen=True)
class OutcomeCount:
    outcome: str
    label: str
    count: int
    percent: int | None  # of those returned, rounded; None when nobody returned


@dataclass(frozen=True)
class OutcomeFigures:
    completed: int  # candidates whose internship was completed
    returned: int  # candidates back home
    outcomes: list[OutcomeCount]  # by current outcome, in the choices' order
    not_yet_known: int  # returned, no outcome recorded yet
    hired_by_host: int  # here or abroad
    hired_by_host_percent: int | None
    employed: int  # hired by the host, or employed at home
    employed_percent: int | None


def _percent(part: int, whole: int) -> int | None:
    return round(part * 100 / whole) if whole else None


def outcome_figures(*, project: Project, cohort: Cohort | None = None) -> OutcomeFigures:
    """The internship figures of a project (or cohort), in two queries: the stages reached, and the
    current outcome of every returned candidate (their latest update on any of their cases)."""
    reached = internship_reached(project=project, cohort=cohort)
    returned_candidates = funnel_registered(project, cohort).filter(
        Q(placements__transitions__to_stage=Stage.RETURNED)
    )
    current = Subquery(_latest("placement__candidate").values("outcome")[:1])
    by_outcome = dict(
        funnel_registered(project, cohort)
        .filter(pk__in=returned_candidates.values("pk"))
        .annotate(current=current)
        .order_by()
        .values_list("current")
        .annotate(n=Count("pk"))
        .values_list("current", "n")
    )
    returned = reached[Stage.RETURNED.value]
    outcomes = [
        OutcomeCount(choice.value, str(choice.label), by_outcome.get(choice.value, 0), None)
        for choice in ReturnOutcome
    ]
    outcomes = [OutcomeCount(o.outcome, o.label, o.count, _percent(o.count, returned)) for o in outcomes]
    hired = sum(o.count for o in outcomes if o.outcome in HIRED_BY_HOST)
    employed = sum(o.count for o in outcomes if o.outcome in EMPLOYED)
    return OutcomeFigures(
        completed=reached[Stage.INTERNSHIP_COMPLETED.value],
        returned=returned,
        outcomes=outcomes,
        not_yet_known=by_outcome.get(None, 0),
        hired_by_host=hired,
        hired_by_host_percent=_percent(hired, returned),
        employed=employed,
        employed_percent=_percent(employed, returned),
    )


def report_figures(*, project: Project, cohort: Cohort | None = None) -> OutcomeFigures | None:
    """The funders' report's internship section: None for a project without internship cases (the
    section is left out), else ``outcome_figures``. At most three queries."""
    cases = Placement.objects.filter(
        candidate__in=funnel_registered(project, cohort), vacancy__kind=Vacancy.Kind.INTERNSHIP
    )
    if not cases.exists():
        return None
    return outcome_figures(project=project, cohort=cohort)


def internship_projects(*, user: User) -> QuerySet[Project]:
    """Staff only: the projects with at least one case on an internship vacancy, with how many."""
    if not is_staff_user(user):
        return Project.objects.none()
    return (
        Project.objects.annotate(
            internship_cases=Count(
                "candidates__placements",
                filter=Q(candidates__placements__vacancy__kind=Vacancy.Kind.INTERNSHIP),
            )
        )
        .filter(internship_cases__gt=0)
        .order_by("name", "pk")
    )


def internship_cases(*, project: Project, cohort: Cohort | None = None) -> QuerySet[Placement]:
    """The project's cases on internship vacancies, with each one's current outcome after return and the
    day it was observed (one query for a page of them)."""
    latest = _latest("placement")
    return (
        Placement.objects.filter(
            candidate__in=funnel_registered(project, cohort), vacancy__kind=Vacancy.Kind.INTERNSHIP
        )
        .select_related("candidate", "vacancy", "vacancy__employer")
        .annotate(
            current_outcome=Subquery(latest.values("outcome")[:1]),
            outcome_observed_on=Subquery(latest.values("observed_on")[:1]),
        )
        .order_by("candidate__family_name", "candidate__given_name", "pk")
    )


def internship_case_for_staff(*, user: User) -> QuerySet[Placement]:
    """The cases whose outcome page a user may open: staff, internship cases only (others are a 404)."""
    if not is_staff_user(user):
        return Placement.objects.none()
    return Placement.objects.filter(vacancy__kind=Vacancy.Kind.INTERNSHIP).select_related(
        "candidate", "candidate__project", "vacancy", "vacancy__employer"
    )


def outcome_history(*, placement: Placement) -> QuerySet[OutcomeUpdate]:
    """Every update of one case, the latest first, with who recorded it."""
    return (
        OutcomeUpdate.objects.filter(placement=placement)
        .select_related("recorded_by")
        .order_by(F("observed_on").desc(), F("recorded_at").desc(), F("pk").desc())
    )


__all__ = [
    "OutcomeCount",
    "OutcomeFigures",
    "internship_case_for_staff",
    "internship_cases",
    "internship_projects",
    "outcome_figures",
    "outcome_history",
    "report_figures",
]
