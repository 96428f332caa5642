"""The recruiter's dashboard: what needs attention, each section a few rows and a count.

Every section costs a fixed number of queries whatever the number of rows (the first rows with what they
show joined or annotated, and a count), so the page has a query budget (tests/web/test_dashboard.py) and
the same number of queries at 1k and at 100k candidates (issue 11).
"""

import datetime
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Count, F, Max, Model, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from candidates.models import Candidate
from core.choices import Region
from core.models import User
from recruitment.models import DashboardVisit, InterviewSlot, MatchChangeCount, Placement, PlacementQuerySet
from recruitment.selectors import placements_visible_to, vacancies_visible_to
from vacancies.models import Vacancy

SECTION_ROWS = 10
# A user who never marked the dashboard as read sees the changes of the last week.
DEFAULT_WINDOW = datetime.timedelta(days=7)
# Interview dates still to come: offered by the employer, or confirmed with the candidate.
COMING_SLOT_STATUSES = (InterviewSlot.Status.PROPOSED, InterviewSlot.Status.ACCEPTED)
# Open cases waiting on an authority: the diploma recognition and the single permit.
WAITING_STAGES = (Placement.Stage.RECOGNITION, Placement.Stage.PERMIT_FILED)

Row = TypeVar("Row")
Model_ = TypeVar("Model_", bound=Model)


@dataclass(frozen=True)
class Section(Generic[Row]):
    """The first rows of a section and how many there are in all."""

    rows: list[Row]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


@dataclass(frozen=True)
class ChangedVacancy:
    vacancy: Vacancy
    eligible: int  # eligible matches new or changed since
    conditional: int  # near-misses new or changed since
    latest: datetime.datetime


@dataclass(frozen=True)
class OverdueAnswer:
    placement: Placement
    days_overdue: int


@dataclass(frozen=True)
class WaitingCase:
    placement: Placement
    days_waiting: int


@dataclass(frozen=True)
class VacancyWithoutEligible:
    vacancy: Vacancy
    near_misses: int
    computing: bool  # its matches are not computed for its current criteria yet


@dataclass(frozen=True)
class Dashboard:
    since: datetime.datetime
    marked_read: bool  # False: never marked as read, ``since`` is the default window
    changed: Section[ChangedVacancy]
    changed_eligible: int  # in all vacancies, not only the rows shown
    changed_conditional: int
    overdue: Section[OverdueAnswer]
    waiting: Section[WaitingCase]
    without_eligible: Section[VacancyWithoutEligible]
    hidden: Section[Placement]  # open cases hidden from their employer: the consent to share ended
    interviews: Section[InterviewSlot]  # interview dates offered or confirmed, still to come


def dashboard_seen_at(*, user: User) -> datetime.datetime | None:
    """When ``user`` last marked the dashboard as read (None: never)."""
    return DashboardVisit.objects.filter(user=user).values_list("seen_at", flat=True).first()


def dashboard_for(*, user: User, now: datetime.datetime, limit: int = SECTION_ROWS) -> Dashboard:
    """Everything the dashboard shows to ``user`` (staff), as of ``now``."""
    seen_at = dashboard_seen_at(user=user)
    since = seen_at if seen_at is not None else now - DEFAULT_WINDOW
    changed, eligible, conditional = _changed_matches(user=user, since=since, limit=limit)
    return Dashboard(
        since=since,
        marked_read=seen_at is not None,
        changed=changed,
        changed_eligible=eligible,
        changed_conditional=conditional,
        overdue=_overdue_answers(user=user, today=timezone.localdate(now), limit=limit),
        waiting=_waiting_cases(user=user, now=now, limit=limit),
        without_eligible=_vacancies_without_eligible(user=user, limit=limit),
        hidden=_hidden_from_employer(user=user, limit=limit),
        interviews=_interviews_coming(user=user, now=now, limit=limit),
    )


def _cases(user: User) -> PlacementQuerySet:
    """The cases ``user`` may see that a list may show: not those of a candidate whose data is
    restricted (GDPR art. 18), which open by address only until the restriction is lifted."""
    return placements_visible_to(user=user).exclude(candidate__status=Candidate.Status.RESTRICTED)


# What a section's rows show of a case and of a vacancy. A section reads ten rows, but Django would
# build, and PostgreSQL send, every column of every table joined (about 150 for a case with its vacancy,
# employer, occupation, candidate and project); building those queries was most of the page's time.
CASE_COLUMNS = (
    "public_id",
    "stage",
    "stage_changed_at",
    "response_due_on",
    "hidden_from_employer_at",
    "candidate__given_name",  # the candidate's name (``Candidate.__str__``)
    "candidate__family_name",
    "vacancy__title",
    "vacancy__employer__name",
)
VACANCY_COLUMNS = ("public_id", "title", "employer__name")


def _case_rows(cases: PlacementQuerySet) -> PlacementQuerySet:
    """``cases`` with what a row shows only: its candidate's name, its vacancy and employer."""
    return cases.select_related(None).select_related("candidate", "vacancy__employer").only(*CASE_COLUMNS)


def _first(rows: QuerySet[Model_], limit: int) -> tuple[list[Model_], int]:
    """The first ``limit`` of ``rows`` and how many there are, in two queries whatever their number (a
    short section could skip the count, but then the page's queries would depend on the data)."""
    return list(rows[:limit]), rows.count()


