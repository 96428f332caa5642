"""Reads across the recruitment domain. Selectors never write."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from candidates.models import Candidate, CandidateSkill, Diploma, LanguageProficiency, WorkExperience
from candidates.models.qualifications import CEFR_SKILLS
from core.choices import CEFR_CODES, Region
from core.compiled import compiled_values
from core.memo import memoised
from core.models import Organisation, User
from core.roles import STAFF_ROLES, is_pes_staff, is_staff_user  # noqa: F401 (asked here by many apps)
from projects.models import Cohort, Project
from recruitment.adapters import vacancy_terms_facts
from recruitment.matching.facts import ReferenceFacts, ThresholdCategory
from recruitment.matching.results import Reason, Route
from recruitment.matching.routes import (
    FUNCTION_VKS_RULE_FROM,
    OTHER_MAXIMUM_FUNCTION_VKS,
    OTHER_MEDIUM_ONLY_FROM,
    blue_card_contract,
    labour_market_test,
    medium_pay_category,
    trainee_duration,
)
from recruitment.models import (
    Match,
    MatchFacetKind,
    MatchJob,
    MatchQuerySet,
    Placement,
    PlacementQuerySet,
    PlacementTransition,
    VacancyMatchFacet,
)
from recruitment.partner_scope import partner_placements
from reference.in_force import ProvisionalPart, in_force_on
from reference.models import EscoOccupation, SalaryThreshold, ShortageList, ShortageListOccupation
from vacancies.models import Vacancy, VacancyQuerySet


def platform_counts() -> dict[str, int]:
    """Aggregate counts for the public landing page: no personal data, no per-organisation figures."""
    return {
        "projects": Project.objects.count(),
        "vacancies": Vacancy.objects.open().count(),
        "candidates": Candidate.objects.visible().count(),
        "occupations": EscoOccupation.objects.count(),
    }


def matches_for_vacancy(vacancy: Vacancy, *, outcome: str | None = None) -> MatchQuerySet:
    """A vacancy's stored matches, best score first (ties by candidate id): the recruiter's shortlist.

    ``outcome``: ``eligible`` or ``conditional`` (near-misses are shown apart); None for both.
    """
    matches = Match.objects.filter(vacancy=vacancy)
    if outcome is not None:
        matches = matches.filter(outcome=outcome)
    return matches.select_related("candidate").ranked()


def matches_for_candidate(candidate: Candidate, *, outcome: str | None = None) -> MatchQuerySet:
    """The open vacancies one candidate matches, best score first (ties by vacancy id)."""
    matches = Match.objects.filter(candidate=candidate)
    if outcome is not None:
        matches = matches.filter(outcome=outcome)
    return matches.select_related("vacancy", "vacancy__employer").order_by("-score", "vacancy_id")


def match_job_for(vacancy: Vacancy) -> MatchJob | None:
    """The vacancy's latest match job (for a progress display or an operator)."""
    return MatchJob.objects.filter(vacancy=vacancy).order_by("-created_at", "-pk").first()


def placements_for_partner(*, organisation: Organisation) -> PlacementQuerySet:
    """The cases of the candidates a partner agency registered and still sees (its API and webhooks see
    only these: ``recruitment.partner_scope``)."""
    return (
        partner_placements(organisation=organisation)
        .select_related("vacancy", "candidate")
        .order_by("-stage_changed_at", "pk")
    )


def placements_for_employer(*, organisation: Organisation) -> PlacementQuerySet:
    """The cases an employer may see on its own vacancies (``PlacementQuerySet.shared_with_employer``)."""
    return (
        Placement.objects.for_employer(organisation)
        .select_related("vacancy", "candidate")
        .order_by("-stage_changed_at", "pk")
    )


def placement_history(placement: Placement) -> QuerySet[PlacementTransition]:
    """Every move of one case, oldest first, with who made it."""
    return placement.transitions.select_related("actor", "actor_organisation").order_by("at", "pk")


# --- The browser application: every read is scoped to the signed-in user --------------------------
#
# Staff of the public employment service see every vacancy and case; an employer user sees its own
# organisation's vacancies and only the cases proposed to it; anyone else sees none of them. Views fetch
# objects only through these functions, so an object out of scope is simply not found (a 404).


def _employer_organisation(user: User) -> int | None:
    if user.role == User.Role.EMPLOYER_USER and user.organisation_id is not None:
        return user.organisation_id
    return None


