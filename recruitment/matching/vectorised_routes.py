"""The permit routes over many pairs at once: ``routes.py`` (``routes.check_routes``) in NumPy.

``route_statuses`` gives, per pair, what the vectorised gate (``vectorised.py``) needs from the routes:
the route statuses (``codes.route_bits`` layout), the reasons ``eligibility.route_reasons`` gives and
whether no route is open. Each check names the scalar function it mirrors; constants come from the scalar
modules, never retyped. ``tests/recruitment/matching/test_vectorised.py`` holds both paths equal.
"""

import datetime

import numpy as np

from recruitment.matching.codes import REASON_BIT
from recruitment.matching.columns import (
    HS_INSTITUTION_NOT_RECOGNISED,
    HS_NO_HIGHER_EDUCATION,
    PAY_BELOW_SKILLED,
    PAY_UNCONFIRMED,
    CandidateColumns,
    VacancyColumns,
)
from recruitment.matching.facts import ReferenceFacts, ThresholdCategory
from recruitment.matching.pairs import NO_BITS, Pairs, bits, route_status
from recruitment.matching.routes import (
    BLUE_CARD_SIX_MONTHS_FROM,
    FUNCTION_VKS_RULE_FROM,
    LABOUR_MARKET_TEST_DAYS,
    LABOUR_MARKET_WINDOW_MONTHS,
    OTHER_MAXIMUM_FUNCTION_VKS,
    OTHER_MEDIUM_ONLY_FROM,
    REDUCED_THRESHOLD_AGE,
    TRAINEE_DIPLOMA_MONTHS,
    TRAINEE_MAX_MONTHS,
    TRAINEE_MIN_ISCED,
    TRAINEE_MIN_MONTHS,
    months_before,
)

# --- Per vacancy or candidate, once per set of reference facts ------------------------------------


def labour_market_test(vacancies: VacancyColumns, day: datetime.date) -> tuple[np.ndarray, ...]:
    """routes.labour_market_test per vacancy on ``day``: not published, outdated, too short (closable)."""

    def build() -> tuple[np.ndarray, ...]:
        vdab, eures = vacancies.vdab_published, vacancies.eures_published
        unpublished = (vdab == 0) | (eures == 0)
        window_start = months_before(day, LABOUR_MARKET_WINDOW_MONTHS).toordinal()
        outdated = ~unpublished & (np.minimum(vdab, eures) < window_start)
        days = day.toordinal() - np.maximum(vdab, eures)
        short = ~unpublished & ~outdated & (days < LABOUR_MARKET_TEST_DAYS)
        return unpublished, outdated, short

    result: tuple[np.ndarray, ...] = vacancies.cached(("labour_market_test", day), build)
    return result


def _listed(vacancies: VacancyColumns, occupation_ids: frozenset[int]) -> np.ndarray:
    def build() -> np.ndarray:
        return np.isin(vacancies.occupation, np.fromiter(occupation_ids, dtype=np.int64))

    result: np.ndarray = vacancies.cached(("listed", occupation_ids), build)
    return result


def diploma_vks(candidates: CandidateColumns, facts: ReferenceFacts) -> np.ndarray:
    """Per candidate, the best diploma's VKS level (derived.diploma_vks through the crosswalk)."""

    def build() -> np.ndarray:
        first: dict[int, int] = {}
        for isced, vks_min, _vks_max in facts.isced_to_vks:
            first.setdefault(isced, vks_min)
        levels = candidates.diplomas["isced"]
        unique, inverse = np.unique(levels, return_inverse=True)
        vks = np.array([first.get(int(level), 0) for level in unique], dtype=np.int16)[inverse]
        best = np.zeros(len(candidates), dtype=np.int16)
        np.maximum.at(best, candidates.diplomas.owner, vks)
        return best

    result: np.ndarray = candidates.cached(("diploma_vks", facts.isced_to_vks), build)
    return result


# --- The routes (routes.check_routes) ---------------------------------------------------------------


