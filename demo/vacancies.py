"""Demo vacancies for the shortage occupations, with their skills and language requirements.

Each vacancy is drawn from its own ``Random(seed, index)``, so vacancy 7 is the same whether 10 or
2,000 are generated. Salaries of highly skilled functions are drawn around the Flemish threshold with
a deliberate share just under it: those near-misses are what the eligibility gate must catch.
"""

import datetime
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal

from demo.belgium import PLACES
from demo.bulk import BulkWriter
from demo.context import DemoContext, OccupationInfo
from demo.employers import EmployerPlan
from demo.profiles import FAMILIES, TRADE_ANNUAL_EUR, function_levels
from vacancies.models import Vacancy, VacancyLanguageRequirement, VacancySkill

# How often each family is posted; ICT, care and the technical trades dominate the Flemish lists.
FAMILY_WEIGHTS: dict[str, float] = {
    "ict": 24,
    "nurse": 12,
    "care": 14,
    "technical": 20,
    "construction": 13,
    "transport": 7,
    "food": 5,
    "chemical": 3,
    "diamond": 1,
}

# Which reference projects recruit for which families (domain.md 0): Palim and MATCH for ICT, Aurora
# for nurses and care, THAMM and the Tunisian internships for trades, DT4E across the board.
PROJECTS_BY_FAMILY: dict[str, tuple[str, ...]] = {
    "ict": ("palim", "match", "iom_tunisia", "dt4e"),
    "nurse": ("aurora",),
    "care": ("aurora", "dt4e"),
    "technical": ("match", "thamm", "iom_tunisia", "dt4e"),
    "construction": ("thamm", "dt4e"),
    "transport": ("thamm",),
    "food": ("thamm",),
    "chemical": ("match", "iom_tunisia"),
    "diamond": (),
}

CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")
NEAR_MISS_SHARE = 0.25
MONTHS_PER_YEAR = Decimal("13.92")


@dataclass(frozen=True)
class VacancyFact:
    """What the candidate generator needs to know about a vacancy (its employer, for consents)."""

    employer_index: int
    family: str


def _annual_salary(
    rng: random.Random, occupation: OccupationInfo, vks: int, context: DemoContext, *, near_miss: bool
) -> Decimal:
    profile = FAMILIES[occupation.family]
    if vks >= 5:
        # Nurses fall under the reduced threshold (80%); other highly skilled functions under the full one.
        base = context.reduced_eur if occupation.family == "nurse" else context.highly_skilled_eur
        near_miss = near_miss or rng.random() < NEAR_MISS_SHARE
        factor = rng.uniform(0.90, 0.985) if near_miss else rng.uniform(1.01, profile.salary_high)
    else:
        base = TRADE_ANNUAL_EUR * (1 + 0.06 * (vks - 3))
        factor = rng.uniform(profile.salary_low, profile.salary_high)
    # Employers advertise a round monthly wage; the annual amount is the legal input (× 13.92).
    monthly = Decimal(round(base * factor / 13.92 / 10) * 10)
    return (monthly * MONTHS_PER_YEAR).quantize(Decimal("0.01"))


def _language_requirements(
    rng: random.Random, occupation: OccupationInfo, region: str
) -> list[VacancyLanguageRequirement]:
    profile = FAMILIES[occupation.family]
    requirements: list[VacancyLanguageRequirement] = []
    dutch = list(profile.dutch)
    if occupation.family in ("technical", "chemical") and rng.random() < 0.5:
        dutch[1] = "B1" if dutch[1] == "A2" else dutch[1]  # reading manuals and safety instructions
    if region == "VLG":
        if occupation.family != "ict" or rng.random() < 0.6:
            mandatory = rng.random() < profile.dutch_mandatory_share
            requirements.append(_requirement("nl", dutch, mandatory))
    else:
        requirements.append(_requirement("fr", ["B1", "A2", "B1", "B1", "A2"], True))
        if region == "BRU" and rng.random() < 0.5:
            requirements.append(_requirement("nl", ["A2", "A2", "A2", "A1", ""], False))
    if rng.random() < profile.english_share:
        level = "B2" if occupation.family == "ict" else "B1"
        requirements.append(_requirement("en", [level, level, level, "B1", "B1"], occupation.family == "ict"))
    if not requirements:
        requirements.append(_requirement("nl", ["A1", "A1", "A1", "", ""], False))
    return requirements


def _requirement(language: str, levels: list[str], mandatory: bool) -> VacancyLanguageRequirement:
    listening, reading, interaction, production, writing = levels
    return VacancyLanguageRequirement(
        language=language,
        listening=listening,
        reading=reading,
        spoken_interaction=interaction,
        spoken_production=production,
        writing=writing,
        mandatory=mandatory,
    )


def _title(label: str) -> str:
    """``ict systeembeheerder`` -> ``ICT systeembeheerder``: ESCO's Dutch labels are in lower case."""
    title = label[:1].upper() + label[1:]
    return "ICT" + title[3:] if title.lower().startswith("ict ") else title


def _pick_occupation(rng: random.Random, index: int, context: DemoContext) -> OccupationInfo:
    # Two showcase vacancies open every demo, however small: an occupation on the current Flemish
    # list (preferably ICT, the first employer's sector) and a highly skilled ICT function paid just
    # under the threshold. The rest follow the family weights.
    if index == 0:
        listed = [o for o in context.occupations if o.id in context.shortage_occupation_ids]
        preferred = [o for o in listed if o.family == "ict"] or listed
        if preferred:
            return rng.choice(preferred)
    if index == 1 and context.by_family.get("ict"):
        return rng.choice(context.by_family["ict"])
    families = [f for f in FAMILY_WEIGHTS if context.by_family.get(f)]
    family = rng.choices(families, weights=[FAMILY_WEIGHTS[f] for f in families])[0]
    return rng.choice(context.by_family[family])


