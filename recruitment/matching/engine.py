"""Entry points of the matching core: one pair, one vacancy against many candidates, and the reverse.

``evaluate`` runs the gate (``eligibility``), then scores what is not ineligible (``scoring``). It reads
no clock and no global state: the same inputs always give an equal ``MatchResult``.
"""

from collections.abc import Iterable

from recruitment.matching import ALGORITHM_VERSION
from recruitment.matching.eligibility import check_routes, gate_reasons, outcome_of, scope_reasons
from recruitment.matching.facts import CandidateFacts, ReferenceFacts, VacancyFacts
from recruitment.matching.results import CriterionScore, MatchResult, Outcome, Reason, RouteCheck
from recruitment.matching.scoring import score_match

_KEPT = frozenset({Outcome.ELIGIBLE, Outcome.CONDITIONAL})


def _result(
    candidate: CandidateFacts,
    vacancy: VacancyFacts,
    reasons: list[Reason],
    routes: tuple[RouteCheck, ...],
    facts: ReferenceFacts,
) -> MatchResult:
    outcome = outcome_of(reasons)
    score: float | None = None
    breakdown: tuple[CriterionScore, ...] = ()
    if outcome is not Outcome.INELIGIBLE:
        score, breakdown = score_match(candidate, vacancy, facts)
    return MatchResult(
        candidate_id=candidate.id,
        vacancy_id=vacancy.id,
        outcome=outcome,
        reasons=tuple(reasons),
        routes=routes,
        score=score,
        breakdown=breakdown,
        algorithm_version=ALGORITHM_VERSION,
    )


def evaluate(candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts) -> MatchResult:
    """Gate and score one candidate against one vacancy on ``facts.reference_date``.

    Out of scope or unrelated (a non-closable stage-1 reason): INELIGIBLE at once, no route considered.
    Otherwise every route is checked and reported, and the stage-2 reasons decide the outcome.
    """
    scope = scope_reasons(candidate, vacancy, facts)
    if any(not r.closable for r in scope):
        return _result(candidate, vacancy, scope, (), facts)
    routes = check_routes(candidate, vacancy, facts)
    return _result(candidate, vacancy, scope + gate_reasons(candidate, vacancy, routes), routes, facts)


def evaluate_vacancy(
    vacancy: VacancyFacts, candidates: Iterable[CandidateFacts], facts: ReferenceFacts
) -> list[MatchResult]:
    """The eligible and conditional candidates for one vacancy, best score first, then by candidate id."""
    results = [evaluate(candidate, vacancy, facts) for candidate in candidates]
    kept = [r for r in results if r.outcome in _KEPT]
    kept.sort(key=lambda r: (-(r.score or 0.0), r.candidate_id))
    return kept


def evaluate_candidate(
    candidate: CandidateFacts, vacancies: Iterable[VacancyFacts], facts: ReferenceFacts
) -> list[MatchResult]:
    """The vacancies one candidate is eligible or conditional for, best score first, then by vacancy id."""
    results = [evaluate(candidate, vacancy, facts) for vacancy in vacancies]
    kept = [r for r in results if r.outcome in _KEPT]
    kept.sort(key=lambda r: (-(r.score or 0.0), r.vacancy_id))
    return kept
