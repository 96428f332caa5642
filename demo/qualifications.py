"""What a demo candidate speaks, studied, did and can prove: languages, diplomas and their
recognition, work experience, skills and licences.

Levels follow domain.md 4: CEFR per skill (receptive skills ahead of productive ones), Flemish NT2
modules for those who followed a course, NARIC steps shaped like the real procedures (nurses need full
equivalence and a licence to practise; others at most a level recognition).
"""

import datetime
import random
from decimal import Decimal

from candidates.models import (
    CandidateSkill,
    Diploma,
    LanguageProficiency,
    Licence,
    RecognitionStep,
    WorkExperience,
)
from demo.catalogue import (
    DIPLOMAS,
    FLEMISH_NURSE_TITLES,
    HIGHER_INSTITUTIONS,
    LANGUAGE_CERTIFICATES,
    PRIVATE_INSTITUTION,
    SECONDARY,
    SECONDARY_SCHOOLS,
    VOCATIONAL_INSTITUTIONS,
    WORKPLACES,
    DiplomaKind,
)
from demo.context import DemoContext, OccupationInfo
from demo.drafts import CEFR, FRANCOPHONE, CandidateDraft, weighted, years_after
from demo.names import ORIGIN_CITIES

# Flemish NT2 modules per CEFR level (domain.md 4.2): 2.4 is completed B1.
NT2_BY_LEVEL = {0: ("1.1",), 1: ("1.2",), 2: ("2.1", "2.2", "2.3", "2.4"), 3: ("3.1", "3.2")}
FTE_CHOICES = (Decimal(1), Decimal(1), Decimal(1), Decimal(1), Decimal("0.8"), Decimal("0.5"))

# Mother tongues the Language choices know (Nigerian languages are not among them).
NATIVE = {"MA": "ar", "TN": "ar", "SY": "ar", "IN": "ml", "SN": "wo"}
# Other languages per nationality: language -> CEFR indexes (0 = A1) to draw the base level from.
OTHER_LANGUAGES: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {
    "MA": (("fr", (2, 3, 3, 4)), ("en", (1, 2, 2, 3))),
    "TN": (("fr", (3, 3, 4)), ("en", (1, 2, 2, 3))),
    "NG": (("en", (4, 4, 5)),),
    "SN": (("fr", (4, 5)), ("en", (1, 1, 2))),
    "IN": (("en", (3, 3, 4)),),
    "SY": (("en", (1, 2, 2, 3)),),
}


def _levels(rng: random.Random, base: int, cap: int) -> dict[str, str]:
    """Per-skill CEFR levels around a base: receptive skills run ahead of productive ones."""

    def at(offset: int) -> str:
        return CEFR[max(0, min(cap, base + offset))]

    return {
        "listening": at(rng.choice((0, 0, 1))),
        "reading": at(rng.choice((0, 0, 1))),
        "spoken_interaction": at(rng.choice((-1, 0, 0))),
        "spoken_production": at(rng.choice((-1, 0, 0))),
        "writing": at(rng.choice((-1, -1, 0))),
    }


def add_languages(rng: random.Random, draft: CandidateDraft, anchor: datetime.date) -> None:
    nationality = draft.nationality
    if draft.dutch_level is not None:
        levels = _levels(rng, draft.dutch_level, cap=3)
        # NT2 modules for those who followed a Flemish-style course (all of Aurora, some others).
        certified = draft.stream.project_key == "aurora" or rng.random() < 0.4
        draft.languages.append(
            LanguageProficiency(
                language="nl",
                nt2_level=rng.choice(NT2_BY_LEVEL[draft.dutch_level]) if certified else "",
                evidence="training_certificate" if certified else "self_declared",
                certificate=rng.choice(LANGUAGE_CERTIFICATES["nl"]) if certified else "",
                assessed_on=anchor - datetime.timedelta(days=rng.randint(10, 300)) if certified else None,
                **levels,
            )
        )
    native = NATIVE.get(nationality)
    if native:
        draft.languages.append(
            LanguageProficiency(
                language=native,
                is_native=True,
                listening="C2",
                reading="C2",
                spoken_interaction="C2",
                spoken_production="C2",
                writing="C2",
            )
        )
    for language, choices in OTHER_LANGUAGES[nationality]:
        base = rng.choice(choices)
        tested = language in LANGUAGE_CERTIFICATES and base >= 2 and rng.random() < 0.35
        draft.languages.append(
            LanguageProficiency(
                language=language,
                evidence="verified" if tested else "self_declared",
                certificate=rng.choice(LANGUAGE_CERTIFICATES[language]) if tested else "",
                assessed_on=anchor - datetime.timedelta(days=rng.randint(30, 700)) if tested else None,
                **_levels(rng, base, cap=5),
            )
        )


