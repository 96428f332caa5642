"""Run a pair through both paths of the matching core: the scalar reference and the vectorised one.

``evaluate`` here is ``engine.evaluate`` that also evaluates the pair through ``vectorised.evaluate_pairs``
and asserts that both give the same compact result (outcome, score in cents, reason codes, route
statuses). The rule and scoring tests import it instead of the engine's, so every one of them holds for
both paths.
"""

import numpy as np

from recruitment.matching import engine
from recruitment.matching.codes import CODE_OUTCOME, CompactResult, compact, reason_codes, route_statuses
from recruitment.matching.columns import Vocabulary, candidate_columns, vacancy_columns
from recruitment.matching.facts import CandidateFacts, ReferenceFacts, VacancyFacts
from recruitment.matching.results import MatchResult
from recruitment.matching.vectorised import PairResults, evaluate_pairs


def compact_results(
    results: PairResults, candidate_ids: np.ndarray, vacancy_ids: np.ndarray
) -> list[CompactResult]:
    """The vectorised results as ``CompactResult``s, pair by pair."""
    return [
        CompactResult(
            candidate_id=int(candidate_ids[results.candidate_rows[i]]),
            vacancy_id=int(vacancy_ids[results.vacancy_rows[i]]),
            outcome=CODE_OUTCOME[int(results.outcome[i])],
            score_cents=None if results.score_cents[i] < 0 else int(results.score_cents[i]),
            reason_bits=int(results.reasons[i]),
            route_bits=int(results.routes[i]),
        )
        for i in range(len(results.outcome))
    ]


def vectorised(candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts) -> CompactResult:
    vocabulary = Vocabulary()
    candidates = candidate_columns([candidate], vocabulary)
    vacancies = vacancy_columns([vacancy], vocabulary)
    results = evaluate_pairs(candidates, np.zeros(1, np.int64), vacancies, np.zeros(1, np.int64), facts)
    (result,) = compact_results(results, candidates.ids, vacancies.ids)
    return result


def describe(result: CompactResult) -> str:
    return (
        f"{result.outcome} {result.score_cents} {reason_codes(result.reason_bits)} "
        f"{route_statuses(result.route_bits)}"
    )


def evaluate(candidate: CandidateFacts, vacancy: VacancyFacts, facts: ReferenceFacts) -> MatchResult:
    """``engine.evaluate``, checked against the vectorised path."""
    result = engine.evaluate(candidate, vacancy, facts)
    expected, got = compact(result), vectorised(candidate, vacancy, facts)
    assert got == expected, f"vectorised {describe(got)} != scalar {describe(expected)}"
    return result
