"""The counts the fairness pages compare, read as aggregates. Selectors never write.

Each pool is read in ONE grouped query: a row per combination of first nationality, sex and age band
(a few dozen rows, however many candidates), with the pool's size and how many were shortlisted,
proposed and hired. ``fairness.method`` does the rest without the database.

Who is in a pool (docs/fairness.md, "The pool"):
- a vacancy: candidates with a stored eligible match for it, and every candidate with a case for it (a
  case may start from a near-miss, and a recompute drops the matches of a candidate placed or withdrawn
  since: selected people stay in the pool they were selected from, as in the funnel's "Matched" step);
- a project or one of its cohorts: its candidates.
Restricted candidates (GDPR art. 18: their data may not be processed) and anonymised ones (nothing left to
group by) are never counted.
"""

import datetime

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform

from candidates.models import Candidate
from fairness.method import AGE_BANDS, UNKNOWN, Cell, born_by
from projects.models import Cohort, FunnelStep, Project
from recruitment.models import Match, Placement, PlacementTransition, RetainedFunnelStep
from recruitment.models.funnel import PLACEMENT_STEP_STAGES
from recruitment.workflow import Stage
from vacancies.models import Vacancy

# What each monitored stage means. Hired: the candidate accepted the employer's offer (the case may still
# end later, at the permit say: the employer's choice was made).
PROPOSED = Stage.PROPOSED
HIRED = Stage.OFFER_ACCEPTED
NOT_COUNTED = (Candidate.Status.RESTRICTED, Candidate.Status.ANONYMISED)
# The funnel steps past an accepted offer: a candidate who reached one through a case since pruned was
# hired (recruitment/workflow.py: a permit is filed only after an accepted offer).
_STEPS_AFTER_HIRE = [
    FunnelStep.PERMIT_FILED,
    FunnelStep.PERMIT_GRANTED,
    FunnelStep.ARRIVED,
    FunnelStep.STARTED,
    FunnelStep.EMPLOYED_6M,
    FunnelStep.EMPLOYED_12M,
]


def _age_band(on: datetime.date) -> Case:
    """The age band on ``on`` as SQL: the date of birth compared with the latest birth date of each band
    (``fairness.method.born_by``), oldest band first. No age function: the same on SQLite and PostgreSQL,
    and exact on birthdays."""
    whens = [
        When(date_of_birth__lte=born_by(on, lowest), then=Value(code))
        for code, lowest in reversed(AGE_BANDS[1:])
    ]
    return Case(*whens, default=Value(AGE_BANDS[0][0]), output_field=CharField())


def _cells(
    pool: QuerySet[Candidate], *, shortlisted: Q, proposed: Q, hired: Q, on: datetime.date
) -> list[Cell]:
    rows = (
        pool.exclude(status__in=NOT_COUNTED)
        # The first nationality listed (docs/fairness.md: one group per person, so the groups add up).
        .annotate(nationality_group=KeyTextTransform("0", "nationalities"), band=_age_band(on))
        .order_by()
        .values("nationality_group", "sex", "band")
        .annotate(
            n_pool=Count("pk"),
            n_shortlisted=Count("pk", filter=shortlisted),
            n_proposed=Count("pk", filter=proposed),
            n_hired=Count("pk", filter=hired),
        )
    )
    return [
        Cell(
            nationality=row["nationality_group"] or UNKNOWN,
            sex=row["sex"] or UNKNOWN,
            age_band=row["band"],
            pool=row["n_pool"],
            shortlisted=row["n_shortlisted"],
            proposed=row["n_proposed"],
            hired=row["n_hired"],
        )
        for row in rows
    ]


def _moved_to(stage: Stage, **case: object) -> Q:
    """The candidate (the outer row) has a case (filtered by ``case``) that ever moved to ``stage``."""
    lookups = {f"placement__{name}": value for name, value in case.items()}
    return Q(
        Exists(
            PlacementTransition.objects.filter(placement__candidate=OuterRef("pk"), to_stage=stage, **lookups)
        )
    )


def vacancy_cells(*, vacancy: Vacancy, on: datetime.date) -> list[Cell]:
    """The vacancy's pool and its selections, by nationality, sex and age band on ``on``."""
    has_case = Q(Exists(Placement.objects.filter(vacancy=vacancy, candidate=OuterRef("pk"))))
    eligible = Q(
        Exists(
            Match.objects.filter(vacancy=vacancy, candidate=OuterRef("pk"), outcome=Match.Outcome.ELIGIBLE)
        )
    )
    return _cells(
        Candidate.objects.filter(eligible | has_case),
        shortlisted=has_case,
        proposed=_moved_to(PROPOSED, vacancy=vacancy),
        hired=_moved_to(HIRED, vacancy=vacancy),
        on=on,
    )


def _retained(steps: list[FunnelStep]) -> Q:
    return Q(Exists(RetainedFunnelStep.objects.filter(candidate=OuterRef("pk"), step__in=steps)))


def cohort_cells(*, project: Project, cohort: Cohort | None, on: datetime.date) -> list[Cell]:
    """The candidates of the project (or of one of its cohorts) and their selections for any vacancy.

    A case pruned by the data lifecycle left its funnel steps behind (``RetainedFunnelStep``); they count
    here as in the funnel, so that these figures never shrink when old cases are deleted.
    """
    candidates = Candidate.objects.filter(project=project)
    if cohort is not None:
        candidates = candidates.filter(cohort=cohort)
    placement_steps = list(PLACEMENT_STEP_STAGES)
    return _cells(
        candidates,
        shortlisted=Q(Exists(Placement.objects.filter(candidate=OuterRef("pk"))))
        | _retained(placement_steps),
        proposed=_moved_to(PROPOSED) | _retained([FunnelStep.PROPOSED]),
        hired=_moved_to(HIRED) | _retained(_STEPS_AFTER_HIRE),
        on=on,
    )
