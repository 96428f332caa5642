"""The vectorised path equals the scalar core, pair by pair, over generated populations.

Populations mix the real situations of ``builders`` (so that many pairs are eligible or conditional) with
variations of nearly every field, and cover what single pairs rarely reach: several candidates and
vacancies evaluated in one call, EU citizens and minors, vacancies outside Flanders, regulated
professions, secondments, missing thresholds, another date's rules. For every pair the compact results
must be equal: outcome, score to the cent, reason codes, route statuses.
"""

import dataclasses
import datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recruitment.matching.codes import compact
from recruitment.matching.columns import Ragged, Vocabulary, candidate_columns, vacancy_columns
from recruitment.matching.engine import evaluate
from recruitment.matching.exact import add_in_order, expand, round_like_python
from recruitment.matching.facts import CandidateFacts, ReferenceFacts, VacancyFacts
from recruitment.matching.vectorised import evaluate_pairs, possibly_relevant
from tests.recruitment.matching import builders as b
from tests.recruitment.matching.both_paths import compact_results, describe
from tests.recruitment.matching.test_properties import (
    BASES,
    FACTS,
    PROJECTS,
    candidates,
    vacancies,
    weights_by_project,
)

rarely = st.integers(1, 8).map(lambda n: n == 1)


@st.composite
def populations(draw: st.DrawFn) -> tuple[list[CandidateFacts], list[VacancyFacts], ReferenceFacts]:
    on = draw(st.sampled_from(sorted(FACTS)))
    facts = dataclasses.replace(FACTS[on], weights_by_project=draw(weights_by_project))
    if draw(rarely):
        kept = draw(st.lists(st.sampled_from(facts.thresholds), unique=True))
        facts = dataclasses.replace(facts, thresholds=tuple(kept))
    for name in ("migration_list_occupation_ids", "vdab_list_occupation_ids"):
        if draw(rarely):
            listed = sorted(getattr(facts, name))
            changed: dict[str, object] = {name: frozenset(draw(st.lists(st.sampled_from(listed))))}
            facts = dataclasses.replace(facts, **changed)  # type: ignore[arg-type]
    # Half the populations share one situation, so that most of their pairs relate.
    bases = st.sampled_from(BASES) if draw(st.booleans()) else st.just(draw(st.sampled_from(BASES)))
    people: list[CandidateFacts] = []
    for make_candidate, _make_vacancy in draw(st.lists(bases, min_size=1, max_size=5)):
        person = draw(candidates(make_candidate(), on))
        changes: dict[str, object] = {
            "id": len(people) + 1,
            "project_id": draw(st.none() | st.sampled_from(PROJECTS)),
        }
        if draw(rarely):
            changes["nationalities"] = draw(
                st.sampled_from([frozenset(), frozenset({"PL"}), frozenset({"MA", "FR"})])
            )
        if draw(rarely):
            changes["date_of_birth"] = on.replace(year=on.year - draw(st.integers(16, 19)))
        # The trainee route reads award dates: none, recent, old, and either side of the 24-month limit.
        since = on - datetime.timedelta(days=730)
        dates = st.sampled_from(
            [None, on, since, since - datetime.timedelta(days=1), on.replace(year=on.year - 5)]
        )
        changes["diplomas"] = tuple(dataclasses.replace(d, awarded_on=draw(dates)) for d in person.diplomas)
        people.append(dataclasses.replace(person, **changes))  # type: ignore[arg-type]
    jobs: list[VacancyFacts] = []
    for _make_candidate, make_vacancy in draw(st.lists(bases, min_size=1, max_size=4)):
        job = draw(vacancies(make_vacancy()))
        changes = {
            "id": 100 + len(jobs),
            "function_vks_level": draw(st.sampled_from([job.function_vks_level, 2, 3, 4, 5, 6])),
            "is_secondment": draw(rarely),
        }
        if draw(rarely):
            changes["region"] = draw(st.sampled_from(["BRU", "WAL"]))
        if draw(rarely):
            changes["regulated"] = not job.regulated
        if draw(rarely):
            changes["contract_type"] = "indefinite"
        if draw(st.integers(1, 3).map(lambda n: n == 1)):  # an internship: the trainee route alone
            changes["kind"] = "internship"
            changes["contract_months"] = draw(st.sampled_from([None, 2, 3, 6, 7, job.contract_months]))
        jobs.append(dataclasses.replace(job, **changes))  # type: ignore[arg-type]
    return people, jobs, facts