def vacancies_visible_to(*, user: User) -> VacancyQuerySet:
    """Staff: every vacancy; an employer user: its organisation's; anyone else: none."""
    vacancies = Vacancy.objects.select_related("employer", "occupation")
    if is_staff_user(user):
        return vacancies
    organisation_id = _employer_organisation(user)
    if organisation_id is not None:
        return vacancies.filter(employer_id=organisation_id)
    return vacancies.none()


def placements_visible_to(*, user: User) -> PlacementQuerySet:
    """Staff: every case; an employer user: the cases proposed to it that the candidate still shares with
    it (``PlacementQuerySet.shared_with_employer``); anyone else: none."""
    placements = Placement.objects.select_related(
        "vacancy", "vacancy__employer", "vacancy__occupation", "candidate", "candidate__project"
    )
    if is_staff_user(user):
        return placements
    organisation_id = _employer_organisation(user)
    if organisation_id is not None:
        # Proposed to it, and only while the candidate consents to share with it (the one rule).
        return placements.for_employer(organisation_id)
    return placements.none()


def _match_count(outcome: str) -> Coalesce:
    """The vacancy's count kept by the recompute (``VacancyMatchCount``; none yet: zero)."""
    return Coalesce(F(f"match_count__{outcome}"), 0)


def vacancy_list_for_staff(
    *, occupation_id: int | None = None, employer_id: int | None = None, status: str | None = None
) -> VacancyQuerySet:
    """The recruiter's vacancy list, newest first, with the number of eligible and near-miss matches."""
    vacancies = Vacancy.objects.select_related("employer", "occupation").annotate(
        eligible_count=_match_count(Match.Outcome.ELIGIBLE),
        conditional_count=_match_count(Match.Outcome.CONDITIONAL),
    )
    if occupation_id is not None:
        vacancies = vacancies.filter(occupation_id=occupation_id)
    if employer_id is not None:
        vacancies = vacancies.filter(employer_id=employer_id)
    if status:
        vacancies = vacancies.filter(status=status)
    return vacancies.order_by("-created_at", "-pk")


def vacancy_filter_choices() -> tuple[list[Organisation], list[EscoOccupation]]:
    """Employers and occupations that have at least one vacancy (the list's filter options).
    Kept ``READ_CACHE_SECONDS`` in each process (``core.memo``)."""
    return memoised("vacancy_filter_choices", _vacancy_filter_choices_read)


def _vacancy_filter_choices_read() -> tuple[list[Organisation], list[EscoOccupation]]:
    """Employers and occupations that have at least one vacancy (the list's filter options)."""
    employers = list(
        Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER, vacancies__isnull=False)
        .distinct()
        .order_by("name")
    )
    occupations = list(EscoOccupation.objects.filter(vacancies__isnull=False).distinct().order_by("label_en"))
    return employers, occupations


@dataclass(frozen=True)
class RouteNote:
    """A condition of the matching core on the vacancy alone that a route does not meet: it closes the
    route, or (``reason.closable``) the route can open once it is met, as a publication under way."""

    route: str
    reason: Reason


@dataclass(frozen=True)
class VacancyOutlook:
    """What the vacancy itself brings to the permit question today: the shortage lists its occupation is
    on, and the routes its own terms leave open. The candidate's facts decide the rest (see the matches,
    where every route is checked in full by the matching core)."""

    in_flanders: bool
    lists: tuple[str, ...]  # kinds (ShortageList.Kind) of the Flemish lists valid today
    routes: tuple[str, ...]  # route codes, as in Match.routes
    reduced_threshold_only: bool  # the highly skilled route only at the reduced (under 30, nurse) threshold
    # Why a route that the lists, thresholds and levels leave open is closed, or not yet open.
    notes: tuple[RouteNote, ...] = ()
    # Thresholds and lists applied provisionally: the day's are not published yet (reference.in_force).
    provisional: tuple[ProvisionalPart, ...] = ()