def add_diplomas(rng: random.Random, draft: CandidateDraft, anchor: datetime.date) -> None:
    zone = "fr" if draft.nationality in FRANCOPHONE else "en"
    kinds = DIPLOMAS[draft.family][zone]
    kind: DiplomaKind = kinds[0] if rng.random() < 0.5 else rng.choice(kinds)
    birth = draft.candidate.date_of_birth
    institutions = (HIGHER_INSTITUTIONS if kind.isced >= 6 else VOCATIONAL_INSTITUTIONS)[draft.nationality]
    private = rng.random() < 0.04
    # Graduation at 18 + the programme's length + a gap year or few, and never later than last summer.
    awarded_age = 18 + int(kind.years) + rng.randint(0, 4)
    awarded_on = min(
        years_after(birth, awarded_age) + datetime.timedelta(days=rng.randint(150, 200)),
        anchor - datetime.timedelta(days=rng.randint(60, 200)),
    )
    main = Diploma(
        title=kind.title,
        institution=PRIVATE_INSTITUTION if private else rng.choice(institutions),
        institution_state_recognised=not private or rng.random() < 0.5,
        is_private_institution=private,
        country=draft.nationality,
        field=kind.field,
        isced_level=kind.isced,
        duration_years=Decimal(str(kind.years)),
        awarded_on=awarded_on,
    )
    draft.diplomas.append((main, _recognition(rng, draft, kind, awarded_on, anchor)))
    if kind.isced > 3 and rng.random() < 0.3:
        secondary = SECONDARY[zone]
        city = rng.choice(ORIGIN_CITIES[draft.nationality])
        draft.diplomas.append(
            (
                Diploma(
                    title=secondary.title,
                    institution=SECONDARY_SCHOOLS[zone].format(city=city),
                    country=draft.nationality,
                    field=secondary.field,
                    isced_level=3,
                    duration_years=Decimal(str(secondary.years)),
                    awarded_on=years_after(birth, 18) + datetime.timedelta(days=180),
                ),
                [],
            )
        )


def _recognition(
    rng: random.Random,
    draft: CandidateDraft,
    kind: DiplomaKind,
    awarded_on: datetime.date,
    anchor: datetime.date,
) -> list[RecognitionStep]:
    """NARIC steps: nurses need full equivalence plus a licence; others at most a level recognition."""
    roll = rng.random()
    requested_on = max(awarded_on, anchor - datetime.timedelta(days=rng.randint(20, 500)))
    decided_on = min(anchor, requested_on + datetime.timedelta(days=rng.randint(30, 110)))
    reference = f"NARIC-{requested_on.year}-{rng.randint(10000, 99999)}"
    naric = RecognitionStep.Authority.NARIC_VLAANDEREN
    if draft.family == "nurse":
        if roll < 0.40:
            return [
                RecognitionStep(
                    authority=naric, outcome="requested", requested_on=requested_on, reference=reference
                )
            ]
        if roll < 0.62:
            return [
                RecognitionStep(
                    authority=naric,
                    outcome="partial",
                    requested_on=requested_on,
                    decided_on=decided_on,
                    reference=reference,
                )
            ]
        if roll < 0.78:
            steps = [
                RecognitionStep(
                    authority=naric,
                    outcome="full_equivalence",
                    requested_on=requested_on,
                    decided_on=decided_on,
                    equivalent_flemish_title=FLEMISH_NURSE_TITLES[0 if kind.isced == 5 else 1],
                    recognised_isced_level=kind.isced,
                    reference=reference,
                )
            ]
            if rng.random() < 0.65 and decided_on < anchor:
                licence_on = min(anchor, decided_on + datetime.timedelta(days=rng.randint(20, 60)))
                steps.append(
                    RecognitionStep(
                        authority=RecognitionStep.Authority.FOD_VOLKSGEZONDHEID,
                        outcome="licence_granted",
                        requested_on=decided_on,
                        decided_on=licence_on,
                        reference=f"VISUM-{rng.randint(100000, 999999)}",
                    )
                )
            return steps
        return []
    if roll < 0.10 and kind.isced >= 4:
        return [
            RecognitionStep(
                authority=naric,
                outcome="level_equivalence",
                recognised_isced_level=kind.isced - 1 if rng.random() < 0.2 else kind.isced,
                requested_on=requested_on,
                decided_on=decided_on,
                reference=reference,
            )
        ]
    if roll < 0.15:
        return [
            RecognitionStep(
                authority=naric, outcome="requested", requested_on=requested_on, reference=reference
            )
        ]
    if roll < 0.16:
        return [
            RecognitionStep(
                authority=naric,
                outcome="refused",
                requested_on=requested_on,
                decided_on=decided_on,
                reference=reference,
            )
        ]
    return []


