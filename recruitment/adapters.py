"""The one bridge from database rows to the matching core's frozen inputs (``recruitment.matching.facts``).

Everything is read with ``values()`` per table, keyed by the owner's id, never per candidate: a chunk of
candidates costs a fixed number of queries whatever its size, and ``candidate_facts_chunks`` walks any
number of candidates in chunks by primary key, so memory stays bounded at 100,000 candidates.

The reference date is today (``timezone.localdate()``), standing for the planned permit application
date: the thresholds and shortage lists in force today decide the routes (``reference.in_force``: the
latest published ones, provisionally, while today's are not published), and experience still under way
counts up to today. A match therefore depends on the day it was computed for, which is why the stored
matches record it and the sweeper recomputes them when the day changes (docs/adr/0003-match-recompute.md).
"""

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from candidates.models import (
    Candidate,
    CandidateSkill,
    Consent,
    Diploma,
    LanguageProficiency,
    Licence,
    RecognitionStep,
    RecruitmentCost,
    TrainingEnrolment,
    WorkExperience,
)
from core.choices import Region
from core.models import Organisation
from projects.models import TrainingProgramme
from recruitment.matching import ALGORITHM_VERSION
from recruitment.matching.facts import (
    LANGUAGE_SKILLS,
    WEIGHT_CRITERIA,
    CandidateFacts,
    DiplomaFacts,
    Evidence,
    ExperienceFacts,
    LanguageCourse,
    LanguageLevels,
    LanguageRequirement,
    Recognition,
    ReferenceFacts,
    ThresholdCategory,
    VacancyFacts,
    Weights,
    WeightsByProject,
    cefr_index,
)
from recruitment.matching.routes import rules_in_force
from recruitment.models import Match, ProjectWeights
from recruitment.storage_limits import near_miss_limit, near_miss_min_score
from reference.in_force import InForce, in_force_on
from reference.models import (
    EscoOccupation,
    QualificationLevelEquivalence,
    ShortageList,
    ShortageListOccupation,
)
from vacancies.models import Vacancy, VacancyLanguageRequirement, VacancySkill

CANDIDATE_CHUNK_SIZE = 2_000

# Licences a function legally requires, by the ISCO-08 unit group of the vacancy's occupation. Data, not
# rules: a heavy truck and lorry driver (8332) needs a CE licence and the professional competence
# certificate (Code 95, directive 2022/2561), a bus and coach driver (8331) a D licence and Code 95.
# Extend this map when another licensed function is recruited for.
REQUIRED_LICENCES_BY_ISCO: dict[str, frozenset[str]] = {
    "8332": frozenset({"driving_ce", "code_95"}),
    "8331": frozenset({"driving_d", "code_95"}),
}

# How far a diploma's recognition has come: the furthest of its steps wins. A refusal outranks a bare
# request (the decision is known); any equivalence outranks a refusal (a later appeal or a new request
# for another kind of equivalence succeeded). Licence and registration steps are not equivalences: they
# set ``licence_to_practise`` instead.
RECOGNITION_RANK: dict[str, tuple[int, Recognition]] = {
    RecognitionStep.Outcome.REQUESTED: (1, Recognition.REQUESTED),
    RecognitionStep.Outcome.REFUSED: (2, Recognition.REFUSED),
    RecognitionStep.Outcome.LEVEL_EQUIVALENCE: (3, Recognition.LEVEL_EQUIVALENCE),
    RecognitionStep.Outcome.PARTIAL: (4, Recognition.PARTIAL),
    RecognitionStep.Outcome.FULL_EQUIVALENCE: (5, Recognition.FULL_EQUIVALENCE),
}

# Words in an equivalent Flemish title that show the recognition concerns a nursing diploma (Dutch,
# French, English), for the reduced highly skilled threshold of nurses.
NURSING_TITLE_WORDS = ("verpleeg", "infirmi", "nurs")

SUSPENDED_STATUSES = (Organisation.Compliance.SUSPENDED, Organisation.Compliance.EXCLUDED)


def reference_date() -> datetime.date:
    """The date every match is computed for: today, standing for the planned application date."""
    return timezone.localdate()


# --- Reference facts ------------------------------------------------------------------------------


