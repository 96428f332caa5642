"""Reads the partner API needs that the other apps have no selector for (yet).

``projects`` and ``reference`` have no selectors module; these use the models' own querysets. They
belong in those apps' selectors once they have them (reported to their owners). What a partner sees of
matches and cases is ``recruitment.partner_scope``, shared with the webhooks.
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from agreements.selectors import active_shares, agency_shares_prefetch, vacancies_shared_with
from candidates.models import (
    Candidate,
    CandidateSkill,
    Consent,
    Diploma,
    LanguageProficiency,
    Licence,
    RecognitionStep,
    TrainingEnrolment,
    WorkExperience,
)
from candidates.selectors import PARTNER_VISIBLE_STATUSES, candidates_for_partner
from core.choices import Region
from core.models import Organisation
from projects.models import Cohort, Project, ProjectPartner, TrainingProgramme
from recruitment import selectors as recruitment_selectors
from recruitment.matching.results import Route
from recruitment.matching.routes import (
    FUNCTION_VKS_RULE_FROM,
    LABOUR_MARKET_WINDOW_MONTHS,
    OTHER_MAXIMUM_FUNCTION_VKS,
    OTHER_MEDIUM_ONLY_FROM,
    TRAINEE_MAX_MONTHS,
    TRAINEE_MIN_MONTHS,
    months_before,
)
from recruitment.models import Match, MatchRemoval, Placement, PlacementTransition
from recruitment.partner_scope import partner_match_removals, partner_matches, partner_vacancies_seen
from reference.in_force import in_force_lists, thresholds_in_force
from reference.models import SalaryThreshold, ShortageList, ShortageListOccupation
from vacancies.models import Vacancy, VacancyLanguageRequirement, VacancySkill
from vacancies.selectors import vacancies_for_partner


def projects_for_partner(*, organisation: Organisation) -> QuerySet[Project]:
    """The projects ``organisation`` takes part in (any role), with their cohorts and programmes."""
    return (
        Project.objects.filter(
            Exists(ProjectPartner.objects.filter(project_id=OuterRef("pk"), organisation=organisation))
        )
        .prefetch_related(
            Prefetch("cohorts", queryset=Cohort.objects.order_by("starts_on", "pk")),
            Prefetch("programmes", queryset=TrainingProgramme.objects.order_by("pk")),
        )
        .order_by("code")
    )


def cohorts_for_partner(*, organisation: Organisation) -> QuerySet[Cohort]:
    return Cohort.objects.filter(
        Exists(ProjectPartner.objects.filter(project_id=OuterRef("project_id"), organisation=organisation))
    )


def programmes_for_partner(*, organisation: Organisation) -> QuerySet[TrainingProgramme]:
    return TrainingProgramme.objects.filter(
        Exists(ProjectPartner.objects.filter(project_id=OuterRef("project_id"), organisation=organisation))
    )


def consent_recipients_for_partner(
    *, organisation: Organisation, candidate_external_id: str | None = None
) -> QuerySet[Organisation]:
    """Whom a partner may record a sharing consent for: employers of the vacancies it sees, and the
    organisations taking part in its projects. For one of its candidates (by ``candidate_external_id``)
    also whom that candidate already consented to and the employers of the candidate's live cases: the
    partner can send back the consents it read, and record the one a case is waiting for. Those ids are
    the partner's to know; any other organisation reads like an id that does not exist."""
    employers = vacancies_for_partner(organisation=organisation).filter(employer_id=OuterRef("pk"))
    co_partners = ProjectPartner.objects.filter(
        organisation_id=OuterRef("pk"), project__partnerships__organisation=organisation
    )
    allowed = Q(Exists(employers)) | Q(Exists(co_partners))
    if candidate_external_id is not None:
        candidate = candidates_for_partner(organisation=organisation, external_id=candidate_external_id)
        consented = Consent.objects.filter(candidate__in=candidate.values("pk"), recipient_id=OuterRef("pk"))
        live_cases = (
            recruitment_selectors.placements_for_partner(organisation=organisation)
            .open()
            .filter(candidate__in=candidate.values("pk"), vacancy__employer_id=OuterRef("pk"))
        )
        allowed |= Q(Exists(consented)) | Q(Exists(live_cases))
    return Organisation.objects.filter(allowed)


