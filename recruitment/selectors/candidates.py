"""Reads for the recruiter's candidate search, the candidate's profile and their notes (PES staff only).

Who appears: the search and the profile cover active and placed candidates only. A withdrawn candidate
asked that their data no longer be processed for recruitment, and an anonymised one has none left: both
are left out of every list here and their profile is not found (a 404), so no personal data of theirs is
shown, searched or sorted on. A restricted candidate (GDPR art. 18) is left out of every list too, but
staff still open their profile by address, to verify the data and lift the restriction.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.utils import timezone

from candidates.models import (
    Candidate,
    CandidateSkill,
    Consent,
    Diploma,
    LanguageProficiency,
    RecognitionStep,
    TrainingEnrolment,
    WorkExperience,
)
from candidates.models.profile import CandidateQuerySet
from candidates.models.qualifications import CEFR_SKILLS
from candidates.selectors import profile_sections
from core.choices import Region
from core.memo import memoised
from core.models import Organisation, User
from projects.models import Cohort, Project
from recruitment.models import CandidateNote, Match, Placement, PlacementTransition
from recruitment.selectors import is_staff_user
from reference.models import EscoOccupation

# Statuses a recruiter may search and open (see the module docstring).
SEARCHABLE_STATUSES = (Candidate.Status.ACTIVE, Candidate.Status.PLACED)

# The candidate's recognition status, as the search filters it: "has a diploma whose recognition is ...".
# A diploma's status is the furthest of its steps, ranked as the matching adapters rank them
# (``recruitment.adapters.RECOGNITION_RANK``): any equivalence outranks a refusal, a refusal outranks a
# bare request. Licence and registration steps are not equivalences and do not count here.
RECOGNITION_NO_DIPLOMA = "no_diploma"
RECOGNITION_NOT_REQUESTED = "not_requested"
RECOGNITION_PENDING = "pending"
RECOGNITION_RECOGNISED = "recognised"
RECOGNITION_REFUSED = "refused"
EQUIVALENCES = (
    RecognitionStep.Outcome.LEVEL_EQUIVALENCE,
    RecognitionStep.Outcome.PARTIAL,
    RecognitionStep.Outcome.FULL_EQUIVALENCE,
)

# Pipeline filter value for "no case at all".
STAGE_NONE = "none"

REGION_NAMES = dict(Region.choices)

SORT_NAME = "name"
SORT_AVAILABILITY = "availability"
SORT_REGISTERED = "registered"
SORT_SCORE = "score"


@dataclass(frozen=True)
class CandidateSearch:
    """The recruiter's search: every field optional (empty = no filter)."""

    text: str = ""
    occupation_id: int | None = None
    project_id: int | None = None
    cohort_id: int | None = None
    country: str = ""
    language: str = ""
    minimum_level: str = ""
    recognition: str = ""
    available_by: datetime.date | None = None
    stage: str = ""
    status: str = Candidate.Status.ACTIVE
    sort: str = SORT_NAME


def candidates_visible_to(*, user: User, with_restricted: bool = False) -> CandidateQuerySet:
    """Staff: the active and placed candidates (never withdrawn or anonymised ones); anyone else: none.

    ``with_restricted``: also those whose data is restricted (GDPR art. 18), for the pages that open one
    candidate by address (their profile, to verify it and lift the restriction); never for a list.
    """
    if not is_staff_user(user):
        return Candidate.objects.none()
    statuses = (*SEARCHABLE_STATUSES, Candidate.Status.RESTRICTED) if with_restricted else SEARCHABLE_STATUSES
    return Candidate.objects.filter(status__in=statuses).select_related("project", "cohort", "registered_by")


def _text_filter(text: str) -> Q:
    """Every word in the given name, the family name or the partner's reference (case-insensitive)."""
    condition = Q()
    for word in text.split():
        condition &= (
            Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(external_id__icontains=word)
        )
    return condition


def _occupation_filter(occupation_id: int) -> Q:
    """Experience in the occupation, or the occupation among the candidate's wishes.

    One set of ids (a UNION, each side read off an (occupation, candidate) index) rather than two
    correlated EXISTS joined by OR, which PostgreSQL runs once per candidate: at 100k candidates the
    page's count took 190 ms that way, 40 ms this way (issue 11).
    """
    # No ORDER BY in either side (WorkExperience has a default ordering): SQLite refuses one there.
    desired = (
        Candidate.desired_occupations.through.objects.filter(escooccupation_id=occupation_id)
        .order_by()
        .values("candidate_id")
    )
    experienced = WorkExperience.objects.filter(occupation_id=occupation_id).order_by().values("candidate_id")
    return Q(pk__in=experienced.union(desired))


