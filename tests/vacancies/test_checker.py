"""The pre-publication checker without a database: table-driven cases over the pure function."""

import dataclasses
import datetime
from decimal import Decimal

import pytest

from vacancies.checker import (
    CheckReference,
    Finding,
    Severity,
    VacancyTerms,
    check_day,
    check_vacancy,
    monthly,
)

TODAY = datetime.date(2026, 3, 2)
START = datetime.date(2026, 9, 1)
THRESHOLDS_2026 = {
    "highly_skilled": Decimal("48912.00"),
    "highly_skilled_reduced": Decimal("39129.60"),
    "manager": Decimal("78259.00"),
    "eu_blue_card": Decimal("63586.00"),
}


def _terms(**changes: object) -> VacancyTerms:
    terms = VacancyTerms(
        region="VLG",
        gross_annual_salary_eur=Decimal("42000.00"),
        function_vks_level=4,
        contract_type="indefinite",
        contract_months=None,
        pay_category="skilled",
        is_secondment=False,
        start_date=START,
        language_requirement_count=1,
        weekly_hours=Decimal(38),
    )
    return dataclasses.replace(terms, **changes)  # type: ignore[arg-type]


def _reference(
    *, lists: frozenset[str] = frozenset({"migration_medium_skilled", "vdab_shortage"}), **changes: object
) -> CheckReference:
    reference = CheckReference(
        today=TODAY, day=START, thresholds=THRESHOLDS_2026, lists_known=True, occupation_list_kinds=lists
    )
    return dataclasses.replace(reference, **changes)  # type: ignore[arg-type]


def _codes(findings: tuple[Finding, ...]) -> list[str]:
    return [finding.code for finding in findings]


def _by_code(findings: tuple[Finding, ...], code: str) -> list[Finding]:
    return [finding for finding in findings if finding.code == code]


def test_a_listed_occupation_with_skilled_pay_is_not_blocked_by_a_salary_under_the_thresholds() -> None:
    result = check_vacancy(_terms(), _reference())
    assert not result.blocking
    assert set(result.open_routes) == {"medium_skilled_shortage", "other_vdab_list"}
    below = _by_code(result.findings, "salary.below_threshold")
    # Both salary routes are named with their threshold; they are warnings, other routes stay open.
    assert {f.params["route"] for f in below} == {"highly_skilled", "eu_blue_card"}
    assert {f.params["threshold"] for f in below} == {"48912.00", "63586.00"}
    assert all(f.severity == Severity.WARNING for f in below)
    highly = next(f for f in below if f.params["route"] == "highly_skilled")
    assert highly.params["threshold_monthly"] == "3513.79"  # 48,912 / 13.92
    assert highly.params["day"] == START.isoformat()


def test_an_unlisted_occupation_under_every_threshold_blocks_international_recruitment() -> None:
    result = check_vacancy(_terms(function_vks_level=6), _reference(lists=frozenset()))
    assert result.blocking
    assert result.open_routes == ()
    assert _codes(result.findings)[:3] == [
        "salary.below_threshold",
        "salary.below_threshold",
        "occupation.not_on_shortage_list",
    ]
    assert all(f.severity == Severity.BLOCKING for f in result.findings[:3])
    # One finding about the lists, not one per list.
    assert "occupation.not_on_migration_list" not in _codes(result.findings)


def test_a_salary_at_the_highly_skilled_threshold_opens_that_route_for_an_unlisted_occupation() -> None:
    result = check_vacancy(
        _terms(gross_annual_salary_eur=Decimal("48912.00"), function_vks_level=6),
        _reference(lists=frozenset()),
    )
    assert not result.blocking
    assert result.open_routes == ("highly_skilled",)
    listed = _by_code(result.findings, "occupation.not_on_shortage_list")
    assert [f.severity for f in listed] == [Severity.WARNING]
    # Blue Card still closed by its own, higher threshold: a warning.
    assert [f.params["route"] for f in _by_code(result.findings, "salary.below_threshold")] == [
        "eu_blue_card"
    ]


def test_the_reduced_threshold_is_information_only() -> None:
    result = check_vacancy(
        _terms(gross_annual_salary_eur=Decimal("40000.00"), function_vks_level=6),
        _reference(lists=frozenset()),
    )
    reduced = _by_code(result.findings, "salary.meets_reduced_threshold")
    assert [f.severity for f in reduced] == [Severity.INFO]
    assert reduced[0].params["threshold"] == "39129.60"
    # The route is not counted open on the reduced threshold: it depends on the candidate.
    assert result.blocking and result.open_routes == ()


def test_under_the_reduced_threshold_nothing_is_said_of_it() -> None:
    result = check_vacancy(_terms(gross_annual_salary_eur=Decimal("30000.00")), _reference())
    assert "salary.meets_reduced_threshold" not in _codes(result.findings)


