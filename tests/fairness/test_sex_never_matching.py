"""Sex is stored for monitoring only and is never a matching input (issue 15 section 4; docs/fairness.md).

Two proofs:
- by construction: the matching core's input (``CandidateFacts``) has no field for it, and the one bridge
  from the database (``recruitment.adapters``) does not read the column;
- by behaviour (Hypothesis): real candidates in the database, every assignment of sexes among them,
  read through the adapters and scored by both paths of the core (scalar and vectorised), give the
  same facts, outcomes, scores, reasons and explanations as with no sex declared; and the real
  recompute stores the same matches whatever the sexes.
"""

import dataclasses
import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates.models import Candidate
from candidates.services import candidate_profile_changed
from recruitment import adapters
from recruitment.adapters import candidate_facts, reference_date, reference_facts_on, vacancy_facts
from recruitment.explanations import explain_matches
from recruitment.matching import facts as matching_facts
from recruitment.matching.facts import CandidateFacts
from recruitment.matching.results import MatchResult, Outcome
from recruitment.models import Match, MatchJob
from recruitment.services import job_create, vacancy_matches_recompute
from recruitment.snapshot import snapshots_clear
from tests.fairness.helpers import years_ago
from tests.recruitment.matching.both_paths import evaluate
from tests.recruitment.world import build_world, welder_candidate, welder_vacancy
from vacancies.models import Vacancy

SEXES = ["", *Candidate.Sex.values]
FORBIDDEN = ("sex", "gender")


def test_the_matching_input_has_no_field_for_sex() -> None:
    for name, kind in inspect.getmembers(matching_facts, dataclasses.is_dataclass):
        names = {field.name for field in dataclasses.fields(kind)}
        assert not any(word in field for field in names for word in FORBIDDEN), name
    assert "sex" not in adapters.CANDIDATE_COLUMNS


@pytest.fixture
def pool(db: None) -> Iterator[tuple[Vacancy, list[Candidate]]]:
    """A welder vacancy and candidates whose outcomes differ: eligible, conditional (Dutch one level
    short), ineligible (too little experience; an EU citizen, out of scope), under and over 30."""
    snapshots_clear()
    world = build_world()
    vacancy = welder_vacancy(world)
    candidates = [
        welder_candidate(world),
        welder_candidate(world, dutch="A2"),
        welder_candidate(world, years=1),
        welder_candidate(world, nationalities=["FR"]),
        welder_candidate(world, years=8, date_of_birth=years_ago(26)),
        welder_candidate(world, dutch="B2", years=3, date_of_birth=years_ago(50)),
    ]
    yield vacancy, candidates
    snapshots_clear()


def _evaluated(vacancy: Vacancy, ids: list[int]) -> tuple[list[CandidateFacts], list[MatchResult]]:
    day = reference_date()
    reference = reference_facts_on(day)
    (terms,) = vacancy_facts(Vacancy.objects.filter(pk=vacancy.pk))
    people = candidate_facts(Candidate.objects.filter(pk__in=ids), day=day)
    return people, [evaluate(person, terms, reference) for person in people]


def _declare(candidates: list[Candidate], sexes: list[str]) -> None:
    """Set each candidate's sex as a write path would: the profile version moves, so nothing cached by
    version (the recompute's snapshot) can hide the change."""
    for person, sex in zip(candidates, sexes, strict=True):
        Candidate.objects.filter(pk=person.pk).update(sex=sex)
        candidate_profile_changed(person.pk)


def _stored(vacancy: Vacancy) -> list[tuple[Any, ...]]:
    return sorted(
        Match.objects.filter(vacancy=vacancy).values_list("candidate_id", "outcome", "score", "reason_bits")
    )


def _recompute(vacancy: Vacancy) -> None:
    job = job_create(MatchJob.Kind.VACANCY, vacancy.pk, queue=False)
    vacancy_matches_recompute(vacancy_id=vacancy.pk, job_id=job.pk)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_assignment_of_sexes_changes_a_fact_a_score_or_a_reason(
    pool: tuple[Vacancy, list[Candidate]], data: st.DataObject
) -> None:
    vacancy, candidates = pool
    ids = [person.pk for person in candidates]
    _declare(candidates, [""] * len(candidates))
    facts_before, results_before = _evaluated(vacancy, ids)
    # Not vacuous: the pool holds every outcome.
    assert {result.outcome for result in results_before} == set(Outcome)

    sexes = data.draw(st.lists(st.sampled_from(SEXES), min_size=len(ids), max_size=len(ids)), label="sexes")
    _declare(candidates, sexes)
    assert sorted(Candidate.objects.filter(pk__in=ids).values_list("sex", flat=True)) == sorted(sexes)
    facts_after, results_after = _evaluated(vacancy, ids)

    assert facts_after == facts_before
    assert results_after == results_before  # outcome, score, breakdown, reasons and routes


def test_the_recompute_stores_the_same_matches_and_explanations_whatever_the_sexes(
    pool: tuple[Vacancy, list[Candidate]],
) -> None:
    vacancy, candidates = pool
    stored: list[list[tuple[Any, ...]]] = []
    explained: list[list[Any]] = []
    for sexes in (
        [""] * len(candidates),
        ["female"] * len(candidates),
        ["male"] * len(candidates),
        [SEXES[i % len(SEXES)] for i in range(len(candidates))],
    ):
        _declare(candidates, sexes)
        _recompute(vacancy)
        stored.append(_stored(vacancy))
        matches = list(Match.objects.filter(vacancy=vacancy).order_by("candidate_id"))
        explained.append([repr(e) for e in explain_matches(matches).values()])
    assert len(stored[0]) >= 2  # an eligible match and a near-miss at least
    assert len(explained[0]) == len(stored[0])
    assert all(rows == stored[0] for rows in stored)
    assert all(rows == explained[0] for rows in explained)