def _language_filter(language: str, minimum_level: str) -> Exists:
    """Speaks ``language`` at ``minimum_level`` or above in EVERY CEFR skill (the weakest skill counts).

    The weakest skill, not an average, because the matching core compares each skill separately with a
    vacancy's requirement: a candidate at B1 everywhere but A2 in writing is not "Dutch B1" for a job
    that asks B1 in writing. A skill never assessed counts as below any level. A native speaker always
    qualifies. CEFR codes sort in level order (A1 < A2 < B1 ...; "" sorts first), so a string comparison
    suffices.
    """
    rows = LanguageProficiency.objects.filter(candidate_id=OuterRef("pk"), language=language)
    if minimum_level:
        rows = rows.filter(Q(is_native=True) | Q(**{f"{skill}__gte": minimum_level for skill in CEFR_SKILLS}))
    return Exists(rows)


def _recognition_filter(status: str) -> Q:
    if status == RECOGNITION_NO_DIPLOMA:
        return ~Q(Exists(Diploma.objects.filter(candidate_id=OuterRef("pk"))))
    steps = RecognitionStep.objects.filter(diploma_id=OuterRef("pk"))
    equivalence = Exists(steps.filter(outcome__in=EQUIVALENCES))
    refusal = Exists(steps.filter(outcome=RecognitionStep.Outcome.REFUSED))
    request = Exists(steps.filter(outcome=RecognitionStep.Outcome.REQUESTED))
    diplomas = Diploma.objects.filter(candidate_id=OuterRef("pk"))
    if status == RECOGNITION_NOT_REQUESTED:
        diplomas = diplomas.filter(~Exists(steps))
    elif status == RECOGNITION_PENDING:
        diplomas = diplomas.filter(request, ~equivalence, ~refusal)
    elif status == RECOGNITION_RECOGNISED:
        diplomas = diplomas.filter(equivalence)
    elif status == RECOGNITION_REFUSED:
        diplomas = diplomas.filter(refusal, ~equivalence)
    else:
        raise ValueError(f"unknown recognition status {status!r}")
    return Q(Exists(diplomas))


def _stage_filter(stage: str) -> Q:
    cases = Placement.objects.filter(candidate_id=OuterRef("pk"))
    if stage == STAGE_NONE:
        return ~Q(Exists(cases))
    return Q(Exists(cases.filter(stage=stage)))


def _best_score() -> Subquery:
    """The candidate's best stored match score (a correlated subquery, evaluated per row returned)."""
    return Subquery(Match.objects.filter(candidate_id=OuterRef("pk")).order_by("-score").values("score")[:1])


def _eligible_count() -> Coalesce:
    counted = (
        Match.objects.filter(candidate_id=OuterRef("pk"), outcome=Match.Outcome.ELIGIBLE)
        .order_by()
        .values("candidate_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


# What a row of the search shows (the page and its download), and what it is ordered by: reading these
# columns only keeps the rows narrow (a candidate has about thirty columns, some of them JSON).
ROW_COLUMNS = (
    "public_id",
    "family_name",
    "given_name",
    "external_id",
    "status",
    "country_of_residence",
    "available_from",
    "created_at",
    "project__name",
    "cohort__name",
)


def _status(search: CandidateSearch) -> str:
    return search.status if search.status in SEARCHABLE_STATUSES else Candidate.Status.ACTIVE


def _searched(search: CandidateSearch) -> CandidateQuerySet:
    """The candidates ``search`` asks for: its filters only, no columns chosen, no order."""
    candidates = Candidate.objects.filter(status=_status(search))
    if search.text.strip():
        candidates = candidates.filter(_text_filter(search.text))
    if search.occupation_id is not None:
        candidates = candidates.filter(_occupation_filter(search.occupation_id))
    if search.project_id is not None:
        candidates = candidates.filter(project_id=search.project_id)
    if search.cohort_id is not None:
        candidates = candidates.filter(cohort_id=search.cohort_id)
    if search.country:
        candidates = candidates.filter(country_of_residence=search.country)
    if search.language:
        candidates = candidates.filter(_language_filter(search.language, search.minimum_level))
    if search.recognition:
        candidates = candidates.filter(_recognition_filter(search.recognition))
    if search.available_by is not None:
        # An unknown availability is not "available by" any date.
        candidates = candidates.filter(available_from__lte=search.available_by)
    if search.stage:
        candidates = candidates.filter(_stage_filter(search.stage))
    return candidates


def _with_row_data(candidates: CandidateQuerySet) -> CandidateQuerySet:
    """What a row shows: its columns, its best match score, the number of vacancies it is eligible for,
    and its open cases (prefetched: one query for all the rows)."""
    return (
        candidates.select_related("project", "cohort")
        .only(*ROW_COLUMNS)
        .annotate(best_score=_best_score(), eligible_count=_eligible_count())
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.open()
                .select_related("vacancy")
                .only("public_id", "stage", "stage_changed_at", "candidate_id", "vacancy__title")
                .order_by("-stage_changed_at", "pk"),
                to_attr="open_cases",
            )
        )
    )


