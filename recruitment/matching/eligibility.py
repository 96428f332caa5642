"""The eligibility gate for one candidate and one vacancy in Flanders (domain.md 8.2).

Two stages. ``scope_reasons`` decides whether the pair is a matter for this product at all (a third-country
national of age, a Flemish vacancy, an occupation the candidate has something to do with); a pair that
fails it stops there, with no permit route considered. ``gate_reasons`` then checks fair recruitment, the
permit routes (``routes.py``), regulated professions, mandatory languages, licences, consent and
availability. Each rule is one function returning the reasons it failed with (none when met).

``outcome_of`` turns reasons into the outcome: any non-closable reason is INELIGIBLE, otherwise any
reason at all is CONDITIONAL, otherwise ELIGIBLE.
"""

import datetime

from recruitment.matching.derived import (
    PENDING_RECOGNITION,
    age_on,
    cefr_label,
    iso,
    language_levels,
    occupation_fit,
    reason,
    reason_from,
)
from recruitment.matching.facts import (
    EU_EEA_CH,
    LANGUAGE_SKILLS,
    CandidateFacts,
    LanguageCourse,
    Recognition,
    ReferenceFacts,
    VacancyFacts,
)
from recruitment.matching.results import Outcome, Param, Reason, RouteCheck
from recruitment.matching.routes import check_routes

ADULT_AGE = 18
FLEMISH_REGION = "VLG"
STUDY_MONTHS_PER_CEFR_LEVEL = 4
"""How long closing one CEFR level takes, as an estimate shown when no course is under way (product
rule, docs/matching.md): the usual guided-learning estimates put one level at some 150 to 200 hours of
study, about four months of a course of 10 to 12 hours a week. A gap of any size is closable: closing
language gaps is what pre-departure training is for, so a gap never excludes a candidate."""
LATE_AVAILABILITY_DAYS = 180

__all__ = ["check_routes", "gate_reasons", "outcome_of", "route_reasons", "scope_reasons"]


# --- Stage 1: scope and relevance ---------------------------------------------------------------------


def check_third_country_national(candidate: CandidateFacts) -> list[Reason]:
    """An EU/EEA/Swiss citizen needs no single permit: out of scope (domain.md 1.1, 8.2 item 1).

    Any EU/EEA/Swiss nationality counts, also for dual nationals. No nationality recorded: the recruiter
    must record it before the permit question can be answered (closable).
    """
    eu = sorted(candidate.nationalities & EU_EEA_CH)
    if eu:
        return [reason("scope.eu_citizen", nationalities=",".join(eu))]
    if not candidate.nationalities:
        return [reason("scope.nationality_unknown", closable=True)]
    return []


def check_adult(candidate: CandidateFacts, facts: ReferenceFacts) -> list[Reason]:
    """At least 18 on the reference date (domain.md 8.2 item 1; the EU Talent Pool requires majority, 6.2)."""
    age = age_on(candidate.date_of_birth, facts.reference_date)
    if age < ADULT_AGE:
        return [reason("scope.minor", age=age, minimum_age=ADULT_AGE)]
    return []


def check_flemish_region(vacancy: VacancyFacts) -> list[Reason]:
    """Only the Flemish Region's rules are modelled; the place of work decides (domain.md 1.2, 8.2 item 2)."""
    if vacancy.region != FLEMISH_REGION:
        return [reason("scope.region_not_flanders", region=vacancy.region)]
    return []


def check_relevance(candidate: CandidateFacts, vacancy: VacancyFacts) -> list[Reason]:
    """Product rule: a candidate with no relation at all to the vacancy's occupation is not stored as a
    match. No relation = occupation fit 0 (no experience or desired occupation sharing even the ISCO
    sub-major group, 2 digits) and none of the vacancy's essential skills held (docs/matching.md)."""
    held = {skill_id for skill_id, _evidence in candidate.skills}
    if held & vacancy.essential_skill_ids:
        return []
    if occupation_fit(candidate, vacancy).value > 0:
        return []
    return [reason("relevance.unrelated", vacancy_isco=vacancy.isco_code)]


