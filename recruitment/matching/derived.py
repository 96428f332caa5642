"""Facts derived from the inputs, shared by the gates (``eligibility``, ``routes``) and the scoring.

Small pure functions: a candidate's age on the reference date, the relation of two ISCO codes, the
occupation fit, years of experience in a unit group, the qualification level, the evidence behind skills.
Frozensets are always iterated in sorted order: their order depends on the process's hash seed, and the
results must be the same in every worker (deterministic reasons, not only deterministic scores).
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from recruitment.matching.facts import (
    CEFR_LEVELS,
    CandidateFacts,
    DiplomaFacts,
    Evidence,
    Recognition,
    ReferenceFacts,
    VacancyFacts,
)
from recruitment.matching.results import Param, Reason

NURSING_FIELD = "0913"  # ISCED-F 2013 "nursing and midwifery"
NURSING_ISCO = frozenset({"2221", "3221"})  # nursing professionals / associate professionals (domain.md 1.5)
CARE_ISCO = frozenset({"5321", "5322"})  # healthcare assistant, home-based personal care (domain.md 1.4)
PENDING_RECOGNITION = frozenset({Recognition.REQUESTED, Recognition.LEVEL_EQUIVALENCE, Recognition.PARTIAL})

DESIRED_OCCUPATION_FACTOR = 0.8
"""A desired occupation counts at most 0.8 of what the same experience would: wishes are not proof."""

EXPERIENCE_QUALIFIES_YEARS = 2.0
EXPERIENCE_VKS_LEVEL = 3
"""Product choice: >= 2 years in the vacancy's ISCO unit group count as a VKS 3 qualification by experience
(domain.md 1.4: medium-skilled qualifications "gained by experience or training")."""

EVIDENCE_WEIGHT = {
    Evidence.VERIFIED: 1.0,
    Evidence.TRAINING_CERTIFICATE: 0.9,
    Evidence.SELF_DECLARED: 0.6,
}
"""domain.md 8.3: verified evidence matters for credibility with employers."""

ISCO_LEVEL_FIT = {4: 0.8, 3: 0.5, 2: 0.2}
"""Shared ISCO digits -> fit (domain.md 8.3): unit group 0.8, minor group 0.5, sub-major group 0.2."""
ISCO_LEVEL_NAME = {4: "unit_group", 3: "minor_group", 2: "sub_major_group"}


def reason(
    code: str,
    *,
    closable: bool = False,
    under_way: bool = False,
    closes_by: str | None = None,
    **params: Param,
) -> Reason:
    """A ``Reason`` with its parameters in the order given (stable, so results compare equal)."""
    return Reason(code, tuple(params.items()), closable, under_way, closes_by)


def reason_from(
    code: str,
    params: Mapping[str, Param],
    *,
    closable: bool = False,
    under_way: bool = False,
    closes_by: str | None = None,
) -> Reason:
    """``reason`` for parameters gathered in a mapping first."""
    return Reason(code, tuple(params.items()), closable, under_way, closes_by)


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    """Full years of age on ``day`` (a 29 February birthday turns a year older on 1 March)."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def cefr_label(level: int) -> str:
    """3 -> ``"B1"``; 0 (no level) -> ``""``, the same convention as ``facts.cefr_index``."""
    return CEFR_LEVELS[level - 1] if 1 <= level <= len(CEFR_LEVELS) else ""


def money(amount: Decimal) -> str:
    """Amounts travel in reasons as exact strings with two decimals: ``"48912.00"``."""
    return f"{amount:.2f}"


def iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def shared_isco_digits(a: str, b: str) -> int:
    """How many leading ISCO digits two unit groups share (0–4); malformed codes share nothing."""
    shared = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        shared += 1
    return shared


@dataclass(frozen=True)
class OccupationFit:
    value: float  # 0..1
    level: str  # occupation, unit_group, minor_group, sub_major_group, none
    basis: str  # experience, desired, "" when none
    isco_code: str  # the candidate's ISCO code that matched best, "" when none


NO_FIT = OccupationFit(0.0, "none", "", "")


def _isco_fit(candidate_isco: str, vacancy_isco: str, basis: str, factor: float) -> OccupationFit:
    shared = min(shared_isco_digits(candidate_isco, vacancy_isco), 4)
    if shared < 2:
        return NO_FIT
    return OccupationFit(ISCO_LEVEL_FIT[shared] * factor, ISCO_LEVEL_NAME[shared], basis, candidate_isco)