def _list_occupation_ids(in_force: InForce) -> dict[str, frozenset[int]]:
    """List kind -> the occupations on the lists of that kind in force, in one query."""
    kind_of = {pk: kind for kind, lists in in_force.lists.items() for pk in lists.list_ids}
    found: dict[str, set[int]] = defaultdict(set)
    for list_id, occupation_id in ShortageListOccupation.objects.filter(
        entry__shortage_list_id__in=list(kind_of)
    ).values_list("entry__shortage_list_id", "occupation_id"):
        found[kind_of[list_id]].add(occupation_id)
    return {kind: frozenset(ids) for kind, ids in found.items()}


def weights_by_project() -> WeightsByProject:
    """The projects' own weights (``ProjectWeights``). A row equal to the default weights is left out:
    it scores exactly like no row, so adding one changes no basis and recomputes nothing."""
    default = Weights()
    own: dict[int, Weights] = {}
    for row in ProjectWeights.objects.order_by("project_id").values("project_id", *WEIGHT_CRITERIA):
        weights = Weights(**{name: row[name] for name in WEIGHT_CRITERIA})
        if weights != default:
            own[int(row["project_id"])] = weights
    return WeightsByProject(own)


def reference_facts_on(day: datetime.date) -> ReferenceFacts:
    """The Flemish thresholds and shortage lists in force on ``day`` (``reference.in_force``: the latest
    published ones, provisionally, when the day's are not published yet), the ISCED-VKS crosswalk, the
    weights (the default and each project's own).

    When two thresholds of one category overlap on ``day`` (a data error), the later start wins.
    """
    in_force = in_force_on(day, region=Region.FLANDERS)
    thresholds = in_force.amounts()
    listed = _list_occupation_ids(in_force)
    provisional = [
        (row.category, row.valid_from, row.valid_to)
        for row in in_force.thresholds.values()
        if row.provisional
    ] + [
        (lists.kind, lists.valid_from, lists.valid_to)
        for lists in in_force.lists.values()
        if lists.provisional
    ]
    return ReferenceFacts(
        reference_date=day,
        thresholds=tuple(
            (ThresholdCategory(category), amount) for category, amount in sorted(thresholds.items())
        ),
        migration_list_occupation_ids=listed.get(ShortageList.Kind.MIGRATION_MEDIUM_SKILLED, frozenset()),
        vdab_list_occupation_ids=listed.get(ShortageList.Kind.VDAB_SHORTAGE, frozenset()),
        isced_to_vks=tuple(
            QualificationLevelEquivalence.objects.order_by("isced_level").values_list(
                "isced_level", "vks_min", "vks_max"
            )
        ),
        weights=Weights(),
        weights_by_project=weights_by_project(),
        provisional=tuple(
            (part, start.isoformat(), end.isoformat() if end else "")
            for part, start, end in sorted(provisional)
        ),
    )


def _untracked_inputs() -> tuple[list[int], list[tuple[int, str, bool]], list[tuple[int, str]]]:
    """Inputs of the matching that no version counter follows: which employers are suspended, each
    occupation's ISCO group and regulated flag (changed by an ESCO import or an operator in the admin),
    and each training programme's Dutch target level (what an enrolment promises: a language course).
    Part of the basis, so such a change makes every open vacancy stale and the sweeper recomputes it;
    the worker's candidate snapshot (``recruitment.snapshot``) is keyed by the basis for the same reason."""
    suspended = sorted(
        Organisation.objects.filter(compliance_status__in=SUSPENDED_STATUSES).values_list("pk", flat=True)
    )
    occupations = list(
        EscoOccupation.objects.order_by("pk").values_list("pk", "isco_group_id", "is_regulated")
    )
    programmes = list(TrainingProgramme.objects.order_by("pk").values_list("pk", "dutch_target_level"))
    return suspended, occupations, programmes


