"""Soft scoring of an eligible or conditional pair, 0–100 (domain.md 8.3).

One function per criterion, each returning a ``CriterionScore``: the points earned, the points possible
(the criterion's weight: the candidate's project's weights, else the default, ``facts.weights_for``) and a
reason with the values compared. A criterion first
computes a share between 0 and 1; earned = weight x share. Every share is a non-decreasing function of
what the candidate brings (a higher language level, one more skill), so improving a profile never lowers
a score.

Never features: nationality, gender, age, religion, health, photos. Age only chooses the legal salary
threshold in the gate (``routes.py``); nothing here reads the date of birth or the nationalities.
"""

import datetime
from collections.abc import Callable

from recruitment.matching.derived import (
    CARE_ISCO,
    PENDING_RECOGNITION,
    add_up,
    effective_isced,
    is_nursing_diploma,
    iso,
    language_levels,
    occupation_fit,
    reason,
    skill_evidence,
    years_in_unit_group,
)
from recruitment.matching.facts import CandidateFacts, Recognition, ReferenceFacts, VacancyFacts
from recruitment.matching.results import CriterionScore, Reason

LANGUAGE_CREDIT = {0: 1.0, 1: 0.6, 2: 0.2}  # levels below target -> credit (domain.md 8.3); 3+ -> 0
EXPERIENCE_CAP = 1.5  # min(years / required, 1.5) / 1.5: up to 150% of the requirement still counts
RECOGNITION_DONE = frozenset({Recognition.FULL_EQUIVALENCE, Recognition.LEVEL_EQUIVALENCE})
RECOGNITION_UNDER_WAY = frozenset({Recognition.REQUESTED, Recognition.PARTIAL})
TIMING_AVAILABILITY_SHARE = 0.8  # of the timing points: availability vs start date ...
TIMING_TRAINING_SHARE = 0.2  # ... and a completed pre-departure programme
TIMING_LATE_DAYS = 180  # the timing share falls linearly to 0 at 180 days late
NEUTRAL = 0.5  # an unknown or empty preference neither helps nor hurts

Criterion = Callable[[CandidateFacts, VacancyFacts, ReferenceFacts], CriterionScore]


def _criterion(
    code: str, candidate: CandidateFacts, facts: ReferenceFacts, share: float, why: Reason
) -> CriterionScore:
    """Points for one criterion, weighted for the candidate's project (``code`` names the ``Weights``
    field); rounded to 4 decimals so breakdowns read cleanly (rounding is monotone)."""
    possible = max(float(getattr(facts.weights_for(candidate.project_id), code)), 0.0)
    share = min(max(share, 0.0), 1.0)
    return CriterionScore(code, round(possible * share, 4), possible, why)


def _coverage(
    code: str, required: frozenset[int], candidate: CandidateFacts, facts: ReferenceFacts
) -> CriterionScore:
    """Evidence-weighted share of the skills held: verified 1.0, certificate 0.9, self-declared 0.6."""
    if not required:
        return _criterion(code, candidate, facts, 1.0, reason(f"{code}.none_required"))
    evidence = skill_evidence(candidate)
    weights = [evidence.get(skill_id, 0.0) for skill_id in sorted(required)]
    share = add_up(weights) / len(required)
    held = sum(1 for w in weights if w > 0)
    why = reason(f"{code}.coverage", held=held, required=len(required), share=round(share, 4))
    return _criterion(code, candidate, facts, share, why)


