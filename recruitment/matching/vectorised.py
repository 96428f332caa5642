"""The matching core over many pairs at once: NumPy over columns (``columns.py``), the scalar rules.

``evaluate_pairs`` takes candidate rows and vacancy rows side by side (pair ``i`` is candidate row
``candidate_rows[i]`` against vacancy row ``vacancy_rows[i]``) and gives, for every pair, what
``engine.evaluate`` gives in compact form (``codes.py``): the outcome, the score in cents, the reason
codes as bits and the route statuses. One vacancy against a pool and one candidate against every open
vacancy are the same call with one side repeated.

Each rule below names the scalar function it mirrors; constants come from the scalar modules, never
retyped. The permit-route checks (``routes.py``) live in ``vectorised_routes.py``, and the per-pair
plumbing both use (the pairs, reason bits, route statuses) in ``pairs.py``. The scalar core stays the
reference: ``tests/recruitment/matching/test_vectorised.py`` holds the two equal pair by pair (outcome,
score to the cent, reason codes, route statuses) over generated populations, and every rule test runs
against both. Floats are computed with the same operations in the same order, rounded and summed as
Python does (``exact.py``), so scores agree to the last bit, not only to the cent.

The steps follow ``engine.evaluate``: the scope stage for every pair; the gate and the routes for pairs
that pass it; the score for pairs that are eligible or conditional.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np

from recruitment.matching.codes import OUTCOME_CODE, REASON_BIT
from recruitment.matching.columns import (
    LICENCE_MISSING,
    NO_DIPLOMA,
    NOT_REQUESTED,
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
from recruitment.matching.facts import WEIGHT_CRITERIA, ReferenceFacts
from recruitment.matching.pairs import NO_BITS, Pairs, bits, divide, shared_digits
from recruitment.matching.results import Outcome
from recruitment.matching.routes import REDUCED_THRESHOLD_AGE
from recruitment.matching.scoring import (
    EXPERIENCE_CAP,
    LANGUAGE_CREDIT,
    NEUTRAL,
    TIMING_AVAILABILITY_SHARE,
    TIMING_LATE_DAYS,
    TIMING_TRAINING_SHARE,
)
from recruitment.matching.vectorised_routes import diploma_vks, labour_market_test, route_statuses

# Occupation fit by shared ISCO digits (derived._isco_fit): experience at full value, wishes x 0.8.
_FIT = np.array([0.0, 0.0] + [ISCO_LEVEL_FIT[k] * 1.0 for k in (2, 3, 4)])
_FIT_DESIRED = np.array([0.0, 0.0] + [ISCO_LEVEL_FIT[k] * DESIRED_OCCUPATION_FACTOR for k in (2, 3, 4)])
_CREDIT = np.array([LANGUAGE_CREDIT.get(gap, 0.0) for gap in range(4)])  # levels below target, 3 = 3+
_REGULATED_BITS = np.zeros(6, dtype=np.int64)
_REGULATED_BITS[LICENCE_MISSING] = REASON_BIT["recognition.licence_missing"]
_REGULATED_BITS[RECOGNITION_PENDING] = REASON_BIT["recognition.pending"]
_REGULATED_BITS[NOT_REQUESTED] = REASON_BIT["recognition.not_requested"]
_REGULATED_BITS[REFUSED] = REASON_BIT["recognition.refused"]
_REGULATED_BITS[NO_DIPLOMA] = REASON_BIT["recognition.no_diploma"]
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


# --- Shared by the scope stage and the score ------------------------------------------------------


def _occupation_fit_and_years(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
    """derived.occupation_fit (its value) and derived.years_in_unit_group, per pair."""
    n, cand, vac = len(p), p.candidates, p.vacancies
    experiences = cand.experiences
    pair, element, position = expand(experiences.offsets, p.c)
    vacancy = p.v[pair]
    same_occupation = experiences["occupation"][element] == vac.occupation[vacancy]
    shared = shared_digits(experiences["prefixes"][element], vac.isco_prefixes[vacancy])
    fit = np.zeros(n)
    np.maximum.at(fit, pair, np.where(same_occupation, 1.0, _FIT[shared]))
    in_group = experiences["isco"][element] == vac.isco[vacancy]
    years = add_in_order(
        np.where(in_group, np.maximum(experiences["years"][element], 0.0), 0.0), pair, position, n
    )
    wished, _index = cand.desired.lookup("occupation", p.c, vac.occupation[p.v])
    fit = np.where(wished, np.maximum(fit, DESIRED_OCCUPATION_FACTOR), fit)
    pair, element, _position = expand(cand.desired_isco.offsets, p.c)
    shared = shared_digits(cand.desired_isco["prefixes"][element], vac.isco_prefixes[p.v[pair]])
    np.maximum.at(fit, pair, _FIT_DESIRED[shared])
    return fit, years


def _coverage(p: Pairs, skills: Ragged) -> tuple[np.ndarray, np.ndarray]:
    """scoring._coverage: whether any of the vacancy's skills is held, and the evidence-weighted share
    (1.0 when none is required)."""
    n = len(p)
    pair, element, position = expand(skills.offsets, p.v)
    found, index = p.candidates.skills.lookup("skill", p.c[pair], skills["skill"][element])
    weights = p.candidates.skills.pick("weight", found, index, 0.0)
    required = np.diff(skills.offsets)[p.v]
    share = divide(add_in_order(weights, pair, position, n), required, required > 0, 1.0)
    return segment_any(found, pair, n), share


# --- The gate (eligibility.gate_reasons); the routes are in vectorised_routes.py ----------------------


def _languages(p: Pairs) -> tuple[np.ndarray, np.ndarray]:
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
    return gap, divide(total, slots, slots > 0, 1.0)


@dataclass(frozen=True)
class _Gate:
    outcome: np.ndarray
    reasons: np.ndarray
    routes: np.ndarray
    language_share: np.ndarray


def _gate(p: Pairs, facts: ReferenceFacts, scope: np.ndarray, age: np.ndarray, years: np.ndarray) -> _Gate:
    cand, vac, c, v = p.candidates, p.vacancies, p.c, p.v
    by_experience = np.where(years >= EXPERIENCE_QUALIFIES_YEARS, EXPERIENCE_VKS_LEVEL, 0)
    qualification = np.maximum(diploma_vks(cand, facts)[c], by_experience)
    route_bits, route_reasons, no_route = route_statuses(p, facts, age, qualification)
    regulated = vac.regulated[v]
    state = cand.regulated_state[c]
    language_gap, language_share = _languages(p)
    consented, _index = cand.consents.lookup("employer", c, vac.employer[v])
    available, start = cand.available_from[c], vac.start_date[v]
    reasons = (
        scope
        | bits(cand.candidate_paid[c], "fair_recruitment.candidate_paid")
        | bits(vac.suspended[v], "employer.suspended")
        | route_reasons
        | np.where(regulated, _REGULATED_BITS[state], NO_BITS)
        | bits(language_gap, "language.below_minimum")
        | bits((vac.licences[v] & ~cand.licences[c]) != 0, "licence.missing")
        | bits(~consented, "consent.missing_for_employer")
        | bits(
            (available > 0) & (start > 0) & (available - start > LATE_AVAILABILITY_DAYS), "availability.late"
        )
    )
    not_closable = cand.candidate_paid[c] | vac.suspended[v] | no_route | (regulated & (state >= REFUSED))
    outcome = np.where(not_closable, _INELIGIBLE, np.where(reasons != 0, _CONDITIONAL, _ELIGIBLE))
    return _Gate(outcome.astype(np.int8), reasons, route_bits, language_share)


# --- The score (scoring.score_match) --------------------------------------------------------------


def _weights(p: Pairs, facts: ReferenceFacts) -> np.ndarray:
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


def _qualification_share(p: Pairs) -> np.ndarray:
    """scoring.score_qualification: the best diploma's level part plus its recognition part."""
    diplomas = p.candidates.diplomas
    minimum = p.vacancies.min_isced[p.v]
    best = np.where(minimum < 0, NEUTRAL, 0.0)
    pair, element, _position = expand(diplomas.offsets, p.c)
    floor = minimum[pair]
    level = np.where((floor < 0) | (diplomas["isced"][element] >= floor), NEUTRAL, 0.0)
    np.maximum.at(best, pair, np.minimum(level + diplomas["recognition_share"][element], 1.0))
    return best


