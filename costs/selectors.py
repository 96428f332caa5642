"""Reads of the costs app: a case's costs and their totals per payer, the expected costs an employer sees
before it commits, the open incidents staff work through, and a partner agency's cases.

Every page reads in a fixed number of queries whatever the number of costs or cases: totals are summed
in the database, lists are paginated and joined (tests/costs/test_pages.py pins the counts).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Min, Q, QuerySet, Sum

from core.models import Organisation
from costs.models import CaseCost, CostHoldEvent, CostType, Payer
from recruitment.models import Placement, PlacementQuerySet
from recruitment.partner_scope import partner_placements
from recruitment.services.holds import CANDIDATE_PAID_COST

ZERO = Decimal("0.00")
# A case's cost that holds it: paid by the candidate, neither refunded nor voided (``CaseCost.is_incident``).
OPEN_CANDIDATE_COST = Q(
    costs__paid_by=Payer.CANDIDATE, costs__refunded_at__isnull=True, costs__voided_at__isnull=True
)


def case_costs(placement: Placement) -> QuerySet[CaseCost]:
    """The case's costs in the order they were recorded (voided ones too, marked), with who recorded,
    refunded and voided them."""
    return CaseCost.objects.filter(placement=placement).select_related(
        "recorded_by", "recorded_by_organisation", "refunded_by", "voided_by"
    )


def hold_events(placement: Placement) -> QuerySet[CostHoldEvent]:
    return CostHoldEvent.objects.filter(placement=placement).select_related("actor", "cost")


@dataclass(frozen=True)
class PayerTotal:
    payer: str
    label: str
    currency: str
    amount: Decimal
    refunded: Decimal  # of a candidate's total: what was refunded to them (zero for other payers)

    @property
    def outstanding(self) -> Decimal:
        """What the candidate still bears (the incident); zero for every other payer."""
        return self.amount - self.refunded if self.payer == Payer.CANDIDATE else ZERO


def totals_per_payer(placement: Placement) -> list[PayerTotal]:
    """The case's costs summed per payer and currency (one query), in the order of ``Payer``; a cost
    voided as recorded in error does not count."""
    rows = (
        CaseCost.objects.filter(placement=placement, voided_at__isnull=True)
        .order_by()
        .values("paid_by", "currency")
        .annotate(total=Sum("amount"), refunded=Sum("amount", filter=Q(refunded_at__isnull=False)))
    )
    labels = dict(Payer.choices)
    order = {payer: position for position, payer in enumerate(Payer.values)}
    totals = [
        PayerTotal(
            payer=row["paid_by"],
            label=str(labels[row["paid_by"]]),
            currency=row["currency"],
            amount=row["total"],
            refunded=row["refunded"] or ZERO,
        )
        for row in rows
    ]
    return sorted(totals, key=lambda total: (order[total.payer], total.currency))


@dataclass(frozen=True)
class ExpectedCost:
    """A cost every case of a vacancy abroad brings, and whether the employer declared it pays it."""

    cost_type: str
    label: str
    employer_pays: bool


def expected_costs(placement: Placement) -> list[ExpectedCost]:
    """The costs the vacancy's employer-pays declarations speak of (``Vacancy.employer_pays_*``), read
    from the case's vacancy (already loaded with the case: no query)."""
    vacancy = placement.vacancy
    labels = dict(CostType.choices)
    return [
        ExpectedCost(CostType.VISA_PERMIT, str(labels[CostType.VISA_PERMIT]), vacancy.employer_pays_visa),
        ExpectedCost(CostType.TRAVEL, str(labels[CostType.TRAVEL]), vacancy.employer_pays_travel),
        ExpectedCost(CostType.HOUSING, str(labels[CostType.HOUSING]), vacancy.employer_pays_housing),
    ]


@dataclass(frozen=True)
class CostOverview:
    """What an employer (and staff) see of a case's costs before an offer: the expected costs and who
    bears them, the recorded costs, the totals per payer, and whether the case is held."""

    expected: list[ExpectedCost]
    entries: list[CaseCost]
    totals: list[PayerTotal]
    attested: bool  # the employer signed the employer-pays attestation for this vacancy
    held: bool

    @property
    def undeclared(self) -> list[ExpectedCost]:
        return [cost for cost in self.expected if not cost.employer_pays]

    @property
    def candidate_charged(self) -> bool:
        return any(total.outstanding > 0 for total in self.totals)


def cost_overview(placement: Placement) -> CostOverview:
    """Two queries: the entries (not the voided ones: recorded in error) and the totals."""
    return CostOverview(
        expected=expected_costs(placement),
        entries=list(CaseCost.objects.filter(placement=placement, voided_at__isnull=True)),
        totals=totals_per_payer(placement),
        attested=placement.vacancy.employer_pays_attested,
        held=placement.held_since is not None,
    )


def open_incidents() -> PlacementQuerySet:
    """Cases held because a cost was charged to the candidate, the oldest hold first, with the number of
    unrefunded candidate-paid costs and when the first of those was recorded (the staff's compliance
    queue). The date is that of the costs that hold the case only: an employer-paid cost recorded
    earlier, or a cost already refunded or voided, says nothing about when the incident began."""
    open_cost = OPEN_CANDIDATE_COST
    return (
        Placement.objects.filter(held_since__isnull=False, hold_reason=CANDIDATE_PAID_COST)
        .select_related("vacancy", "vacancy__employer", "candidate", "candidate__registered_by")
        .annotate(
            open_costs=Count("costs", filter=open_cost),
            first_cost_at=Min("costs__recorded_at", filter=open_cost),
        )
        .order_by("held_since", "pk")
    )


def partner_cost_cases(*, organisation: Organisation) -> PlacementQuerySet:
    """The cases of a partner agency's candidates, the held ones first, with their number of costs."""
    return (
        partner_placements(organisation=organisation)
        .select_related("vacancy", "candidate")
        .annotate(
            cost_count=Count("costs"),
            open_costs=Count("costs", filter=OPEN_CANDIDATE_COST),
        )
        .order_by(F("held_since").asc(nulls_last=True), "-stage_changed_at", "pk")
    )


def incident_count() -> int:
    return open_incidents().count()


__all__ = [
    "CostOverview",
    "ExpectedCost",
    "PayerTotal",
    "case_costs",
    "cost_overview",
    "expected_costs",
    "hold_events",
    "incident_count",
    "open_incidents",
    "partner_cost_cases",
    "totals_per_payer",
]