def score_occupation(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> CriterionScore:
    """Occupation fit through the ESCO/ISCO hierarchy: 1.0 same occupation, 0.8 same unit group, 0.5 same
    minor group, 0.2 same sub-major group; desired occupations at most 0.8 of that (domain.md 8.3)."""
    fit = occupation_fit(candidate, vacancy)
    why = reason(
        f"occupation.{fit.level}",
        basis=fit.basis,
        candidate_isco=fit.isco_code,
        vacancy_isco=vacancy.isco_code,
        share=round(fit.value, 4),
    )
    return _criterion("occupation", candidate, facts, fit.value, why)


def score_essential_skills(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> CriterionScore:
    """Share of the vacancy's essential skills held, weighted by evidence (domain.md 8.3)."""
    return _coverage("essential_skills", vacancy.essential_skill_ids, candidate, facts)


def score_languages(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> CriterionScore:
    """Per requirement (mandatory or not) and per required skill: 1.0 at or above target, 0.6 one level
    below, 0.2 two below, else 0; the plain average (domain.md 8.3, 4.1)."""
    credits: list[float] = []
    for requirement in vacancy.language_requirements:
        actual = language_levels(candidate, requirement.language)
        for required, level in zip(requirement.minimum, actual, strict=True):
            if required > 0:
                credits.append(LANGUAGE_CREDIT.get(max(required - level, 0), 0.0))
    if not credits:
        return _criterion("languages", candidate, facts, 1.0, reason("languages.none_required"))
    share = add_up(credits) / len(credits)
    why = reason(
        "languages.fit",
        skills_compared=len(credits),
        skills_met=sum(1 for c in credits if c == 1.0),
        share=round(share, 4),
    )
    return _criterion("languages", candidate, facts, share, why)


def score_experience(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> CriterionScore:
    """min(years in the vacancy's ISCO unit group / years required, 1.5) / 1.5 (domain.md 8.3)."""
    years = years_in_unit_group(candidate, vacancy.isco_code)
    required = vacancy.min_experience_years
    if required <= 0:
        why = reason("experience.none_required", years=round(years, 2))
        return _criterion("experience", candidate, facts, 1.0, why)
    share = min(years / required, EXPERIENCE_CAP) / EXPERIENCE_CAP
    why = reason("experience.years", years=round(years, 2), required=required, share=round(share, 4))
    return _criterion("experience", candidate, facts, share, why)


def score_qualification(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> CriterionScore:
    """Level and recognition readiness (domain.md 8.3): 0.5 when the highest diploma reaches the minimum
    ISCED level (no minimum: 0.5), +0.5 recognition done (full or level equivalence), +0.25 under way
    (requested or partial), at most 1.0. The best diploma counts."""
    minimum = vacancy.min_isced_level
    best_share, best_isced, best_recognition = (NEUTRAL if minimum is None else 0.0), 0, ""
    for diploma in candidate.diplomas:
        level_part = NEUTRAL if minimum is None or effective_isced(diploma) >= minimum else 0.0
        if diploma.recognition in RECOGNITION_DONE:
            recognition_part = 0.5
        elif diploma.recognition in RECOGNITION_UNDER_WAY:
            recognition_part = 0.25
        else:
            recognition_part = 0.0
        share = min(level_part + recognition_part, 1.0)
        if share > best_share or (share == best_share and effective_isced(diploma) > best_isced):
            best_share, best_isced, best_recognition = (
                share,
                effective_isced(diploma),
                diploma.recognition.value,
            )
    why = reason(
        "qualification.level_and_recognition",
        isced=best_isced,
        minimum_isced=minimum,
        recognition=best_recognition,
        share=best_share,
    )
    return _criterion("qualification", candidate, facts, best_share, why)


def score_optional_skills(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> CriterionScore:
    """Share of the optional skills held, evidence-weighted like the essential skills (domain.md 8.3)."""
    return _coverage("optional_skills", vacancy.optional_skill_ids, candidate, facts)


def _availability_share(available_from: datetime.date | None, start: datetime.date | None) -> float:
    """1.0 on or before the start (or no start date), linearly down to 0 at 180 days late; unknown 0.5."""
    if start is None:
        return 1.0
    if available_from is None:
        return NEUTRAL
    days_late = (available_from - start).days
    return max(0.0, 1.0 - max(days_late, 0) / TIMING_LATE_DAYS)


def score_timing(candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts) -> CriterionScore:
    """Readiness and timing (domain.md 8.3): 80% availability against the start date, 20% a completed
    pre-departure programme (permits take 2–4 months; readiness shortens time-to-hire)."""
    availability = _availability_share(candidate.available_from, vacancy.start_date)
    training = 1.0 if candidate.training_completed else 0.0
    share = TIMING_AVAILABILITY_SHARE * availability + TIMING_TRAINING_SHARE * training
    why = reason(
        "timing.readiness",
        available_from=iso(candidate.available_from),
        start_date=iso(vacancy.start_date),
        availability_share=round(availability, 4),
        training_completed=candidate.training_completed,
    )
    return _criterion("timing", candidate, facts, share, why)


def _occupation_preference(candidate: CandidateFacts, vacancy: VacancyFacts) -> float:
    """1.0 desired occupation, or an accepted entry role for a nurse awaiting recognition (Aurora);
    0.8 a desired occupation in the same unit group; no wish recorded 0.5; else 0."""
    if vacancy.occupation_id in candidate.desired_occupation_ids:
        return 1.0
    entry_role = (
        candidate.accepts_entry_role_during_recognition
        and vacancy.isco_code in CARE_ISCO
        and any(is_nursing_diploma(d) and d.recognition in PENDING_RECOGNITION for d in candidate.diplomas)
    )
    if entry_role:
        return 1.0
    if vacancy.isco_code in candidate.desired_isco_codes:
        return 0.8
    if not candidate.desired_occupation_ids and not candidate.desired_isco_codes:
        return NEUTRAL
    return 0.0


def _region_preference(candidate: CandidateFacts, vacancy: VacancyFacts) -> float:
    """1.0 the vacancy's region (or all of Belgium, "BE") is preferred; none stated 0.5; else 0."""
    if not candidate.preferred_regions:
        return NEUTRAL
    return 1.0 if {vacancy.region, "BE"} & candidate.preferred_regions else 0.0


def score_preferences(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> CriterionScore:
    """The candidate's own wishes, half occupation and half region (domain.md 8.3: retention, fairness)."""
    occupation = _occupation_preference(candidate, vacancy)
    region = _region_preference(candidate, vacancy)
    why = reason("preferences.match", occupation=occupation, region=region)
    return _criterion("preferences", candidate, facts, (occupation + region) / 2, why)


CRITERIA: tuple[Criterion, ...] = (
    score_occupation,
    score_essential_skills,
    score_languages,
    score_experience,
    score_qualification,
    score_optional_skills,
    score_timing,
    score_preferences,
)


def score_match(
    candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts
) -> tuple[float, tuple[CriterionScore, ...]]:
    """The score and its breakdown. With the default weights (total 100) the score is the sum of the points
    earned; weights of another total are scaled to 100, so the score always lies in 0..100."""
    breakdown = tuple(criterion(candidate, vacancy, facts) for criterion in CRITERIA)
    earned = add_up(c.earned for c in breakdown)
    possible = add_up(c.possible for c in breakdown)
    if possible <= 0:
        return 0.0, breakdown
    raw = earned if possible == 100 else earned * 100 / possible
    return min(max(round(raw, 2), 0.0), 100.0), breakdown
