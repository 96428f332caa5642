"""Eligibility rules, table-driven from real situations (domain.md 0, 1.4–1.6, 2.2, 4.4, 5.3, 8.2).

Each row: who, which vacancy, on which date, the expected outcome and the reason codes in order (``exact``)
or at least (not ``exact``). The tests after the table check the values the reasons carry.
"""

import dataclasses
import datetime
from decimal import Decimal

import pytest

from recruitment.matching import ALGORITHM_VERSION
from recruitment.matching.eligibility import STUDY_MONTHS_PER_CEFR_LEVEL
from recruitment.matching.facts import CandidateFacts, Recognition, ReferenceFacts, VacancyFacts
from recruitment.matching.results import MatchResult, Outcome, Reason, Route, RouteCheck
from recruitment.matching.routes import check_blue_card
from tests.recruitment.matching.both_paths import evaluate
from tests.recruitment.matching.builders import (
    ON_2025,
    ON_2026,
    aurora_nurse,
    born,
    care_assistant_vacancy,
    course,
    diploma,
    electrician,
    electrician_vacancy,
    flemish_reference,
    monthly,
    nurse_vacancy,
    palim_ict_graduate,
    software_developer_vacancy,
    truck_driver,
    truck_driver_vacancy,
    welder,
    welder_vacancy,
    worked,
)

ELIGIBLE, CONDITIONAL, INELIGIBLE = Outcome.ELIGIBLE, Outcome.CONDITIONAL, Outcome.INELIGIBLE
NO_VDAB = frozenset[int]()  # the truck driver is on no VDAB list in these facts


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    candidate: CandidateFacts
    vacancy: VacancyFacts
    outcome: Outcome
    reasons: tuple[str, ...]
    facts: ReferenceFacts
    exact: bool  # the reason codes exactly, in order; else at least these
    route: Route | None  # a route that must pass


def case(
    name: str,
    candidate: CandidateFacts,
    vacancy: VacancyFacts,
    outcome: Outcome,
    *reasons: str,
    on: ReferenceFacts | None = None,
    exact: bool = True,
    route: Route | None = None,
) -> Case:
    return Case(name, candidate, vacancy, outcome, reasons, on or flemish_reference(), exact, route)


def _aurora_care(**overrides: object) -> CandidateFacts:
    return dataclasses.replace(aurora_nurse(age=28), **overrides)  # type: ignore[arg-type]


def _days(n: int) -> datetime.date:
    return ON_2026 + datetime.timedelta(days=n)


HS, BLUE, MEDIUM, OTHER = (
    Route.HIGHLY_SKILLED,
    Route.EU_BLUE_CARD,
    Route.MEDIUM_SKILLED_SHORTAGE,
    Route.OTHER_VDAB_LIST,
)
PRIVATE_MASTER = (diploma(7, private_institution=True),)
NURSE_FULL_LICENSED = (
    diploma(6, field="0913", recognition=Recognition.FULL_EQUIVALENCE, licence_to_practise=True),
)
NURSE_NOT_REQUESTED = (diploma(6, duration_years=4.0, field="0913"),)
WELL_PAID_CARE = care_assistant_vacancy(annual_salary_eur=monthly("2850"))
NO_MIGRATION_LIST = flemish_reference(migration=frozenset())
COURSE_TO_B1 = (course("nl", "B1", datetime.date(2026, 6, 30)),)
LANGUAGE = "language.below_minimum"

