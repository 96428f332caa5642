"""Record a case's costs, and the refund of a cost charged to the candidate.

The employer-pays principle (docs/pathways/employer-costs.md): a cost recorded as paid by the candidate
puts the case on hold in the same transaction (``recruitment.services.holds``), so the case cannot move
on from the moment the breach is known; the hold is logged (``CostHoldEvent``) and the open incident is
listed for staff (``costs.selectors.open_incidents``) and for the candidate's partner agency. Staff lift
it by recording, with evidence, that every cost the candidate paid on the case was refunded, or by voiding
(with a reason) a cost recorded in error: the hold lifts once no cost the candidate paid is left neither
refunded nor voided.

Who may write: staff on any case; a partner agency's user on the cases of the candidates its organisation
registered and still sees (``recruitment.partner_scope``). Another organisation's case is refused before
anything is written (the views answer 404 before they get here). Refunds and voids, which lift a hold,
are for the public employment service's own staff only (``is_pes_staff``): not a project coordinator
employed by a partner agency, whose own candidates' cases a hold protects.

Every write locks the case's row first: two recordings, or a recording and a refund, on one case are
serialised, so the hold always reflects the entries that committed. Errors are ``CostError`` (a
``ValidationError``) with messages in the user's language; nothing is written when one is raised.
"""

import datetime
import logging
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from costs.models import CaseCost, CostHoldEvent, CostType, Payer
from recruitment.models import Placement
from recruitment.partner_scope import partner_placements
from recruitment.selectors import is_pes_staff
from recruitment.services.holds import CANDIDATE_PAID_COST, placement_hold, placement_release
from recruitment.services.placements import is_staff_actor

logger = logging.getLogger(__name__)

# The largest amount the column holds (10 digits, 2 after the point).
MAX_AMOUNT = Decimal("99999999.99")
CURRENCY = re.compile(r"^[A-Z]{3}$")


class CostError(ValidationError):
    """A cost or a refund the rules refuse; the message says why, in the user's language."""


def may_record_costs(*, placement: Placement, actor: User) -> bool:
    """Staff on every case; a partner agency's user on its own candidates' cases it still sees."""
    if is_staff_actor(actor):
        return True
    if actor.role != User.Role.PARTNER_USER or actor.organisation is None:
        return False
    return partner_placements(organisation=actor.organisation).filter(pk=placement.pk).exists()


def _clean(
    *, cost_type: str, amount: Decimal | str, currency: str, paid_by: str, payee: str, evidence: str
) -> tuple[Decimal, str]:
    errors: dict[str, list[str]] = {}
    if cost_type not in CostType.values:
        errors["cost_type"] = [_("Choose the kind of cost.")]
    if paid_by not in Payer.values:
        errors["paid_by"] = [_("Choose who pays this cost.")]
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        value = Decimal(0)
        errors["amount"] = [_("Enter the amount as a number.")]
    else:
        if not value.is_finite() or value <= 0:
            errors["amount"] = [_("The amount must be more than zero.")]
        elif value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
            errors["amount"] = [_("Enter an amount with at most two decimals, below 100 million.")]
    code = currency.strip().upper()
    if not CURRENCY.match(code):
        errors["currency"] = [_("Enter the currency as its three-letter code (EUR, MAD, INR).")]
    if len(payee) > 200:
        errors["payee"] = [_("At most 200 characters.")]
    if len(evidence) > 300:
        errors["evidence"] = [_("At most 300 characters.")]
    if errors:
        raise CostError(errors)
    return value, code


def case_cost_record(
    *,
    placement: Placement,
    actor: User,
    cost_type: str,
    amount: Decimal | str,
    currency: str,
    paid_by: str,
    payee: str = "",
    evidence: str = "",
    now: datetime.datetime | None = None,
) -> CaseCost:
    """Record one cost of ``placement`` and who pays it. A cost the candidate paid puts the case on hold
    in the same transaction (a case already held stays held) and logs the hold."""
    if not may_record_costs(placement=placement, actor=actor):
        raise CostError(_("You cannot record costs on this case."), code="forbidden")
    value, code = _clean(
        cost_type=cost_type, amount=amount, currency=currency, paid_by=paid_by, payee=payee, evidence=evidence
    )
    now = now or timezone.now()
    with transaction.atomic():
        Placement.objects.select_for_update().filter(pk=placement.pk).values_list("pk").first()
        entry = CaseCost.objects.create(
            placement=placement,
            cost_type=cost_type,
            amount=value,
            currency=code,
            paid_by=paid_by,
            payee=payee.strip(),
            evidence=evidence.strip(),
            recorded_at=now,
            recorded_by=actor,
            recorded_by_organisation_id=actor.organisation_id,
        )
        if paid_by == Payer.CANDIDATE and placement_hold(
            placement_id=placement.pk, reason=CANDIDATE_PAID_COST, at=now
        ):
            CostHoldEvent.objects.create(
                placement=placement, kind=CostHoldEvent.Kind.HELD, cost=entry, at=now, actor=actor
            )
            logger.info("case %s held: cost %s charged to the candidate", placement.pk, entry.pk)
    placement.refresh_from_db(fields=["held_since", "hold_reason"])
    return entry


