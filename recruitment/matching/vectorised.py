"""The matching core over many pairs at once: NumPy over columns (``columns.py``), the scalar rules.

``evaluate_pairs`` takes candidate rows and vacancy rows side by side (pair ``i`` is candidate row
``candidate_rows[i]`` against vacancy row ``vacancy_rows[i]``) and gives, for every pair, what
``engine.evaluate`` gives in compact form (``codes.py``): the outcome, the score in cents, the reason
codes as bits and the route statuses. One vacancy against a pool and one candidate against every open
vacancy are the same call with one side repeated.

Each rule below names the scalar function it mirrors; constants come from the scalar modules, never
retyped. The scalar core stays the reference: ``tests/recruitment/matching/test_vectorised.py`` holds the
two equal pair by pair (outcome, score to the cent, reason codes, route statuses) over generated
populations, and every rule test runs against both. Floats are computed with the same operations in the
same order, rounded and summed as Python does (``exact.py``), so scores agree to the last bit, not only
to the cent.

The steps follow ``engine.evaluate``: the scope stage for every pair; the gate and the routes for pairs
that pass it; the score for pairs that are eligible or conditional.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np

from recruitment.matching.codes import OUTCOME_CODE, REASON_BIT
from recruitment.matching.columns import (
    HS_INSTITUTION_NOT_RECOGNISED,
    HS_NO_HIGHER_EDUCATION,
    LICENCE_MISSING,
    NO_DIPLOMA,
    NOT_REQUESTED,
    PAY_BELOW_SKILLED,
    PAY_UNCONFIRMED,
    RECOGNITION_PENDING,
    REFUSED,
    CandidateColumns,
    Ragged,
    VacancyColumns,
)
from recruitment.matching.derived import (
    DESIRED_OCCUPATION_FACTOR,
    EXPERIENCE_QUALIFIES_YEARS,
    EXPERIENCE_VKS_LEVEL,
    ISCO_LEVEL_FIT,
)
from recruitment.matching.eligibility import ADULT_AGE, LATE_AVAILABILITY_DAYS
from recruitment.matching.exact import add_in_order, expand, round_like_python, segment_any
from recruitment.matching.facts import WEIGHT_CRITERIA, ReferenceFacts, ThresholdCategory
from recruitment.matching.results import Outcome
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
from recruitment.matching.scoring import (
    EXPERIENCE_CAP,
    LANGUAGE_CREDIT,
    NEUTRAL,
    TIMING_AVAILABILITY_SHARE,
    TIMING_LATE_DAYS,
    TIMING_TRAINING_SHARE,
)

_B = REASON_BIT
_NONE = np.int64(0)
# Occupation fit by shared ISCO digits (derived._isco_fit): experience at full value, wishes x 0.8.
_FIT = np.array([0.0, 0.0] + [ISCO_LEVEL_FIT[k] * 1.0 for k in (2, 3, 4)])
_FIT_DESIRED = np.array([0.0, 0.0] + [ISCO_LEVEL_FIT[k] * DESIRED_OCCUPATION_FACTOR for k in (2, 3, 4)])
_CREDIT = np.array([LANGUAGE_CREDIT.get(gap, 0.0) for gap in range(4)])  # levels below target, 3 = 3+
_REGULATED_BITS = np.zeros(6, dtype=np.int64)
_REGULATED_BITS[LICENCE_MISSING] = _B["recognition.licence_missing"]
_REGULATED_BITS[RECOGNITION_PENDING] = _B["recognition.pending"]
_REGULATED_BITS[NOT_REQUESTED] = _B["recognition.not_requested"]
_REGULATED_BITS[REFUSED] = _B["recognition.refused"]
_REGULATED_BITS[NO_DIPLOMA] = _B["recognition.no_diploma"]
_INELIGIBLE, _CONDITIONAL, _ELIGIBLE = (
    OUTCOME_CODE[Outcome.INELIGIBLE],
    OUTCOME_CODE[Outcome.CONDITIONAL],
    OUTCOME_CODE[Outcome.ELIGIBLE],
)


@dataclass(frozen=True)
class PairResults:
    """Per pair: outcome (``codes.OUTCOME_CODE``), score in cents (-1 when ineligible), reason bits and
    route statuses (``codes.route_bits`` layout)."""

    candidate_rows: np.ndarray
    vacancy_rows: np.ndarray
    outcome: np.ndarray
    score_cents: np.ndarray
    reasons: np.ndarray
    routes: np.ndarray

    def kept(self, near_miss_min_cents: int | np.ndarray = 0) -> np.ndarray:
        """The indexes of the pairs that are stored: every eligible one, and the conditional ones
        (near-misses) scoring at least ``near_miss_min_cents`` (one floor, or one per pair)."""
        conditional = (self.outcome == _CONDITIONAL) & (self.score_cents >= near_miss_min_cents)
        return np.flatnonzero((self.outcome == _ELIGIBLE) | conditional)

    def near_miss_floor(self, minimum_cents: int, limit: int) -> tuple[int, int]:
        """The floor that keeps the best ``limit`` near-misses scoring at least ``minimum_cents`` (all of
        them when ``limit`` is 0 or not reached; near-misses tied at the cut are all kept, so the floor
        is a score and the rule stays one comparison), and how many near-misses fall below it."""
        scores = self.score_cents[self.outcome == _CONDITIONAL]
        reaching = scores[scores >= minimum_cents]
        floor = minimum_cents
        if 0 < limit < len(reaching):
            cut = len(reaching) - limit
            floor = int(np.partition(reaching, cut)[cut])
        return floor, int((scores < floor).sum())


@dataclass(frozen=True)
class _Pairs:
    candidates: CandidateColumns
    c: np.ndarray  # candidate row per pair
    vacancies: VacancyColumns
    v: np.ndarray  # vacancy row per pair

    def __len__(self) -> int:
        return len(self.c)

    def subset(self, index: np.ndarray) -> "_Pairs":
        return _Pairs(self.candidates, self.c[index], self.vacancies, self.v[index])


def _bits(flags: np.ndarray, code: str) -> np.ndarray:
    return np.where(flags, np.int64(_B[code]), _NONE)


def _status(failures: np.ndarray, closable: np.ndarray) -> np.ndarray:
    """A route's outcome from its failures (routes._route_check): 1 passes, 2 conditional, 3 not."""
    return np.where(failures != 0, 3, np.where(closable != 0, 2, 1)).astype(np.int16)