CASES = [
    # PALIM: the highly skilled route, reduced threshold under 30 (domain.md 1.5).
    case("palim_25_reduced_threshold", palim_ict_graduate(25), software_developer_vacancy(), ELIGIBLE,
         route=HS),
    case("palim_34_below_threshold", palim_ict_graduate(34), software_developer_vacancy(), INELIGIBLE,
         "route.none", "route.highly_skilled.salary_below_threshold", exact=False),
    case("palim_34_at_threshold", palim_ict_graduate(34), software_developer_vacancy("48912"), ELIGIBLE,
         route=HS),
    case("palim_2026_function_vks4", palim_ict_graduate(25), software_developer_vacancy(vks=4), INELIGIBLE,
         "route.none", "route.highly_skilled.function_below_vks5", exact=False),
    case("palim_2025_function_vks4", palim_ict_graduate(25, ON_2025), software_developer_vacancy(vks=4),
         ELIGIBLE, on=flemish_reference(ON_2025), route=HS),
    case("palim_private_institution", dataclasses.replace(palim_ict_graduate(25), diplomas=PRIVATE_MASTER),
         software_developer_vacancy(), INELIGIBLE,
         "route.none", "route.highly_skilled.institution_not_recognised", exact=False),
    case("palim_thresholds_unknown", palim_ict_graduate(25), software_developer_vacancy(), INELIGIBLE,
         "route.none", "route.threshold_unknown", on=dataclasses.replace(flemish_reference(), thresholds=()),
         exact=False),
    case("palim_blue_card", palim_ict_graduate(34), software_developer_vacancy("65000"), ELIGIBLE,
         route=BLUE),
    # Aurora: a nurse awaiting recognition (domain.md 0, 4.4).
    case("aurora_nurse_pending", aurora_nurse("B1", Recognition.REQUESTED), nurse_vacancy(), CONDITIONAL,
         "recognition.pending", route=HS),
    case("aurora_care_assistant", aurora_nurse("B1", Recognition.REQUESTED), care_assistant_vacancy(),
         ELIGIBLE, route=MEDIUM),
    case("aurora_nurse_full_licensed", dataclasses.replace(aurora_nurse(), diplomas=NURSE_FULL_LICENSED),
         nurse_vacancy(), ELIGIBLE),
    case("aurora_nurse_full_no_licence", aurora_nurse(recognition=Recognition.FULL_EQUIVALENCE),
         nurse_vacancy(), CONDITIONAL, "recognition.licence_missing"),
    case("aurora_nurse_not_requested", aurora_nurse(recognition=Recognition.NOT_REQUESTED), nurse_vacancy(),
         CONDITIONAL, "recognition.not_requested"),
    case("aurora_nurse_refused", aurora_nurse(recognition=Recognition.REFUSED), nurse_vacancy(), INELIGIBLE,
         "recognition.refused"),
    case("aurora_nurse_dutch_a2", aurora_nurse("A2"), nurse_vacancy(), CONDITIONAL,
         "recognition.pending", LANGUAGE, LANGUAGE, LANGUAGE),
    case("aurora_care_hs_exception", _aurora_care(), WELL_PAID_CARE, ELIGIBLE, on=NO_MIGRATION_LIST,
         route=HS),
    case("aurora_care_exception_needs_request", _aurora_care(diplomas=NURSE_NOT_REQUESTED), WELL_PAID_CARE,
         CONDITIONAL, "route.highly_skilled.nurse_recognition_not_requested", on=NO_MIGRATION_LIST),
    # The truck driver before and after the 2026 migration list (domain.md 2.2).
    case("truck_2025_on_2023_list", truck_driver(), truck_driver_vacancy(), ELIGIBLE,
         on=flemish_reference(ON_2025, vdab=NO_VDAB), route=MEDIUM),
    case("truck_2026_off_the_list", truck_driver(), truck_driver_vacancy(), INELIGIBLE,
         "route.none", "route.medium.not_on_migration_list", "route.other.not_on_vdab_list",
         on=flemish_reference(ON_2026, vdab=NO_VDAB), exact=False),
    case("truck_without_code_95", truck_driver(licences=frozenset({"driving_ce"})), truck_driver_vacancy(),
         CONDITIONAL, "licence.missing", on=flemish_reference(ON_2025, vdab=NO_VDAB)),
    # The welder and the mandatory Dutch level (domain.md 4.1, 8.2 item 5).
    case("welder_dutch_b1", welder("B1"), welder_vacancy(), ELIGIBLE, route=MEDIUM),
    # A language gap of any size is closable (pre-departure Dutch is what projects start with): a near-miss.
    case("welder_no_dutch", welder(""), welder_vacancy(), CONDITIONAL, *[LANGUAGE] * 5),
    case("welder_dutch_a1_two_levels_short", welder("A1"), welder_vacancy(), CONDITIONAL, *[LANGUAGE] * 4),
    case("welder_dutch_a2_one_level_short", welder("A2"), welder_vacancy(), CONDITIONAL, *[LANGUAGE] * 2),
    case("welder_a2_course_in_progress", welder("A2", COURSE_TO_B1), welder_vacancy(), CONDITIONAL,
         LANGUAGE, LANGUAGE),
    case("welder_by_experience", welder("B1", diplomas=()), welder_vacancy(), ELIGIBLE, route=MEDIUM),
    case("welder_one_year_no_diploma", welder("B1", diplomas=(), experiences=(worked("welder", 1.0),)),
         welder_vacancy(), INELIGIBLE, "route.none", "route.medium.qualification_insufficient", exact=False),
    case("welder_pay_unconfirmed", welder(), welder_vacancy(pay_category=""), CONDITIONAL,
         "route.medium.pay_category_unconfirmed"),
    case("welder_semi_skilled_pay", welder(), welder_vacancy(pay_category="semi_skilled"), INELIGIBLE,
         "route.none", "route.medium.pay_below_skilled", exact=False),
    case("welder_seconded", welder(), welder_vacancy(is_secondment=True), INELIGIBLE,
         "route.none", "route.medium.secondment", exact=False),
    # Scope, fair recruitment, consent, availability (domain.md 5.3, 7, 8.2).
    case("eu_citizen", welder(nationalities=frozenset({"PL"})), welder_vacancy(), INELIGIBLE,
         "scope.eu_citizen"),
    case("dual_national_eu", welder(nationalities=frozenset({"MA", "FR"})), welder_vacancy(), INELIGIBLE,
         "scope.eu_citizen"),
    case("nationality_unknown", welder(nationalities=frozenset()), welder_vacancy(), CONDITIONAL,
         "scope.nationality_unknown"),
    case("minor", welder(date_of_birth=born(17)), welder_vacancy(), INELIGIBLE, "scope.minor"),
    case("brussels", welder(), welder_vacancy(region="BRU"), INELIGIBLE, "scope.region_not_flanders"),
    case("unrelated", truck_driver(), software_developer_vacancy(), INELIGIBLE, "relevance.unrelated"),
    case("no_consent", welder(consented_employer_ids=frozenset()), welder_vacancy(), CONDITIONAL,
         "consent.missing_for_employer"),
    case("candidate_paid_a_fee", welder(has_unrepaid_candidate_paid_cost=True), welder_vacancy(), INELIGIBLE,
         "fair_recruitment.candidate_paid"),
    case("employer_suspended", welder(), welder_vacancy(employer_suspended=True), INELIGIBLE,
         "employer.suspended"),
    case("available_270_days_late", welder(available_from=_days(300)), welder_vacancy(start_date=_days(30)),
         CONDITIONAL, "availability.late"),
    case("available_170_days_late", welder(available_from=_days(200)), welder_vacancy(start_date=_days(30)),
         ELIGIBLE),
    # The "other" route and its labour-market test (domain.md 1.4).
    case("published_7_weeks", electrician(), electrician_vacancy(49), CONDITIONAL,
         "route.other.publication_too_short"),
    case("published_10_weeks", electrician(), electrician_vacancy(70), ELIGIBLE, route=OTHER),
    case("published_5_months_ago", electrician(), electrician_vacancy(150), INELIGIBLE,
         "route.none", "route.other.publication_outdated", exact=False),
    case("shorter_channel_counts", electrician(), electrician_vacancy(70, eures_published_on=_days(-49)),
         CONDITIONAL, "route.other.publication_too_short"),
    case("never_published", electrician(), electrician_vacancy(None), INELIGIBLE,
         "route.none", "route.other.not_published", exact=False),
    case("other_route_in_belgium", electrician(in_belgium=True), electrician_vacancy(70), INELIGIBLE,
         "route.none", "route.other.candidate_in_belgium", exact=False),
    case("other_route_vks2_function_2026", electrician(), electrician_vacancy(70, function_vks_level=2),
         INELIGIBLE, "route.none", "route.other.function_low_skilled", exact=False),
    # A bachelor-level function published long enough is not medium-skilled: "other" stays closed, and
    # the publication is not offered as the fix (issue 12, item 1).
    case("other_route_bachelor_function", electrician(), electrician_vacancy(70, function_vks_level=6),
         INELIGIBLE, "route.none", "route.other.function_above_medium_skilled", exact=False),
    case("other_route_bachelor_function_published_7_weeks", electrician(),
         electrician_vacancy(49, function_vks_level=6), INELIGIBLE, "route.none",
         "route.other.function_above_medium_skilled", exact=False),
    case("other_route_vks4_function", electrician(), electrician_vacancy(70, function_vks_level=4),
         ELIGIBLE, route=OTHER),
]  # fmt: skip


