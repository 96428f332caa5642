"""Reads of the recruiter's placement board: a column per open stage, closed stages as counts.

The board reads in two queries whatever the number of cases: one count per stage, and the first cards
of every column at once (a window function numbers the cases within their stage, so each column is
capped in the database, not in Python). The filters are the placement list's
(``recruitment.selectors.placement_list_for_staff``), so both views always show the same cases.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from core.memo import memoised
from core.models import Organisation
from projects.models import Project
from recruitment.models import InterviewSlot, Placement, PlacementStage
from recruitment.selectors import placement_list_for_staff
from recruitment.workflow import FINAL_STAGES, ORDER, Stage
from vacancies.models import Vacancy

# Cards shown per column; the rest are counted, with a link to the list filtered by that stage.
CARDS_PER_COLUMN = 20

# Outcomes rather than work in progress: the final stages, and "still employed after 12 months", the
# last milestone (only an end may follow it). They are summarised as counts under the board.
# Done on the board, though still open to a last move: retained a year, or an intern back home (whose
# follow-up after return is on the internships pages).
CLOSED_STAGES: frozenset[Stage] = FINAL_STAGES | {Stage.EMPLOYED_12M, Stage.RETURNED}
OPEN_STAGES: tuple[Stage, ...] = tuple(stage for stage in ORDER if stage not in CLOSED_STAGES)
CLOSED_ORDER: tuple[Stage, ...] = tuple(stage for stage in ORDER if stage in CLOSED_STAGES)


@dataclass(frozen=True)
class BoardCard:
    placement: Placement
    days_in_stage: int
    overdue: bool  # a proposal whose employer's answer is past due
    next_interview_at: datetime.datetime | None = None  # the soonest interview date offered or confirmed
    interview_confirmed: bool = False  # that date is the one the candidate accepted


@dataclass(frozen=True)
class BoardColumn:
    stage: str
    label: str
    total: int
    cards: list[BoardCard]

    @property
    def more(self) -> int:
        """Cases in this stage not shown as cards."""
        return self.total - len(self.cards)


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    total: int


@dataclass(frozen=True)
class Board:
    columns: list[BoardColumn]
    closed: list[StageCount]

    @property
    def total(self) -> int:
        return sum(column.total for column in self.columns) + sum(count.total for count in self.closed)


def placement_board(
    *,
    today: datetime.date,
    vacancy_id: int | None = None,
    employer_id: int | None = None,
    project_id: int | None = None,
    overdue_only: bool = False,
    per_column: int = CARDS_PER_COLUMN,
    now: datetime.datetime | None = None,
) -> Board:
    """The board of every case matching the filters, the cases longest in their stage first; each card
    with its next interview date still to come after ``now`` (annotated: no query per card)."""
    cases = placement_list_for_staff(
        vacancy_id=vacancy_id,
        employer_id=employer_id,
        project_id=project_id,
        overdue_on=today if overdue_only else None,
    )
    totals: dict[str, int] = dict(
        cases.order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    coming = InterviewSlot.objects.filter(
        placement=OuterRef("pk"),
        status__in=(InterviewSlot.Status.PROPOSED, InterviewSlot.Status.ACCEPTED),
        starts_at__gte=now or timezone.now(),
    ).order_by("starts_at", "pk")
    numbered = cases.filter(stage__in=[stage.value for stage in OPEN_STAGES]).annotate(
        position=Window(
            RowNumber(), partition_by=[F("stage")], order_by=[F("stage_changed_at").asc(), F("pk").asc()]
        ),
        next_interview_at=Subquery(coming.values("starts_at")[:1]),
        next_interview_status=Subquery(coming.values("status")[:1]),
    )
    cards: dict[str, list[BoardCard]] = {}
    for placement in numbered.filter(position__lte=per_column).order_by("stage_changed_at", "pk"):
        cards.setdefault(placement.stage, []).append(_card(placement, today))
    labels = dict(PlacementStage.choices)
    return Board(
        columns=[
            BoardColumn(stage, str(labels[stage]), totals.get(stage, 0), cards.get(stage, []))
            for stage in OPEN_STAGES
        ],
        closed=[StageCount(stage, str(labels[stage]), totals.get(stage, 0)) for stage in CLOSED_ORDER],
    )


def _card(placement: Placement, today: datetime.date) -> BoardCard:
    since = timezone.localtime(placement.stage_changed_at).date()
    due = placement.response_due_on
    return BoardCard(
        placement=placement,
        days_in_stage=max((today - since).days, 0),
        overdue=placement.stage == Stage.PROPOSED and due is not None and due < today,
        next_interview_at=getattr(placement, "next_interview_at", None),
        interview_confirmed=getattr(placement, "next_interview_status", "") == InterviewSlot.Status.ACCEPTED,
    )


def placement_filter_choices() -> tuple[list[Vacancy], list[Organisation], list[Project]]:
    """Vacancies, employers and projects that have at least one case (the list's and board's filters).
    Kept ``READ_CACHE_SECONDS`` in each process (``core.memo``)."""
    return memoised("placement_filter_choices", _placement_filter_choices_read)


def _placement_filter_choices_read() -> tuple[list[Vacancy], list[Organisation], list[Project]]:
    """Vacancies, employers and projects that have at least one case (the list's and board's filters)."""
    vacancies = list(
        Vacancy.objects.filter(placements__isnull=False)
        .select_related("employer")
        .distinct()
        .order_by("title", "pk")
    )
    employers = list(
        Organisation.objects.filter(vacancies__placements__isnull=False).distinct().order_by("name")
    )
    projects = list(Project.objects.filter(candidates__placements__isnull=False).distinct().order_by("name"))
    return vacancies, employers, projects
