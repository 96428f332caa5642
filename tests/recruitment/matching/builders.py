"""Inputs of the matching core named after real situations (domain.md 0, 1.4, 8.2).

Built on the shipped reference data (``seed_data``: occupations, curated skills, Flemish thresholds,
the ISCED -> VKS crosswalk), not on numbers typed into tests. No database: plain dataclasses.
"""

import dataclasses
import datetime
from decimal import Decimal

from recruitment.matching.facts import (
    CandidateFacts,
    DiplomaFacts,
    Evidence,
    ExperienceFacts,
    LanguageCourse,
    LanguageLevels,
    LanguageRequirement,
    Recognition,
    ReferenceFacts,
    VacancyFacts,
    Weights,
    cefr_index,
)
from tests.recruitment.matching.seed_data import (
    isced_to_vks,
    migration_list,
    occupation,
    occupation_skills,
    skill,
    thresholds_on,
    vdab_list,
)

ON_2025 = datetime.date(2025, 6, 1)  # the 2023 migration list in force
ON_2026 = datetime.date(2026, 3, 1)  # the 2026 list and the 2026 highly skilled rule in force

ICT_EMPLOYER = 501  # a Flemish software company (PALIM)
CARE_EMPLOYER = 502  # a Flemish residential care group (Aurora: Mintus, Curando, Exalta)
LOGISTICS_EMPLOYER = 503
METAL_EMPLOYER = 504
INSTALLER_EMPLOYER = 505


def flemish_reference(
    on: datetime.date = ON_2026,
    *,
    migration: frozenset[int] | None = None,
    vdab: frozenset[int] | None = None,
    weights: Weights | None = None,
    weights_by_project: dict[int, Weights] | None = None,
) -> ReferenceFacts:
    """The Flemish law and lists on ``on``; lists default to those the seed data gives for that date.
    Weights: the default, and none of a project's own unless given."""
    return ReferenceFacts(
        reference_date=on,
        thresholds=thresholds_on(on),
        migration_list_occupation_ids=migration_list(on) if migration is None else migration,
        vdab_list_occupation_ids=vdab_list() if vdab is None else vdab,
        isced_to_vks=isced_to_vks(),
        weights=weights or Weights(),
        weights_by_project=weights_by_project or {},
    )


# --- Small pieces ---------------------------------------------------------------------------------------


def born(age: int, on: datetime.date = ON_2026) -> datetime.date:
    """A date of birth giving ``age`` full years on ``on`` (birthday 40 days before it)."""
    day = on - datetime.timedelta(days=40)
    return day.replace(year=day.year - age, day=min(day.day, 28))


def speaks(language: str, *levels: str) -> LanguageLevels:
    """``speaks("nl", "B1")``: B1 in every skill; five codes give one per skill (LANGUAGE_SKILLS order)."""
    codes = levels * 5 if len(levels) == 1 else levels
    values = tuple(cefr_index(code) for code in codes)
    return LanguageLevels(language, (values[0], values[1], values[2], values[3], values[4]))


def requires(language: str, *levels: str, mandatory: bool = True) -> LanguageRequirement:
    codes = levels * 5 if len(levels) == 1 else levels
    values = tuple(cefr_index(code) for code in codes)
    return LanguageRequirement(language, (values[0], values[1], values[2], values[3], values[4]), mandatory)


def course(
    language: str, target: str, expected_by: datetime.date | None, in_progress: bool = True
) -> LanguageCourse:
    return LanguageCourse(language, cefr_index(target), expected_by, in_progress)


def diploma(isced: int, **overrides: object) -> DiplomaFacts:
    base = DiplomaFacts(
        isced_level=isced,
        duration_years=None,
        state_recognised=True,
        private_institution=False,
        field="",
        recognition=Recognition.NOT_REQUESTED,
        recognised_isced_level=None,
        licence_to_practise=False,
    )
    return dataclasses.replace(base, **overrides)  # type: ignore[arg-type]


def worked(label: str, years: float) -> ExperienceFacts:
    occ = occupation(label)
    return ExperienceFacts(occ.id, occ.isco, years)


def holds(*labels: str, evidence: Evidence = Evidence.VERIFIED) -> tuple[tuple[int, Evidence], ...]:
    return tuple(sorted((skill(label), evidence) for label in labels))


def candidate(candidate_id: int = 1, **overrides: object) -> CandidateFacts:
    """A third-country national of 35, abroad, consenting to every employer here, nothing else."""
    base = CandidateFacts(
        id=candidate_id,
        date_of_birth=born(35),
        nationalities=frozenset({"MA"}),
        in_belgium=False,
        languages=(),
        language_courses=(),
        diplomas=(),
        experiences=(),
        skills=(),
        licences=frozenset(),
        available_from=None,
        desired_occupation_ids=frozenset(),
        preferred_regions=frozenset({"VLG"}),
        accepts_entry_role_during_recognition=False,
        consented_employer_ids=frozenset(
            {ICT_EMPLOYER, CARE_EMPLOYER, LOGISTICS_EMPLOYER, METAL_EMPLOYER, INSTALLER_EMPLOYER}
        ),
        has_unrepaid_candidate_paid_cost=False,
        training_completed=False,
    )
    return dataclasses.replace(base, **overrides)  # type: ignore[arg-type]