def basis_of(facts: ReferenceFacts) -> str:
    """What a set of matches was computed on, apart from the day: algorithm version, the dated rules in
    force (``routes.rules_in_force``) and a fingerprint of the reference data.

    Stamped on the vacancy by its recompute (``matched_basis``); a different current basis makes every
    open vacancy stale for a full re-evaluation. The fingerprint covers exactly the reference facts the
    core sees, so a threshold or list change, a list that becomes valid on a new day, or a project's
    weights changed by any path (the admin included), changes it. The day itself is not in it: a new day
    with the same basis only re-evaluates what a date can change (``matched_on``, ADR 0008).
    """
    payload = repr(
        (
            facts.thresholds,
            sorted(facts.migration_list_occupation_ids),
            sorted(facts.vdab_list_occupation_ids),
            facts.isced_to_vks,
            facts.weights,
            tuple(facts.weights_by_project.items()),  # in project id order
            _untracked_inputs(),
            near_miss_min_score(),
            near_miss_limit(),
        )
    )
    digest = hashlib.sha256(payload.encode()).hexdigest()[:16]
    era = "".join("1" if passed else "0" for passed in rules_in_force(facts.reference_date))
    return f"{ALGORITHM_VERSION}|{era}|{digest}"


# --- Vacancies ------------------------------------------------------------------------------------


def _levels(row: Mapping[str, Any]) -> tuple[int, int, int, int, int]:
    a, b, c, d, e = (cefr_index(row[skill]) for skill in LANGUAGE_SKILLS)
    return (a, b, c, d, e)


def vacancy_facts(queryset: QuerySet[Vacancy]) -> list[VacancyFacts]:
    """Facts of the vacancies in ``queryset``, in id order, in four queries whatever their number."""
    rows = list(
        queryset.order_by("pk").values(
            "id",
            "employer_id",
            "employer__compliance_status",
            "occupation_id",
            "occupation__isco_group_id",
            "occupation__is_regulated",
            "region",
            "function_vks_level",
            "min_isced_level",
            "min_experience_years",
            "gross_annual_salary_eur",
            "contract_type",
            "contract_months",
            "start_date",
            "vdab_published_on",
            "eures_published_on",
            "is_secondment",
            "pay_category",
            "kind",
        )
    )
    # Related rows by subquery, not by a list of ids: no parameter limit at any number of vacancies.
    ids = queryset.order_by().values("pk")
    languages: dict[int, list[LanguageRequirement]] = defaultdict(list)
    for req in VacancyLanguageRequirement.objects.filter(vacancy_id__in=ids).order_by("language").values():
        languages[req["vacancy_id"]].append(
            LanguageRequirement(language=req["language"], minimum=_levels(req), mandatory=req["mandatory"])
        )
    essential: dict[int, set[int]] = defaultdict(set)
    optional: dict[int, set[int]] = defaultdict(set)
    skills = VacancySkill.objects.filter(vacancy_id__in=ids).values_list(
        "vacancy_id", "skill_id", "relation_type"
    )
    for vacancy_id, skill_id, relation in skills:
        (essential if relation == VacancySkill.RelationType.ESSENTIAL else optional)[vacancy_id].add(skill_id)
    projects: dict[int, set[int]] = defaultdict(set)
    through = Vacancy.open_to_projects.through
    for vacancy_id, project_id in through.objects.filter(vacancy_id__in=ids).values_list(
        "vacancy_id", "project_id"
    ):
        projects[vacancy_id].add(project_id)
    return [
        VacancyFacts(
            id=row["id"],
            employer_id=row["employer_id"],
            employer_suspended=row["employer__compliance_status"] in SUSPENDED_STATUSES,
            occupation_id=row["occupation_id"],
            isco_code=row["occupation__isco_group_id"],
            regulated=row["occupation__is_regulated"],
            region=row["region"],
            function_vks_level=row["function_vks_level"],
            min_isced_level=row["min_isced_level"],
            min_experience_years=float(row["min_experience_years"]),
            annual_salary_eur=row["gross_annual_salary_eur"],
            contract_type=row["contract_type"],
            contract_months=row["contract_months"],
            start_date=row["start_date"],
            language_requirements=tuple(languages[row["id"]]),
            essential_skill_ids=frozenset(essential[row["id"]]),
            optional_skill_ids=frozenset(optional[row["id"]]),
            required_licences=REQUIRED_LICENCES_BY_ISCO.get(row["occupation__isco_group_id"], frozenset()),
            vdab_published_on=row["vdab_published_on"],
            eures_published_on=row["eures_published_on"],
            is_secondment=row["is_secondment"],
            pay_category=row["pay_category"],
            open_to_project_ids=frozenset(projects[row["id"]]),
            kind=row["kind"],
        )
        for row in rows
    ]