# --- Vacancies: shortage lists and permit routes as query filters ---------------------------------


def _flemish_list_occupations(kind: str, day: datetime.date) -> QuerySet[ShortageListOccupation]:
    """The occupations on the lists of ``kind`` in force on ``day`` (reference.in_force: provisionally the
    latest published ones when the day's are not published yet)."""
    lists = in_force_lists(day, region=Region.FLANDERS).filter(kind=kind)
    return ShortageListOccupation.objects.filter(entry__shortage_list__in=lists)


def _on_list(kind: str, day: datetime.date) -> Q:
    occupations = _flemish_list_occupations(kind, day).filter(occupation_id=OuterRef("occupation_id"))
    return Q(region=Region.FLANDERS) & Q(Exists(occupations))


def _on_any_list(day: datetime.date) -> Q:
    occupations = ShortageListOccupation.objects.filter(
        entry__shortage_list__in=in_force_lists(day, region=Region.FLANDERS),
        occupation_id=OuterRef("occupation_id"),
    )
    return Q(region=Region.FLANDERS) & Q(Exists(occupations))


def _thresholds(day: datetime.date) -> dict[str, Decimal]:
    # In force on the day (reference.in_force); the later start wins, as in the matching adapters.
    return {
        category: row.amount for category, row in thresholds_in_force(day, region=Region.FLANDERS).items()
    }


NOTHING = Q(pk__in=[])


def route_condition(route: str, day: datetime.date) -> Q:
    """The vacancy-side conditions of a permit route on ``day``, as a filter.

    The same rules as ``recruitment.selectors.vacancy_outlooks`` (which the answer shows, and which a
    test compares with this): whether the vacancy's own terms leave the route open. Whether a candidate
    qualifies is the match's business.
    """
    if route == Route.TRAINEE:
        # An internship's only route (routes.trainee_duration): 3 to 6 months, or not stated yet.
        duration = Q(contract_months__isnull=True) | Q(
            contract_months__gte=TRAINEE_MIN_MONTHS, contract_months__lte=TRAINEE_MAX_MONTHS
        )
        return Q(region=Region.FLANDERS, kind=Vacancy.Kind.INTERNSHIP) & duration
    # The single-permit routes are for employment: an internship has the trainee route instead.
    return Q(kind=Vacancy.Kind.EMPLOYMENT) & _employment_route_condition(route, day)


def _employment_route_condition(route: str, day: datetime.date) -> Q:
    thresholds = _thresholds(day)
    flanders = Q(region=Region.FLANDERS)
    if route == Route.HIGHLY_SKILLED:
        known = [
            thresholds[c]
            for c in (
                SalaryThreshold.Category.HIGHLY_SKILLED,
                SalaryThreshold.Category.HIGHLY_SKILLED_REDUCED,
            )
            if c in thresholds
        ]
        if not known:
            return NOTHING
        function = Q() if day < FUNCTION_VKS_RULE_FROM else Q(function_vks_level__gte=5)
        return flanders & function & Q(gross_annual_salary_eur__gte=min(known))
    if route == Route.EU_BLUE_CARD:
        threshold = thresholds.get(SalaryThreshold.Category.EU_BLUE_CARD)
        if threshold is None:
            return NOTHING
        long_enough = Q(contract_type=Vacancy.ContractType.INDEFINITE) | Q(contract_months__gte=6)
        return flanders & Q(gross_annual_salary_eur__gte=threshold) & long_enough
    if route == Route.MEDIUM_SKILLED_SHORTAGE:
        pay = Q(pay_category__in=["", Vacancy.PayCategory.SKILLED, Vacancy.PayCategory.HIGHLY_SKILLED])
        return _on_list(ShortageList.Kind.MIGRATION_MEDIUM_SKILLED, day) & pay & Q(is_secondment=False)
    if route == Route.OTHER_VDAB_LIST:
        minimum = 3 if day >= OTHER_MEDIUM_ONLY_FROM else 2
        # The labour-market test: published on VDAB and EURES within the window (a publication still
        # short of nine weeks is under way: the route stays open, as in matching).
        window_start = months_before(day, LABOUR_MARKET_WINDOW_MONTHS)
        return _on_list(ShortageList.Kind.VDAB_SHORTAGE, day) & Q(
            function_vks_level__gte=minimum,
            function_vks_level__lte=OTHER_MAXIMUM_FUNCTION_VKS,
            vdab_published_on__gte=window_start,
            eures_published_on__gte=window_start,
        )
    raise ValueError(route)