def occupation_fit(candidate: CandidateFacts, vacancy: VacancyFacts) -> OccupationFit:
    """The best fit over experiences (full value) and desired occupations (x 0.8), domain.md 8.3.

    Experience is looked at first and wins ties: it is documented, a wish is not.
    """
    best = NO_FIT
    for experience in candidate.experiences:
        if experience.occupation_id == vacancy.occupation_id:
            fit = OccupationFit(1.0, "occupation", "experience", experience.isco_code)
        else:
            fit = _isco_fit(experience.isco_code, vacancy.isco_code, "experience", 1.0)
        if fit.value > best.value:
            best = fit
    if vacancy.occupation_id in candidate.desired_occupation_ids:
        fit = OccupationFit(DESIRED_OCCUPATION_FACTOR, "occupation", "desired", vacancy.isco_code)
        if fit.value > best.value:
            best = fit
    for code in sorted(candidate.desired_isco_codes):
        fit = _isco_fit(code, vacancy.isco_code, "desired", DESIRED_OCCUPATION_FACTOR)
        if fit.value > best.value:
            best = fit
    return best


def add_up(values: Iterable[float]) -> float:
    """Left to right, one rounding per addition. ``sum()`` compensates rounding errors from Python 3.12
    on; the vectorised path (``vectorised.py``) adds in this order, so both give the very same float."""
    total = 0.0
    for value in values:
        total += value
    return total


def years_in_unit_group(candidate: CandidateFacts, isco_code: str) -> float:
    """Full-time equivalent years of experience in one ISCO unit group (all occupations under it)."""
    return add_up(max(e.years, 0.0) for e in candidate.experiences if e.isco_code == isco_code)


def effective_isced(diploma: DiplomaFacts) -> int:
    """The level NARIC recognised when it decided one, else the level the diploma states."""
    return (
        diploma.recognised_isced_level if diploma.recognised_isced_level is not None else diploma.isced_level
    )


def diploma_vks(diploma: DiplomaFacts, facts: ReferenceFacts) -> int:
    """VKS level of a diploma via the editable ISCED -> VKS crosswalk (domain.md 4.3), lower bound of the
    range: conservative, ISCED 3 (VKS 3–4) counts as 3. An ISCED level missing from the crosswalk gives 0."""
    level = effective_isced(diploma)
    for isced, vks_min, _vks_max in facts.isced_to_vks:
        if isced == level:
            return vks_min
    return 0


@dataclass(frozen=True)
class Qualification:
    vks: int  # 0 = none established
    basis: str  # diploma, experience, "" when none
    experience_years: float


def qualification_level(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> Qualification:
    """The candidate's qualification level for the medium-skilled and "other" routes: the best diploma VKS,
    or VKS 3 by >= 2 years of experience in the vacancy's unit group (domain.md 1.4, 8.2)."""
    by_diploma = max((diploma_vks(d, facts) for d in candidate.diplomas), default=0)
    years = years_in_unit_group(candidate, vacancy.isco_code)
    by_experience = EXPERIENCE_VKS_LEVEL if years >= EXPERIENCE_QUALIFIES_YEARS else 0
    if by_diploma == 0 and by_experience == 0:
        return Qualification(0, "", years)
    if by_diploma >= by_experience:
        return Qualification(by_diploma, "diploma", years)
    return Qualification(by_experience, "experience", years)


def is_nursing_diploma(diploma: DiplomaFacts) -> bool:
    return diploma.field.startswith(NURSING_FIELD) or diploma.recognition_concerns_nursing


def language_levels(candidate: CandidateFacts, language: str) -> tuple[int, int, int, int, int]:
    """The candidate's CEFR index per skill in one language; the best per skill if listed twice."""
    best = [0, 0, 0, 0, 0]
    for entry in candidate.languages:
        if entry.language == language:
            best = [max(a, b) for a, b in zip(best, entry.levels, strict=True)]
    return (best[0], best[1], best[2], best[3], best[4])


def skill_evidence(candidate: CandidateFacts) -> dict[int, float]:
    """Skill id -> evidence weight, the best evidence when a skill is listed more than once."""
    weights: dict[int, float] = {}
    for skill_id, evidence in candidate.skills:
        weights[skill_id] = max(weights.get(skill_id, 0.0), EVIDENCE_WEIGHT.get(evidence, 0.0))
    return weights
