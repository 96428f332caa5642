"""The entry points: one vacancy against many candidates, one candidate against many vacancies."""

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

from recruitment.matching.engine import evaluate_candidate, evaluate_vacancy
from recruitment.matching.results import Outcome
from tests.recruitment.matching.builders import (
    aurora_nurse,
    care_assistant_vacancy,
    flemish_reference,
    nurse_vacancy,
    software_developer_vacancy,
    welder,
    welder_vacancy,
)

FACTS = flemish_reference()
REPO = Path(__file__).resolve().parents[3]


def test_evaluate_vacancy_keeps_eligible_and_conditional_best_first_then_by_id() -> None:
    candidates = [
        welder(candidate_id=4),
        welder(candidate_id=1, nationalities=frozenset({"PL"})),  # out of scope
        welder(candidate_id=2, consented_employer_ids=frozenset()),  # conditional, same score
        welder("A2", candidate_id=3),  # conditional, lower language score
        welder(candidate_id=5, has_unrepaid_candidate_paid_cost=True),  # ineligible
    ]
    results = evaluate_vacancy(welder_vacancy(), candidates, FACTS)

    assert [r.candidate_id for r in results] == [2, 4, 3]
    assert [r.outcome for r in results] == [Outcome.CONDITIONAL, Outcome.ELIGIBLE, Outcome.CONDITIONAL]
    scores = [r.score for r in results]
    assert (
        scores[0] == scores[1] and scores[1] is not None and scores[2] is not None and scores[2] < scores[1]
    )


def test_evaluate_candidate_ranks_the_vacancies_a_candidate_fits() -> None:
    vacancies = [software_developer_vacancy(), care_assistant_vacancy(), nurse_vacancy()]
    results = evaluate_candidate(aurora_nurse(), vacancies, FACTS)

    assert [(r.vacancy_id, r.outcome) for r in results] == [
        (nurse_vacancy().id, Outcome.CONDITIONAL),
        (care_assistant_vacancy().id, Outcome.ELIGIBLE),
    ]


def test_ties_between_vacancies_are_broken_by_vacancy_id() -> None:
    vacancies = [dataclasses.replace(welder_vacancy(), id=vacancy_id) for vacancy_id in (9, 3, 7)]

    assert [r.vacancy_id for r in evaluate_candidate(welder(), vacancies, FACTS)] == [3, 7, 9]


_PRINT_RESULTS = """
from recruitment.matching.engine import evaluate
from tests.recruitment.matching import builders as b
facts = b.flemish_reference()
pairs = [(b.aurora_nurse(), b.nurse_vacancy()), (b.aurora_nurse(), b.care_assistant_vacancy()),
         (b.welder('A1'), b.welder_vacancy()), (b.palim_ict_graduate(34), b.software_developer_vacancy()),
         (b.welder(nationalities=frozenset({'PL', 'FR', 'MA'})), b.welder_vacancy()),
         (b.truck_driver(licences=frozenset()), b.truck_driver_vacancy())]
for candidate, vacancy in pairs:
    print(repr(evaluate(candidate, vacancy, facts)))
"""


def test_results_do_not_depend_on_the_hash_seed() -> None:
    """Workers run with different hash seeds; frozenset order must never leak into a result."""

    def run(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _PRINT_RESULTS],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    first = run("1")
    assert first.count("MatchResult(") == 6
    assert run("2") == first == run("12345")