def case_cost_refund(
    *, entry: CaseCost, actor: User, evidence: str, now: datetime.datetime | None = None
) -> CaseCost:
    """Record (staff only) that a cost the candidate paid was refunded to them, on ``evidence``. When no
    cost the candidate paid on the case is left unrefunded, the hold is lifted and the lift logged."""
    if not is_pes_staff(actor):
        raise CostError(_("Only staff of the public employment service record refunds."), code="forbidden")
    if entry.paid_by != Payer.CANDIDATE:
        raise CostError(_("Only a cost the candidate paid is refunded to them."), code="not_candidate_paid")
    evidence = evidence.strip()
    if not evidence:
        raise CostError({"refund_evidence": [_("Say what shows the refund (a bank statement, a receipt).")]})
    if len(evidence) > 300:
        raise CostError({"refund_evidence": [_("At most 300 characters.")]})
    now = now or timezone.now()
    with transaction.atomic():
        Placement.objects.select_for_update().filter(pk=entry.placement_id).values_list("pk").first()
        refunded = CaseCost.objects.filter(
            pk=entry.pk, refunded_at__isnull=True, voided_at__isnull=True
        ).update(refunded_at=now, refunded_by=actor, refund_evidence=evidence)
        if not refunded:
            if CaseCost.objects.filter(pk=entry.pk, voided_at__isnull=False).exists():
                raise CostError(_("This cost was voided: there is nothing to refund."), code="voided")
            raise CostError(_("This cost was already refunded."), code="already_refunded")
        _release_when_settled(entry, actor=actor, at=now)
    entry.refresh_from_db()
    return entry


def case_cost_void(
    *, entry: CaseCost, actor: User, reason: str, now: datetime.datetime | None = None
) -> CaseCost:
    """Void (staff of the public employment service only) a cost recorded in error, saying why. The row
    stays, marked voided with who and when, and no longer counts; when it was the last cost the
    candidate paid that is neither refunded nor voided, the hold is lifted and the lift logged, in the
    same transaction. A refunded cost is not voided: the money did go back to the candidate."""
    if not is_pes_staff(actor):
        raise CostError(_("Only staff of the public employment service void costs."), code="forbidden")
    reason = reason.strip()
    if not reason:
        raise CostError({"void_reason": [_("Say why this cost was recorded in error.")]})
    if len(reason) > 300:
        raise CostError({"void_reason": [_("At most 300 characters.")]})
    now = now or timezone.now()
    with transaction.atomic():
        Placement.objects.select_for_update().filter(pk=entry.placement_id).values_list("pk").first()
        voided = CaseCost.objects.filter(
            pk=entry.pk, refunded_at__isnull=True, voided_at__isnull=True
        ).update(voided_at=now, voided_by=actor, void_reason=reason)
        if not voided:
            if CaseCost.objects.filter(pk=entry.pk, refunded_at__isnull=False).exists():
                raise CostError(
                    _("This cost was refunded to the candidate: it cannot be voided."), code="refunded"
                )
            raise CostError(_("This cost was already voided."), code="already_voided")
        logger.info("cost %s of case %s voided by user %s", entry.pk, entry.placement_id, actor.pk)
        if entry.paid_by == Payer.CANDIDATE:
            _release_when_settled(entry, actor=actor, at=now)
    entry.refresh_from_db()
    return entry


def _release_when_settled(entry: CaseCost, *, actor: User, at: datetime.datetime) -> None:
    """Lift the case's cost hold, and log the lift, when no cost the candidate paid on it is left neither
    refunded nor voided. Inside the caller's transaction, the case's row locked."""
    left = CaseCost.objects.filter(
        placement_id=entry.placement_id,
        paid_by=Payer.CANDIDATE,
        refunded_at__isnull=True,
        voided_at__isnull=True,
    ).exists()
    if not left and placement_release(placement_id=entry.placement_id, reason=CANDIDATE_PAID_COST):
        CostHoldEvent.objects.create(
            placement_id=entry.placement_id, kind=CostHoldEvent.Kind.RELEASED, cost=entry, at=at, actor=actor
        )
        logger.info("case %s released: no cost charged to the candidate is left open", entry.placement_id)
