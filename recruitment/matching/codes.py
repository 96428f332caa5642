"""The compact form of a result: what the vectorised path computes and what a stored match keeps.

A ``MatchResult`` explains itself in full (every reason with the values compared, every route, the score
per criterion), but storing that for millions of pairs cost about 1.8 kB and 450 µs a row. The compact
form keeps what a list needs to filter, rank and count, and what proves the explanation unchanged:

- the outcome, and the score in cents (None when ineligible);
- the **reason codes** of the gate as one bit each (``REASON_CODES``): which conditions failed, without
  the values compared or the order (the full explanation, rebuilt by the scalar core, has those);
- the **route statuses**: two bits per permit route, in ``ROUTES`` order (0 = not considered, the pair
  stopped at the scope stage).

``REASON_CODES`` only grows within an algorithm version: a code's bit must mean the same in every stored
row that carries this ``ALGORITHM_VERSION``. A new code goes at the end.
"""

from dataclasses import dataclass
from decimal import Decimal

from recruitment.matching.results import MatchResult, Outcome, Route, RouteCheck

REASON_CODES: tuple[str, ...] = (
    # Stage 1: scope and relevance (eligibility.scope_reasons)
    "scope.eu_citizen",
    "scope.nationality_unknown",
    "scope.minor",
    "scope.region_not_flanders",
    "relevance.unrelated",
    # Stage 2 (eligibility.gate_reasons), in the order the gate checks them
    "fair_recruitment.candidate_paid",
    "employer.suspended",
    "route.none",
    "route.highly_skilled.no_higher_education_diploma",
    "route.highly_skilled.institution_not_recognised",
    "route.highly_skilled.nurse_recognition_not_requested",
    "route.highly_skilled.function_below_vks5",
    "route.threshold_unknown",
    "route.highly_skilled.salary_below_threshold",
    "route.blue_card.no_higher_education_qualification",
    "route.blue_card.salary_below_threshold",
    "route.blue_card.contract_duration_unknown",
    "route.blue_card.contract_too_short",
    "route.medium.not_on_migration_list",
    "route.medium.qualification_insufficient",
    "route.medium.pay_category_unconfirmed",
    "route.medium.pay_below_skilled",
    "route.medium.secondment",
    "route.other.not_on_vdab_list",
    "route.other.qualification_insufficient",
    "route.other.function_low_skilled",
    "route.other.not_published",
    "route.other.publication_outdated",
    "route.other.publication_too_short",
    "route.other.candidate_in_belgium",
    "recognition.licence_missing",
    "recognition.pending",
    "recognition.not_requested",
    "recognition.refused",
    "recognition.no_diploma",
    "language.below_minimum",
    "licence.missing",
    "consent.missing_for_employer",
    "availability.late",
    # Appended in 1.1.0 (append-only: a stored row's bits keep their meaning until it is recomputed).
    "route.other.function_above_medium_skilled",
    # Appended in 1.3.0: the trainee route of internship vacancies (routes.check_trainee).
    "route.trainee.duration_unknown",
    "route.trainee.duration_out_of_range",
    "route.trainee.no_higher_education_diploma",
    "route.trainee.diploma_date_unknown",
    "route.trainee.diploma_too_old",
    "route.trainee.candidate_in_belgium",
)
assert len(REASON_CODES) < 63, "reason bits are stored in a signed 64-bit integer"

REASON_BIT: dict[str, int] = {code: 1 << index for index, code in enumerate(REASON_CODES)}

ROUTES: tuple[Route, ...] = (
    Route.HIGHLY_SKILLED,
    Route.EU_BLUE_CARD,
    Route.MEDIUM_SKILLED_SHORTAGE,
    Route.OTHER_VDAB_LIST,
    Route.TRAINEE,
)
ROUTE_STATUS: dict[Outcome, int] = {Outcome.ELIGIBLE: 1, Outcome.CONDITIONAL: 2, Outcome.INELIGIBLE: 3}
STATUS_OUTCOME: dict[int, Outcome] = {value: outcome for outcome, value in ROUTE_STATUS.items()}

OUTCOME_CODE: dict[Outcome, int] = {Outcome.INELIGIBLE: 0, Outcome.CONDITIONAL: 1, Outcome.ELIGIBLE: 2}
CODE_OUTCOME: dict[int, Outcome] = {value: outcome for outcome, value in OUTCOME_CODE.items()}


def reason_bits(codes: tuple[str, ...] | list[str]) -> int:
    """The bits of these reason codes (a code repeated, e.g. one language gap per skill, counts once).
    An unknown code is a programming error: every code the core emits must be registered."""
    bits = 0
    for code in codes:
        bits |= REASON_BIT[code]
    return bits


def reason_codes(bits: int) -> tuple[str, ...]:
    """The codes of ``bits``, in registry order."""
    return tuple(code for code, bit in REASON_BIT.items() if bits & bit)


def route_bits(routes: tuple[RouteCheck, ...]) -> int:
    """Two bits per route in ``ROUTES`` order; 0 when no route was considered."""
    by_route = {check.route: check.outcome for check in routes}
    bits = 0
    for index, route in enumerate(ROUTES):
        if route in by_route:
            bits |= ROUTE_STATUS[by_route[route]] << (2 * index)
    return bits


def route_statuses(bits: int) -> tuple[tuple[Route, Outcome], ...]:
    """The routes of ``bits`` with their outcomes (none when the pair stopped at the scope stage)."""
    statuses = []
    for index, route in enumerate(ROUTES):
        status = (bits >> (2 * index)) & 0b11
        if status:
            statuses.append((route, STATUS_OUTCOME[status]))
    return tuple(statuses)


def score_cents(score: float | None) -> int | None:
    """A score as whole cents, exactly as it is stored (``Decimal(str(score))`` to two places)."""
    if score is None:
        return None
    return int(Decimal(str(score)).quantize(Decimal("0.01")) * 100)


@dataclass(frozen=True)
class CompactResult:
    """One pair in compact form (see the module docstring)."""

    candidate_id: int
    vacancy_id: int
    outcome: Outcome
    score_cents: int | None
    reason_bits: int
    route_bits: int


def compact(result: MatchResult) -> CompactResult:
    """The compact form of a full result: what the vectorised path must give for the same pair."""
    return CompactResult(
        candidate_id=result.candidate_id,
        vacancy_id=result.vacancy_id,
        outcome=result.outcome,
        score_cents=score_cents(result.score),
        reason_bits=reason_bits([reason.code for reason in result.reasons]),
        route_bits=route_bits(result.routes),
    )
