"""Demo data of the employer-costs pathway (docs/pathways/employer-costs.md): written only where missing,
so a second run adds nothing.

On the demo employer's cases of candidates registered by the demo partner agency (the "employer" and
"partner" logins):
- the proposed case: a travel cost the partner recorded as paid by the candidate, so the case is held
  and shows on the staff's cost alerts and the partner's list (the journey's starting point);
- the case at the interview: visa and travel paid by the employer, mentoring by the project, and a
  translation the candidate paid that staff recorded as refunded (the hold put on and lifted, logged).

Everything is written through ``costs.services``, as people would write it. A case that already has a
cost is left alone: that is what makes a second run add nothing.
"""

from decimal import Decimal

from core.models import User
from costs.models import CaseCost, CostType, Payer
from costs.services import case_cost_record, case_cost_refund
from recruitment.models import Placement


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).select_related("organisation").first()


def _case(employer: User, partner: User, *stages: str) -> Placement | None:
    """The demo employer's case of a candidate the demo partner registered at the first of ``stages``
    that has one (the oldest case there)."""
    for stage in stages:
        found = _case_at(employer, partner, stage)
        if found is not None:
            return found
    return None


def _case_at(employer: User, partner: User, stage: str) -> Placement | None:
    return (
        Placement.objects.filter(
            vacancy__employer_id=employer.organisation_id,
            candidate__registered_by_id=partner.organisation_id,
            stage=stage,
        )
        .select_related("candidate", "vacancy")
        .order_by("pk")
        .first()
    )


def seed_demo_costs() -> dict[str, int]:
    """Seed what shows the pathway; return how many rows of each kind were written (label -> count)."""
    recruiter, employer, partner = _user("recruiter"), _user("employer"), _user("partner")
    if recruiter is None or employer is None or partner is None:
        return {}
    written = 0
    S = Placement.Stage
    # A case past the employer's answers and interviews, which the demo walkthrough acts on (a held case
    # cannot move on): travel is typically paid between the permit and the arrival.
    held = _case(employer, partner, S.PERMIT_GRANTED, S.VISA, S.PERMIT_FILED, S.OFFER_ACCEPTED, S.RECOGNITION)
    if held is not None and not CaseCost.objects.filter(placement=held).exists():
        case_cost_record(
            placement=held,
            actor=partner,
            cost_type=CostType.TRAVEL,
            amount=Decimal("380.00"),
            currency="EUR",
            paid_by=Payer.CANDIDATE,
            payee="Travel agency in Casablanca",
            evidence="Flight ticket receipt shown by the candidate",
        )
        written += 1
    settled = _case(employer, partner, S.INTERVIEW, S.OFFER, S.OFFER_ACCEPTED)
    if settled is not None and not CaseCost.objects.filter(placement=settled).exists():
        for cost_type, amount, paid_by, payee in (
            (CostType.VISA_PERMIT, "358.00", Payer.EMPLOYER, "Belgian embassy"),
            (CostType.TRAVEL, "420.00", Payer.EMPLOYER, "Airline"),
            (CostType.MENTORING, "600.00", Payer.PROJECT, "Integration mentor"),
        ):
            case_cost_record(
                placement=settled,
                actor=recruiter,
                cost_type=cost_type,
                amount=Decimal(amount),
                currency="EUR",
                paid_by=paid_by,
                payee=payee,
                evidence="Invoice on file",
            )
            written += 1
        charged = case_cost_record(
            placement=settled,
            actor=partner,
            cost_type=CostType.TRANSLATION,
            amount=Decimal("95.00"),
            currency="EUR",
            paid_by=Payer.CANDIDATE,
            payee="Sworn translator",
            evidence="Receipt in the candidate's name",
        )
        case_cost_refund(entry=charged, actor=recruiter, evidence="Refunded by the employer: bank transfer")
        written += 1
    return {"case costs": written} if written else {}