def vacancy(label: str, vacancy_id: int = 100, **overrides: object) -> VacancyFacts:
    """A Flemish vacancy for a seed occupation with its curated skills, open-ended, nothing required."""
    occ = occupation(label)
    base = VacancyFacts(
        id=vacancy_id,
        employer_id=ICT_EMPLOYER,
        employer_suspended=False,
        occupation_id=occ.id,
        isco_code=occ.isco,
        regulated=False,
        region="VLG",
        function_vks_level=4,
        min_isced_level=None,
        min_experience_years=0,
        annual_salary_eur=Decimal("40000"),
        contract_type="indefinite",
        contract_months=None,
        start_date=None,
        language_requirements=(),
        essential_skill_ids=occupation_skills(label, "essential"),
        optional_skill_ids=occupation_skills(label, "optional"),
        required_licences=frozenset(),
        vdab_published_on=None,
        eures_published_on=None,
        is_secondment=False,
        pay_category="skilled",
    )
    return dataclasses.replace(base, **overrides)  # type: ignore[arg-type]


def monthly(gross_per_month: str) -> Decimal:
    """Gross annual salary from a monthly one: x 13.92 (13th month and holiday pay, domain.md 1.5)."""
    return Decimal(gross_per_month) * Decimal("13.92")


# --- The situations ---------------------------------------------------------------------------------------


def palim_ict_graduate(age: int = 25, on: datetime.date = ON_2026, candidate_id: int = 11) -> CandidateFacts:
    """A PALIM graduate from Morocco: master in computer science from a public university, English B2 from
    the 5–7-month course, 18 months as a developer in Casablanca (domain.md 0)."""
    return candidate(
        candidate_id,
        date_of_birth=born(age, on),
        nationalities=frozenset({"MA"}),
        languages=(speaks("en", "B2"), speaks("fr", "C1"), speaks("nl", "A1")),
        diplomas=(diploma(7, duration_years=2.0, field="0613"),),
        experiences=(worked("software developer", 1.5),),
        skills=holds("object-oriented programming", "SQL and relational databases", "Python (programming)")
        + holds(
            "use version control (Git)",
            "write automated software tests",
            evidence=Evidence.TRAINING_CERTIFICATE,
        ),
        desired_occupation_ids=frozenset({occupation("software developer").id}),
        available_from=on,
        training_completed=True,
    )


def software_developer_vacancy(salary: str = "45000", vks: int = 6, **overrides: object) -> VacancyFacts:
    fields: dict[str, object] = {
        "employer_id": ICT_EMPLOYER,
        "function_vks_level": vks,
        "min_isced_level": 6,
        "annual_salary_eur": Decimal(salary),
        "language_requirements": (requires("en", "B2"),),
        "start_date": ON_2026 + datetime.timedelta(days=90),
        "pay_category": "highly_skilled",
    }
    return vacancy("software developer", 201, **(fields | overrides))


def aurora_nurse(
    dutch: str = "B1", recognition: Recognition = Recognition.REQUESTED, age: int = 31, candidate_id: int = 12
) -> CandidateFacts:
    """An Aurora nurse from Kerala: B.Sc. Nursing (4 years, not recognised in Flanders yet), Dutch from the
    6-month pre-training, accepting to start as zorgkundige while recognition runs (domain.md 0, 4.4)."""
    return candidate(
        candidate_id,
        date_of_birth=born(age),
        nationalities=frozenset({"IN"}),
        languages=(speaks("nl", dutch), speaks("en", "B2")),
        diplomas=(diploma(6, duration_years=4.0, field="0913", recognition=recognition),),
        experiences=(worked("nurse responsible for general care", 5.0),),
        skills=holds(
            "plan and evaluate nursing care",
            "measure vital signs",
            "administer medication according to protocol",
            "provide wound care",
            "infection prevention and hygiene standards",
            "assist people with personal hygiene and daily care",
        )
        + holds("record care in the care file", "geriatrics", evidence=Evidence.TRAINING_CERTIFICATE),
        desired_occupation_ids=frozenset({occupation("nurse responsible for general care").id}),
        accepts_entry_role_during_recognition=True,
        available_from=ON_2026,
        training_completed=True,
    )


def _care_dutch() -> LanguageRequirement:
    """Care work: B1 to listen and speak, A2 to read and write (domain.md 4.1)."""
    return requires("nl", "B1", "A2", "B1", "B1", "A2")