def _codes(result: MatchResult) -> list[str]:
    return [r.code for r in result.reasons]


def _route(result: MatchResult, route: Route) -> RouteCheck:
    return next(check for check in result.routes if check.route is route)


def _reason(result: MatchResult, code: str) -> Reason:
    return next(r for r in result.reasons if r.code == code)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_rule(case: Case) -> None:
    result = evaluate(case.candidate, case.vacancy, case.facts)

    assert result.outcome is case.outcome, _codes(result)
    if case.exact:
        assert _codes(result) == list(case.reasons)
    else:
        assert set(case.reasons) <= set(_codes(result))
    if case.route is not None:
        assert _route(result, case.route).outcome is ELIGIBLE
    assert (result.score is None) == (case.outcome is INELIGIBLE)
    assert result.algorithm_version == ALGORITHM_VERSION


def test_palim_graduate_under_30_passes_on_the_reduced_threshold() -> None:
    result = evaluate(palim_ict_graduate(25), software_developer_vacancy(), flemish_reference())

    passed = dict(_route(result, Route.HIGHLY_SKILLED).reasons[0].params)
    assert passed["salary"] == "45000.00"
    assert passed["threshold"] == "39129.60"
    assert passed["threshold_category"] == "highly_skilled_reduced"
    assert passed["reduced_basis"] == "under_30"