def scope_reasons(candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts) -> list[Reason]:
    """Stage 1: nationality, age, region, relevance. Non-empty with a non-closable reason = stop here."""
    return (
        check_third_country_national(candidate)
        + check_adult(candidate, facts)
        + check_flemish_region(vacancy)
        + check_relevance(candidate, vacancy)
    )


# --- Stage 2: the gate proper -------------------------------------------------------------------------


def check_candidate_paid(candidate: CandidateFacts) -> list[Reason]:
    """Employer-pays principle: an unrepaid cost paid by the candidate blocks progression until repaid
    (ILO fair recruitment; Flemish decree on private mediation; domain.md 5.1–5.3 item 1, 8.2 item 7)."""
    if candidate.has_unrepaid_candidate_paid_cost:
        return [reason("fair_recruitment.candidate_paid")]
    return []


def check_employer_not_suspended(vacancy: VacancyFacts) -> list[Reason]:
    """A suspended or excluded employer gets no matches (domain.md 5.3 item 3, 6.2, 8.2 item 7)."""
    if vacancy.employer_suspended:
        return [reason("employer.suspended", employer_id=vacancy.employer_id)]
    return []


def route_reasons(routes: tuple[RouteCheck, ...]) -> list[Reason]:
    """At least one permit route must pass (domain.md 8.2 item 3).

    A passing route: nothing to report. Otherwise the closable failures of every conditionally failing
    route (any of them, once closed, opens a route). Otherwise ``route.none`` followed by every route's
    failures, so that the result explains itself without the route list.
    """
    if any(check.outcome is Outcome.ELIGIBLE for check in routes):
        return []
    conditional = [check for check in routes if check.outcome is Outcome.CONDITIONAL]
    if conditional:
        return [r for check in conditional for r in check.reasons]
    considered = ",".join(check.route.value for check in routes)
    return [reason("route.none", routes=considered)] + [r for check in routes for r in check.reasons]


def check_regulated_profession(candidate: CandidateFacts, vacancy: VacancyFacts) -> list[Reason]:
    """A regulated profession (nurse) needs full equivalence plus a licence to practise (FOD Volksgezondheid
    visum), domain.md 4.4, 8.2 item 4. A non-regulated care position has no such gate (the Aurora pattern).

    The best state over the candidate's diplomas counts: full + licence, then full without licence
    (apply for the visum), then a pending procedure (requested, level equivalence, partial: under way),
    then not requested (closable), then refused or no diploma (ineligible).
    """
    if not vacancy.regulated:
        return []
    diplomas = candidate.diplomas
    full = [d for d in diplomas if d.recognition is Recognition.FULL_EQUIVALENCE]
    if any(d.licence_to_practise for d in full):
        return []
    if full:
        return [reason("recognition.licence_missing", closable=True)]
    pending = sorted({d.recognition.value for d in diplomas if d.recognition in PENDING_RECOGNITION})
    if pending:
        return [reason("recognition.pending", closable=True, under_way=True, recognition=",".join(pending))]
    if any(d.recognition is Recognition.NOT_REQUESTED for d in diplomas):
        return [reason("recognition.not_requested", closable=True)]
    if diplomas:
        return [reason("recognition.refused")]
    return [reason("recognition.no_diploma")]


def _closing_course(candidate: CandidateFacts, language: str, required: int) -> LanguageCourse | None:
    """The course in progress that reaches ``required`` soonest (a course without a date last)."""
    courses = [
        c
        for c in candidate.language_courses
        if c.language == language and c.in_progress and c.target_level >= required
    ]
    courses.sort(key=lambda c: (c.expected_by is None, c.expected_by or datetime.date.min, -c.target_level))
    return courses[0] if courses else None