def generate_vacancies(
    *, count: int, seed: int, context: DemoContext, employers: list[EmployerPlan], writer: BulkWriter
) -> list[VacancyFact]:
    """Write ``count`` vacancies with their skills, language requirements and projects."""
    anchor = context.anchor
    by_sector: dict[str, list[EmployerPlan]] = {}
    for plan in employers:
        by_sector.setdefault(plan.sector, []).append(plan)
    vacancies: list[Vacancy] = []
    skills: list[list[VacancySkill]] = []
    languages: list[list[VacancyLanguageRequirement]] = []
    project_ids: list[list[int]] = []
    facts: list[VacancyFact] = []
    for index in range(count):
        rng = random.Random(f"{seed}-vacancy-{index}")
        occupation = _pick_occupation(rng, index, context)
        profile = FAMILIES[occupation.family]
        pool = by_sector.get(profile.sector) or employers
        employer = employers[0] if index < 2 else rng.choice(pool)
        region = employer.organisation.region
        place = employer.home if rng.random() < 0.7 else rng.choice(PLACES[region])
        vks = rng.choice(function_levels(occupation.isco, profile))
        min_isced = {8: 8, 7: 7, 6: 6, 5: 5}.get(vks, 3 if vks == 4 and rng.random() < 0.5 else None)
        fixed = rng.random() < 0.25
        status = rng.choices(
            (Vacancy.Status.PUBLISHED, Vacancy.Status.DRAFT, Vacancy.Status.FILLED, Vacancy.Status.CLOSED),
            weights=(82, 6, 6, 6),
        )[0]
        if index < 2:
            status = Vacancy.Status.PUBLISHED
        published_at = None
        vdab_on = eures_on = None
        if status != Vacancy.Status.DRAFT:
            published_at = datetime.datetime.combine(
                anchor - datetime.timedelta(days=rng.randint(1, 150)),
                datetime.time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))),
                tzinfo=datetime.UTC,
            )
            vdab_on = published_at.date()
            # Some are never posted on EURES: those fail the labour-market test of the "other" route.
            eures_on = None if rng.random() < 0.15 else vdab_on + datetime.timedelta(days=rng.randint(0, 10))
        title = _title(occupation.label_nl)
        vacancies.append(
            Vacancy(
                public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                employer=employer.organisation,
                occupation_id=occupation.id,
                title=title,
                description=(
                    f"{employer.organisation.name} zoekt een {occupation.label_nl} voor de vestiging in "
                    f"{place.municipality}. Demo-vacature met fictieve gegevens."
                ),
                municipality=place.municipality,
                postal_code=place.postal_code,
                region=region,
                function_vks_level=vks,
                min_isced_level=min_isced,
                min_experience_years=Decimal(rng.choice((0, 0, 1, 2, 2, 3, 5))),
                gross_annual_salary_eur=_annual_salary(rng, occupation, vks, context, near_miss=index == 1),
                joint_committee=employer.organisation.joint_committee,
                pay_category=profile.pay_category if vks < 5 else "highly_skilled",
                contract_type=Vacancy.ContractType.FIXED_TERM if fixed else Vacancy.ContractType.INDEFINITE,
                contract_months=rng.choice((6, 12, 12, 24)) if fixed else None,
                weekly_hours=Decimal(rng.choice((38, 38, 38, 40, 36, 32))),
                positions=rng.choice((1, 1, 1, 2, 3, 5)),
                start_date=anchor + datetime.timedelta(days=rng.randint(30, 200)),
                is_secondment=rng.random() < 0.02,
                vdab_published_on=vdab_on,
                eures_published_on=eures_on,
                employer_pays_travel=rng.random() < 0.8,
                employer_pays_visa=rng.random() < 0.9,
                employer_pays_housing=rng.random() < 0.4,
                employer_pays_attested=rng.random() < 0.75,
                status=status,
                published_at=published_at,
            )
        )
        skills.append(
            [VacancySkill(skill_id=s, relation_type="essential") for s in occupation.essential]
            + [
                VacancySkill(skill_id=s, relation_type="optional")
                for s in occupation.optional
                if rng.random() < 0.7
            ]
        )
        languages.append(_language_requirements(rng, occupation, region))
        wanted = [
            context.projects[key]
            for key in PROJECTS_BY_FAMILY[occupation.family]
            if key in context.projects
            and (
                not context.projects[key].target_occupation_ids
                or occupation.id in context.projects[key].target_occupation_ids
            )
        ]
        project_ids.append([p.id for p in wanted if rng.random() < 0.8])
        facts.append(VacancyFact(employer_index=employer.index, family=occupation.family))

    writer.insert(Vacancy, vacancies)
    through = Vacancy.open_to_projects.through
    for vacancy, vacancy_skills, requirements in zip(vacancies, skills, languages, strict=True):
        for skill in vacancy_skills:
            skill.vacancy_id = vacancy.pk
        for requirement in requirements:
            requirement.vacancy_id = vacancy.pk
    writer.insert(VacancySkill, [s for group in skills for s in group])
    writer.insert(VacancyLanguageRequirement, [r for group in languages for r in group])
    writer.insert(
        through,
        [
            through(vacancy_id=vacancy.pk, project_id=project_id)
            for vacancy, ids in zip(vacancies, project_ids, strict=True)
            for project_id in ids
        ],
    )
    return facts