@settings(max_examples=300, deadline=None)
@given(populations())
def test_every_pair_equals_the_scalar_result(
    population: tuple[list[CandidateFacts], list[VacancyFacts], ReferenceFacts],
) -> None:
    people, jobs, facts = population
    vocabulary = Vocabulary()
    candidate_table = candidate_columns(people, vocabulary)
    vacancy_table = vacancy_columns(jobs, vocabulary)
    rows = np.array([(c, v) for c in range(len(people)) for v in range(len(jobs))], dtype=np.int64)

    results = evaluate_pairs(candidate_table, rows[:, 0], vacancy_table, rows[:, 1], facts)

    for got, (c, v) in zip(
        compact_results(results, candidate_table.ids, vacancy_table.ids), rows, strict=True
    ):
        expected = compact(evaluate(people[c], jobs[v], facts))
        assert got == expected, f"pair {c}x{v}: vectorised {describe(got)} != scalar {describe(expected)}"


@settings(max_examples=100, deadline=None)
@given(populations())
def test_the_pool_holds_every_related_candidate(
    population: tuple[list[CandidateFacts], list[VacancyFacts], ReferenceFacts],
) -> None:
    """``possibly_relevant`` may keep too many, never too few: whoever it leaves out is unrelated."""
    people, jobs, facts = population
    vocabulary = Vocabulary()
    candidate_table = candidate_columns(people, vocabulary)
    vacancy_table = vacancy_columns(jobs, vocabulary)
    for row, job in enumerate(jobs):
        pool = set(possibly_relevant(candidate_table, vacancy_table, row).tolist())
        for index, person in enumerate(people):
            if index not in pool:
                codes = [r.code for r in evaluate(person, job, facts).reasons]
                assert "relevance.unrelated" in codes


def test_a_subset_of_columns_evaluates_like_the_whole() -> None:
    people = [b.welder(), b.aurora_nurse(), b.palim_ict_graduate(25), b.truck_driver()]
    people = [dataclasses.replace(p, id=i + 1) for i, p in enumerate(people)]
    jobs = [b.welder_vacancy(), b.nurse_vacancy(), b.software_developer_vacancy()]
    vocabulary = Vocabulary()
    whole = candidate_columns(people, vocabulary)
    vacancy_table = vacancy_columns(jobs, vocabulary)
    facts = b.flemish_reference()
    part = whole.take(np.array([3, 1]))
    glued = type(whole).concat([whole.take(np.array([0, 2])), part])

    for table, order in ((part, [3, 1]), (glued, [0, 2, 3, 1])):
        for v in range(len(jobs)):
            rows = np.arange(len(order))
            results = evaluate_pairs(table, rows, vacancy_table, np.full(len(order), v), facts)
            got = compact_results(results, table.ids, vacancy_table.ids)
            assert got == [compact(evaluate(people[i], jobs[v], facts)) for i in order]


# --- The arithmetic ---------------------------------------------------------------------------------


def test_rounding_equals_pythons_round_including_halves() -> None:
    rng = np.random.default_rng(7)
    values = np.concatenate(
        [
            rng.random(50_000) * 100,
            (rng.integers(0, 2_000_000, 50_000) + 0.5) / 10_000,  # decimal halves at 4 digits
            (rng.integers(0, 20_000, 20_000) + 0.5) / 100,  # ... and at 2
            np.array([1.00005, 0.03125, 2.675, 25 * 0.6400000000000001, 0.0, 100.0]),
        ]
    )
    for digits in (2, 4):
        rounded, whole = round_like_python(values, digits)
        python = [round(float(x), digits) for x in values]
        assert rounded.tolist() == python
        assert whole.tolist() == [round(x * 10**digits) for x in python]


def test_segment_sums_add_left_to_right() -> None:
    offsets = np.array([0, 3, 3, 5])
    values = np.array([0.1, 0.2, 0.3, 1e16, 1.0])
    pair, element, position = expand(offsets, np.array([0, 1, 2, 0]))
    sums = add_in_order(values[element], pair, position, 4)

    assert sums.tolist() == [(0.1 + 0.2) + 0.3, 0.0, 1e16 + 1.0, (0.1 + 0.2) + 0.3]


def test_ragged_take_keeps_each_rows_children() -> None:
    ragged = Ragged(np.array([0, 2, 2, 5]), {"x": np.array([1, 2, 3, 4, 5])})
    taken = ragged.take(np.array([2, 0, 1]))

    assert taken.offsets.tolist() == [0, 3, 5, 5]
    assert taken["x"].tolist() == [3, 4, 5, 1, 2]
    assert taken.owner.tolist() == [0, 0, 0, 1, 1]


def test_dates_in_columns_are_ordinals() -> None:
    person = dataclasses.replace(b.welder(), available_from=datetime.date(2026, 5, 1))
    table = candidate_columns([person], Vocabulary())

    assert table.available_from.tolist() == [datetime.date(2026, 5, 1).toordinal()]
