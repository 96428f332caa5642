"""The full explanation of stored matches, rebuilt by the scalar core for the rows a page shows.

A stored ``Match`` is compact (outcome, score, reason and route bits: docs/adr/0008). The explanation a
recruiter, an employer or a partner reads (every reason with the values compared, the routes, the
points per criterion) comes from ``engine.evaluate`` on the pair's current facts: a fixed number of
queries for a page of any size, and word for word what the stored row was computed from, as long as
nothing changed since. When something did (a recompute is on its way), the rebuilt explanation is the
current one and ``differs_from_stored`` says so.
"""

from collections.abc import Iterable

from candidates.models import Candidate
from recruitment.adapters import candidate_facts, reference_date, reference_facts_on, vacancy_facts
from recruitment.matching.codes import compact
from recruitment.matching.engine import evaluate
from recruitment.matching.results import MatchResult
from recruitment.models import Match
from vacancies.models import Vacancy

Pair = tuple[int, int]  # (vacancy id, candidate id)


def match_results(pairs: Iterable[Pair]) -> dict[Pair, MatchResult]:
    """The scalar core's full result for each (vacancy, candidate) pair whose two sides still exist."""
    wanted = set(pairs)
    if not wanted:
        return {}
    day = reference_date()
    facts = reference_facts_on(day)
    vacancies = {
        v.id: v for v in vacancy_facts(Vacancy.objects.filter(pk__in={vacancy for vacancy, _ in wanted}))
    }
    candidates = {
        c.id: c
        for c in candidate_facts(
            Candidate.objects.filter(pk__in={candidate for _, candidate in wanted}), day=day
        )
    }
    return {
        (vacancy, candidate): evaluate(candidates[candidate], vacancies[vacancy], facts)
        for vacancy, candidate in sorted(wanted)
        if vacancy in vacancies and candidate in candidates
    }


def differs_from_stored(result: MatchResult, match: Match) -> bool:
    """Whether the rebuilt result is not the one stored (the facts changed; a recompute is on its way)."""
    short = compact(result)
    return (
        short.outcome.value != match.outcome
        or short.score_cents != round(match.score * 100)
        or short.reason_bits != match.reason_bits
        or short.route_bits != match.route_bits
    )


def explanation_to_keep(*, vacancy_id: int, candidate_id: int) -> dict[str, object]:
    """What a case keeps of the match a person acts on (a shortlist, a proposal, a decision): the full
    explanation as shown at that moment, with the day it holds for. Empty if a side no longer exists."""
    result = match_results([(vacancy_id, candidate_id)]).get((vacancy_id, candidate_id))
    if result is None:
        return {}
    return {**result.as_dict(), "reference_date": reference_date().isoformat()}