def nurse_vacancy(**overrides: object) -> VacancyFacts:
    """A nurse in a Flemish care home: regulated, graduate level (HBO5, VKS 5), 3,000 a month."""
    fields: dict[str, object] = {
        "employer_id": CARE_EMPLOYER,
        "regulated": True,
        "function_vks_level": 5,
        "min_isced_level": 5,
        "annual_salary_eur": monthly("3000"),
        "language_requirements": (_care_dutch(),),
        "start_date": ON_2026 + datetime.timedelta(days=60),
    }
    return vacancy("nurse responsible for general care", 202, **(fields | overrides))


def care_assistant_vacancy(**overrides: object) -> VacancyFacts:
    """A zorgkundige (healthcare assistant) in the same care home: VKS 4, not regulated, 2,500 a month."""
    fields: dict[str, object] = {
        "employer_id": CARE_EMPLOYER,
        "function_vks_level": 4,
        "min_isced_level": 3,
        "annual_salary_eur": monthly("2500"),
        "language_requirements": (_care_dutch(),),
        "start_date": ON_2026 + datetime.timedelta(days=60),
    }
    return vacancy("healthcare assistant", 203, **(fields | overrides))


def truck_driver(candidate_id: int = 13, **overrides: object) -> CandidateFacts:
    """A Tunisian driver: CE licence and Code 95 (exchangeable), 6 years on the road, Dutch A2."""
    fields: dict[str, object] = {
        "nationalities": frozenset({"TN"}),
        "languages": (speaks("nl", "A2"), speaks("fr", "B2")),
        "diplomas": (diploma(3, field="0716"),),
        "experiences": (worked("cargo vehicle driver", 6.0),),
        "skills": holds("drive heavy goods vehicles (licence C/CE)", "secure loads")
        + holds("use a tachograph and respect driving and rest times", evidence=Evidence.SELF_DECLARED),
        "licences": frozenset({"driving_ce", "code_95"}),
    }
    return candidate(candidate_id, **(fields | overrides))


def truck_driver_vacancy(**overrides: object) -> VacancyFacts:
    fields: dict[str, object] = {
        "employer_id": LOGISTICS_EMPLOYER,
        "function_vks_level": 3,
        "annual_salary_eur": monthly("2700"),
        "language_requirements": (requires("nl", "A2", "A1", "A2", "A2", "A1"),),
        "required_licences": frozenset({"driving_ce", "code_95"}),
        "min_experience_years": 2,
    }
    return vacancy("cargo vehicle driver", 204, **(fields | overrides))


def welder(
    dutch_level: str = "B1",
    courses: tuple[LanguageCourse, ...] = (),
    candidate_id: int = 14,
    **overrides: object,
) -> CandidateFacts:
    """A welder from Morocco: vocational secondary (ISCED 3), 4 years of MIG/MAG welding."""
    languages = (speaks("nl", dutch_level),) if dutch_level else ()
    fields: dict[str, object] = {
        "languages": (*languages, speaks("fr", "B1")),
        "language_courses": courses,
        "diplomas": (diploma(3, field="0715"),),
        "experiences": (worked("welder", 4.0),),
        "skills": holds("MIG/MAG welding", "read technical drawings", "worksite safety (VCA)"),
    }
    return candidate(candidate_id, **(fields | overrides))


def welder_vacancy(**overrides: object) -> VacancyFacts:
    """A welder in a metal workshop: Dutch B1 to understand and discuss safety instructions."""
    fields: dict[str, object] = {
        "employer_id": METAL_EMPLOYER,
        "function_vks_level": 3,
        "annual_salary_eur": monthly("2900"),
        "language_requirements": (requires("nl", "B1", "A2", "B1", "A2", "A1"),),
        "min_experience_years": 2,
    }
    return vacancy("welder", 205, **(fields | overrides))


def electrician(candidate_id: int = 15, **overrides: object) -> CandidateFacts:
    """An electrician from the Philippines with 5 years of installation work: the VDAB-list ("other") case."""
    fields: dict[str, object] = {
        "nationalities": frozenset({"PH"}),
        "languages": (speaks("nl", "A2"), speaks("en", "B2")),
        "diplomas": (diploma(3, field="0713"),),
        "experiences": (worked("electrician", 5.0),),
        "skills": holds(
            "read electrical diagrams",
            "install wiring and distribution boards",
            "measure electrical quantities",
        ),
    }
    return candidate(candidate_id, **(fields | overrides))


def electrician_vacancy(published_days_ago: int | None = 70, **overrides: object) -> VacancyFacts:
    """An electrician vacancy on the VDAB list only, published on VDAB and EURES ``published_days_ago``."""
    published = None if published_days_ago is None else ON_2026 - datetime.timedelta(days=published_days_ago)
    fields: dict[str, object] = {
        "employer_id": INSTALLER_EMPLOYER,
        "function_vks_level": 3,
        "annual_salary_eur": monthly("2800"),
        "language_requirements": (requires("nl", "A2", "A1", "A2", "A2", "A1"),),
        "vdab_published_on": published,
        "eures_published_on": published,
    }
    return vacancy("electrician", 206, **(fields | overrides))
