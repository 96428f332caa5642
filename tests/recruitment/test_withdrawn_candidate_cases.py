"""A candidate who withdrew from the programme (their own request, through their partner agency) is hidden
from every employer at once, like a withdrawn consent, and cannot be proposed again; erased ones too."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from candidates.models import Candidate
from candidates.services import candidate_withdraw
from recruitment.models import Placement
from recruitment.selectors import placements_visible_to
from recruitment.services.placements import placement_propose, placement_shortlist
from tests.web.world import WebWorld, build_web_world, employer_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> WebWorld:
    return build_web_world()


def _employer_sees(world: WebWorld) -> bool:
    return placements_visible_to(user=employer_user(world.employer_a)).filter(pk=world.placement.pk).exists()


def test_a_withdrawn_candidate_s_case_leaves_the_employer_s_view_and_stays_with_the_recruiter(
    world: WebWorld,
) -> None:
    assert _employer_sees(world)
    candidate_withdraw(candidate=world.candidate)
    assert not _employer_sees(world)
    # Human work is kept: the case is still at its stage for the recruiter.
    assert placements_visible_to(user=world.recruiter).filter(pk=world.placement.pk).exists()
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.PROPOSED


def test_an_erased_candidate_s_case_leaves_the_employer_s_view(world: WebWorld) -> None:
    Candidate.objects.filter(pk=world.candidate.pk).update(status=Candidate.Status.ANONYMISED)
    assert not _employer_sees(world)


@pytest.mark.parametrize("status", [Candidate.Status.WITHDRAWN, Candidate.Status.ANONYMISED])
def test_a_candidate_who_left_cannot_be_proposed(world: WebWorld, status: str) -> None:
    shortlisted = placement_shortlist(vacancy=world.vacancy, candidate=world.near_miss, actor=world.recruiter)
    Candidate.objects.filter(pk=world.near_miss.pk).update(status=status, withdrawn_at=timezone.now())
    shortlisted.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        placement_propose(placement=shortlisted, actor=world.recruiter, expected_version=shortlisted.version)
    assert refused.value.code == "withdrawn"
    shortlisted.refresh_from_db()
    assert shortlisted.proposed_at is None
