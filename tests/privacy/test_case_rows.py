"""The rows that hang from a case rather than from the candidate (a case's costs, a trainee's outcomes
after return): the model-registry walk from the candidate does not reach them, so the erasure and the
export handle them on their own (privacy.services.erasure, privacy.selectors)."""

import csv
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from costs.models import CaseCost, CostType, Payer
from internships.models import OutcomeUpdate, ReturnOutcome
from internships.services import outcome_record
from privacy import selectors
from privacy.export_formats import as_csv_zip
from privacy.services.erasure import candidate_erase
from recruitment.models import Placement
from tests.internships.cases import returned_case, staff

pytestmark = pytest.mark.django_db

NOTE = "Back in Sfax; Amel works for her cousin's shop"
PAYEE = "Amel's travel agent in Sfax"


def _returned_with_note_and_cost() -> tuple[Placement, Any]:
    recruiter = staff()
    case = returned_case(recruiter)
    outcome_record(
        placement=case,
        outcome=ReturnOutcome.EMPLOYED_AT_HOME,
        observed_on=timezone.localdate(),
        note=NOTE,
        actor=recruiter,
    )
    CaseCost.objects.create(
        placement=case,
        cost_type=CostType.TRAVEL,
        amount=Decimal("250.00"),
        paid_by=Payer.EMPLOYER,
        payee=PAYEE,
        evidence="Invoice 17",
        recorded_at=timezone.now(),
        recorded_by=recruiter,
        recorded_by_organisation=recruiter.organisation,
    )
    return case, recruiter


def test_erasing_a_returned_trainee_blanks_the_notes_on_their_outcomes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    case, recruiter = _returned_with_note_and_cost()

    with django_capture_on_commit_callbacks(execute=True):
        done = candidate_erase(candidate=case.candidate, by=recruiter)

    # A returned case went past the permit application: it is kept under the legal hold, without texts.
    assert done.legal_holds == [{"case": str(case.public_id), "stage": "returned"}]
    update = OutcomeUpdate.objects.get(placement=case)
    assert update.note == ""
    assert (update.outcome, update.observed_on) == (ReturnOutcome.EMPLOYED_AT_HOME, timezone.localdate())
    cost = CaseCost.objects.get(placement=case)
    assert (cost.payee, cost.evidence, cost.amount) == ("", "", Decimal("250.00"))


def test_the_export_holds_the_costs_and_the_outcomes_of_each_case() -> None:
    case, _recruiter = _returned_with_note_and_cost()

    with translation.override("en"):
        data = selectors.candidate_data_export(candidate=case.candidate)

    (row,) = data["cases"]
    (outcome,) = row["outcomes_after_return"]
    assert outcome["outcome"] == "employed_at_home" and outcome["note"] == NOTE
    assert outcome["observed_on"] == timezone.localdate().isoformat()
    assert "recorded_by" not in outcome  # a person (the staff member) is never named
    (cost,) = row["costs"]
    assert (cost["cost_type"], cost["amount"], cost["paid_by"], cost["payee"]) == (
        "travel",
        "250.00",
        "employer",
        PAYEE,
    )
    assert cost["recorded_by"] == "Public employment service"  # the kind of organisation, not its name
    assert "public_id" not in cost and "placement" not in cost
    # The CSV zip has a table of each, its rows naming their case's row.
    archive = zipfile.ZipFile(io.BytesIO(as_csv_zip(data)))
    outcomes = list(
        csv.DictReader(io.StringIO(archive.read("cases__outcomes_after_return.csv").decode("utf-8-sig")))
    )
    costs = list(csv.DictReader(io.StringIO(archive.read("cases__costs.csv").decode("utf-8-sig"))))
    assert [(r["cases_row"], r["note"]) for r in outcomes] == [("1", NOTE)]
    assert [(r["cases_row"], r["payee"]) for r in costs] == [("1", PAYEE)]
