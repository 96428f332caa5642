"""A candidate who withdrew from the programme (their own request, through their partner agency) is hidden
from every employer at once, like a withdrawn consent, and cannot be proposed again; erased ones too."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.models import Candidate, Consent
from candidates.services import candidate_withdraw
from recruitment.models import Match, Placement
from recruitment.selectors import placements_visible_to
from recruitment.selectors.proposals import consenting_to_share, proposal_refusal, with_consent_to_share
from recruitment.services.placements import placement_propose, placement_shortlist
from tests import factories
from tests.web.world import WebWorld, build_web_world, employer_user, matched_candidate, stored_match

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


@pytest.mark.parametrize("status", [Candidate.Status.WITHDRAWN, Candidate.Status.RESTRICTED])
def test_the_vacancy_page_offers_no_box_for_a_shortlisted_candidate_who_left(
    world: WebWorld, status: str
) -> None:
    """The preview of the bulk proposal says what ``placement_propose`` would: before the recompute
    drops the match, a shortlisted candidate who withdrew or is restricted has no box to tick."""
    shortlisted = placement_shortlist(vacancy=world.vacancy, candidate=world.near_miss, actor=world.recruiter)
    now = timezone.now()
    Candidate.objects.filter(pk=world.near_miss.pk).update(status=status, withdrawn_at=now, restricted_at=now)
    shown = proposal_refusal(_match(world), shortlisted, world.vacancy)
    shortlisted.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        placement_propose(placement=shortlisted, actor=world.recruiter, expected_version=shortlisted.version)
    assert shown == refused.value.messages[0]


def _match(world: WebWorld) -> Match:
    matches = with_consent_to_share(Match.objects.select_related("candidate"), world.vacancy)
    return matches.get(vacancy=world.vacancy, candidate=world.near_miss)


def test_a_candidate_who_left_after_the_page_read_them_is_not_shortlisted(world: WebWorld) -> None:
    """The caller's copy still says active; the row, locked at the write, says otherwise: no case is
    opened on a record nobody may see (a withdrawal, an erasure or a merge committed meanwhile)."""
    candidate = world.near_miss  # read while active
    candidate_withdraw(candidate=Candidate.objects.get(pk=candidate.pk))  # another request's copy
    assert candidate.status == Candidate.Status.ACTIVE
    with pytest.raises(ValidationError) as refused:
        placement_shortlist(vacancy=world.vacancy, candidate=candidate, actor=world.recruiter)
    assert refused.value.messages == [str(_("This candidate is not active."))]
    assert not Placement.objects.filter(vacancy=world.vacancy, candidate=candidate).exists()


def test_the_consents_read_for_the_rows_shown_are_those_the_annotation_reads(world: WebWorld) -> None:
    """The vacancy page reads the consents of its rows in one query (``consenting_to_share``); the
    annotation reads them in a subquery: the same candidates either way, whatever the consent's state."""
    now = timezone.now()
    day = datetime.timedelta(days=1)
    share = Consent.Purpose.SHARE_WITH_EMPLOYER
    states: dict[str, dict[str, Any]] = {
        "in force": {"recipient": world.vacancy.employer},
        "expired": {"recipient": world.vacancy.employer, "expires_at": now - day},
        "withdrawn": {"recipient": world.vacancy.employer, "withdrawn_at": now - day},
        "not yet given": {"recipient": world.vacancy.employer, "granted_at": now + day},
        "another employer": {"recipient": world.employer_b},
    }
    candidates = {}
    for state, fields in states.items():
        candidate = matched_candidate(world.vacancy, consent=False, given_name=state.title())
        stored_match(world.vacancy, candidate)
        factories.ConsentFactory.create(candidate=candidate, purpose=share, **fields)
        candidates[state] = candidate.pk
    annotated = {
        match.candidate_id
        for match in with_consent_to_share(Match.objects.filter(vacancy=world.vacancy), world.vacancy)
        if match.consents_to_share  # type: ignore[attr-defined]
    }
    read = consenting_to_share(world.vacancy, [*candidates.values(), world.near_miss.pk])
    assert read == annotated & (set(candidates.values()) | {world.near_miss.pk})
    assert candidates["in force"] in read
    assert read.isdisjoint({pk for state, pk in candidates.items() if state != "in force"})
