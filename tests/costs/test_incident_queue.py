"""The staff's compliance queue dates each held case by its first cost that holds it: a cost charged to
the candidate and neither refunded nor voided, never an earlier cost the employer paid."""

import datetime

import pytest
from django.utils import timezone

from core.models import User
from costs.models import CaseCost, CostType, Payer
from costs.selectors import open_incidents
from costs.services import case_cost_record
from tests.web.world import WebWorld

pytestmark = pytest.mark.django_db


def _record(world: WebWorld, actor: User, paid_by: str) -> CaseCost:
    return case_cost_record(
        placement=world.placement,
        actor=actor,
        cost_type=CostType.TRAVEL,
        amount="450.00",
        currency="EUR",
        paid_by=paid_by,
        payee="Royal Air Maroc",
        evidence="Ticket 123",
    )


def test_an_earlier_employer_paid_cost_does_not_date_the_incident(
    world: WebWorld, partner_user: User
) -> None:
    now = timezone.now()
    employer_paid = _record(world, world.recruiter, Payer.EMPLOYER)
    charged = _record(world, partner_user, Payer.CANDIDATE)
    CaseCost.objects.filter(pk=employer_paid.pk).update(recorded_at=now - datetime.timedelta(days=10))
    CaseCost.objects.filter(pk=charged.pk).update(recorded_at=now - datetime.timedelta(days=2))

    (incident,) = open_incidents()
    annotated = vars(incident)  # the queue's annotations (not model fields)
    assert (incident.pk, annotated["open_costs"]) == (world.placement.pk, 1)
    assert annotated["first_cost_at"] == now - datetime.timedelta(days=2)