def add_experience(rng: random.Random, draft: CandidateDraft, context: DemoContext) -> None:
    """Up to three jobs after graduation, the most recent one possibly ongoing."""
    graduated = draft.diplomas[0][0].awarded_on or context.anchor
    years = rng.randint(0, min(15, (context.anchor - graduated).days // 365))
    if years == 0:
        return
    jobs = rng.randint(1, min(3, years))
    ongoing = rng.random() < 0.45
    end = None if ongoing else context.anchor - datetime.timedelta(days=rng.randint(30, 300))
    cursor = end or context.anchor
    residence = draft.candidate.country_of_residence
    country = draft.nationality if residence == "BE" else residence
    cities = ORIGIN_CITIES.get(country, ORIGIN_CITIES[draft.nationality])
    family_occupations = context.by_family.get(draft.family) or [draft.main_occupation]
    for job in range(jobs):
        span = max(1, years // jobs) * 365 - rng.randint(0, 120)
        started_on = max(graduated, cursor - datetime.timedelta(days=span))
        if end is not None and started_on > end:
            break
        main_job = job == 0 or rng.random() < 0.6
        occupation = draft.main_occupation if main_job else rng.choice(family_occupations)
        draft.experiences.append(
            WorkExperience(
                occupation_id=occupation.id,
                job_title=occupation.label_en,
                employer_name=rng.choice(WORKPLACES[draft.family]).format(city=rng.choice(cities)),
                country=country,
                started_on=started_on,
                ended_on=end,
                fte=rng.choice(FTE_CHOICES),
            )
        )
        end = started_on - datetime.timedelta(days=rng.randint(15, 120))
        cursor = end
        if end <= graduated:
            break


def add_skills(
    rng: random.Random, draft: CandidateDraft, context: DemoContext, occupations: list[OccupationInfo]
) -> None:
    main = draft.main_occupation
    chosen = [s for s in main.essential if rng.random() < 0.65] + [
        s for s in main.optional if rng.random() < 0.25
    ]
    if len(occupations) > 1 and rng.random() < 0.3:
        other = rng.choice(occupations)
        chosen += [s for s in other.essential if rng.random() < 0.3]
    for skill_id in dict.fromkeys(chosen):
        evidence = weighted(rng, (("verified", 20), ("training_certificate", 25), ("self_declared", 55)))
        verified = evidence == "verified"
        draft.skills.append(
            CandidateSkill(
                skill_id=skill_id,
                evidence=evidence,
                verified_by_id=draft.partner_id if verified else None,
                verified_on=context.anchor - datetime.timedelta(days=rng.randint(5, 300))
                if verified
                else None,
            )
        )


def add_licences(rng: random.Random, draft: CandidateDraft, anchor: datetime.date) -> None:
    issued_in = (
        draft.candidate.country_of_residence
        if draft.candidate.country_of_residence != "BE"
        else draft.nationality
    )

    def licence(kind: str, country: str, exchangeable: bool, note: str = "") -> Licence:
        return Licence(
            kind=kind,
            issuing_country=country,
            valid_until=anchor + datetime.timedelta(days=rng.randint(200, 3000)),
            valid_or_exchangeable_in_belgium=exchangeable,
            note=note,
        )

    if draft.family == "transport":
        exchangeable = rng.random() < 0.3
        draft.licences.append(
            licence("driving_ce" if rng.random() < 0.7 else "driving_c", issued_in, exchangeable)
        )
        if rng.random() < 0.6:
            draft.licences.append(licence("code_95", issued_in, exchangeable))
    if draft.main_occupation.isco == "7212" and rng.random() < 0.6:
        draft.licences.append(licence("welding_iso_9606", issued_in, True))
    if draft.family in ("construction", "technical") and rng.random() < 0.25:
        draft.licences.append(
            licence("vca", "BE", True, "VCA basic, exam taken during pre-departure training")
        )
