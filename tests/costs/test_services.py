"""Recording a case's costs and refunds: a cost charged to the candidate holds the case at once, the case
cannot move on (except to close it), and only the refund of every such cost, with evidence, lifts it."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from core.models import User
from costs.models import CaseCost, CostHoldEvent, CostType, Payer
from costs.selectors import totals_per_payer
from costs.services import CostError, case_cost_record, case_cost_refund, case_cost_void
from recruitment.models import DecisionReason, Placement
from recruitment.services.holds import CANDIDATE_PAID_COST, placement_hold
from recruitment.services.placements import PlacementConflict, PlacementError, placement_move
from tests import factories
from tests.web.world import WebWorld, employer_user

pytestmark = pytest.mark.django_db


def _record(
    world: WebWorld, actor: User, *, paid_by: str = Payer.EMPLOYER, amount: str = "450.00"
) -> CaseCost:
    return case_cost_record(
        placement=world.placement,
        actor=actor,
        cost_type=CostType.TRAVEL,
        amount=amount,
        currency="eur",
        paid_by=paid_by,
        payee="Royal Air Maroc",
        evidence="Ticket 123",
    )


def _case(world: WebWorld) -> Placement:
    return Placement.objects.select_related("vacancy__occupation", "vacancy__employer", "candidate").get(
        pk=world.placement.pk
    )


def test_a_cost_the_employer_pays_is_recorded_and_holds_nothing(world: WebWorld) -> None:
    entry = _record(world, world.recruiter)
    assert (entry.amount, entry.currency, entry.recorded_by, entry.paid_by) == (
        Decimal("450.00"),
        "EUR",
        world.recruiter,
        Payer.EMPLOYER,
    )
    assert entry.recorded_by_organisation_id == world.recruiter.organisation_id
    assert _case(world).held_since is None
    assert not CostHoldEvent.objects.exists()


def test_a_cost_charged_to_the_candidate_holds_the_case_at_once(world: WebWorld, partner_user: User) -> None:
    entry = _record(world, partner_user, paid_by=Payer.CANDIDATE)
    case = _case(world)
    assert case.held_since is not None and case.hold_reason == CANDIDATE_PAID_COST
    event = CostHoldEvent.objects.get()
    assert (event.kind, event.cost, event.actor) == (CostHoldEvent.Kind.HELD, entry, partner_user)
    # A second one keeps the first hold (and logs nothing more).
    _record(world, partner_user, paid_by=Payer.CANDIDATE, amount="80")
    assert _case(world).held_since == case.held_since
    assert CostHoldEvent.objects.count() == 1


def test_a_held_case_cannot_move_on_but_can_be_withdrawn(world: WebWorld) -> None:
    _record(world, world.recruiter, paid_by=Payer.CANDIDATE)
    case = _case(world)
    employer = employer_user(world.employer_a)
    with translation.override("en"), pytest.raises(PlacementError) as refused:
        placement_move(
            placement=case, to_stage="employer_interested", actor=employer, expected_version=case.version
        )
    assert refused.value.code == "held"
    assert "on hold" in " ".join(refused.value.messages)
    assert _case(world).stage == Placement.Stage.PROPOSED
    withdrawn = placement_move(
        placement=case,
        to_stage="withdrawn",
        actor=world.recruiter,
        expected_version=case.version,
        reason=DecisionReason.CANDIDATE_WITHDREW,
    )
    assert withdrawn.stage == Placement.Stage.WITHDRAWN


def test_a_hold_put_on_after_the_page_was_read_wins_over_the_move(world: WebWorld) -> None:
    """The page was read before the hold (the object in memory is unheld): the UPDATE still refuses."""
    stale = _case(world)
    assert placement_hold(placement_id=stale.pk, reason=CANDIDATE_PAID_COST, at=timezone.now())
    with pytest.raises(PlacementError) as refused:
        placement_move(
            placement=stale,
            to_stage="employer_interested",
            actor=world.recruiter,
            expected_version=stale.version,
        )
    assert refused.value.code == "held"
    assert not isinstance(refused.value, PlacementConflict)
    assert _case(world).stage == Placement.Stage.PROPOSED


def test_the_refund_of_every_candidate_cost_lifts_the_hold(world: WebWorld) -> None:
    first = _record(world, world.recruiter, paid_by=Payer.CANDIDATE)
    second = _record(world, world.recruiter, paid_by=Payer.CANDIDATE, amount="75.50")
    case_cost_refund(entry=first, actor=world.recruiter, evidence="Bank transfer 2026-12-01")
    assert _case(world).held_since is not None, "one cost is still unrefunded"
    refunded = case_cost_refund(
        entry=second, actor=world.recruiter, evidence="Receipt signed by the candidate"
    )
    assert refunded.refunded_by == world.recruiter and refunded.refund_evidence.startswith("Receipt")
    case = _case(world)
    assert case.held_since is None and case.hold_reason == ""
    assert list(CostHoldEvent.objects.values_list("kind", flat=True)) == ["held", "released"]
    moved = placement_move(
        placement=case, to_stage="employer_interested", actor=world.recruiter, expected_version=case.version
    )
    assert moved.stage == Placement.Stage.EMPLOYER_INTERESTED


@pytest.mark.parametrize(
    ("who", "code"),
    [("partner", "forbidden"), ("employer", "forbidden")],
)
def test_only_staff_record_refunds(world: WebWorld, partner_user: User, who: str, code: str) -> None:
    entry = _record(world, world.recruiter, paid_by=Payer.CANDIDATE)
    actor = partner_user if who == "partner" else employer_user(world.employer_a)
    with pytest.raises(CostError) as refused:
        case_cost_refund(entry=entry, actor=actor, evidence="Bank transfer")
    assert refused.value.code == code
    entry.refresh_from_db()
    assert entry.refunded_at is None and _case(world).held_since is not None


def test_a_refund_needs_evidence_and_a_candidate_cost_and_happens_once(world: WebWorld) -> None:
    charged = _record(world, world.recruiter, paid_by=Payer.CANDIDATE)
    employer_paid = _record(world, world.recruiter)
    with pytest.raises(CostError) as no_evidence:
        case_cost_refund(entry=charged, actor=world.recruiter, evidence="  ")
    assert "refund_evidence" in no_evidence.value.error_dict
    with pytest.raises(CostError) as not_candidate:
        case_cost_refund(entry=employer_paid, actor=world.recruiter, evidence="x")
    assert not_candidate.value.code == "not_candidate_paid"
    case_cost_refund(entry=charged, actor=world.recruiter, evidence="Bank transfer")
    with pytest.raises(CostError) as again:
        case_cost_refund(entry=charged, actor=world.recruiter, evidence="Bank transfer")
    assert again.value.code == "already_refunded"
    assert CostHoldEvent.objects.filter(kind="released").count() == 1


def test_another_agencys_user_and_an_employer_cannot_record(world: WebWorld) -> None:
    stranger = factories.UserFactory.create(
        role=User.Role.PARTNER_USER, organisation=factories.OrganisationFactory.create(name="Partner Y")
    )
    for actor in (stranger, employer_user(world.employer_a)):
        with pytest.raises(CostError) as refused:
            _record(world, actor, paid_by=Payer.CANDIDATE)
        assert refused.value.code == "forbidden"
    assert not CaseCost.objects.exists() and _case(world).held_since is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "0"),
        ("amount", "-5"),
        ("amount", "abc"),
        ("amount", "1.005"),
        ("amount", "NaN"),
        ("currency", "EU"),
        ("currency", "€€€"),
        ("cost_type", "bribe"),
        ("paid_by", "nobody"),
    ],
)
def test_bad_input_is_refused_with_nothing_written(world: WebWorld, field: str, value: str) -> None:
    data: dict[str, Any] = {
        "cost_type": CostType.VISA_PERMIT,
        "amount": "200",
        "currency": "EUR",
        "paid_by": Payer.CANDIDATE,
        field: value,
    }
    with translation.override("en"), pytest.raises(CostError) as refused:
        case_cost_record(placement=world.placement, actor=world.recruiter, **data)
    assert field in refused.value.error_dict
    assert not CaseCost.objects.exists() and _case(world).held_since is None


def test_the_database_refuses_what_the_service_would(world: WebWorld) -> None:
    now = timezone.now()
    base = {"placement": world.placement, "cost_type": "travel", "currency": "EUR", "recorded_at": now}
    bad_rows = [
        {**base, "amount": Decimal("0"), "paid_by": "employer"},
        {**base, "amount": Decimal("5"), "paid_by": "employer", "refunded_at": now, "refund_evidence": "x"},
        {**base, "amount": Decimal("5"), "paid_by": "candidate", "refunded_at": now},
        {**base, "amount": Decimal("5"), "paid_by": "employer", "currency": "eur"},
        # A void names its reason, and a refunded cost is not voided.
        {**base, "amount": Decimal("5"), "paid_by": "candidate", "voided_at": now},
        {
            **base,
            "amount": Decimal("5"),
            "paid_by": "candidate",
            "refunded_at": now,
            "refund_evidence": "x",
            "voided_at": now,
            "void_reason": "y",
        },
    ]
    for row in bad_rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            CaseCost.objects.create(**row)


def test_a_hold_needs_a_reason(world: WebWorld) -> None:
    with pytest.raises(ValueError):
        placement_hold(placement_id=world.placement.pk, reason="", at=timezone.now())
    with pytest.raises((IntegrityError, ValidationError)), transaction.atomic():
        Placement.objects.filter(pk=world.placement.pk).update(held_since=timezone.now(), hold_reason="")


def _coordinator_of_a_partner_agency(world: WebWorld) -> User:
    """A project coordinator (a staff role) employed by the candidate's own partner agency, not by the
    public employment service."""
    return factories.UserFactory.create(role=User.Role.PROJECT_COORDINATOR, organisation=world.partner)


def test_a_coordinator_of_a_partner_agency_neither_refunds_nor_voids(world: WebWorld) -> None:
    entry = _record(world, world.recruiter, paid_by=Payer.CANDIDATE)
    coordinator = _coordinator_of_a_partner_agency(world)
    with pytest.raises(CostError) as refund_refused:
        case_cost_refund(entry=entry, actor=coordinator, evidence="Bank transfer")
    with pytest.raises(CostError) as void_refused:
        case_cost_void(entry=entry, actor=coordinator, reason="Typed on the wrong case")
    assert refund_refused.value.code == void_refused.value.code == "forbidden"
    entry.refresh_from_db()
    assert entry.refunded_at is None and entry.voided_at is None
    assert _case(world).held_since is not None
    assert CostHoldEvent.objects.filter(kind="released").count() == 0


def test_a_held_proposal_can_still_be_declined_by_the_employer(world: WebWorld) -> None:
    _record(world, world.recruiter, paid_by=Payer.CANDIDATE)
    case = _case(world)
    declined = placement_move(
        placement=case,
        to_stage="employer_declined",
        actor=employer_user(world.employer_a),
        expected_version=case.version,
        reason=DecisionReason.POSITION_FILLED,
    )
    assert declined.stage == Placement.Stage.EMPLOYER_DECLINED
    assert declined.held_since is not None, "stopping a case does not lift its hold"


def test_a_permit_refusal_is_recorded_on_a_held_case_but_no_new_filing(world: WebWorld) -> None:
    Placement.objects.filter(pk=world.placement.pk).update(stage="permit_filed")
    _record(world, world.recruiter, paid_by=Payer.CANDIDATE)
    case = _case(world)
    refused = placement_move(
        placement=case,
        to_stage="permit_refused",
        actor=world.recruiter,
        expected_version=case.version,
        reason=DecisionReason.PERMIT_REFUSED,
    )
    assert refused.stage == Placement.Stage.PERMIT_REFUSED
    # Filing the permit again takes the case further: refused while held.
    with pytest.raises(PlacementError) as held:
        placement_move(
            placement=refused,
            to_stage="permit_filed",
            actor=world.recruiter,
            expected_version=refused.version,
        )
    assert held.value.code == "held"


def test_voiding_a_cost_recorded_in_error_keeps_the_row_and_lifts_the_hold_when_it_was_the_last(
    world: WebWorld,
) -> None:
    refunded = _record(world, world.recruiter, paid_by=Payer.CANDIDATE, amount="80")
    mistaken = _record(world, world.recruiter, paid_by=Payer.CANDIDATE)
    case_cost_refund(entry=refunded, actor=world.recruiter, evidence="Bank transfer")
    assert _case(world).held_since is not None, "the mistaken cost still holds the case"

    voided = case_cost_void(entry=mistaken, actor=world.recruiter, reason="  The employer paid this ticket  ")

    assert (voided.voided_by, voided.void_reason) == (world.recruiter, "The employer paid this ticket")
    assert voided.voided_at is not None and voided.refunded_at is None and not voided.is_incident
    assert CaseCost.objects.filter(pk=mistaken.pk).exists(), "a voided cost is kept, marked"
    case = _case(world)
    assert case.held_since is None and case.hold_reason == ""
    released = CostHoldEvent.objects.get(kind="released")
    assert (released.cost, released.actor) == (voided, world.recruiter)
    # It no longer counts: the candidate's total is the refunded cost alone.
    assert [(total.amount, total.outstanding) for total in totals_per_payer(case)] == [
        (Decimal("80.00"), Decimal("0.00"))
    ]


def test_voiding_one_of_two_open_candidate_costs_keeps_the_hold(world: WebWorld) -> None:
    first = _record(world, world.recruiter, paid_by=Payer.CANDIDATE)
    _record(world, world.recruiter, paid_by=Payer.CANDIDATE, amount="75")
    case_cost_void(entry=first, actor=world.recruiter, reason="Recorded twice")
    assert _case(world).held_since is not None
    assert not CostHoldEvent.objects.filter(kind="released").exists()


def test_a_void_needs_a_reason_happens_once_and_never_after_a_refund(world: WebWorld) -> None:
    charged = _record(world, world.recruiter, paid_by=Payer.CANDIDATE)
    employer_paid = _record(world, world.recruiter)
    with translation.override("en"), pytest.raises(CostError) as no_reason:
        case_cost_void(entry=charged, actor=world.recruiter, reason="   ")
    assert "void_reason" in no_reason.value.error_dict
    # Any payer's cost recorded in error is voided; the hold is not touched by an employer's cost.
    case_cost_void(entry=employer_paid, actor=world.recruiter, reason="Wrong case")
    assert _case(world).held_since is not None
    with pytest.raises(CostError) as again:
        case_cost_void(entry=employer_paid, actor=world.recruiter, reason="Wrong case")
    assert again.value.code == "already_voided"
    case_cost_refund(entry=charged, actor=world.recruiter, evidence="Bank transfer")
    with pytest.raises(CostError) as after_refund:
        case_cost_void(entry=charged, actor=world.recruiter, reason="Oops")
    assert after_refund.value.code == "refunded"


def test_a_voided_cost_is_not_refunded(world: WebWorld) -> None:
    first = _record(world, world.recruiter, paid_by=Payer.CANDIDATE)
    case_cost_void(entry=first, actor=world.recruiter, reason="Recorded on the wrong case")
    with pytest.raises(CostError) as refused:
        case_cost_refund(entry=first, actor=world.recruiter, evidence="Bank transfer")
    assert refused.value.code == "voided"
    first.refresh_from_db()
    assert first.refunded_at is None


@pytest.mark.parametrize("who", ["partner", "employer"])
def test_only_pes_staff_void(world: WebWorld, partner_user: User, who: str) -> None:
    entry = _record(world, world.recruiter, paid_by=Payer.CANDIDATE)
    actor = partner_user if who == "partner" else employer_user(world.employer_a)
    with pytest.raises(CostError) as refused:
        case_cost_void(entry=entry, actor=actor, reason="Mistake")
    assert refused.value.code == "forbidden"
    entry.refresh_from_db()
    assert entry.voided_at is None and _case(world).held_since is not None