def vacancy_outlooks(vacancies: list[Vacancy], *, day: datetime.date) -> dict[int, VacancyOutlook]:
    """The outlook of each vacancy on ``day``, in two queries whatever the number of vacancies (their
    employer and occupation loaded with them).

    The conditions on the vacancy alone that the matching core checks by itself (the labour-market test
    of the publication dates, the Blue Card contract, the pay category) are the core's own functions, on
    the same day the matches hold for: the summary cannot say a route can open when every match says it
    is closed. Thresholds, lists and function levels are compared here, as the core does per candidate.
    """
    in_force = in_force_on(day, region=Region.FLANDERS)
    list_ids = tuple(in_force.list_ids())
    occupation_ids = tuple(sorted({v.occupation_id for v in vacancies}))
    on_lists: dict[int, set[str]] = {}
    for occupation_id, kind in compiled_values(
        ("vacancy_outlooks", list_ids, occupation_ids),
        lambda: (
            ShortageListOccupation.objects.filter(
                entry__shortage_list_id__in=list_ids, occupation_id__in=occupation_ids
            )
            .values_list("occupation_id", "entry__shortage_list__kind")
            .distinct()
        ),
    ):
        on_lists.setdefault(occupation_id, set()).add(kind)
    thresholds = in_force.amounts()  # the later start wins, as in the matching adapters
    provisional = in_force.provisional_parts(
        categories=(
            SalaryThreshold.Category.HIGHLY_SKILLED,
            SalaryThreshold.Category.HIGHLY_SKILLED_REDUCED,
            SalaryThreshold.Category.EU_BLUE_CARD,
        ),
        kinds=(ShortageList.Kind.MIGRATION_MEDIUM_SKILLED, ShortageList.Kind.VDAB_SHORTAGE),
    )
    listed = {
        kind: frozenset(occupation for occupation, kinds in on_lists.items() if kind in kinds)
        for kind in (ShortageList.Kind.MIGRATION_MEDIUM_SKILLED, ShortageList.Kind.VDAB_SHORTAGE)
    }
    facts = ReferenceFacts(
        reference_date=day,
        thresholds=tuple(
            (ThresholdCategory(category), amount) for category, amount in sorted(thresholds.items())
        ),
        migration_list_occupation_ids=listed[ShortageList.Kind.MIGRATION_MEDIUM_SKILLED],
        vdab_list_occupation_ids=listed[ShortageList.Kind.VDAB_SHORTAGE],
        isced_to_vks=(),  # the crosswalk serves the candidate-side rules only, never applied here
    )
    return {
        vacancy.pk: _outlook(
            vacancy, on_lists.get(vacancy.occupation_id, set()), thresholds, facts, provisional
        )
        for vacancy in vacancies
    }


def _outlook(
    vacancy: Vacancy,
    kinds: set[str],
    thresholds: dict[str, Decimal],
    facts: ReferenceFacts,
    provisional: tuple[ProvisionalPart, ...] = (),
) -> VacancyOutlook:
    if vacancy.region != Region.FLANDERS:
        return VacancyOutlook(False, (), (), False)
    if vacancy.kind == Vacancy.Kind.INTERNSHIP:
        # An internship has the trainee route alone; its vacancy side is the duration (routes.check_trainee).
        duration = trainee_duration(vacancy_terms_facts(vacancy))
        open_route = all(reason.closable for reason in duration)
        trainee = Route.TRAINEE.value
        notes = tuple(RouteNote(trainee, reason) for reason in duration)
        return VacancyOutlook(
            True, tuple(sorted(kinds)), (trainee,) if open_route else (), False, notes, provisional
        )
    day = facts.reference_date
    salary = vacancy.gross_annual_salary_eur
    full = thresholds.get(SalaryThreshold.Category.HIGHLY_SKILLED)
    reduced = thresholds.get(SalaryThreshold.Category.HIGHLY_SKILLED_REDUCED)
    blue_card = thresholds.get(SalaryThreshold.Category.EU_BLUE_CARD)
    minimum_vks = 3 if day >= OTHER_MEDIUM_ONLY_FROM else 2
    # What the summary compares itself: lists, thresholds and levels (the core compares them per candidate).
    compared = {
        Route.HIGHLY_SKILLED: (day < FUNCTION_VKS_RULE_FROM or vacancy.function_vks_level >= 5)
        and any(threshold is not None and salary >= threshold for threshold in (full, reduced)),
        Route.EU_BLUE_CARD: blue_card is not None and salary >= blue_card,
        Route.MEDIUM_SKILLED_SHORTAGE: ShortageList.Kind.MIGRATION_MEDIUM_SKILLED in kinds
        and not vacancy.is_secondment,
        Route.OTHER_VDAB_LIST: ShortageList.Kind.VDAB_SHORTAGE in kinds
        and minimum_vks <= vacancy.function_vks_level <= OTHER_MAXIMUM_FUNCTION_VKS,
    }
    # The core's own rules on the vacancy alone. A closable failure (a publication under way, a pay
    # category to confirm) leaves the route able to open, as the matches are then near-misses.
    terms = vacancy_terms_facts(vacancy)
    core: dict[Route, list[Reason]] = {
        Route.HIGHLY_SKILLED: [],
        Route.EU_BLUE_CARD: blue_card_contract(terms, facts),
        Route.MEDIUM_SKILLED_SHORTAGE: medium_pay_category(terms),
        Route.OTHER_VDAB_LIST: labour_market_test(terms, facts),
    }
    routes = tuple(
        route.value
        for route in compared
        if compared[route] and all(reason.closable for reason in core[route])
    )
    # Noted only where the core's finding is what stands in the way: on a route closed anyway it is noise.
    notes = tuple(
        RouteNote(route.value, reason) for route in compared if compared[route] for reason in core[route]
    )
    reduced_only = Route.HIGHLY_SKILLED.value in routes and (full is None or salary < full)
    return VacancyOutlook(True, tuple(sorted(kinds)), routes, reduced_only, notes, provisional)