def shortage_condition(value: str, day: datetime.date) -> Q:
    """``any`` / ``none`` / a list kind: the vacancy's occupation on a Flemish list valid on ``day``."""
    if value == "any":
        return _on_any_list(day)
    if value == "none":
        return ~_on_any_list(day)
    return _on_list(value, day)


def occupation_condition(value: str) -> Q:
    """An ESCO occupation URI, or an ISCO-08 code of 1 to 4 digits (the group and everything under it)."""
    if value.isdigit():
        return Q(occupation__isco_group__code__startswith=value)
    return Q(occupation__uri=value)


def vacancies_for_partner_list(
    *,
    organisation: Organisation,
    day: datetime.date,
    occupation: str | None = None,
    region: str | None = None,
    shortage_list: str | None = None,
    permit_route: str | None = None,
    project_code: str | None = None,
    published_since: datetime.datetime | None = None,
    updated_since: datetime.datetime | None = None,
    shared: bool | None = None,
    agreement: str | None = None,
) -> QuerySet[Vacancy]:
    """The vacancies a partner sees, filtered, in the order they were created (a stable order for
    paging), with what their answer shows: those open to its projects, and those shared with it under an
    agreement (``shared``: only those, or only the others; ``agreement``: shared under this code; with
    ``shared=False``: the others than those, the API refusing that pair as contradictory)."""
    vacancies = vacancies_for_partner(organisation=organisation) | vacancies_shared_with(
        organisation=organisation
    )
    if shared is not None or agreement:
        condition = Exists(active_shares(organisation=organisation, agreement_code=agreement))
        vacancies = vacancies.filter(~condition if shared is False else condition)
    if occupation:
        vacancies = vacancies.filter(occupation_condition(occupation))
    if region:
        vacancies = vacancies.filter(region=region)
    if shortage_list:
        vacancies = vacancies.filter(shortage_condition(shortage_list, day))
    if permit_route:
        vacancies = vacancies.filter(route_condition(permit_route, day))
    if project_code:
        vacancies = vacancies.filter(open_to_projects__code=project_code)
    if published_since:
        vacancies = vacancies.filter(published_at__gte=published_since)
    if updated_since:
        vacancies = vacancies.filter(updated_at__gte=updated_since)
    return with_vacancy_details(vacancies, organisation=organisation).order_by("pk")


def vacancies_removed_for_partner(
    *, organisation: Organisation, updated_since: datetime.datetime
) -> QuerySet[Vacancy]:
    """Vacancies open to the partner's projects that it saw published and that are no longer, changed
    since ``updated_since`` (their closing moved ``updated_at``), oldest first."""
    return (
        partner_vacancies_seen(organisation=organisation)
        .exclude(status=Vacancy.Status.PUBLISHED)
        .filter(updated_at__gte=updated_since)
        .order_by("pk")
    )


# --- Candidates: the profile sections of a page, as plain rows ------------------------------------