def _outcome_count(outcome: str) -> Count:
    return Count("pk", filter=Q(outcome=outcome))


def _changed_matches(
    *, user: User, since: datetime.datetime, limit: int
) -> tuple[Section[ChangedVacancy], int, int]:
    """Changes to matches (new, or a new outcome or score) since ``since``, per vacancy, latest first.

    Read from the hourly ``MatchChangeCount`` rows the recompute keeps, not from the matches: the hour
    ``since`` falls in counts whole, and a pair changed twice counts twice.
    """
    hour = since.replace(minute=0, second=0, microsecond=0)
    changed = MatchChangeCount.objects.filter(
        hour__gte=hour, latest__gt=since, vacancy__in=vacancies_visible_to(user=user).values("pk")
    ).order_by()
    totals = changed.aggregate(
        vacancies=Count("vacancy", distinct=True),
        eligible=Coalesce(Sum("eligible"), 0),
        conditional=Coalesce(Sum("conditional"), 0),
    )
    grouped = list(
        changed.values("vacancy_id")
        .annotate(eligible=Sum("eligible"), conditional=Sum("conditional"), latest=Max("latest"))
        .order_by("-latest", "vacancy_id")[:limit]
    )
    vacancies = (
        Vacancy.objects.select_related("employer")
        .only(*VACANCY_COLUMNS)
        .in_bulk([row["vacancy_id"] for row in grouped])
    )
    rows = [
        ChangedVacancy(vacancies[row["vacancy_id"]], row["eligible"], row["conditional"], row["latest"])
        for row in grouped
        if row["vacancy_id"] in vacancies  # deleted between the two reads
    ]
    return Section(rows, totals["vacancies"]), totals["eligible"], totals["conditional"]


def _overdue_answers(*, user: User, today: datetime.date, limit: int) -> Section[OverdueAnswer]:
    """Proposals the employer has not answered by their deadline, the longest overdue first."""
    overdue = _cases(user).overdue(today).order_by("response_due_on", "proposed_at", "pk")
    placements, count = _first(_case_rows(overdue), limit)
    rows = [
        OverdueAnswer(placement, (today - placement.response_due_on).days)
        for placement in placements
        if placement.response_due_on is not None  # always set: overdue() compares it
    ]
    return Section(rows, count)


def _waiting_cases(*, user: User, now: datetime.datetime, limit: int) -> Section[WaitingCase]:
    """Open cases in diploma recognition or with a single permit filed, waiting longest first."""
    waiting = _cases(user).filter(stage__in=WAITING_STAGES).order_by("stage_changed_at", "pk")
    placements, count = _first(_case_rows(waiting), limit)
    return Section(
        [WaitingCase(placement, (now - placement.stage_changed_at).days) for placement in placements], count
    )


def _vacancies_without_eligible(*, user: User, limit: int) -> Section[VacancyWithoutEligible]:
    """Published Flemish vacancies (the ones that get matches) without one eligible candidate, the
    longest published first, with their near-miss count: what a recruiter could close."""
    # The counts the recompute keeps (VacancyMatchCount): no row yet means no match computed.
    vacancies = (
        vacancies_visible_to(user=user)
        .open()
        .filter(region=Region.FLANDERS)
        .filter(Q(match_count__isnull=True) | Q(match_count__eligible__lte=0))
    )
    shown = list(
        vacancies.select_related(None)
        .select_related("employer")
        .only(*VACANCY_COLUMNS, "published_at", "matched_version", "criteria_version")
        .annotate(near_misses=Coalesce(F("match_count__conditional"), 0))
        .order_by(F("published_at").asc(nulls_last=True), "pk")[:limit]
    )
    rows = [
        VacancyWithoutEligible(
            vacancy, vacancy.near_misses, vacancy.matched_version != vacancy.criteria_version
        )
        for vacancy in shown
    ]
    # As ``_first`` (which would lose the annotation's type): the count always, in a query of its own.
    return Section(rows, vacancies.count())


def _hidden_from_employer(*, user: User, limit: int) -> Section[Placement]:
    """Open cases the employer may no longer see because the candidate's consent to share with it ended
    (flagged by ``recruitment.services.sharing``), the latest first: the recruiter decides what next."""
    hidden = (
        _cases(user)
        .open()
        .filter(hidden_from_employer_at__isnull=False)
        .order_by("-hidden_from_employer_at", "-pk")
    )
    return Section(*_first(_case_rows(hidden), limit))


def _interviews_coming(*, user: User, now: datetime.datetime, limit: int) -> Section[InterviewSlot]:
    """Interview dates the employers offered (or the recruiter confirmed) on open cases ``user`` may see,
    still to come, the soonest first: the first rows with their case, and a count, in two queries."""
    slots = InterviewSlot.objects.filter(
        placement__in=_cases(user).open().values("pk"),
        status__in=COMING_SLOT_STATUSES,
        starts_at__gte=now,
    )
    rows = (
        slots.select_related("placement__vacancy__employer", "placement__candidate")
        .only("starts_at", "status", *(f"placement__{column}" for column in CASE_COLUMNS))
        .order_by("starts_at", "pk")
    )
    return Section(*_first(rows, limit))