def vacancy_terms_facts(vacancy: Vacancy) -> VacancyFacts:
    """The facts of a vacancy's own terms, from the row in hand and its employer and occupation (loaded
    with it on every vacancy page): no query of its own, for summaries of many vacancies that apply the
    core's vacancy-side route rules (``routes.labour_market_test``, ``blue_card_contract``,
    ``medium_pay_category``). Its requirements (languages, skills, projects) are left empty: never
    score with these facts; ``vacancy_facts`` reads everything."""
    occupation = vacancy.occupation
    return VacancyFacts(
        id=vacancy.pk,
        employer_id=vacancy.employer_id,
        employer_suspended=vacancy.employer.compliance_status in SUSPENDED_STATUSES,
        occupation_id=vacancy.occupation_id,
        isco_code=occupation.isco_group_id,
        regulated=occupation.is_regulated,
        region=vacancy.region,
        function_vks_level=vacancy.function_vks_level,
        min_isced_level=vacancy.min_isced_level,
        min_experience_years=float(vacancy.min_experience_years),
        annual_salary_eur=vacancy.gross_annual_salary_eur,
        contract_type=vacancy.contract_type,
        contract_months=vacancy.contract_months,
        start_date=vacancy.start_date,
        language_requirements=(),
        essential_skill_ids=frozenset(),
        optional_skill_ids=frozenset(),
        required_licences=REQUIRED_LICENCES_BY_ISCO.get(occupation.isco_group_id, frozenset()),
        vdab_published_on=vacancy.vdab_published_on,
        eures_published_on=vacancy.eures_published_on,
        is_secondment=vacancy.is_secondment,
        pay_category=vacancy.pay_category,
        kind=vacancy.kind,
    )


# --- Candidates -----------------------------------------------------------------------------------


def _years(
    started_on: datetime.date, ended_on: datetime.date | None, fte: Decimal, day: datetime.date
) -> float:
    """Full-time equivalent years of one experience, counted up to ``day`` (nothing after it)."""
    end = min(ended_on or day, day)
    if end <= started_on:
        return 0.0
    return round((end - started_on).days / 365.25 * float(fte), 4)


def candidates_scope(ids: list[int], prefix: str = "") -> dict[str, Any]:
    """The filter on ``<prefix>candidate`` selecting the rows of candidates ``ids`` (sorted): their id
    range when the ids are dense (a walk over all candidates: no parameter per id), the ids themselves
    when sparse (a few candidates whose cached facts are outdated: the range could span everyone)."""
    lo, hi = ids[0], ids[-1]
    if hi - lo < 2 * len(ids):
        return {f"{prefix}candidate__gte": lo, f"{prefix}candidate__lte": hi}
    return {f"{prefix}candidate__in": ids}


def _diplomas(candidate_ids: list[int]) -> dict[int, list[DiplomaFacts]]:
    steps: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for row in RecognitionStep.objects.filter(**candidates_scope(candidate_ids, "diploma__")).values(
        "diploma_id", "outcome", "recognised_isced_level", "equivalent_flemish_title"
    ):
        steps[int(row["diploma_id"])].append(row)
    wanted = set(candidate_ids)
    diplomas: dict[int, list[DiplomaFacts]] = defaultdict(list)
    diploma_rows = (
        Diploma.objects.filter(**candidates_scope(candidate_ids))
        .order_by("candidate_id", "pk")
        .values(
            "id",
            "candidate_id",
            "isced_level",
            "duration_years",
            "institution_state_recognised",
            "is_private_institution",
            "field",
            "awarded_on",
        )
    )
    for diploma in diploma_rows:
        if diploma["candidate_id"] not in wanted:
            continue
        rank, recognition = 0, Recognition.NOT_REQUESTED
        recognised_levels: list[int] = []
        licence = nursing = False
        for step in steps[diploma["id"]]:
            outcome = str(step["outcome"])
            if outcome in RECOGNITION_RANK and RECOGNITION_RANK[outcome][0] > rank:
                rank, recognition = RECOGNITION_RANK[outcome]
            if step["recognised_isced_level"] is not None:
                recognised_levels.append(int(step["recognised_isced_level"]))
            licence = licence or outcome == RecognitionStep.Outcome.LICENCE_GRANTED
            title = str(step["equivalent_flemish_title"]).lower()
            nursing = nursing or any(word in title for word in NURSING_TITLE_WORDS)
        diplomas[diploma["candidate_id"]].append(
            DiplomaFacts(
                isced_level=diploma["isced_level"],
                duration_years=float(diploma["duration_years"])
                if diploma["duration_years"] is not None
                else None,
                state_recognised=diploma["institution_state_recognised"],
                private_institution=diploma["is_private_institution"],
                field=diploma["field"],
                recognition=recognition,
                recognised_isced_level=max(recognised_levels) if recognised_levels else None,
                licence_to_practise=licence,
                recognition_concerns_nursing=nursing,
                awarded_on=diploma["awarded_on"],
            )
        )
    return diplomas