def check_mandatory_languages(candidate: CandidateFacts, vacancy: VacancyFacts) -> list[Reason]:
    """Every mandatory language requirement met per CEFR skill (domain.md 4.1, 8.2 item 5).

    Every gap is closable, however many levels: under way when a course in progress targets the required
    level (closes by its expected date), otherwise with an estimate of the months of study it takes
    (``STUDY_MONTHS_PER_CEFR_LEVEL`` per level). One reason per skill.
    """
    failures: list[Reason] = []
    for requirement in vacancy.language_requirements:
        if not requirement.mandatory:
            continue  # non-mandatory gaps only lower the language score
        actual_levels = language_levels(candidate, requirement.language)
        for skill, required, actual in zip(LANGUAGE_SKILLS, requirement.minimum, actual_levels, strict=True):
            if required == 0 or actual >= required:
                continue
            course = _closing_course(candidate, requirement.language, required)
            params: dict[str, Param] = {
                "language": requirement.language,
                "skill": skill,
                "required": cefr_label(required),
                "actual": cefr_label(actual),
            }
            if course is not None:
                closes_by = iso(course.expected_by)
                target = cefr_label(course.target_level)
                failures.append(
                    reason_from(
                        "language.below_minimum",
                        {**params, "course_target": target},
                        closable=True,
                        under_way=True,
                        closes_by=closes_by,
                    )
                )
            else:
                months = (required - actual) * STUDY_MONTHS_PER_CEFR_LEVEL
                failures.append(
                    reason_from("language.below_minimum", {**params, "study_months": months}, closable=True)
                )
    return failures


def check_licences(candidate: CandidateFacts, vacancy: VacancyFacts) -> list[Reason]:
    """Legally required licences (truck C/CE and Code 95, bus D), valid or exchangeable in Belgium:
    a conditional requirement, closable by exchanging or obtaining it (domain.md 8.2 item 6)."""
    missing = sorted(vacancy.required_licences - candidate.licences)
    return [reason("licence.missing", closable=True, licence=kind) for kind in missing]


def check_consent(candidate: CandidateFacts, vacancy: VacancyFacts) -> list[Reason]:
    """Per-recipient consent to show the profile to this employer (GDPR; domain.md 7 item 2, 8.2 item 8).
    Closable: a recruiter asks the candidate."""
    if vacancy.employer_id in candidate.consented_employer_ids:
        return []
    return [reason("consent.missing_for_employer", closable=True, employer_id=vacancy.employer_id)]


def check_availability(candidate: CandidateFacts, vacancy: VacancyFacts) -> list[Reason]:
    """Available more than 180 days after the vacancy's start: closable (the employer may move the start).
    Within 180 days only the timing score is lowered (domain.md 8.3)."""
    if candidate.available_from is None or vacancy.start_date is None:
        return []
    days_late = (candidate.available_from - vacancy.start_date).days
    if days_late <= LATE_AVAILABILITY_DAYS:
        return []
    return [
        reason(
            "availability.late",
            closable=True,
            available_from=candidate.available_from.isoformat(),
            start_date=vacancy.start_date.isoformat(),
            days_late=days_late,
            maximum_days_late=LATE_AVAILABILITY_DAYS,
        )
    ]


def gate_reasons(
    candidate: CandidateFacts, vacancy: VacancyFacts, routes: tuple[RouteCheck, ...]
) -> list[Reason]:
    """Stage 2, in a fixed order (the order reasons are shown in)."""
    return (
        check_candidate_paid(candidate)
        + check_employer_not_suspended(vacancy)
        + route_reasons(routes)
        + check_regulated_profession(candidate, vacancy)
        + check_mandatory_languages(candidate, vacancy)
        + check_licences(candidate, vacancy)
        + check_consent(candidate, vacancy)
        + check_availability(candidate, vacancy)
    )


def outcome_of(reasons: list[Reason]) -> Outcome:
    """Any non-closable failure: INELIGIBLE; else any failure: CONDITIONAL; else ELIGIBLE."""
    if any(not r.closable for r in reasons):
        return Outcome.INELIGIBLE
    return Outcome.CONDITIONAL if reasons else Outcome.ELIGIBLE
