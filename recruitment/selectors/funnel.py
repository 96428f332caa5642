"""A project's live funnel against its targets, and the candidates at each step. Selectors never write.

The funnel lives in recruitment (not in projects) because most of its steps are read from placements,
and projects is the lower layer. Every figure is computed in a fixed number of queries whatever the
number of candidates, cases or projects: one aggregate over the candidates (registered, trained,
matched), one grouped query over the move log (every placement step), one for the targets.

Anonymised candidates (a GDPR erasure keeps the row with status "anonymised") are COUNTED, never
LISTED. The funnel reports aggregates to funders and coordinators; a count that shrank whenever
someone exercised their right to erasure would rewrite results already reported. An anonymised
person can never be singled out from these pages: the drill-down omits them and says only how many
were left out, and their profile route is a 404 (``recruitment.selectors.candidates``).

For the same reason the data lifecycle never lowers a count: before it deletes what proves a step (an
ended unsuccessful case pruned after the retention period, the cases and programmes of an erased
candidate), it records the step in ``RetainedFunnelStep``, and every step here reads "proved by a live
record OR retained" (``funnel_step_condition``, ``funnel_figures``).
"""

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from candidates.models import Candidate, TrainingEnrolment
from candidates.models.profile import CandidateQuerySet
from core.memo import memoised
from core.models import User
from projects.models import Cohort, FunnelStep, FunnelTarget, Project
from recruitment.models import Match, Placement, PlacementTransition, RetainedFunnelStep
from recruitment.models.funnel import PLACEMENT_STEP_STAGES, case_counts_for_step
from recruitment.selectors import is_staff_user
from recruitment.workflow import FINAL_STAGES, ORDER, Stage

if TYPE_CHECKING:  # django-stubs' helper exists for the type checker only (a development dependency)
    from django_stubs_ext import WithAnnotations

STEPS: tuple[FunnelStep, ...] = tuple(FunnelStep)
PLACEMENT_STEPS: tuple[FunnelStep, ...] = tuple(PLACEMENT_STEP_STAGES)


@dataclass(frozen=True)
class FunnelRow:
    """One step of a funnel: how many reached it, against the target, and from the step before."""

    step: str
    label: str
    actual: int
    target: int | None
    percent_of_target: int | None  # rounded; None without a target (or a target of 0)
    # % of the previous step's candidates who also reached this one, rounded (never above 100); None for
    # the first step or from 0
    conversion: int | None
    # Candidates counted here who never reached the previous step (a step that does not depend on the one
    # before: matched without a completed training of the project); the page says so next to the figure.
    skipped: int = 0
    previous_label: str = ""


def projects_visible_to(*, user: User) -> QuerySet[Project]:
    """Projects and their funnels are for the public employment service's staff only: employers and
    partners see no count or chart of any project (their views refuse them before this is reached)."""
    if is_staff_user(user):
        return Project.objects.all()
    return Project.objects.none()


def project_cohorts(*, project: Project) -> list[Cohort]:
    """The project's cohorts, the earliest first (the cohort selector; any other cohort is a 404)."""
    return list(project.cohorts.order_by("starts_on", "pk"))


def _reached_stage(stage: Stage) -> Exists:
    """The candidate (the outer row) has a case that ever moved to ``stage``."""
    return Exists(PlacementTransition.objects.filter(placement__candidate=OuterRef("pk"), to_stage=stage))


def _reached_step(step: FunnelStep) -> Exists:
    """The candidate (the outer row) has a case that counts at ``step`` (``case_counts_for_step``: from
    the start of work on, an employment case) and ever moved to its stage."""
    return Exists(
        PlacementTransition.objects.filter(
            case_counts_for_step(step, "placement__"),
            placement__candidate=OuterRef("pk"),
            to_stage=PLACEMENT_STEP_STAGES[step],
        )
    )