def test_palim_graduate_at_34_fails_with_both_amounts() -> None:
    result = evaluate(palim_ict_graduate(34), software_developer_vacancy(), flemish_reference())

    check = _route(result, Route.HIGHLY_SKILLED)
    assert check.outcome is INELIGIBLE
    (failure,) = check.reasons
    assert failure.code == "route.highly_skilled.salary_below_threshold"
    assert dict(failure.params) == {
        "salary": "45000.00",
        "threshold": "48912.00",
        "threshold_category": "highly_skilled",
        "reduced_basis": "",
    }
    assert not failure.closable


def test_aurora_nurse_recognition_pending_is_under_way_and_uses_the_nurse_threshold() -> None:
    result = evaluate(aurora_nurse("B1", Recognition.REQUESTED), nurse_vacancy(), flemish_reference())

    pending = _reason(result, "recognition.pending")
    assert pending.closable and pending.under_way
    passed = dict(_route(result, Route.HIGHLY_SKILLED).reasons[0].params)
    assert passed["reduced_basis"] == "nursing_function"
    assert passed["threshold"] == "39129.60"


def test_aurora_nurse_in_care_below_vks5_keeps_the_highly_skilled_route() -> None:
    vacancy = care_assistant_vacancy(annual_salary_eur=monthly("2850"))
    result = evaluate(_aurora_care(), vacancy, flemish_reference(migration=frozenset()))

    passed = dict(_route(result, Route.HIGHLY_SKILLED).reasons[0].params)
    assert passed["nurse_in_care_exception"] is True
    # Not a nurse: the same function is below VKS 5 for a software graduate.
    other = dataclasses.replace(_aurora_care(), diplomas=(diploma(6, duration_years=4.0, field="0613"),))
    failed = evaluate(other, vacancy, flemish_reference(migration=frozenset()))
    assert "route.highly_skilled.function_below_vks5" in _codes(failed)


def test_truck_driver_loses_the_medium_skilled_route_in_2026() -> None:
    before = evaluate(truck_driver(), truck_driver_vacancy(), flemish_reference(ON_2025, vdab=NO_VDAB))
    after = evaluate(truck_driver(), truck_driver_vacancy(), flemish_reference(ON_2026, vdab=NO_VDAB))

    assert _route(before, Route.MEDIUM_SKILLED_SHORTAGE).outcome is ELIGIBLE
    assert dict(_route(before, Route.MEDIUM_SKILLED_SHORTAGE).reasons[0].params)["qualification_vks"] == 3
    assert [check.outcome for check in after.routes] == [INELIGIBLE] * 4
    assert _codes(after)[0] == "route.none"


def test_language_gap_with_a_course_says_what_closes_it_and_when() -> None:
    candidate = welder("A2", (course("nl", "B1", datetime.date(2026, 6, 30)),))
    result = evaluate(candidate, welder_vacancy(), flemish_reference())

    first = result.reasons[0]
    assert first.closable and first.under_way
    assert first.closes_by == "2026-06-30"
    assert dict(first.params) == {
        "language": "nl",
        "skill": "listening",
        "required": "B1",
        "actual": "A2",
        "course_target": "B1",
    }


def test_a_course_below_the_required_level_does_not_count_as_under_way() -> None:
    candidate = welder("A2", (course("nl", "A2", datetime.date(2026, 6, 30)),))
    result = evaluate(candidate, welder_vacancy(), flemish_reference())

    assert result.outcome is CONDITIONAL
    assert all(r.closable and not r.under_way and r.closes_by is None for r in result.reasons)