def test_since_2026_a_highly_skilled_salary_needs_a_highly_skilled_function() -> None:
    well_paid = _terms(gross_annual_salary_eur=Decimal("50000.00"), function_vks_level=4)
    result = check_vacancy(well_paid, _reference(lists=frozenset()))
    assert result.blocking
    assert "function.below_highly_skilled_level" in _codes(result.findings)
    before = check_vacancy(
        dataclasses.replace(well_paid, start_date=datetime.date(2025, 9, 1)),
        _reference(lists=frozenset(), today=datetime.date(2025, 3, 1), day=datetime.date(2025, 9, 1)),
    )
    assert "highly_skilled" in before.open_routes and not before.blocking


def test_the_blue_card_needs_six_months_of_contract() -> None:
    terms = _terms(
        gross_annual_salary_eur=Decimal("70000.00"),
        function_vks_level=3,
        contract_type="fixed_term",
        contract_months=4,
    )
    result = check_vacancy(terms, _reference(lists=frozenset()))
    short = _by_code(result.findings, "contract.too_short_for_blue_card")
    assert [(f.params["months"], f.params["minimum"]) for f in short] == [(4, 6)]
    assert result.blocking  # the function level closes the highly skilled route too
    ok = check_vacancy(dataclasses.replace(terms, contract_months=6), _reference(lists=frozenset()))
    assert ok.open_routes == ("eu_blue_card",)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"pay_category": "unskilled"}, "pay.below_skilled_category"),
        ({"is_secondment": True}, "contract.secondment_excluded"),
    ],
)
def test_the_medium_skilled_route_needs_skilled_pay_and_no_secondment(
    changes: dict[str, object], code: str
) -> None:
    result = check_vacancy(_terms(**changes), _reference(lists=frozenset({"migration_medium_skilled"})))
    assert code in _codes(result.findings)
    assert result.blocking
    assert "occupation.not_on_vdab_list" in _codes(result.findings)  # as information


def test_the_other_route_needs_a_medium_function_level_from_2026() -> None:
    result = check_vacancy(_terms(function_vks_level=2), _reference(lists=frozenset({"vdab_shortage"})))
    finding = _by_code(result.findings, "function.below_other_route_level")
    assert [(f.params["level"], f.params["minimum"]) for f in finding] == [(2, 3)]
    assert result.blocking


def test_outside_flanders_nothing_else_about_routes_is_said() -> None:
    result = check_vacancy(_terms(region="BRU"), _reference())
    assert _codes(result.findings) == ["region.not_flanders"]
    assert result.blocking


def test_missing_reference_data_is_said_instead_of_guessed() -> None:
    result = check_vacancy(_terms(), _reference(thresholds={}, lists_known=False, lists=frozenset()))
    codes = _codes(result.findings)
    assert "reference.no_shortage_lists" in codes
    assert [f.params["route"] for f in _by_code(result.findings, "reference.no_threshold")] == [
        "highly_skilled",
        "eu_blue_card",
    ]
    assert not result.blocking  # nothing is known to block
    assert "occupation.not_on_shortage_list" not in codes
    assert "salary.below_threshold" not in codes


@pytest.mark.parametrize(
    ("start_date", "code"),
    [
        (None, "start_date.missing"),
        (datetime.date(2026, 2, 1), "start_date.past"),
        (datetime.date(2026, 4, 1), "start_date.before_permit_lead_time"),
        (datetime.date(2026, 6, 1), None),
    ],
)
def test_the_start_date(start_date: datetime.date | None, code: str | None) -> None:
    result = check_vacancy(_terms(start_date=start_date), _reference())
    start_codes = [c for c in _codes(result.findings) if c.startswith("start_date.")]
    assert start_codes == ([code] if code else [])
    assert all(f.severity == Severity.WARNING for f in result.findings if f.code.startswith("start_date."))


def test_no_language_requirement_is_a_warning() -> None:
    result = check_vacancy(_terms(language_requirement_count=0), _reference())
    assert [f.severity for f in _by_code(result.findings, "language.none_required")] == [Severity.WARNING]
    assert "language.none_required" not in _codes(check_vacancy(_terms(), _reference()).findings)


def test_a_well_written_vacancy_has_only_information_at_most() -> None:
    # No function opens all four routes: "highly skilled" needs VKS 5 or more, "other" at most VKS 4.
    terms = _terms(gross_annual_salary_eur=Decimal("65000.00"), function_vks_level=6)
    result = check_vacancy(terms, _reference(lists=frozenset({"migration_medium_skilled"})))
    assert [f.severity for f in result.findings] == [Severity.INFO]
    assert set(result.open_routes) == {"highly_skilled", "eu_blue_card", "medium_skilled_shortage"}