def _retained(step: FunnelStep) -> Q:
    """The candidate (the outer row) reached ``step`` through records the data lifecycle deleted."""
    return Q(Exists(RetainedFunnelStep.objects.filter(candidate=OuterRef("pk"), step=step)))


def funnel_step_condition(step: FunnelStep, project: Project) -> Q:
    """Whether a candidate of ``project`` has reached ``step``: the one definition the counts and the
    drill-down share (tests check that they agree)."""
    if step == FunnelStep.REGISTERED:
        return Q()
    return _live_step_condition(step, project) | _retained(step)


def _live_step_condition(step: FunnelStep, project: Project) -> Q:
    """What proves ``step`` among the records still held (not ``REGISTERED``: every candidate has it)."""
    if step == FunnelStep.TRAINED:
        # Completed a programme of this project (a cohort's own programme or one for the whole project).
        return Q(
            Exists(
                TrainingEnrolment.objects.filter(
                    candidate=OuterRef("pk"),
                    status=TrainingEnrolment.Status.COMPLETED,
                    programme__project=project,
                )
            )
        )
    if step == FunnelStep.MATCHED:
        # A stored eligible match now, or a case: a case starts from a stored match (a person shortlists
        # on an explained suggestion), but the recompute drops the matches of a candidate who is no longer
        # active (placed, withdrawn). Counting the eligible matches alone let "Proposed" outgrow "Matched"
        # (issue 12, item 15): every candidate proposed has reached this step.
        return Q(Exists(Match.objects.filter(candidate=OuterRef("pk"), outcome=Match.Outcome.ELIGIBLE))) | Q(
            Exists(Placement.objects.filter(candidate=OuterRef("pk")))
        )
    return Q(_reached_step(step))


def funnel_registered(project: Project, cohort: Cohort | None) -> CandidateQuerySet:
    """The candidates a funnel (and the funders' report) counts: the project's, or its cohort's."""
    candidates = Candidate.objects.filter(project=project)
    if cohort is not None:
        candidates = candidates.filter(cohort=cohort)
    return candidates


@dataclass(frozen=True)
class FunnelFigures:
    counts: dict[str, int]  # distinct candidates per step
    skipped: dict[str, int]  # per step: candidates counted there who never reached the step before


def funnel_figures(*, project: Project, cohort: Cohort | None = None) -> FunnelFigures:
    """Distinct candidates of the project (or of one of its cohorts) at each step, and how many of them
    skipped the step before, in two queries.

    By design only "Matched" holds candidates the step before does not: training is no condition for a
    match.
    Every step is within "Registered"; a case makes a candidate matched (``funnel_step_condition``); the
    placement steps are nested by the state machine, which the move log is checked against anyway (a
    case imported at a later stage would show here, explained, rather than as a rate above 100 %).
    """
    candidates = funnel_registered(project, cohort)
    trained = funnel_step_condition(FunnelStep.TRAINED, project)
    matched = funnel_step_condition(FunnelStep.MATCHED, project)
    found = candidates.aggregate(
        registered=Count("pk"),
        trained=Count("pk", filter=trained),
        matched=Count("pk", filter=matched),
        matched_untrained=Count("pk", filter=matched & ~trained),
    )
    # One row per candidate with a case or a retained step, a 1 for each step reached (a move to its
    # stage, or the step retained when a case was pruned or erased); then summed over them. Both
    # relations are joined at once: a candidate's rows multiply, which Max does not mind.
    reached = (
        candidates.filter(
            Q(Exists(Placement.objects.filter(candidate=OuterRef("pk"))))
            | Q(Exists(RetainedFunnelStep.objects.filter(candidate=OuterRef("pk"))))
        )
        .order_by()
        .values("pk")
        .annotate(
            **{
                step.value: Max(
                    Case(
                        When(
                            (
                                Q(placements__transitions__to_stage=stage.value)
                                & case_counts_for_step(step, "placements__")
                            )
                            | Q(retained_funnel_steps__step=step.value),
                            then=Value(1),
                        ),
                        default=Value(0),
                        output_field=IntegerField(),
                    )
                )
                for step, stage in PLACEMENT_STEP_STAGES.items()
            }
        )
    )
    sums = {f"n_{step.value}": Sum(step.value) for step in PLACEMENT_STEPS}
    for before, step in pairwise(PLACEMENT_STEPS):
        sums[f"skipped_{step.value}"] = Sum(
            Case(When(Q(**{step.value: 1, before.value: 0}), then=Value(1)), default=Value(0))
        )
    by_step = reached.aggregate(**sums)
    counts = {key: found[key] for key in ("registered", "trained", "matched")}
    skipped = {step.value: 0 for step in STEPS}
    skipped[FunnelStep.MATCHED.value] = found["matched_untrained"]
    for step in PLACEMENT_STEPS:
        counts[step.value] = by_step[f"n_{step.value}"] or 0
        skipped[step.value] = by_step.get(f"skipped_{step.value}") or 0
    return FunnelFigures(counts=counts, skipped=skipped)