def _timing_share(p: Pairs) -> np.ndarray:
    """scoring.score_timing: availability against the start date, and a completed programme."""
    available, start = p.candidates.available_from[p.c], p.vacancies.start_date[p.v]
    late = np.maximum(0.0, 1.0 - np.maximum(available - start, 0) / TIMING_LATE_DAYS)
    availability = np.where(start == 0, 1.0, np.where(available == 0, NEUTRAL, late))
    training = np.where(p.candidates.training_completed[p.c], 1.0, 0.0)
    return TIMING_AVAILABILITY_SHARE * availability + TIMING_TRAINING_SHARE * training


def _preferences_share(p: Pairs) -> np.ndarray:
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


def _score_cents(p: Pairs, facts: ReferenceFacts, shares: list[np.ndarray]) -> np.ndarray:
    """scoring.score_match from the eight shares: points rounded per criterion, the sum scaled to 100
    when the weights add up to something else, rounded to cents."""
    possible = _weights(p, facts)
    earned_total = np.zeros(len(p))
    possible_total = np.zeros(len(p))
    for index, share in enumerate(shares):
        points, _whole = round_like_python(possible[:, index] * np.minimum(np.maximum(share, 0.0), 1.0), 4)
        earned_total = earned_total + points
        possible_total = possible_total + possible[:, index]
    scaled = divide(earned_total * 100, possible_total, possible_total > 0, 0.0)
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
    pairs = Pairs(candidates, c, vacancies, v)
    n = len(pairs)
    day = facts.reference_date

    # Stage 1 (eligibility.scope_reasons): a non-closable reason stops the pair, no route considered.
    age = day.year - candidates.dob_year[c] - (day.month * 100 + day.day < candidates.dob_month_day[c])
    fit, years = _occupation_fit_and_years(pairs)
    held, essential_share = _coverage(pairs, vacancies.essential)
    scope = (
        bits(candidates.eu_citizen[c], "scope.eu_citizen")
        | bits(candidates.nationality_unknown[c], "scope.nationality_unknown")
        | bits(age < ADULT_AGE, "scope.minor")
        | bits(~vacancies.flemish[v], "scope.region_not_flanders")
        | bits(~held & (fit <= 0), "relevance.unrelated")
    )
    stopped = (scope & ~np.int64(REASON_BIT["scope.nationality_unknown"])) != 0

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
            experience = divide(years[kept], experience_required, experience_required > 0, 1.0)
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
    before, after = labour_market_test(vacancies, since), labour_market_test(vacancies, day)
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
