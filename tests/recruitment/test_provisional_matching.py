"""The matching applies the latest published thresholds and lists when the day's are not published yet,
and its explanation says they are provisional (issue 12, item 4)."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from recruitment.adapters import reference_facts_on
from recruitment.explanations import explain_data, reason_sentence
from recruitment.matching.engine import evaluate
from recruitment.matching.facts import ThresholdCategory
from reference.models import SalaryThreshold, ShortageList, ShortageListEntry, ShortageListOccupation
from tests import factories
from tests.recruitment.matching.builders import (
    ON_2026,
    flemish_reference,
    palim_ict_graduate,
    software_developer_vacancy,
)


@pytest.mark.django_db
def test_reference_facts_after_the_last_published_period_use_it_provisionally() -> None:
    today = timezone.localdate()
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    SalaryThreshold.objects.create(
        region="VLG",
        category="highly_skilled",
        valid_from=start,
        valid_to=end,
        annual_gross_eur=Decimal(48912),
    )
    occupation = factories.EscoOccupationFactory.create()
    vdab = ShortageList.objects.create(
        kind="vdab_shortage", region="VLG", title="V", valid_from=start, valid_to=end
    )
    entry = ShortageListEntry.objects.create(shortage_list=vdab, title_nl="lasser")
    ShortageListOccupation.objects.create(entry=entry, occupation=occupation)

    facts = reference_facts_on(end + datetime.timedelta(days=45))

    assert facts.threshold(ThresholdCategory.HIGHLY_SKILLED) == Decimal("48912.00")
    assert facts.vdab_list_occupation_ids == frozenset({occupation.pk})
    assert facts.provisional == (
        ("highly_skilled", start.isoformat(), end.isoformat()),
        ("vdab_shortage", start.isoformat(), end.isoformat()),
    )
    assert reference_facts_on(end).provisional == ()


def test_the_route_reasons_carry_the_flag_and_the_explanation_says_provisional() -> None:
    facts = dataclasses.replace(
        flemish_reference(ON_2026),
        provisional=(
            ("eu_blue_card", "2025-01-01", "2025-12-31"),
            ("highly_skilled", "2025-01-01", "2025-12-31"),
        ),
    )
    result = evaluate(palim_ict_graduate(), software_developer_vacancy(salary="70000"), facts)
    routes = {check.route.value: check for check in result.routes}
    passed = routes["eu_blue_card"].reasons[0]
    assert passed.code == "route.blue_card.passed"
    assert dict(passed.params)["provisional"] == "2025-01-01/2025-12-31"
    with translation.override("en"):
        explanation = explain_data(result.as_dict(), on=ON_2026)
    blue_card = next(route for route in explanation.routes if route.code == "eu_blue_card")
    assert blue_card.reasons[0].sentence.endswith(
        "The salary thresholds of 2025 apply provisionally: those for 2026 are not published yet."
    )


def test_a_reason_stored_before_the_flag_still_renders_without_it() -> None:
    old = {
        "code": "route.blue_card.salary_below_threshold",
        "params": {"salary": "40000", "threshold": "63586"},
    }
    with translation.override("en"):
        sentence = reason_sentence(old, on=ON_2026)
    assert sentence.startswith("Salary") and "provisional" not in sentence