def _shared_digits(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Leading ISCO digits shared (derived.shared_isco_digits), from the prefix ids of each code."""
    return ((a == b) & (a >= 0)).sum(axis=1)


def _divide(
    numerator: np.ndarray, denominator: np.ndarray, where: np.ndarray, otherwise: float
) -> np.ndarray:
    out = np.full(len(numerator), otherwise, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=where)
    return out


# --- Shared by the scope stage and the score ------------------------------------------------------


def _occupation_fit_and_years(p: _Pairs) -> tuple[np.ndarray, np.ndarray]:
    """derived.occupation_fit (its value) and derived.years_in_unit_group, per pair."""
    n, cand, vac = len(p), p.candidates, p.vacancies
    experiences = cand.experiences
    pair, element, position = expand(experiences.offsets, p.c)
    vacancy = p.v[pair]
    same_occupation = experiences["occupation"][element] == vac.occupation[vacancy]
    shared = _shared_digits(experiences["prefixes"][element], vac.isco_prefixes[vacancy])
    fit = np.zeros(n)
    np.maximum.at(fit, pair, np.where(same_occupation, 1.0, _FIT[shared]))
    in_group = experiences["isco"][element] == vac.isco[vacancy]
    years = add_in_order(
        np.where(in_group, np.maximum(experiences["years"][element], 0.0), 0.0), pair, position, n
    )
    wished, _index = cand.desired.lookup("occupation", p.c, vac.occupation[p.v])
    fit = np.where(wished, np.maximum(fit, DESIRED_OCCUPATION_FACTOR), fit)
    pair, element, _position = expand(cand.desired_isco.offsets, p.c)
    shared = _shared_digits(cand.desired_isco["prefixes"][element], vac.isco_prefixes[p.v[pair]])
    np.maximum.at(fit, pair, _FIT_DESIRED[shared])
    return fit, years


def _coverage(p: _Pairs, skills: Ragged) -> tuple[np.ndarray, np.ndarray]:
    """scoring._coverage: whether any of the vacancy's skills is held, and the evidence-weighted share
    (1.0 when none is required)."""
    n = len(p)
    pair, element, position = expand(skills.offsets, p.v)
    found, index = p.candidates.skills.lookup("skill", p.c[pair], skills["skill"][element])
    weights = p.candidates.skills.pick("weight", found, index, 0.0)
    required = np.diff(skills.offsets)[p.v]
    share = _divide(add_in_order(weights, pair, position, n), required, required > 0, 1.0)
    return segment_any(found, pair, n), share


# --- Per vacancy, once per set of reference facts ------------------------------------------------


def _labour_market_test(vacancies: VacancyColumns, day: datetime.date) -> tuple[np.ndarray, ...]:
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


def _diploma_vks(candidates: CandidateColumns, facts: ReferenceFacts) -> np.ndarray:
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


# --- The gate (eligibility.gate_reasons) and the routes (routes.check_routes) --------------------


def _routes(
    p: _Pairs, facts: ReferenceFacts, age: np.ndarray, qualification: np.ndarray
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
        _bits(diploma == HS_NO_HIGHER_EDUCATION, "route.highly_skilled.no_higher_education_diploma")
        | _bits(diploma == HS_INSTITUTION_NOT_RECOGNISED, "route.highly_skilled.institution_not_recognised")
        | _bits(function_low, "route.highly_skilled.function_below_vks5")
        | _bits(unknown, "route.threshold_unknown")
        | _bits(below, "route.highly_skilled.salary_below_threshold")
    )
    hs_closable = _bits(nurse_may_ask, "route.highly_skilled.nurse_recognition_not_requested")

    # EU Blue Card (routes.check_blue_card)
    blue = facts.threshold(ThresholdCategory.EU_BLUE_CARD)
    minimum_months = 6 if day >= BLUE_CARD_SIX_MONTHS_FROM else 12
    fixed, months = ~vac.indefinite[v], vac.contract_months[v]
    bc_fail = (
        _bits(cand.best_isced[c] < 6, "route.blue_card.no_higher_education_qualification")
        | (np.int64(_B["route.threshold_unknown"]) if blue is None else _NONE)
        | _bits(vac.below(blue)[v], "route.blue_card.salary_below_threshold")
        | _bits(fixed & (months >= 0) & (months < minimum_months), "route.blue_card.contract_too_short")
    )
    bc_closable = _bits(fixed & (months < 0), "route.blue_card.contract_duration_unknown")

    # Medium-skilled shortage function (routes.check_medium_skilled)
    pay = vac.pay_state[v]
    medium_fail = (
        _bits(~_listed(vac, facts.migration_list_occupation_ids)[v], "route.medium.not_on_migration_list")
        | _bits(qualification < 3, "route.medium.qualification_insufficient")
        | _bits(pay == PAY_BELOW_SKILLED, "route.medium.pay_below_skilled")
        | _bits(vac.secondment[v], "route.medium.secondment")
    )
    medium_closable = _bits(pay == PAY_UNCONFIRMED, "route.medium.pay_category_unconfirmed")

    # "Other": VDAB list and labour-market test (routes.check_other_vdab_list)
    minimum_vks = 3 if day >= OTHER_MEDIUM_ONLY_FROM else 2
    unpublished, outdated, short = (flags[v] for flags in _labour_market_test(vac, day))
    other_fail = (
        _bits(~_listed(vac, facts.vdab_list_occupation_ids)[v], "route.other.not_on_vdab_list")
        | _bits(qualification < minimum_vks, "route.other.qualification_insufficient")
        | _bits(vac.function_vks[v] < minimum_vks, "route.other.function_low_skilled")
        | _bits(vac.function_vks[v] > OTHER_MAXIMUM_FUNCTION_VKS, "route.other.function_above_medium_skilled")
        | _bits(unpublished, "route.other.not_published")
        | _bits(outdated, "route.other.publication_outdated")
        | _bits(cand.in_belgium[c], "route.other.candidate_in_belgium")
    )
    other_closable = _bits(short, "route.other.publication_too_short")

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
        np.where(mask, _status(fail, closable), 0).astype(np.int16)
        for (fail, closable), mask in zip(checks, considered, strict=True)
    ]
    masked = [
        (np.where(mask, fail, _NONE), np.where(mask, closable, _NONE))
        for (fail, closable), mask in zip(checks, considered, strict=True)
    ]
    route_bits = np.zeros(len(p), dtype=np.int16)
    conditional_reasons = np.zeros(len(p), dtype=np.int64)
    every_reason = np.full(len(p), np.int64(_B["route.none"]))
    for index, ((fail, closable), status) in enumerate(zip(masked, statuses, strict=True)):
        route_bits |= status << (2 * index)
        conditional_reasons |= np.where(status == 2, closable, _NONE)
        every_reason |= fail | closable
    open_route = np.logical_or.reduce([status == 1 for status in statuses])
    conditional_route = np.logical_or.reduce([status == 2 for status in statuses])
    reasons = np.where(open_route, _NONE, np.where(conditional_route, conditional_reasons, every_reason))
    return route_bits, reasons, ~open_route & ~conditional_route


def _trainee(p: _Pairs, day: datetime.date) -> tuple[np.ndarray, np.ndarray]:
    """routes.check_trainee: its failures and closable failures as reason bits, for every pair."""
    cand, vac, c, v = p.candidates, p.vacancies, p.c, p.v
    months = vac.contract_months[v]
    since = months_before(day, TRAINEE_DIPLOMA_MONTHS).toordinal()
    awarded, undated = cand.higher_awarded[c], cand.higher_undated[c]
    recent = awarded >= since  # 0 (no dated diploma) is never recent
    no_higher = cand.best_isced[c] < TRAINEE_MIN_ISCED  # no higher-education diploma at all
    fail = (
        _bits(~recent & ~undated & ~no_higher, "route.trainee.diploma_too_old")
        | _bits(~recent & ~undated & no_higher, "route.trainee.no_higher_education_diploma")
        | _bits(cand.in_belgium[c], "route.trainee.candidate_in_belgium")
    )
    # A duration outside 3-6 months is closable (the sources disagree: confirm it), as a missing one.
    closable = (
        _bits(months < 0, "route.trainee.duration_unknown")
        | _bits(
            (months >= 0) & ((months < TRAINEE_MIN_MONTHS) | (months > TRAINEE_MAX_MONTHS)),
            "route.trainee.duration_out_of_range",
        )
        | _bits(~recent & undated, "route.trainee.diploma_date_unknown")
    )
    return fail, closable


def _languages(p: _Pairs) -> tuple[np.ndarray, np.ndarray]:
    """eligibility.check_mandatory_languages (any gap: always closable) and scoring.score_languages (the
    share), per pair."""
    n, req = len(p), p.vacancies.requirements
    pair, element, position = expand(req.offsets, p.v)
    language = req["language"][element]
    candidate = p.c[pair]
    found, index = p.candidates.languages.lookup("language", candidate, language)
    levels = p.candidates.languages.pick("levels", found, index, 0).astype(np.int16)
    minimum = req["minimum"][element].astype(np.int16)
    failing = (levels < minimum) & req["mandatory"][element][:, None]
    gap = segment_any(failing.any(axis=1), pair, n)

    credit = np.where(minimum > 0, _CREDIT[np.minimum(np.maximum(minimum - levels, 0), 3)], 0.0)
    width = minimum.shape[1]
    total = add_in_order(
        credit.ravel(),
        np.repeat(pair, width),
        (position[:, None] * width + np.arange(width)).ravel(),
        n,
    )
    slots = p.vacancies.cached(
        "language_slots",
        lambda: np.bincount(req.owner, weights=(req["minimum"] > 0).sum(axis=1), minlength=req.rows),
    )[p.v]
    return gap, _divide(total, slots, slots > 0, 1.0)


@dataclass(frozen=True)
class _Gate:
    outcome: np.ndarray
    reasons: np.ndarray
    routes: np.ndarray
    language_share: np.ndarray


def _gate(p: _Pairs, facts: ReferenceFacts, scope: np.ndarray, age: np.ndarray, years: np.ndarray) -> _Gate:
    cand, vac, c, v = p.candidates, p.vacancies, p.c, p.v
    by_experience = np.where(years >= EXPERIENCE_QUALIFIES_YEARS, EXPERIENCE_VKS_LEVEL, 0)
    qualification = np.maximum(_diploma_vks(cand, facts)[c], by_experience)
    route_bits, route_reasons, no_route = _routes(p, facts, age, qualification)
    regulated = vac.regulated[v]
    state = cand.regulated_state[c]
    language_gap, language_share = _languages(p)
    consented, _index = cand.consents.lookup("employer", c, vac.employer[v])
    available, start = cand.available_from[c], vac.start_date[v]
    reasons = (
        scope
        | _bits(cand.candidate_paid[c], "fair_recruitment.candidate_paid")
        | _bits(vac.suspended[v], "employer.suspended")
        | route_reasons
        | np.where(regulated, _REGULATED_BITS[state], _NONE)
        | _bits(language_gap, "language.below_minimum")
        | _bits((vac.licences[v] & ~cand.licences[c]) != 0, "licence.missing")
        | _bits(~consented, "consent.missing_for_employer")
        | _bits(
            (available > 0) & (start > 0) & (available - start > LATE_AVAILABILITY_DAYS), "availability.late"
        )
    )
    not_closable = cand.candidate_paid[c] | vac.suspended[v] | no_route | (regulated & (state >= REFUSED))
    outcome = np.where(not_closable, _INELIGIBLE, np.where(reasons != 0, _CONDITIONAL, _ELIGIBLE))
    return _Gate(outcome.astype(np.int8), reasons, route_bits, language_share)


# --- The score (scoring.score_match) --------------------------------------------------------------


def _weights(p: _Pairs, facts: ReferenceFacts) -> np.ndarray:
    """Per pair, the points possible per criterion (``ReferenceFacts.weights_for`` the candidate's
    project, at least 0), in ``WEIGHT_CRITERIA`` order."""

    def row(weights: Any) -> list[float]:
        return [max(float(getattr(weights, name)), 0.0) for name in WEIGHT_CRITERIA]

    table = np.array([row(facts.weights)], dtype=np.float64)
    chosen = np.zeros(len(p), dtype=np.int64)
    if facts.weights_by_project:
        projects = np.array(sorted(facts.weights_by_project), dtype=np.int64)
        table = np.vstack([table, [row(facts.weights_by_project[int(pid)]) for pid in projects]])
        own = p.candidates.project[p.c]
        index = np.searchsorted(projects, own)
        inside = index < len(projects)
        index = np.where(inside, index, 0)
        chosen = np.where(inside & (projects[index] == own), index + 1, 0)
    result: np.ndarray = table[chosen]
    return result


def _qualification_share(p: _Pairs) -> np.ndarray:
    """scoring.score_qualification: the best diploma's level part plus its recognition part."""
    diplomas = p.candidates.diplomas
    minimum = p.vacancies.min_isced[p.v]
    best = np.where(minimum < 0, NEUTRAL, 0.0)
    pair, element, _position = expand(diplomas.offsets, p.c)
    floor = minimum[pair]
    level = np.where((floor < 0) | (diplomas["isced"][element] >= floor), NEUTRAL, 0.0)
    np.maximum.at(best, pair, np.minimum(level + diplomas["recognition_share"][element], 1.0))
    return best


def _timing_share(p: _Pairs) -> np.ndarray:
    """scoring.score_timing: availability against the start date, and a completed programme."""
    available, start = p.candidates.available_from[p.c], p.vacancies.start_date[p.v]
    late = np.maximum(0.0, 1.0 - np.maximum(available - start, 0) / TIMING_LATE_DAYS)
    availability = np.where(start == 0, 1.0, np.where(available == 0, NEUTRAL, late))
    training = np.where(p.candidates.training_completed[p.c], 1.0, 0.0)
    return TIMING_AVAILABILITY_SHARE * availability + TIMING_TRAINING_SHARE * training


def _preferences_share(p: _Pairs) -> np.ndarray:
    """scoring.score_preferences: half the occupation wished for, half the region."""
    cand, vac, c, v = p.candidates, p.vacancies, p.c, p.v
    wished, _index = cand.desired.lookup("occupation", c, vac.occupation[v])
    in_group, _index = cand.desired_isco.lookup("isco", c, vac.isco[v])
    entry_role = cand.accepts_entry_role[c] & vac.is_care[v] & cand.nursing_pending[c]
    occupation = np.where(
        wished | entry_role,
        1.0,
        np.where(in_group, 0.8, np.where(cand.has_wishes[c], 0.0, NEUTRAL)),
    )
    regions = cand.regions[c]
    region = np.where(regions == 0, NEUTRAL, np.where((regions & vac.region_bits[v]) != 0, 1.0, 0.0))
    return (occupation + region) / 2


def _score_cents(p: _Pairs, facts: ReferenceFacts, shares: list[np.ndarray]) -> np.ndarray:
    """scoring.score_match from the eight shares: points rounded per criterion, the sum scaled to 100
    when the weights add up to something else, rounded to cents."""
    possible = _weights(p, facts)
    earned_total = np.zeros(len(p))
    possible_total = np.zeros(len(p))
    for index, share in enumerate(shares):
        points, _whole = round_like_python(possible[:, index] * np.minimum(np.maximum(share, 0.0), 1.0), 4)
        earned_total = earned_total + points
        possible_total = possible_total + possible[:, index]
    scaled = _divide(earned_total * 100, possible_total, possible_total > 0, 0.0)
    raw = np.where(possible_total == 100, earned_total, scaled)
    _rounded, cents = round_like_python(raw, 2)
    return np.where(possible_total <= 0, 0, np.clip(cents, 0, 10_000)).astype(np.int32)


# --- Entry points ---------------------------------------------------------------------------------


def evaluate_pairs(
    candidates: CandidateColumns,
    candidate_rows: np.ndarray,
    vacancies: VacancyColumns,
    vacancy_rows: np.ndarray,
    facts: ReferenceFacts,
) -> PairResults:
    """Every pair in compact form, as ``engine.evaluate`` would give it (see the module docstring)."""
    c = np.asarray(candidate_rows, dtype=np.int64)
    v = np.asarray(vacancy_rows, dtype=np.int64)
    pairs = _Pairs(candidates, c, vacancies, v)
    n = len(pairs)
    day = facts.reference_date

    # Stage 1 (eligibility.scope_reasons): a non-closable reason stops the pair, no route considered.
    age = day.year - candidates.dob_year[c] - (day.month * 100 + day.day < candidates.dob_month_day[c])
    fit, years = _occupation_fit_and_years(pairs)
    held, essential_share = _coverage(pairs, vacancies.essential)
    scope = (
        _bits(candidates.eu_citizen[c], "scope.eu_citizen")
        | _bits(candidates.nationality_unknown[c], "scope.nationality_unknown")
        | _bits(age < ADULT_AGE, "scope.minor")
        | _bits(~vacancies.flemish[v], "scope.region_not_flanders")
        | _bits(~held & (fit <= 0), "relevance.unrelated")
    )
    stopped = (scope & ~np.int64(_B["scope.nationality_unknown"])) != 0

    outcome = np.full(n, _INELIGIBLE, dtype=np.int8)
    reasons = scope.copy()
    routes = np.zeros(n, dtype=np.int16)
    cents = np.full(n, -1, dtype=np.int32)
    going = np.flatnonzero(~stopped)
    if len(going):
        gate = _gate(pairs.subset(going), facts, scope[going], age[going], years[going])
        outcome[going], reasons[going], routes[going] = gate.outcome, gate.reasons, gate.routes
        kept_in_gate = np.flatnonzero(gate.outcome != _INELIGIBLE)
        kept = going[kept_in_gate]
        if len(kept):
            scored = pairs.subset(kept)
            experience_required = vacancies.min_experience[scored.v]
            experience = _divide(years[kept], experience_required, experience_required > 0, 1.0)
            _held, optional_share = _coverage(scored, vacancies.optional)
            shares = [
                fit[kept],
                essential_share[kept],
                gate.language_share[kept_in_gate],
                np.where(
                    experience_required > 0, np.minimum(experience, EXPERIENCE_CAP) / EXPERIENCE_CAP, 1.0
                ),
                _qualification_share(scored),
                optional_share,
                _timing_share(scored),
                _preferences_share(scored),
            ]
            cents[kept] = _score_cents(scored, facts, shares)
    return PairResults(c, v, outcome, cents, reasons, routes)


def possibly_relevant(candidates: CandidateColumns, vacancies: VacancyColumns, row: int) -> np.ndarray:
    """The candidate rows that may relate to vacancy ``row`` (a superset of the relevance rule,
    eligibility.check_relevance): an experience or wish sharing at least the ISCO sub-major group (or the
    very occupation), or one of its essential skills. Everyone else is ``relevance.unrelated``."""
    group = vacancies.isco_prefixes[row, 1]
    occupation = vacancies.occupation[row]
    essential = vacancies.essential["skill"][
        vacancies.essential.offsets[row] : vacancies.essential.offsets[row + 1]
    ]
    related = np.zeros(len(candidates), dtype=bool)
    sources: list[tuple[Ragged, np.ndarray]] = [
        (candidates.experiences, candidates.experiences["occupation"] == occupation),
        (candidates.desired, candidates.desired["occupation"] == occupation),
        (candidates.skills, np.isin(candidates.skills["skill"], essential)),
    ]
    if group >= 0:
        sources.append((candidates.experiences, candidates.experiences["prefixes"][:, 1] == group))
        sources.append((candidates.desired_isco, candidates.desired_isco["prefixes"][:, 1] == group))
    for children, flags in sources:
        related[children.owner[flags]] = True
    return np.flatnonzero(related)


# --- What a new day changes (the daily pass, ADR 0008) ---------------------------------------------


def labour_market_moved(vacancies: VacancyColumns, since: datetime.date, day: datetime.date) -> np.ndarray:
    """Per vacancy: whether the labour-market test (the only vacancy rule that reads the reference date)
    may answer differently on ``day`` than on ``since``."""
    before, after = _labour_market_test(vacancies, since), _labour_market_test(vacancies, day)
    return np.logical_or.reduce([a != b for a, b in zip(before, after, strict=True)])


def ages_crossing(candidates: CandidateColumns, since: datetime.date, day: datetime.date) -> np.ndarray:
    """Per candidate: whether an age the rules read (18 for the scope, 30 for the reduced threshold)
    is reached after ``since`` and by ``day``."""

    def age(on: datetime.date) -> np.ndarray:
        return on.year - candidates.dob_year - (on.month * 100 + on.day < candidates.dob_month_day)

    before, after = age(since), age(day)
    return np.logical_or.reduce(
        [(before < limit) & (after >= limit) for limit in (ADULT_AGE, REDUCED_THRESHOLD_AGE)]
    )
