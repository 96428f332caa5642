"""What an employer's proposal page explains: whether a permit route is open, never why on the
candidate's side (issue 12). The reduced highly skilled threshold applies under 30: a page that says
"highly skilled: passes" at a salary below the full threshold tells the employer an age."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from candidates.models import Candidate, Consent, Diploma, WorkExperience
from candidates.services import candidate_profile_changed
from core.models import Organisation
from recruitment.models import Match, Placement
from recruitment.services.placements import placement_propose, placement_shortlist
from reference.models import EscoOccupation, SalaryThreshold
from tests import factories
from tests.web.world import WebWorld, published_vacancy, recompute
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def _developer() -> EscoOccupation:
    """An occupation on no shortage list: only the highly skilled route can open."""
    return factories.EscoOccupationFactory.create(
        label_en="software developer", isco_group=factories.isco_unit_group("2512")
    )


def _candidate(age: int, occupation: EscoOccupation, employer: Organisation) -> Candidate:
    """A master's graduate with three years as a developer, consenting to be shown to ``employer``."""
    today = timezone.localdate()
    born = today.replace(year=today.year - age) - datetime.timedelta(days=40)
    candidate = factories.CandidateFactory.create(date_of_birth=born, given_name="Kenza")
    Diploma.objects.create(
        candidate=candidate,
        title="Master informatique",
        institution="Université Mohammed V",
        country="MA",
        isced_level=7,
        field="0613",
    )
    WorkExperience.objects.create(
        candidate=candidate,
        occupation=occupation,
        country="MA",
        started_on=today - datetime.timedelta(days=3 * 365),
    )
    factories.ConsentFactory.create(
        candidate=candidate, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient=employer
    )
    candidate_profile_changed(candidate.pk)
    return candidate


def _proposed(world: WebWorld, candidate: Candidate, vacancy: Vacancy) -> Placement:
    recompute(vacancy)
    assert Match.objects.get(vacancy=vacancy, candidate=candidate).outcome == Match.Outcome.ELIGIBLE
    placement = placement_shortlist(vacancy=vacancy, candidate=candidate, actor=world.recruiter)
    return placement_propose(placement=placement, actor=world.recruiter, expected_version=placement.version)


def _explanation_panel(client: Client, placement: Placement) -> str:
    page = client.get(f"/en/employer/proposals/{placement.public_id}/")
    assert page.status_code == 200
    panel = re.search(
        r'<section class="panel" aria-labelledby="explanation-title">.*?</section>', page.text, re.S
    )
    assert panel is not None
    return re.sub(r"\s+", " ", panel.group(0))


def _permit_part(panel: str) -> str:
    return panel.split("Permit routes", 1)[1]


def test_an_employer_cannot_read_an_age_in_a_route_that_opens_on_the_reduced_threshold(
    world: WebWorld, employer_a: Client
) -> None:
    thresholds = dict(SalaryThreshold.objects.values_list("category", "annual_gross_eur"))
    reduced, full = thresholds["highly_skilled_reduced"], thresholds["highly_skilled"]
    between = (reduced + full) / 2
    developer = _developer()
    vacancy = published_vacancy(
        world.employer_a,
        occupation=developer,
        function_vks_level=6,
        gross_annual_salary_eur=between.quantize(Decimal("0.01")),
        pay_category=Vacancy.PayCategory.HIGHLY_SKILLED,
    )
    young = _proposed(world, _candidate(25, developer, world.employer_a), vacancy)

    panel = _explanation_panel(employer_a, young)
    for hint in ("30", "reduced", "Reduced", "threshold", "€", "Highly skilled"):
        assert hint not in panel, hint
    for amount in (reduced, full, between):
        assert f"{amount:,.0f}" not in panel
    # The welder of the world qualifies on the medium-skilled route, with no age in it: the employer reads
    # the very same about the permit.
    assert _permit_part(panel) == _permit_part(_explanation_panel(employer_a, world.placement))
    assert "A single-permit route is open for this candidate." in panel