def vacancy_matches(
    vacancy: Vacancy,
    *,
    outcome: str,
    project_id: int | None = None,
    cohort_id: int | None = None,
    country: str | None = None,
    language: str | None = None,
    level: str | None = None,
) -> MatchQuerySet:
    """One section of the vacancy page (eligible, or the near-misses), best first, with filters.

    ``language`` and ``level`` (a CEFR code): the candidate has at least ``level`` in every one of the
    five CEFR skills of that language, the rule the language criterion applies to a requirement of that
    level (``recruitment.matching.eligibility.check_mandatory_languages``); a skill left blank counts as
    below it. The NT2 module and courses in progress do not count, as in the matching.
    """
    matches = matches_for_vacancy(vacancy, outcome=outcome).select_related("candidate__project")
    if project_id is not None:
        matches = matches.filter(candidate__project_id=project_id)
    if cohort_id is not None:
        matches = matches.filter(candidate__cohort_id=cohort_id)
    if country:
        matches = matches.filter(candidate__country_of_residence=country)
    if language and level:
        # Compared as a set of codes, not as strings: no dependence on the database's collation.
        at_least = CEFR_CODES[CEFR_CODES.index(level) :]
        proficient = LanguageProficiency.objects.filter(
            candidate_id=OuterRef("candidate_id"),
            language=language,
            **{f"{skill}__in": at_least for skill in CEFR_SKILLS},
        )
        matches = matches.filter(Exists(proficient))
    return matches


def vacancy_match_filter_choices(vacancy: Vacancy) -> tuple[list[Project], list[Cohort], list[str]]:
    """Projects, cohorts and countries of residence of the vacancy's matched candidates (filter options),
    from the values the recompute keeps (``recruitment.services.match_facets``: one small read)."""
    values: dict[str, set[str]] = {kind.value: set() for kind in MatchFacetKind}
    for kind, value in VacancyMatchFacet.objects.filter(vacancy=vacancy).values_list("kind", "value"):
        values[kind].add(value)
    projects = list(Project.objects.filter(pk__in=values[MatchFacetKind.PROJECT]).order_by("name"))
    cohorts = list(
        Cohort.objects.filter(pk__in=values[MatchFacetKind.COHORT])
        .select_related("project")
        .order_by("project__name", "starts_on", "name")
    )
    return projects, cohorts, sorted(values[MatchFacetKind.COUNTRY])


def placements_by_candidate(vacancy: Vacancy, candidate_ids: list[int]) -> dict[int, Placement]:
    """The cases already open for these candidates on this vacancy (to show a stage, not a button)."""
    return {
        placement.candidate_id: placement
        for placement in Placement.objects.filter(vacancy=vacancy, candidate_id__in=candidate_ids)
    }


def placement_list_for_staff(
    *,
    stage: str | None = None,
    vacancy_id: int | None = None,
    employer_id: int | None = None,
    project_id: int | None = None,
    overdue_on: datetime.date | None = None,
) -> PlacementQuerySet:
    """Every case, latest move first; the filters of the list and the board.

    ``overdue_on``: only the proposals whose employer's answer was due before that day. The cases of a
    candidate whose data is restricted (GDPR art. 18) are left out: the case page still opens by address
    and from the candidate's page, but no list processes them until the restriction is lifted.
    """
    placements = Placement.objects.select_related("vacancy", "vacancy__employer", "candidate").exclude(
        candidate__status=Candidate.Status.RESTRICTED
    )
    if stage:
        placements = placements.filter(stage=stage)
    if vacancy_id is not None:
        placements = placements.filter(vacancy_id=vacancy_id)
    if employer_id is not None:
        placements = placements.filter(vacancy__employer_id=employer_id)
    if project_id is not None:
        placements = placements.filter(candidate__project_id=project_id)
    if overdue_on is not None:
        placements = placements.overdue(overdue_on)
    return placements.order_by("-stage_changed_at", "-pk")


