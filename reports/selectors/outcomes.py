"""Outcomes against targets, over time, and the share of women at each step.

The totals ARE the funnel's: ``project_funnel`` (the same per-process memo as the funnel page, so the
report and the funnel page show the same figure at the same moment). The breakdown over time selects each
step's candidates with the funnel's own condition (``funnel_step_condition``: a live record OR a step retained
by the data lifecycle) and dates each one by the first time they reached the step:

- registered: when the candidate was registered;
- trained: the earliest completion of a programme of the project;
- matched: when their first case was opened, else when their eligible match got its outcome;
- a placement step: the first move of any of their cases to the step's stage (the move log); from the
  start of work on, of their employment cases only, as the funnel counts (``case_counts_for_step``).

A candidate counted only through a retained step (their case was pruned or they were erased) has no date
left: ``RetainedFunnelStep`` keeps "reached", nothing more (data minimisation). They are counted as
"date no longer held", so every row still adds up to the funnel's figure.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from django.db.models import Count, DateField, Exists, F, OuterRef, Q, Subquery
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Trunc
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, RecognitionStep, TrainingEnrolment
from projects.models import Cohort, FunnelRecord, FunnelStep, Project
from recruitment.models import Match, Placement, PlacementTransition
from recruitment.models.funnel import PLACEMENT_STEP_STAGES, case_counts_for_step
from recruitment.selectors.funnel import (
    FunnelRow,
    funnel_registered,  # the funnel's own candidates of a project or cohort: the report must not differ
    funnel_step_condition,  # the funnel's one definition of "reached the step"
    project_funnel,
)
from recruitment.workflow import Stage

# Below this many candidates who declared their sex, no share is shown: a share of three people says more
# about those three than about the project (the usual small-numbers rule of official statistics).
SMALL_GROUP = 5


class Period(StrEnum):
    QUARTER = "quarter"
    MONTH = "month"

    @property
    def label(self) -> str:
        return str(_("Quarter") if self is Period.QUARTER else _("Month"))


PERIOD_MONTHS = {Period.QUARTER: 3, Period.MONTH: 1}


@dataclass(frozen=True)
class StepOverTime:
    step: str
    label: str
    total: int  # the funnel's figure
    target: int | None
    percent_of_target: int | None
    by_period: dict[datetime.date, int]  # the start of a period -> candidates who first reached it then
    undated: int  # counted through a retained step only: the date is no longer held

    def cumulative(self, periods: list[datetime.date]) -> list[int]:
        """Candidates who had reached the step by the end of each period (the undated left out)."""
        running, values = 0, []
        for period in periods:
            running += self.by_period.get(period, 0)
            values.append(running)
        return values


@dataclass(frozen=True)
class OutcomesOverTime:
    period: Period
    periods: list[datetime.date]  # every period from the first date to the last, none skipped
    steps: list[StepOverTime]
    funnel_rows: list[FunnelRow]  # the funnel page's rows, as they are (its chart is drawn from them)


def _first_reached(step: FunnelStep, project: Project) -> Combinable:
    """When the candidate (the outer row) first reached ``step`` through a record still held."""
    if step == FunnelStep.REGISTERED:
        return F("created_at")
    if step == FunnelStep.TRAINED:
        return Subquery(
            TrainingEnrolment.objects.filter(
                candidate=OuterRef("pk"),
                status=TrainingEnrolment.Status.COMPLETED,
                programme__project=project,
                completed_on__isnull=False,
            )
            .order_by("completed_on")
            .values("completed_on")[:1]
        )
    if step == FunnelStep.MATCHED:
        first_case = Placement.objects.filter(candidate=OuterRef("pk")).order_by("created_at")
        # ``changed_at`` moves only when the outcome or the score changes: a nightly recompute of the same
        # result does not make an old match look new.
        first_match = (
            Match.objects.filter(candidate=OuterRef("pk"), outcome=Match.Outcome.ELIGIBLE)
            .annotate(since=Coalesce("changed_at", "computed_at"))
            .order_by("since")
        )
        return Coalesce(
            Subquery(first_case.values("created_at")[:1]), Subquery(first_match.values("since")[:1])
        )
    stage = PLACEMENT_STEP_STAGES[step]
    # The first move that counts at the step in the funnel (from the start of work on: an employment case).
    return Subquery(
        PlacementTransition.objects.filter(
            case_counts_for_step(step, "placement__"), placement__candidate=OuterRef("pk"), to_stage=stage
        )
        .order_by("at")
        .values("at")[:1]
    )


def _month_start(day: datetime.date, period: Period) -> datetime.date:
    month = day.month - (day.month - 1) % PERIOD_MONTHS[period]
    return datetime.date(day.year, month, 1)


def _periods_between(first: datetime.date, last: datetime.date, period: Period) -> list[datetime.date]:
    step = PERIOD_MONTHS[period]
    periods, current = [], _month_start(first, period)
    while current <= last:
        periods.append(current)
        months = current.year * 12 + current.month - 1 + step
        current = datetime.date(months // 12, months % 12 + 1, 1)
    return periods


def _by_period(
    step: FunnelStep, project: Project, cohort: Cohort | None, period: Period
) -> dict[datetime.date | None, int]:
    """Candidates at ``step`` (the funnel's condition) per period of their first arrival; key None for
    those with no date left. One grouped query."""
    rows = (
        funnel_registered(project, cohort)
        .filter(funnel_step_condition(step, project))
        .annotate(period=Trunc(_first_reached(step, project), period.value, output_field=DateField()))
        .order_by()
        .values("period")
        .annotate(n=Count("pk"))
    )
    return {row["period"]: row["n"] for row in rows}


def outcomes_over_time(
    *, project: Project, cohort: Cohort | None = None, period: Period = Period.QUARTER
) -> OutcomesOverTime:
    """Each funnel step: the funnel's figure and target, and when its candidates reached it.

    One query per step (a fixed number, whatever the number of candidates or cases), plus the funnel's.
    """
    funnel_rows: list[FunnelRow] = project_funnel(project=project, cohort=cohort)
    counted = {row.step: _by_period(FunnelStep(row.step), project, cohort, period) for row in funnel_rows}
    dated = [day for by in counted.values() for day in by if day is not None]
    periods = _periods_between(min(dated), max(dated), period) if dated else []
    steps = [
        StepOverTime(
            step=row.step,
            label=row.label,
            total=row.actual,
            target=row.target,
            percent_of_target=row.percent_of_target,
            by_period={day: n for day, n in counted[row.step].items() if day is not None},
            undated=counted[row.step].get(None, 0),
        )
        for row in funnel_rows
    ]
    return OutcomesOverTime(period=period, periods=periods, steps=steps, funnel_rows=funnel_rows)


@dataclass(frozen=True)
class WomenAtStep:
    step: str
    label: str
    candidates: int  # at the step (the funnel's figure)
    declared: int  # of whom declared their sex (female, male or X)
    women: int  # 0 when hidden
    percent: int | None  # women among the declared, rounded; None when hidden or nobody declared

    @property
    def suppressed(self) -> bool:
        """Fewer than ``SMALL_GROUP`` declared: nothing about them is shown."""
        return 0 < self.declared < SMALL_GROUP

    @property
    def small_split(self) -> bool:
        """Enough declared, but the women or the others among them are a small group: hidden too."""
        return self.declared >= SMALL_GROUP and self.percent is None


def _small(n: int) -> bool:
    return 0 < n < SMALL_GROUP


def _women_hidden(declared: int, women: int) -> bool:
    """Whether the count of women (and so the share) must be hidden. Not only below ``SMALL_GROUP``
    declarations: the declared are shown, so a count of women also tells ``declared - women``, the men and
    X among them; either group of 1 to 4 people is hidden. None (0) or all (declared - women = 0) tells
    nothing about one person that the group does not: shown."""
    return declared < SMALL_GROUP or _small(women) or _small(declared - women)


@dataclass(frozen=True)
class WomenShare:
    target_percent: int | None  # the project's target share of women
    steps: list[WomenAtStep]


def women_share(*, project: Project, cohort: Cohort | None = None) -> WomenShare:
    """The share of women among the candidates at each step who declared their sex, in one query.

    Sex is optional and self-declared (``Candidate.sex``, blank = not declared); the share is of those
    who declared, never of everyone, and is hidden when a group is small (``_women_hidden``). An
    anonymised candidate's sex was erased with the rest: they count as not declared.

    Grouped by sex: each step's condition (subqueries over cases and retained steps) is evaluated once
    per candidate and step, not once per figure; a handful of rows (one per value of sex) come back.
    """
    rows_by_sex = (
        funnel_registered(project, cohort)
        .order_by()
        .values("sex")
        .annotate(
            **{step.value: Count("pk", filter=funnel_step_condition(step, project)) for step in FunnelStep}
        )
    )
    totals = {step.value: {"n": 0, "declared": 0, "women": 0} for step in FunnelStep}
    for found in cast(Iterable[dict[str, Any]], rows_by_sex):  # one column per step, named after it
        for step in FunnelStep:
            n = found[step.value]
            totals[step.value]["n"] += n
            if found["sex"] != "":
                totals[step.value]["declared"] += n
            if found["sex"] == Candidate.Sex.FEMALE:
                totals[step.value]["women"] += n
    rows = []
    for step in FunnelStep:
        n_declared, n_women = totals[step.value]["declared"], totals[step.value]["women"]
        shown = not _women_hidden(n_declared, n_women)
        rows.append(
            WomenAtStep(
                step=step.value,
                label=str(step.label),
                candidates=totals[step.value]["n"],
                declared=n_declared,
                women=n_women if shown else 0,
                percent=round(n_women * 100 / n_declared) if shown else None,
            )
        )
    return WomenShare(target_percent=project.target_women_percent, steps=rows)


@dataclass(frozen=True)
class OtherOutcome:
    code: str
    label: str
    candidates: int


# The decisions that let a diploma count in Flanders (a partial equivalence still needs exemptions).
FAVOURABLE_RECOGNITION = (
    RecognitionStep.Outcome.LEVEL_EQUIVALENCE,
    RecognitionStep.Outcome.FULL_EQUIVALENCE,
    RecognitionStep.Outcome.LICENCE_GRANTED,
    RecognitionStep.Outcome.REGISTRATION_GRANTED,
)


def outcomes_beyond_the_funnel(*, project: Project, cohort: Cohort | None = None) -> list[OtherOutcome]:
    """Outcomes funders ask for that are not funnel steps (no target, not retained by the data lifecycle:
    an erased candidate leaves these counts), in one query: candidates whose case went through the
    diploma recognition stage, and candidates with a diploma recognised (any case or none)."""
    through_recognition = Q(
        Exists(
            PlacementTransition.objects.filter(
                placement__candidate=OuterRef("pk"), to_stage=Stage.RECOGNITION
            )
        )
    )
    recognised = Q(
        Exists(
            RecognitionStep.objects.filter(
                diploma__candidate=OuterRef("pk"), outcome__in=[o.value for o in FAVOURABLE_RECOGNITION]
            )
        )
    )
    found = funnel_registered(project, cohort).aggregate(
        through_recognition=Count("pk", filter=through_recognition),
        recognised=Count("pk", filter=recognised),
    )
    return [
        OtherOutcome(
            "through_recognition",
            str(_("A case went through diploma recognition")),
            found["through_recognition"],
        ),
        OtherOutcome(
            "recognised", str(_("Diploma recognised (equivalence or licence)")), found["recognised"]
        ),
    ]


def documented_figures(*, project: Project, cohort: Cohort | None = None) -> list[FunnelRecord]:
    """What public sources report for the project (or cohort), with their source: the funders' own
    figures, "selected" included, which the live funnel has no step for."""
    records = FunnelRecord.objects.filter(project=project)
    records = records.filter(cohort=cohort) if cohort is not None else records.filter(cohort__isnull=True)
    return list(records.order_by(F("as_of").asc(nulls_last=True), "stage", "pk"))