def test_a_three_level_gap_without_a_course_is_closable_with_an_estimate_of_the_study() -> None:
    result = evaluate(welder(""), welder_vacancy(), flemish_reference())

    assert result.outcome is CONDITIONAL and result.score is not None
    listening = result.reasons[0]
    assert dict(listening.params)["actual"] == ""
    assert listening.closable and not listening.under_way
    assert dict(listening.params)["study_months"] == 3 * STUDY_MONTHS_PER_CEFR_LEVEL  # none to B1


def test_a_language_gap_never_excludes_but_a_rule_no_training_closes_still_does() -> None:
    """A candidate with no Dutch at all is a near-miss; with a fee paid the same candidate is excluded."""
    no_dutch = welder("")
    assert evaluate(no_dutch, welder_vacancy(), flemish_reference()).outcome is CONDITIONAL
    paid = dataclasses.replace(no_dutch, has_unrepaid_candidate_paid_cost=True)
    assert evaluate(paid, welder_vacancy(), flemish_reference()).outcome is INELIGIBLE


def test_labour_market_test_under_way_closes_nine_weeks_after_publication() -> None:
    result = evaluate(electrician(), electrician_vacancy(49), flemish_reference())

    (reason,) = result.reasons
    assert reason.closable and reason.under_way
    assert reason.closes_by == (ON_2026 + datetime.timedelta(days=14)).isoformat()
    assert dict(reason.params)["days_published"] == 49


def test_out_of_scope_pairs_consider_no_route() -> None:
    result = evaluate(welder(nationalities=frozenset({"PL"})), welder_vacancy(), flemish_reference())

    assert result.routes == ()
    assert result.breakdown == ()
    assert dict(result.reasons[0].params) == {"nationalities": "PL"}


def test_every_route_is_reported_in_a_fixed_order() -> None:
    result = evaluate(welder(), welder_vacancy(), flemish_reference())

    # An employment: the four single-permit routes (an internship has the trainee route alone:
    # tests/internships/test_trainee_route.py).
    assert [check.route for check in result.routes] == [HS, BLUE, MEDIUM, OTHER]


@pytest.mark.parametrize(
    ("on", "months", "outcome"),
    [
        (datetime.date(2024, 3, 1), 8, INELIGIBLE),  # 12 months needed before 1 May 2024
        (datetime.date(2024, 6, 1), 8, ELIGIBLE),  # 6 months since
        (datetime.date(2024, 6, 1), 5, INELIGIBLE),
        (datetime.date(2024, 6, 1), None, CONDITIONAL),  # duration not stated yet
    ],
)
def test_blue_card_contract_length(on: datetime.date, months: int | None, outcome: Outcome) -> None:
    vacancy = software_developer_vacancy("70000", contract_type="fixed_term", contract_months=months)
    check = check_blue_card(palim_ict_graduate(34, on), vacancy, flemish_reference(on))

    assert check.outcome is outcome


def test_blue_card_threshold_of_2025() -> None:
    vacancy = software_developer_vacancy("63585.99")
    check = check_blue_card(palim_ict_graduate(34, ON_2025), vacancy, flemish_reference(ON_2025))

    assert check.outcome is INELIGIBLE
    assert dict(check.reasons[0].params) == {"salary": "63585.99", "threshold": "63586.00"}
    assert (
        check_blue_card(
            palim_ict_graduate(34, ON_2025), software_developer_vacancy("63586"), flemish_reference(ON_2025)
        ).outcome
        is ELIGIBLE
    )


def test_reduced_threshold_unknown_falls_back_to_the_full_one() -> None:
    """2019 had no reduced rate (domain.md 1.5): under 30 at or above the full threshold still passes."""
    on = datetime.date(2019, 6, 1)
    facts = flemish_reference(on, migration=frozenset())
    graduate = palim_ict_graduate(25, on)

    assert _route(
        evaluate(graduate, software_developer_vacancy("41868"), facts), Route.HIGHLY_SKILLED
    ).outcome is (ELIGIBLE)
    below = _route(evaluate(graduate, software_developer_vacancy("40000"), facts), Route.HIGHLY_SKILLED)
    assert [r.code for r in below.reasons] == ["route.threshold_unknown"]
    assert dict(below.reasons[0].params)["category"] == "highly_skilled_reduced"


def test_salary_is_compared_exactly() -> None:
    vacancy = software_developer_vacancy(annual_salary_eur=Decimal("39129.59"))
    result = evaluate(palim_ict_graduate(25), vacancy, flemish_reference())

    assert _route(result, Route.HIGHLY_SKILLED).outcome is INELIGIBLE