def candidate_search(search: CandidateSearch) -> CandidateQuerySet:
    """The candidates matching ``search``, in its order, each with its best match score, the number of
    vacancies it is eligible for, and its open cases (the download: every row)."""
    return _with_row_data(_searched(search)).order_by(*_ordering(search.sort))


class CandidateSearchResults:
    """The search's candidates as Django's ``Paginator`` reads them (``count()``, then one page's slice),
    in two short queries, then one for the open cases.

    A count, then a sort of whole rows, read every candidate found twice (an occupation finds some 17,000
    of 100k). Here one query returns the ids of the page asked for (``wanted``), in order, with the number
    found beside each (``COUNT(*) OVER ()``): one pass that sorts ids only. A second reads those few rows
    with what they show. A page past the end (the window then has no row to count on) costs a plain count,
    and the page ``Paginator.get_page`` then settles on is read like any other.

    The plain list in name order is the exception: its rows are read in one query off the (status,
    family name, given name, id) index, which stops after one page, and a count off the same index is
    cheaper than the window, which would hold every row to count it.
    """

    def __init__(self, search: CandidateSearch, *, wanted: slice) -> None:
        self._search = search
        self._wanted = wanted
        self._wanted_ids: list[int] | None = None
        self._count: int | None = None
        self._counted_apart = search == CandidateSearch(status=search.status, sort=SORT_NAME)

    def _found(self) -> CandidateQuerySet:
        """The candidates found, with what their order needs (the best score), in no order."""
        candidates = _searched(self._search)
        if self._search.sort == SORT_SCORE:
            candidates = candidates.annotate(best_score=_best_score())
        return candidates

    def _ids(self, page: slice) -> tuple[list[int], int | None]:
        """The ids of ``page`` in order, and the number found (None when the page has no row)."""
        # Ordered by the count first (the same on every row) so that the sort stands above the window:
        # PostgreSQL 15 costs a window as if LIMIT could stop it early, and would walk the name index
        # through every candidate to filter a surname (140 ms at 100k, against 9 from its trigram index).
        rows = list(
            self._found()
            .annotate(found=Window(Count("*")))
            .order_by("found", *_ordering(self._search.sort))
            .values_list("pk", "found")[page.start : page.stop]
        )
        return [pk for pk, _found in rows], (rows[0][1] if rows else None)

    def count(self) -> int:
        if self._count is None:
            if self._counted_apart:
                self._count = self._found().count()
                return self._count
            self._wanted_ids, found = self._ids(self._wanted)
            if found is None:  # past the end, or nothing found (then the first page says so)
                found = 0 if self._wanted.start == 0 else self._found().count()
            self._count = found
        return self._count

    def __getitem__(self, page: slice) -> list[Candidate]:
        if self._counted_apart:
            ordered = self._found().order_by(*_ordering(self._search.sort))
            return list(_with_row_data(ordered)[page.start : page.stop])
        if (
            self._wanted_ids is not None
            and page.start == self._wanted.start
            and page.stop <= self._wanted.stop
        ):
            ids = self._wanted_ids[: page.stop - page.start]  # the last page ends where the count does
        else:
            ids, _found = self._ids(page)
        # The status again: a candidate withdrawn since the first query is never shown.
        rows = _with_row_data(Candidate.objects.filter(pk__in=ids, status=_status(self._search))).in_bulk()
        return [rows[pk] for pk in ids if pk in rows]  # in the search's order


def _ordering(sort: str) -> tuple[str | OrderBy, ...]:
    by_name = ("family_name", "given_name", "pk")
    if sort == SORT_AVAILABILITY:
        return (F("available_from").asc(nulls_last=True), *by_name)
    if sort == SORT_REGISTERED:
        return ("-created_at", "-pk")
    if sort == SORT_SCORE:
        return (F("best_score").desc(nulls_last=True), *by_name)
    return by_name


@dataclass(frozen=True)
class CandidateFilterChoices:
    projects: list[Project]
    cohorts: list[Cohort]
    occupations: list[EscoOccupation]
    countries: list[str]


def candidate_filter_choices() -> CandidateFilterChoices:
    """The search's options: every project and cohort, and the occupations (of experience or wishes) and
    countries of residence of the searchable candidates. Four queries.
    Kept ``READ_CACHE_SECONDS`` in each process (``core.memo``)."""
    return memoised("candidate_filter_choices", _candidate_filter_choices_read)


