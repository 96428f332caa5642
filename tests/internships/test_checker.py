"""The pre-publication checker on an internship: the trainee rules, not the single-permit routes (no
database), and the sentences the employer and the recruiter read."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from recruitment.vacancy_findings import findings_view
from vacancies.checker import CheckReference, Severity, VacancyTerms, check_vacancy

TODAY = datetime.date(2026, 3, 2)
START = datetime.date(2026, 9, 1)


def _terms(**changes: object) -> VacancyTerms:
    terms = VacancyTerms(
        region="VLG",
        gross_annual_salary_eur=Decimal("29232.00"),  # 2,100 a month: under every single-permit threshold
        function_vks_level=6,
        contract_type="fixed_term",
        contract_months=6,
        pay_category="",
        is_secondment=False,
        start_date=START,
        language_requirement_count=1,
        weekly_hours=Decimal(38),
        kind="internship",
    )
    return dataclasses.replace(terms, **changes)  # type: ignore[arg-type]


def _reference(**changes: object) -> CheckReference:
    reference = CheckReference(
        today=TODAY,
        day=START,
        thresholds={"highly_skilled": Decimal("48912.00"), "eu_blue_card": Decimal("63586.00")},
        lists_known=True,
        occupation_list_kinds=frozenset(),  # on no shortage list: every employment route would close
        minimum_monthly_wage=Decimal("2070.48"),
    )
    return dataclasses.replace(reference, **changes)  # type: ignore[arg-type]


def test_an_internship_is_checked_against_the_trainee_rules_only() -> None:
    result = check_vacancy(_terms(), _reference())

    assert result.open_routes == ("trainee",)
    assert not result.blocking and not result.refused
    codes = [finding.code for finding in result.findings]
    assert codes == ["trainee.route_applies"]  # no salary threshold, no shortage list: not its rules
    # The same terms as an employment are blocked: no single-permit route opens.
    assert check_vacancy(_terms(kind="employment"), _reference()).blocking


@pytest.mark.parametrize(
    ("months", "severity"),
    # Outside 3-6 months: a warning to confirm, never a block (the sources disagree on the duration).
    [(None, Severity.WARNING), (2, Severity.WARNING), (3, None), (6, None), (9, Severity.WARNING)],
)
def test_the_internship_lasts_three_to_six_months(months: int | None, severity: Severity | None) -> None:
    result = check_vacancy(_terms(contract_months=months), _reference())

    duration = [f for f in result.findings if f.code.startswith("trainee.duration")]
    assert [f.severity for f in duration] == ([] if severity is None else [severity])
    assert result.open_routes == ("trainee",) and not result.blocking


def test_part_time_and_low_pay_are_warnings_to_check_never_a_refusal() -> None:
    """The sources agree on full time but not on the week's hours per sector, and disagree on a
    trainee's minimum pay: both are shown as things to check, not as law."""
    result = check_vacancy(
        _terms(weekly_hours=Decimal(30), gross_annual_salary_eur=Decimal("20000.00")), _reference()
    )

    by_code = {finding.code: finding.severity for finding in result.findings}
    assert by_code["trainee.not_full_time"] == Severity.WARNING
    assert by_code["trainee.pay_below_minimum_wage"] == Severity.WARNING
    assert "salary.below_minimum_wage" not in by_code and not result.refused
    # An employment at that pay cannot be published at all.
    assert check_vacancy(
        _terms(kind="employment", gross_annual_salary_eur=Decimal("20000.00")), _reference()
    ).refused


def test_every_trainee_finding_reads_as_a_sentence() -> None:
    result = check_vacancy(
        _terms(contract_months=9, weekly_hours=Decimal(30), gross_annual_salary_eur=Decimal("20000.00")),
        _reference(),
    )
    with translation.override("en"):
        view = findings_view(result)

    texts = " ".join(line.sentence for line in view.lines)
    assert "not against the single-permit routes" in texts
    assert "lasts 9 months" in texts
    # The duration is not stated as law: the sources differ, the authority confirms it.
    assert "sources we checked differ" in texts and "confirm the duration with the Flemish work" in texts
    assert "not settled by the sources" in texts
    assert not any(line.sentence.startswith("trainee.") for line in view.lines)  # no code shown raw
    with translation.override("en"):
        assert findings_view(check_vacancy(_terms(), _reference())).open_routes == ["Trainee (internship)"]