def test_the_other_route_is_closed_to_functions_above_medium_skilled() -> None:
    terms = _terms(gross_annual_salary_eur=Decimal("65000.00"), function_vks_level=6)
    result = check_vacancy(terms, _reference())
    assert [(f.code, f.severity, f.params) for f in result.findings] == [
        ("function.above_other_route_level", Severity.WARNING, {"level": 6, "maximum": 4})
    ]
    assert "other_vdab_list" not in result.open_routes
    assert not result.blocking  # the highly skilled and Blue Card routes stay open


def test_blocking_findings_come_first() -> None:
    result = check_vacancy(
        _terms(language_requirement_count=0, start_date=None), _reference(lists=frozenset())
    )
    severities = [f.severity for f in result.findings]
    order = {Severity.BLOCKING: 0, Severity.WARNING: 1, Severity.INFO: 2}
    assert severities == sorted(severities, key=order.__getitem__)
    assert severities[0] == Severity.BLOCKING


def test_the_checked_day_is_the_start_date_or_today() -> None:
    assert check_day(None, TODAY) == TODAY
    assert check_day(datetime.date(2020, 1, 1), TODAY) == TODAY
    assert check_day(START, TODAY) == START


def test_monthly_amounts_divide_by_13_92() -> None:
    assert monthly(Decimal("63586")) == Decimal("4567.96")


def test_a_route_without_a_recorded_threshold_is_unknown_and_nothing_is_called_blocking() -> None:
    only_highly_skilled = {"highly_skilled": THRESHOLDS_2026["highly_skilled"]}
    result = check_vacancy(
        _terms(function_vks_level=6), _reference(thresholds=only_highly_skilled, lists=frozenset())
    )
    assert result.open_routes == ()
    assert not result.blocking  # the Blue Card might be open: its threshold is not known
    assert [f.params["route"] for f in _by_code(result.findings, "reference.no_threshold")] == [
        "eu_blue_card"
    ]


def test_the_checker_imports_the_standard_library_only() -> None:
    """The checker is pure: no Django, no project code (so it runs, and is tested, without a database)."""
    import ast
    import sys
    from pathlib import Path

    import vacancies.checker

    tree = ast.parse(Path(vacancies.checker.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= sys.stdlib_module_names, imported - sys.stdlib_module_names


# --- The Belgian guaranteed minimum monthly income (issue 12, item 5) ---------------------------------

GMMI = Decimal("2111.89")  # full time, 38 hours a week


@pytest.mark.parametrize("region", ["VLG", "BRU"])
def test_a_salary_under_the_minimum_wage_prevents_publication_and_opens_no_route(region: str) -> None:
    # €1,500 a month for 38 hours, on both lists: the routes would be open on the vacancy's other terms.
    terms = _terms(gross_annual_salary_eur=Decimal("20880.00"), region=region)
    result = check_vacancy(terms, _reference(minimum_monthly_wage=GMMI))
    [finding] = _by_code(result.findings, "salary.below_minimum_wage")
    assert finding.severity == Severity.ERROR and result.findings[0] == finding
    assert finding.params == {
        "salary_monthly": "1500.00",
        "minimum_monthly": "2111.89",
        "hours": "38",
        "day": START.isoformat(),
    }
    assert result.refused
    assert result.open_routes == ()


@pytest.mark.parametrize(
    ("hours", "monthly_salary", "minimum", "under"),
    [
        ("19", "1055.94", "1055.95", True),  # half time: half the minimum
        ("19", "1055.95", "1055.95", False),
        ("30.5", "1695.00", "1695.07", True),
        ("45", "2400.00", "2500.92", True),  # more hours than full time: more than the full-time minimum
        ("38", "2111.89", "2111.89", False),  # exactly the minimum is allowed
    ],
)
def test_the_minimum_wage_is_compared_pro_rata_for_the_weekly_hours(
    hours: str, monthly_salary: str, minimum: str, under: bool
) -> None:
    annual = Decimal(monthly_salary) * Decimal("13.92")
    terms = _terms(gross_annual_salary_eur=annual, weekly_hours=Decimal(hours))
    result = check_vacancy(terms, _reference(minimum_monthly_wage=GMMI))
    found = _by_code(result.findings, "salary.below_minimum_wage")
    assert bool(found) is under and result.refused is under
    if found:
        assert found[0].params["minimum_monthly"] == minimum


def test_without_a_known_minimum_wage_nothing_is_refused() -> None:
    terms = _terms(gross_annual_salary_eur=Decimal("20880.00"))
    result = check_vacancy(terms, _reference(minimum_monthly_wage=None))
    assert not result.refused and "salary.below_minimum_wage" not in _codes(result.findings)
