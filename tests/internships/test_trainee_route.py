"""The trainee route of an internship vacancy (recruitment.matching.routes.check_trainee): no database.

The rules and their sources are in docs/pathways/internships.md; the vectorised path is held equal to
these by tests/recruitment/matching/test_vectorised.py (which draws internships and award dates).
"""

import dataclasses
import datetime
from typing import Any

import pytest
from django.utils import translation

from recruitment.matching.engine import evaluate
from recruitment.matching.facts import CandidateFacts, VacancyFacts
from recruitment.matching.results import Outcome, Route, RouteCheck
from recruitment.matching.routes import check_trainee, months_before
from recruitment.reason_sentences import reason_sentence
from tests.recruitment.matching import builders as b

ON = b.ON_2026
SINCE = months_before(ON, 24)  # 1 March 2024: the oldest award date a trainee's diploma may have


def _graduate(awarded_on: datetime.date | None, **overrides: object) -> CandidateFacts:
    person = b.palim_ict_graduate()
    diplomas = tuple(dataclasses.replace(d, awarded_on=awarded_on) for d in person.diplomas)
    return dataclasses.replace(person, diplomas=diplomas, **overrides)  # type: ignore[arg-type]


def _internship(months: int | None = 6) -> VacancyFacts:
    return b.software_developer_vacancy(kind="internship", contract_type="fixed_term", contract_months=months)


def _codes(check: RouteCheck) -> list[str]:
    return [reason.code for reason in check.reasons]


def test_a_recent_graduate_on_a_six_month_internship_passes() -> None:
    check = check_trainee(_graduate(ON - datetime.timedelta(days=200)), _internship(), b.flemish_reference())

    assert check.route == Route.TRAINEE and check.outcome == Outcome.ELIGIBLE
    assert _codes(check) == ["route.trainee.passed"]


@pytest.mark.parametrize(
    ("months", "outcome", "code"),
    [
        (None, Outcome.CONDITIONAL, "route.trainee.duration_unknown"),
        # Outside 3-6 months: the sources differ on the duration, so the route is conditional (confirm it
        # with the authority), never closed as if the rule were settled.
        (2, Outcome.CONDITIONAL, "route.trainee.duration_out_of_range"),
        (3, Outcome.ELIGIBLE, "route.trainee.passed"),
        (6, Outcome.ELIGIBLE, "route.trainee.passed"),
        (7, Outcome.CONDITIONAL, "route.trainee.duration_out_of_range"),
        (12, Outcome.CONDITIONAL, "route.trainee.duration_out_of_range"),
    ],
)
def test_the_internship_lasts_three_to_six_months(months: int | None, outcome: Outcome, code: str) -> None:
    check = check_trainee(_graduate(ON), _internship(months), b.flemish_reference())

    assert check.outcome == outcome and _codes(check) == [code]


def test_a_duration_out_of_range_is_to_confirm_not_a_rule_stated_as_law() -> None:
    """The sentence says the sources differ and sends the reader to the authority."""
    check = check_trainee(_graduate(ON), _internship(12), b.flemish_reference())
    (failure,) = check.reasons
    assert failure.closable
    with translation.override("en"):
        text = reason_sentence({"code": failure.code, "params": dict(failure.params)})
    assert "sources we checked differ" in text and "confirm it with the Flemish work permit service" in text


@pytest.mark.parametrize(
    ("awarded_on", "outcome", "code"),
    [
        (SINCE, Outcome.ELIGIBLE, "route.trainee.passed"),  # exactly two years: still in
        (SINCE - datetime.timedelta(days=1), Outcome.INELIGIBLE, "route.trainee.diploma_too_old"),
        (None, Outcome.CONDITIONAL, "route.trainee.diploma_date_unknown"),  # the candidate states it
    ],
)
def test_the_diploma_dates_from_the_last_two_years(
    awarded_on: datetime.date | None, outcome: Outcome, code: str
) -> None:
    check = check_trainee(_graduate(awarded_on), _internship(), b.flemish_reference())

    assert check.outcome == outcome and _codes(check) == [code]


def test_no_higher_education_diploma_and_being_in_belgium_close_the_route() -> None:
    secondary = (b.diploma(3, awarded_on=ON),)
    person = dataclasses.replace(_graduate(ON), diplomas=secondary, in_belgium=True)

    check = check_trainee(person, _internship(), b.flemish_reference())

    assert check.outcome == Outcome.INELIGIBLE
    assert _codes(check) == [
        "route.trainee.no_higher_education_diploma",
        "route.trainee.candidate_in_belgium",
    ]


def test_an_internship_is_checked_against_the_trainee_route_alone() -> None:
    person = _graduate(ON - datetime.timedelta(days=100))

    internship = evaluate(person, _internship(), b.flemish_reference())
    employment = evaluate(person, b.software_developer_vacancy(), b.flemish_reference())

    assert [check.route for check in internship.routes] == [Route.TRAINEE]
    assert Route.TRAINEE not in [check.route for check in employment.routes]
    # An allowance under every single-permit threshold: the internship stays open, as a job would not.
    allowance: dict[str, Any] = {"kind": "internship", "contract_type": "fixed_term", "contract_months": 6}
    low_pay = evaluate(
        person, b.software_developer_vacancy(salary="25000", **allowance), b.flemish_reference()
    )
    low_paid_job = evaluate(person, b.software_developer_vacancy(salary="25000"), b.flemish_reference())
    assert low_pay.outcome != Outcome.INELIGIBLE
    assert low_paid_job.outcome == Outcome.INELIGIBLE


def test_an_old_diploma_closes_the_internship_but_not_the_employment() -> None:
    person = _graduate(ON.replace(year=ON.year - 5))

    internship = evaluate(person, _internship(), b.flemish_reference())
    employment = evaluate(person, b.software_developer_vacancy(), b.flemish_reference())

    assert internship.outcome == Outcome.INELIGIBLE
    assert [r.code for r in internship.reasons][:2] == ["route.none", "route.trainee.diploma_too_old"]
    assert employment.outcome != Outcome.INELIGIBLE