def _candidate_filter_choices_read() -> CandidateFilterChoices:
    """The search's options: every project and cohort, and the occupations (of experience or wishes) and
    countries of residence of the searchable candidates. Four queries."""
    searchable = Candidate.objects.filter(status__in=SEARCHABLE_STATUSES)
    experienced = WorkExperience.objects.filter(candidate__in=searchable).values("occupation_id")
    desired = Candidate.desired_occupations.through.objects.filter(candidate__in=searchable).values(
        "escooccupation_id"
    )
    occupations = list(
        EscoOccupation.objects.filter(Q(pk__in=experienced) | Q(pk__in=desired)).order_by("label_en", "pk")
    )
    countries = sorted(set(searchable.order_by().values_list("country_of_residence", flat=True).distinct()))
    return CandidateFilterChoices(
        projects=list(Project.objects.order_by("name", "pk")),
        cohorts=list(Cohort.objects.select_related("project").order_by("project__name", "starts_on", "pk")),
        occupations=occupations,
        countries=countries,
    )


# --- The profile --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    in_force: bool


@dataclass(frozen=True)
class CandidateProfile:
    """Everything a recruiter may see of one candidate, read in a fixed number of queries."""

    candidate: Candidate
    languages: list[LanguageProficiency]
    diplomas: Sequence[Diploma]  # each with ``steps``: its recognition steps, oldest first
    experiences: list[WorkExperience]
    skills: list[CandidateSkill]
    desired_occupations: list[EscoOccupation]
    preferred_regions: list[str]  # the regions' names
    enrolments: list[TrainingEnrolment]
    consents: list[ConsentRow]
    # Employers the candidate consents (today) to be proposed to: a proposal to anyone else is refused.
    proposable_to: list[Organisation]
    placements: Sequence[Placement]  # each with ``history``: its moves, oldest first


def _consent_in_force(consent: Consent, now: datetime.datetime) -> bool:
    return (
        consent.withdrawn_at is None
        and consent.granted_at <= now
        and (consent.expires_at is None or consent.expires_at > now)
    )


def candidate_profile(candidate: Candidate) -> CandidateProfile:
    """The candidate's profile sections (about ten queries whatever their size)."""
    now = timezone.now()
    sections = profile_sections(candidate, with_verifier=True)
    consents = [
        ConsentRow(consent, _consent_in_force(consent, now))
        for consent in Consent.objects.filter(candidate=candidate)
        .select_related("recipient")
        .order_by("-granted_at", "pk")
    ]
    proposable: dict[int, Organisation] = {}
    for row in consents:
        consent = row.consent
        if row.in_force and consent.purpose == Consent.Purpose.SHARE_WITH_EMPLOYER and consent.recipient:
            proposable[consent.recipient.pk] = consent.recipient
    placements = list(
        Placement.objects.filter(candidate=candidate)
        .select_related("vacancy", "vacancy__employer")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=PlacementTransition.objects.select_related("actor", "actor_organisation").order_by(
                    "at", "pk"
                ),
                to_attr="history",
            )
        )
        .order_by("-stage_changed_at", "-pk")
    )
    return CandidateProfile(
        candidate=candidate,
        languages=sections.languages,
        diplomas=sections.diplomas,
        experiences=sections.experiences,
        skills=sections.skills,
        desired_occupations=sections.desired_occupations,
        preferred_regions=[str(REGION_NAMES.get(code, code)) for code in candidate.preferred_regions or []],
        enrolments=sections.enrolments,
        consents=consents,
        proposable_to=sorted(proposable.values(), key=lambda organisation: organisation.name),
        placements=placements,
    )


def candidate_matches(candidate: Candidate) -> QuerySet[Match]:
    """The vacancies the candidate matches (stored rows), best first, with vacancy and employer."""
    return (
        Match.objects.filter(candidate=candidate)
        .select_related("vacancy", "vacancy__employer", "vacancy__occupation")
        .order_by("-score", "vacancy_id")
    )


def candidate_notes(candidate: Candidate) -> QuerySet[CandidateNote]:
    """The notes on a candidate, newest first, with their author and the case they concern."""
    return (
        CandidateNote.objects.filter(candidate=candidate)
        .select_related("author", "placement", "placement__vacancy")
        .order_by("-created_at", "-pk")
    )


def candidate_placements(candidate: Candidate) -> QuerySet[Placement]:
    """The candidate's cases (for the note form's "about the case" choice), most recently moved first."""
    return (
        Placement.objects.filter(candidate=candidate)
        .select_related("vacancy", "vacancy__employer")
        .order_by("-stage_changed_at", "-pk")
    )