def candidate_facts_from_rows(rows: list[dict[str, Any]], day: datetime.date) -> list[CandidateFacts]:
    """Facts of one chunk of candidate rows (``CANDIDATE_COLUMNS``, ordered by id): one query per related
    table, whatever the chunk's size."""
    ids = [int(row["id"]) for row in rows]
    if not ids:
        return []
    in_range = candidates_scope(ids)

    languages: dict[int, list[LanguageLevels]] = defaultdict(list)
    for lang in LanguageProficiency.objects.filter(**in_range).order_by("language").values():
        languages[lang["candidate_id"]].append(
            LanguageLevels(language=lang["language"], levels=_levels(lang))
        )

    courses: dict[int, list[LanguageCourse]] = defaultdict(list)
    completed: set[int] = set()
    enrolments = TrainingEnrolment.objects.filter(**in_range).values_list(
        "candidate_id", "status", "expected_end_on", "programme__dutch_target_level"
    )
    for candidate_id, status, expected_end_on, target in enrolments.order_by("candidate_id", "pk"):
        if status == TrainingEnrolment.Status.COMPLETED:
            completed.add(candidate_id)
        elif status in (TrainingEnrolment.Status.ENROLLED, TrainingEnrolment.Status.IN_PROGRESS) and target:
            courses[candidate_id].append(
                LanguageCourse(
                    language="nl",
                    target_level=cefr_index(target),
                    expected_by=expected_end_on,
                    in_progress=status == TrainingEnrolment.Status.IN_PROGRESS,
                )
            )

    experiences: dict[int, list[ExperienceFacts]] = defaultdict(list)
    for candidate_id, occupation_id, isco, started, ended, fte in (
        WorkExperience.objects.filter(**in_range)
        .order_by("candidate_id", "started_on", "pk")
        .values_list(
            "candidate_id", "occupation_id", "occupation__isco_group_id", "started_on", "ended_on", "fte"
        )
    ):
        experiences[candidate_id].append(
            ExperienceFacts(
                occupation_id=occupation_id, isco_code=isco, years=_years(started, ended, fte, day)
            )
        )

    skills: dict[int, list[tuple[int, Evidence]]] = defaultdict(list)
    for candidate_id, skill_id, evidence in (
        CandidateSkill.objects.filter(**in_range)
        .order_by("candidate_id", "skill_id")
        .values_list("candidate_id", "skill_id", "evidence")
    ):
        skills[candidate_id].append((skill_id, Evidence(evidence)))

    licences: dict[int, set[str]] = defaultdict(set)
    for candidate_id, kind, valid_until in Licence.objects.filter(
        **in_range, valid_or_exchangeable_in_belgium=True
    ).values_list("candidate_id", "kind", "valid_until"):
        if valid_until is None or valid_until >= day:
            licences[candidate_id].add(kind)

    desired: dict[int, set[int]] = defaultdict(set)
    desired_isco: dict[int, set[str]] = defaultdict(set)
    through = Candidate.desired_occupations.through
    for candidate_id, occupation_id, isco in through.objects.filter(**in_range).values_list(
        "candidate_id", "escooccupation_id", "escooccupation__isco_group_id"
    ):
        desired[candidate_id].add(occupation_id)
        desired_isco[candidate_id].add(isco)

    consented: dict[int, set[int]] = defaultdict(set)
    for candidate_id, recipient_id in (
        Consent.objects.in_force()
        .filter(**in_range, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER)
        .values_list("candidate_id", "recipient_id")
    ):
        consented[candidate_id].add(recipient_id)

    paid = set(
        RecruitmentCost.objects.filter(
            **in_range, paid_by=RecruitmentCost.Payer.CANDIDATE, repaid_on__isnull=True
        ).values_list("candidate_id", flat=True)
    )
    diplomas = _diplomas(ids)

    facts = []
    for row in rows:
        pk = int(row["id"])
        facts.append(
            CandidateFacts(
                id=pk,
                date_of_birth=row["date_of_birth"],
                nationalities=frozenset(row["nationalities"] or ()),
                in_belgium=bool(row["currently_in_belgium"]),
                languages=tuple(languages[pk]),
                language_courses=tuple(courses[pk]),
                diplomas=tuple(diplomas[pk]),
                experiences=tuple(experiences[pk]),
                skills=tuple(skills[pk]),
                licences=frozenset(licences[pk]),
                available_from=row["available_from"],
                desired_occupation_ids=frozenset(desired[pk]),
                preferred_regions=frozenset(row["preferred_regions"] or ()),
                accepts_entry_role_during_recognition=bool(row["accepts_entry_role_during_recognition"]),
                consented_employer_ids=frozenset(consented[pk]),
                has_unrepaid_candidate_paid_cost=pk in paid,
                training_completed=pk in completed,
                project_id=row["project_id"],
                desired_isco_codes=frozenset(desired_isco[pk]),
            )
        )
    return facts


