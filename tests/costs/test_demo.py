"""The seeded demo shows the pathway: a held case on the staff's cost alerts and the partner's list, a
settled case whose overview the demo employer reads; a second seed adds nothing."""

import pytest
from django.core.management import call_command
from django.test import Client

from core.models import User
from costs.models import CaseCost, CostHoldEvent, Payer
from demo.pathway_costs import seed_demo_costs
from recruitment.models import Placement
from tests.web.world import verified_client

pytestmark = pytest.mark.django_db

SCALE = {"candidates": 80, "vacancies": 12, "employers": 2, "seed": 7}


def test_the_demo_shows_a_held_case_and_a_settled_one() -> None:
    call_command("seed_demo", verbosity=0, **SCALE)
    held = Placement.objects.get(costs__paid_by=Payer.CANDIDATE, costs__refunded_at__isnull=True)
    assert held.held_since is not None
    settled = Placement.objects.filter(costs__refunded_at__isnull=False).distinct().get()
    assert settled.held_since is None
    assert sorted(settled.costs.values_list("paid_by", flat=True)) == sorted(
        [Payer.EMPLOYER, Payer.EMPLOYER, Payer.PROJECT, Payer.CANDIDATE]
    )
    assert list(CostHoldEvent.objects.filter(placement=settled).values_list("kind", flat=True)) == [
        "held",
        "released",
    ]
    rows = CaseCost.objects.count()
    assert seed_demo_costs() == {} and CaseCost.objects.count() == rows  # a second run adds nothing

    recruiter = verified_client(User.objects.get(username="recruiter"))
    assert str(held.candidate) in recruiter.get("/en/recruiter/costs/").text
    partner = Client()
    partner.force_login(User.objects.get(username="partner"))
    assert "on hold: 1 cost to refund" in partner.get("/en/partner/costs/").text
    employer = Client()
    employer.force_login(User.objects.get(username="employer"))
    overview = employer.get(f"/en/employer/costs/cases/{settled.public_id}/")
    assert overview.status_code == 200 and 'id="cost-totals"' in overview.text
