"""Erasing a candidate (privacy.services.erasure) covers the costs of their cases: a case that is deleted
takes its costs and hold log with it; a case kept under a legal hold keeps its amounts and payers, the
free texts (payee, evidence, refund evidence) blanked."""

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from costs.models import CaseCost, CostHoldEvent, CostType, Payer
from costs.services import case_cost_record, case_cost_refund
from privacy.services.erasure import candidate_erase
from recruitment.models import Placement, PlacementTransition
from recruitment.services.placements import placement_propose, placement_shortlist
from tests.web.world import WebWorld, matched_candidate, published_vacancy, stored_match

pytestmark = pytest.mark.django_db

NAME_TEXT = "Youssef Alaoui's own bank account"


def _costs(world: WebWorld, placement: Placement) -> None:
    charged = case_cost_record(
        placement=placement,
        actor=world.recruiter,
        cost_type=CostType.TRAVEL,
        amount=Decimal("300"),
        currency="EUR",
        paid_by=Payer.CANDIDATE,
        payee=NAME_TEXT,
        evidence=NAME_TEXT,
    )
    case_cost_refund(entry=charged, actor=world.recruiter, evidence=NAME_TEXT)


def test_erasure_deletes_or_blanks_the_costs_of_the_candidates_cases(
    world: WebWorld, django_capture_on_commit_callbacks: Any
) -> None:
    candidate = world.candidate
    # A second case of the same candidate that reached the permit application: kept under a legal hold.
    other = published_vacancy(world.employer_a)
    stored_match(other, candidate)
    kept = placement_shortlist(vacancy=other, candidate=candidate, actor=world.recruiter)
    kept = placement_propose(placement=kept, actor=world.recruiter, expected_version=kept.version)
    PlacementTransition.objects.create(
        placement=kept, from_stage="offer_accepted", to_stage="permit_filed", at=timezone.now()
    )
    _costs(world, world.placement)
    _costs(world, kept)
    bystander = matched_candidate(world.vacancy, given_name="Other", family_name="Person")
    stored_match(world.vacancy, bystander)
    bystander_case = placement_shortlist(vacancy=world.vacancy, candidate=bystander, actor=world.recruiter)
    _costs(world, bystander_case)

    with django_capture_on_commit_callbacks(execute=True):
        candidate_erase(candidate=candidate, by=world.recruiter)

    assert not CaseCost.objects.filter(placement_id=world.placement.pk).exists()
    assert not CostHoldEvent.objects.filter(placement_id=world.placement.pk).exists()
    left = CaseCost.objects.get(placement=kept)
    assert (left.amount, left.paid_by, left.refunded_at is not None) == (Decimal("300.00"), "candidate", True)
    assert NAME_TEXT not in (left.payee, left.evidence, left.refund_evidence)
    assert left.refund_evidence, "a refund keeps a (blanked) evidence: the database requires one"
    assert CaseCost.objects.get(placement=bystander_case).payee == NAME_TEXT  # someone else's: untouched