# Each section of a full profile: its rows, in the order the profile shows them (that of
# ``candidates.selectors.with_profile``, or the model's own; ``pk`` breaks ties and orders the sections
# that have no order of their own), and the column naming the parent (a candidate; a diploma for its
# recognition steps). A ``QuerySet`` here is only a description: each call filters a clone.
PROFILE_SECTIONS: dict[str, tuple[QuerySet[Any], str]] = {
    "desired_occupations": (
        Candidate.desired_occupations.through.objects.order_by("escooccupation__label_en", "pk"),
        "candidate_id",
    ),
    "languages": (LanguageProficiency.objects.order_by("pk"), "candidate_id"),
    "diplomas": (Diploma.objects.order_by("pk"), "candidate_id"),
    "recognition_steps": (RecognitionStep.objects.order_by("requested_on", "pk"), "diploma_id"),
    "experiences": (WorkExperience.objects.order_by("-started_on", "pk"), "candidate_id"),
    "skills": (CandidateSkill.objects.order_by("pk"), "candidate_id"),
    "licences": (Licence.objects.order_by("pk"), "candidate_id"),
    "enrolments": (TrainingEnrolment.objects.order_by("pk"), "candidate_id"),
    "consents": (Consent.objects.order_by("-granted_at", "-pk"), "candidate_id"),
}


def profile_section_rows(
    *, section: str, parent_ids: Collection[int], columns: Sequence[str]
) -> dict[int, list[dict[str, Any]]]:
    """The ``columns`` of one profile section's rows for these parents (already scoped to the partner
    by the caller: the ids come from its own page), grouped by parent, in order: one query, none for no
    parent. Plain rows: a page of candidates has hundreds of them, and model instances cost more than
    the rest of the answer (``api.serializers.rows``)."""
    queryset, parent = PROFILE_SECTIONS[section]
    return _grouped(queryset, parent, parent_ids, columns)


def _grouped(
    queryset: QuerySet[Any], parent: str, parent_ids: Collection[int], columns: Sequence[str]
) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if parent_ids:
        for row in queryset.filter(**{f"{parent}__in": parent_ids}).values(parent, *columns):
            grouped[row[parent]].append(row)
    return grouped


def candidates_removed_for_partner(
    *, organisation: Organisation, updated_since: datetime.datetime
) -> QuerySet[Candidate]:
    """The partner's candidates it no longer sees (withdrawn, anonymised), changed since
    ``updated_since`` (the withdrawal moved ``updated_at``), oldest first."""
    return (
        Candidate.objects.registered_by(organisation)
        .exclude(status__in=PARTNER_VISIBLE_STATUSES)
        .filter(updated_at__gte=updated_since)
        .order_by("pk")
    )


def with_vacancy_details(vacancies: QuerySet[Vacancy], *, organisation: Organisation) -> QuerySet[Vacancy]:
    partner_projects = Project.objects.filter(
        Exists(ProjectPartner.objects.filter(project_id=OuterRef("pk"), organisation=organisation))
    ).order_by("code")
    return vacancies.select_related("employer", "occupation").prefetch_related(
        Prefetch("open_to_projects", queryset=partner_projects, to_attr="partner_projects"),
        agency_shares_prefetch(organisation),
        Prefetch("language_requirements", queryset=VacancyLanguageRequirement.objects.order_by("language")),
        Prefetch("skill_requirements", queryset=VacancySkill.objects.select_related("skill").order_by("pk")),
    )


def vacancy_section_rows(
    *, organisation: Organisation, section: str, vacancy_ids: Collection[int], columns: Sequence[str]
) -> dict[int, list[dict[str, Any]]]:
    """What ``with_vacancy_details`` prefetches, as plain rows of ``columns`` grouped by vacancy, in the
    same order (``api.serializers.rows``): ``language_requirements``, ``skill_requirements``,
    ``agency_shares`` (the vacancy's active shares with ``organisation``) or ``partner_projects`` (the
    projects of ``organisation`` the vacancy is open to). One query, none for no vacancy."""
    if not vacancy_ids:
        return {}
    queryset: QuerySet[Any]
    if section == "language_requirements":
        queryset = VacancyLanguageRequirement.objects.order_by("language", "pk")
    elif section == "skill_requirements":
        queryset = VacancySkill.objects.order_by("pk")
    elif section == "agency_shares":
        shares = agency_shares_prefetch(organisation).queryset
        assert shares is not None
        queryset = shares
    elif section == "partner_projects":
        partner = ProjectPartner.objects.filter(project_id=OuterRef("project_id"), organisation=organisation)
        queryset = Vacancy.open_to_projects.through.objects.filter(Exists(partner))
        queryset = queryset.order_by("project__code", "project_id")
    else:
        raise ValueError(section)
    return _grouped(queryset, "vacancy_id", vacancy_ids, columns)