CANDIDATE_COLUMNS = (
    "id",
    "profile_version",
    "date_of_birth",
    "nationalities",
    "currently_in_belgium",
    "available_from",
    "preferred_regions",
    "accepts_entry_role_during_recognition",
    "project_id",
)


def candidate_facts_chunks(
    queryset: QuerySet[Candidate], *, day: datetime.date, chunk_size: int = CANDIDATE_CHUNK_SIZE
) -> Iterator[tuple[list[CandidateFacts], dict[int, int]]]:
    """Walk the candidates of ``queryset`` in id order, a chunk at a time.

    Yields the facts of each chunk with the profile version each candidate had when read (the recompute
    writes a candidate's matches only if that version is still current). About a dozen queries per
    chunk; related rows are fetched by the chunk's id range, so no query grows with the chunk size.
    """
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values(*CANDIDATE_COLUMNS)[:chunk_size])
        if not rows:
            return
        last = int(rows[-1]["id"])
        versions = {int(row["id"]): int(row["profile_version"]) for row in rows}
        yield candidate_facts_from_rows(rows, day), versions
        if len(rows) < chunk_size:
            return


def candidate_facts(
    queryset: QuerySet[Candidate], *, day: datetime.date | None = None
) -> list[CandidateFacts]:
    """All the candidates of ``queryset`` as facts, in id order (chunked underneath)."""
    on = day or reference_date()
    return [facts for chunk, _ in candidate_facts_chunks(queryset, day=on) for facts in chunk]


def candidates_possibly_relevant(vacancy: VacancyFacts) -> QuerySet[Candidate]:
    """Visible candidates that may relate to the vacancy, plus those holding a stored match for it.

    A superset of what the core's relevance rule keeps (``eligibility.check_relevance``): experience or
    a desired occupation in the vacancy's ISCO sub-major group (two digits), or one of its essential
    skills. Everyone else is ``relevance.unrelated`` and never a match, so the recompute need not read
    or score them. Candidates with a stored match are added so that one who no longer relates is read,
    found unrelated, and removed.
    """
    prefix = vacancy.isco_code[:2]
    desired = Candidate.desired_occupations.through.objects.filter(
        candidate_id=OuterRef("pk"), escooccupation__isco_group__code__startswith=prefix
    )
    related = (
        Q(
            Exists(
                WorkExperience.objects.filter(
                    candidate=OuterRef("pk"), occupation__isco_group__code__startswith=prefix
                )
            )
        )
        | Q(Exists(desired))
        | Q(
            Exists(
                CandidateSkill.objects.filter(
                    candidate=OuterRef("pk"), skill_id__in=vacancy.essential_skill_ids
                )
            )
        )
        | Q(Exists(Match.objects.filter(vacancy_id=vacancy.id, candidate=OuterRef("pk"))))
    )
    return Candidate.objects.visible().filter(related)