def route_statuses(
    p: Pairs, facts: ReferenceFacts, age: np.ndarray, qualification: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Route statuses, the reasons ``eligibility.route_reasons`` gives, and whether no route is open."""
    cand, vac, c, v = p.candidates, p.vacancies, p.c, p.v
    day = facts.reference_date

    # Highly skilled (routes.check_highly_skilled)
    low_function = (day >= FUNCTION_VKS_RULE_FROM) & (vac.function_vks[v] < 5)
    care = vac.is_care[v]
    excepted = care & cand.nursing_pending[c]
    nurse_may_ask = low_function & ~excepted & care & cand.nursing_not_requested[c]
    function_low = low_function & ~excepted & ~(care & cand.nursing_not_requested[c])
    reduced_basis = (age < REDUCED_THRESHOLD_AGE) | vac.is_nursing[v]
    full = facts.threshold(ThresholdCategory.HIGHLY_SKILLED)
    reduced = facts.threshold(ThresholdCategory.HIGHLY_SKILLED_REDUCED)
    below_full = vac.below(full)[v]
    if reduced is not None:
        unknown = ~reduced_basis & (full is None)
        below = np.where(reduced_basis, vac.below(reduced)[v], below_full) & ~unknown
    elif full is None:
        unknown, below = np.ones(len(p), dtype=bool), np.zeros(len(p), dtype=bool)
    else:
        unknown, below = reduced_basis & below_full, ~reduced_basis & below_full
    diploma = cand.hs_diploma[c]
    hs_fail = (
        bits(diploma == HS_NO_HIGHER_EDUCATION, "route.highly_skilled.no_higher_education_diploma")
        | bits(diploma == HS_INSTITUTION_NOT_RECOGNISED, "route.highly_skilled.institution_not_recognised")
        | bits(function_low, "route.highly_skilled.function_below_vks5")
        | bits(unknown, "route.threshold_unknown")
        | bits(below, "route.highly_skilled.salary_below_threshold")
    )
    hs_closable = bits(nurse_may_ask, "route.highly_skilled.nurse_recognition_not_requested")

    # EU Blue Card (routes.check_blue_card)
    blue = facts.threshold(ThresholdCategory.EU_BLUE_CARD)
    minimum_months = 6 if day >= BLUE_CARD_SIX_MONTHS_FROM else 12
    fixed, months = ~vac.indefinite[v], vac.contract_months[v]
    bc_fail = (
        bits(cand.best_isced[c] < 6, "route.blue_card.no_higher_education_qualification")
        | (np.int64(REASON_BIT["route.threshold_unknown"]) if blue is None else NO_BITS)
        | bits(vac.below(blue)[v], "route.blue_card.salary_below_threshold")
        | bits(fixed & (months >= 0) & (months < minimum_months), "route.blue_card.contract_too_short")
    )
    bc_closable = bits(fixed & (months < 0), "route.blue_card.contract_duration_unknown")

    # Medium-skilled shortage function (routes.check_medium_skilled)
    pay = vac.pay_state[v]
    medium_fail = (
        bits(~_listed(vac, facts.migration_list_occupation_ids)[v], "route.medium.not_on_migration_list")
        | bits(qualification < 3, "route.medium.qualification_insufficient")
        | bits(pay == PAY_BELOW_SKILLED, "route.medium.pay_below_skilled")
        | bits(vac.secondment[v], "route.medium.secondment")
    )
    medium_closable = bits(pay == PAY_UNCONFIRMED, "route.medium.pay_category_unconfirmed")

    # "Other": VDAB list and labour-market test (routes.check_other_vdab_list)
    minimum_vks = 3 if day >= OTHER_MEDIUM_ONLY_FROM else 2
    unpublished, outdated, short = (flags[v] for flags in labour_market_test(vac, day))
    other_fail = (
        bits(~_listed(vac, facts.vdab_list_occupation_ids)[v], "route.other.not_on_vdab_list")
        | bits(qualification < minimum_vks, "route.other.qualification_insufficient")
        | bits(vac.function_vks[v] < minimum_vks, "route.other.function_low_skilled")
        | bits(vac.function_vks[v] > OTHER_MAXIMUM_FUNCTION_VKS, "route.other.function_above_medium_skilled")
        | bits(unpublished, "route.other.not_published")
        | bits(outdated, "route.other.publication_outdated")
        | bits(cand.in_belgium[c], "route.other.candidate_in_belgium")
    )
    other_closable = bits(short, "route.other.publication_too_short")

    # Trainee (routes.check_trainee), for internship vacancies only
    trainee_fail, trainee_closable = _trainee(p, day)

    checks = (
        (hs_fail, hs_closable),
        (bc_fail, bc_closable),
        (medium_fail, medium_closable),
        (other_fail, other_closable),
        (trainee_fail, trainee_closable),
    )
    # An internship is checked against the trainee route alone, an employment against the other four
    # (routes.check_routes): a route not considered has status 0, opens nothing and adds no reason.
    internship = vac.internship[v]
    considered = [~internship] * 4 + [internship]
    statuses = [
        np.where(mask, route_status(fail, closable), 0).astype(np.int16)
        for (fail, closable), mask in zip(checks, considered, strict=True)
    ]
    masked = [
        (np.where(mask, fail, NO_BITS), np.where(mask, closable, NO_BITS))
        for (fail, closable), mask in zip(checks, considered, strict=True)
    ]
    route_bits = np.zeros(len(p), dtype=np.int16)
    conditional_reasons = np.zeros(len(p), dtype=np.int64)
    every_reason = np.full(len(p), np.int64(REASON_BIT["route.none"]))
    for index, ((fail, closable), status) in enumerate(zip(masked, statuses, strict=True)):
        route_bits |= status << (2 * index)
        conditional_reasons |= np.where(status == 2, closable, NO_BITS)
        every_reason |= fail | closable
    open_route = np.logical_or.reduce([status == 1 for status in statuses])
    conditional_route = np.logical_or.reduce([status == 2 for status in statuses])
    reasons = np.where(open_route, NO_BITS, np.where(conditional_route, conditional_reasons, every_reason))
    return route_bits, reasons, ~open_route & ~conditional_route


def _trainee(p: Pairs, day: datetime.date) -> tuple[np.ndarray, np.ndarray]:
    """routes.check_trainee: its failures and closable failures as reason bits, for every pair."""
    cand, vac, c, v = p.candidates, p.vacancies, p.c, p.v
    months = vac.contract_months[v]
    since = months_before(day, TRAINEE_DIPLOMA_MONTHS).toordinal()
    awarded, undated = cand.higher_awarded[c], cand.higher_undated[c]
    recent = awarded >= since  # 0 (no dated diploma) is never recent
    no_higher = cand.best_isced[c] < TRAINEE_MIN_ISCED  # no higher-education diploma at all
    fail = (
        bits(~recent & ~undated & ~no_higher, "route.trainee.diploma_too_old")
        | bits(~recent & ~undated & no_higher, "route.trainee.no_higher_education_diploma")
        | bits(cand.in_belgium[c], "route.trainee.candidate_in_belgium")
    )
    # A duration outside 3-6 months is closable (the sources disagree: confirm it), as a missing one.
    closable = (
        bits(months < 0, "route.trainee.duration_unknown")
        | bits(
            (months >= 0) & ((months < TRAINEE_MIN_MONTHS) | (months > TRAINEE_MAX_MONTHS)),
            "route.trainee.duration_out_of_range",
        )
        | bits(~recent & undated, "route.trainee.diploma_date_unknown")
    )
    return fail, closable