def match_for_placement(placement: Placement) -> Match | None:
    """The stored match behind a case, if the pair still matches (the case outlives it)."""
    return Match.objects.filter(vacancy_id=placement.vacancy_id, candidate_id=placement.candidate_id).first()


def employer_vacancy_list(*, organisation_id: int) -> VacancyQuerySet:
    """An employer's own vacancies with the number of candidates proposed to it on each (those it may
    see: a count must not reveal a case hidden from it)."""
    proposed = (
        Placement.objects.shared_with_employer()
        .filter(vacancy=OuterRef("pk"))
        .order_by()
        .values("vacancy")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Vacancy.objects.filter(employer_id=organisation_id)
        .select_related("occupation")
        .annotate(proposal_count=Coalesce(Subquery(proposed), 0))
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class DiplomaSummary:
    title: str
    isced_level: int
    field: str
    country: str
    recognition: str  # the latest recognition outcome, "" when never requested


@dataclass(frozen=True)
class LanguageSummary:
    language: str  # the language's name in the user's language
    native: bool
    levels: tuple[str, str, str, str, str]  # listening, reading, spoken interaction, production, writing
    nt2_level: str
    evidence: str


@dataclass(frozen=True)
class ProposalProfile:
    """What an employer may see of a proposed candidate (domain rules in architecture.md, "Web UI").

    Until the employer invites the candidate (``Placement.identity_revealed_at``), no name, contact, date
    of birth or nationality: skills, languages, experience, diplomas and their recognition only. The
    identity fields are filled only once revealed, so a template cannot show what it was never given.
    """

    reference: str
    revealed: bool
    skills: list[tuple[str, str]]  # (label, evidence)
    languages: list[LanguageSummary]
    experience: list[tuple[str, str, datetime.date, datetime.date | None]]  # occupation, country, from, to
    diplomas: list[DiplomaSummary]
    available_from: datetime.date | None
    name: str = ""
    email: str = ""
    phone: str = ""


def placement_reference(placement: Placement) -> str:
    """A pseudonym for the case, stable and meaningless outside it (``Placement.reference``)."""
    return placement.reference


def proposal_profile(placement: Placement) -> ProposalProfile:
    """The candidate of a case as its employer may see them (or as staff see the same view)."""
    candidate = placement.candidate
    revealed = placement.identity_revealed_at is not None
    skills = [
        (link.skill.label, link.get_evidence_display())
        for link in CandidateSkill.objects.filter(candidate=candidate)
        .select_related("skill")
        .order_by("skill__label_en")
    ]
    languages = [
        LanguageSummary(
            language=row.get_language_display(),
            native=row.is_native,
            levels=(row.listening, row.reading, row.spoken_interaction, row.spoken_production, row.writing),
            nt2_level=row.nt2_level,
            evidence=row.get_evidence_display(),
        )
        for row in LanguageProficiency.objects.filter(candidate=candidate).order_by("-is_native", "language")
    ]
    experience = [
        # Countries only once the identity is revealed: where someone studied and worked hints at a
        # nationality, which must not weigh on the decision to invite.
        (row.occupation.label, row.country if revealed else "", row.started_on, row.ended_on)
        for row in WorkExperience.objects.filter(candidate=candidate)
        .select_related("occupation")
        .order_by("-started_on")
    ]
    diplomas = []
    for diploma in (
        Diploma.objects.filter(candidate=candidate)
        .prefetch_related("recognition_steps")
        .order_by("-isced_level")
    ):
        steps = sorted(diploma.recognition_steps.all(), key=lambda step: (step.requested_on, step.pk))
        diplomas.append(
            DiplomaSummary(
                title=diploma.title,
                isced_level=diploma.isced_level,
                field=diploma.field,
                country=diploma.country if revealed else "",
                recognition=steps[-1].get_outcome_display() if steps else "",
            )
        )
    return ProposalProfile(
        reference=placement_reference(placement),
        revealed=revealed,
        skills=skills,
        languages=languages,
        experience=experience,
        diplomas=diplomas,
        available_from=candidate.available_from,
        name=f"{candidate.given_name} {candidate.family_name}" if revealed else "",
        email=candidate.email if revealed else "",
        phone=candidate.phone if revealed else "",
    )