# The internship's own steps (docs/pathways/internships.md): not funnel steps with targets (the funnel's
# steps are nested, and an employment never reaches these), counted beside the funnel from the same log.
INTERNSHIP_STAGES: tuple[Stage, ...] = (Stage.INTERNSHIP_COMPLETED, Stage.RETURNED)


def internship_reached(*, project: Project, cohort: Cohort | None = None) -> dict[str, int]:
    """Distinct candidates of the project (or cohort) whose case ever reached each internship stage
    (``internship_completed``, ``returned``), in one query."""
    return funnel_registered(project, cohort).aggregate(
        **{stage.value: Count("pk", filter=Q(_reached_stage(stage))) for stage in INTERNSHIP_STAGES}
    )


def funnel_counts(*, project: Project, cohort: Cohort | None = None) -> dict[str, int]:
    """Distinct candidates of the project (or of one of its cohorts) at each step, in two queries."""
    return funnel_figures(project=project, cohort=cohort).counts


def funnel_targets(*, project: Project, cohort: Cohort | None = None) -> dict[str, int]:
    """The targets per step: the project's own (cohort empty), or the cohort's. A cohort without targets
    of its own has none: the project's targets are for all its cohorts together, never per cohort."""
    targets = FunnelTarget.objects.filter(project=project)
    targets = targets.filter(cohort=cohort) if cohort is not None else targets.filter(cohort__isnull=True)
    return dict(targets.order_by().values_list("step", "count"))


def _percent(part: int, whole: int | None) -> int | None:
    if not whole:
        return None
    return round(part * 100 / whole)


def project_funnel(*, project: Project, cohort: Cohort | None = None) -> list[FunnelRow]:
    """Every step in order with its actual, target, % of target and conversion from the step before.

    The counts read every candidate of the project (tens of thousands at national scale, each checked
    for an eligible match): each web process keeps them ``READ_CACHE_SECONDS`` (``core.memo``), so the
    chart may be that much behind; the drill-down of a step always reads afresh.
    """
    figures = memoised(
        f"funnel:{project.pk}:{cohort.pk if cohort else ''}",
        lambda: funnel_figures(project=project, cohort=cohort),
    )
    targets = funnel_targets(project=project, cohort=cohort)
    rows: list[FunnelRow] = []
    previous: FunnelStep | None = None
    for step in STEPS:
        actual = figures.counts[step.value]
        skipped = figures.skipped[step.value]
        target = targets.get(step.value)
        rows.append(
            FunnelRow(
                step=step.value,
                label=str(step.label),
                actual=actual,
                target=target,
                percent_of_target=_percent(actual, target),
                conversion=(
                    None if previous is None else _percent(actual - skipped, figures.counts[previous.value])
                ),
                skipped=skipped,
                previous_label="" if previous is None else str(previous.label),
            )
        )
        previous = step
    return rows