# --- Matches ---------------------------------------------------------------------------------------


MATCH_ANSWER_FIELDS = (
    "candidate__public_id",
    "candidate__external_id",
    "vacancy__public_id",
    "vacancy__title",
    # What a kept explanation's key names (recruitment.kept_explanations).
    "candidate__profile_version",
    "vacancy__criteria_version",
    "vacancy__matched_basis",
    "outcome",
    "score",
    "algorithm_version",
    "reference_date",
    "computed_at",
)


def matches_for_partner(
    *,
    organisation: Organisation,
    candidate_id: uuid.UUID | None = None,
    vacancy_id: uuid.UUID | None = None,
    outcome: str | None = None,
    min_score: Decimal | None = None,
    updated_since: datetime.datetime | None = None,
) -> QuerySet[Match]:
    """Stored matches of the partner's visible candidates with vacancies the partner sees, by candidate
    and vacancy: a stable order (a score changes as matches are recomputed), and the one that lets a
    page read its candidates' matches through ``match_candidate_outcome``.

    The rule is ``recruitment.partner_scope.partner_matches``, which the match webhooks obey too: an
    event never names a match this list hides. ``updated_since`` compares ``computed_at``, which moves
    whenever the stored row changes (outcome, score, failed conditions, routes); ``changed_at`` moves
    for outcome and score only.
    """
    matches = partner_matches(organisation=organisation)
    if candidate_id is not None:
        matches = matches.filter(candidate__public_id=candidate_id)
    if vacancy_id is not None:
        matches = matches.filter(vacancy__public_id=vacancy_id)
    if outcome is not None:
        matches = matches.filter(outcome=outcome)
    if min_score is not None:
        matches = matches.filter(score__gte=min_score)
    if updated_since is not None:
        matches = matches.filter(computed_at__gte=updated_since)
    # Only what the answer shows of the two sides: a vacancy's row carries its whole description.
    return (
        matches.select_related("candidate", "vacancy")
        .only(*MATCH_ANSWER_FIELDS)
        .order_by("candidate_id", "vacancy_id")
    )


def matches_removed_for_partner(
    *, organisation: Organisation, updated_since: datetime.datetime
) -> QuerySet[MatchRemoval]:
    """``recruitment.partner_scope.partner_match_removals`` since ``updated_since``, oldest first."""
    return (
        partner_match_removals(organisation=organisation)
        .filter(removed_at__gte=updated_since)
        .select_related("candidate", "vacancy")
        .order_by("pk")
    )


# --- Placements ------------------------------------------------------------------------------------


def placements_for_partner(
    *,
    organisation: Organisation,
    candidate_id: uuid.UUID | None = None,
    vacancy_id: uuid.UUID | None = None,
    stage: str | None = None,
    changed_since: datetime.datetime | None = None,
) -> QuerySet[Placement]:
    """``recruitment.selectors.placements_for_partner`` (the cases placement webhooks are sent about),
    filtered, in the order they were opened, with the history of moves (no N+1). ``changed_since``: the
    stage moved at or after it (every move adds to the history)."""
    placements = recruitment_selectors.placements_for_partner(organisation=organisation)
    if candidate_id is not None:
        placements = placements.filter(candidate__public_id=candidate_id)
    if vacancy_id is not None:
        placements = placements.filter(vacancy__public_id=vacancy_id)
    if stage is not None:
        placements = placements.filter(stage=stage)
    if changed_since is not None:
        placements = placements.filter(stage_changed_at__gte=changed_since)
    moves = PlacementTransition.objects.order_by("at", "pk")
    return placements.prefetch_related(Prefetch("transitions", queryset=moves)).order_by("pk")