def funnel_step_candidates(
    *, project: Project, step: FunnelStep, cohort: Cohort | None = None
) -> CandidateQuerySet:
    """The candidates at ``step`` who may be shown (never the anonymised, nor those whose data is
    restricted: GDPR art. 18), by name, with their cohort."""
    return (
        funnel_registered(project, cohort)
        .filter(funnel_step_condition(step, project))
        .exclude(status__in=LEFT_OUT_STATUSES)
        .select_related("cohort")
        .order_by("family_name", "given_name", "pk")
    )


def funnel_step_anonymised_count(*, project: Project, step: FunnelStep, cohort: Cohort | None = None) -> int:
    """How many anonymised candidates the step counts but the drill-down leaves out."""
    return (
        funnel_registered(project, cohort)
        .filter(funnel_step_condition(step, project), status=Candidate.Status.ANONYMISED)
        .count()
    )


# Counted by the funnel, never listed in its drill-down: no data left (anonymised), or data that may be
# stored only (restricted, GDPR art. 18: a restriction must not rewrite the figures already reported).
LEFT_OUT_STATUSES = (Candidate.Status.ANONYMISED, Candidate.Status.RESTRICTED)


@dataclass(frozen=True)
class LeftOut:
    anonymised: int
    restricted: int


def funnel_step_left_out(*, project: Project, step: FunnelStep, cohort: Cohort | None = None) -> LeftOut:
    """How many candidates the step counts but the drill-down leaves out, by why, in one query."""
    counts = (
        funnel_registered(project, cohort)
        .filter(funnel_step_condition(step, project), status__in=LEFT_OUT_STATUSES)
        .aggregate(
            anonymised=Count("pk", filter=Q(status=Candidate.Status.ANONYMISED)),
            restricted=Count("pk", filter=Q(status=Candidate.Status.RESTRICTED)),
        )
    )
    return LeftOut(anonymised=counts["anonymised"], restricted=counts["restricted"])


def _stage_rank(stage: str) -> tuple[bool, int]:
    """Open cases before closed ones, then the furthest along the workflow."""
    return (Stage(stage) not in FINAL_STAGES, ORDER.index(Stage(stage)))


def most_advanced_stages(candidate_ids: list[int]) -> dict[int, str]:
    """The stage of each candidate's most advanced case (open before closed), in one query."""
    best: dict[int, str] = {}
    for candidate_id, stage in Placement.objects.filter(candidate_id__in=candidate_ids).values_list(
        "candidate_id", "stage"
    ):
        current = best.get(candidate_id)
        if current is None or _stage_rank(stage) > _stage_rank(current):
            best[candidate_id] = stage
    return best


def _reached_count(step: FunnelStep) -> Coalesce:
    """Distinct candidates of the outer project whose cases ever reached ``step``'s stage, counting as the
    funnel does (``case_counts_for_step``): a correlated count, evaluated for the rows shown only."""
    reached = (
        PlacementTransition.objects.filter(
            case_counts_for_step(step, "placement__"),
            placement__candidate__project=OuterRef("pk"),
            to_stage=PLACEMENT_STEP_STAGES[step],
        )
        .order_by()
        .values("placement__candidate__project")
        .annotate(n=Count("placement__candidate", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(reached), 0)


class ProjectCounts(TypedDict):
    registered_count: int
    started_count: int


def project_list_for_staff() -> "QuerySet[WithAnnotations[Project, ProjectCounts]]":
    """Every project, the latest start first, with its registered and started counts (two correlated
    counts per row shown: the number of queries does not grow with the projects or their candidates)."""
    registered = (
        Candidate.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Project.objects.annotate(
        registered_count=Coalesce(Subquery(registered), 0),
        started_count=_reached_count(FunnelStep.STARTED),
    ).order_by(F("starts_on").desc(nulls_last=True), "name", "pk")
