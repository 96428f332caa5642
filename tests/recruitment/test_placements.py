"""The placement workflow: who may move a case where, with what, and that no click is lost."""

import datetime
import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone, translation

from candidates.models import Consent
from core.models import Organisation, User
from recruitment.models import Match, Placement, PlacementTransition
from recruitment.services.placements import (
    PlacementConflict,
    PlacementError,
    placement_move,
    placement_propose,
    placement_shortlist,
)
from recruitment.workflow import EMPLOYER_MOVES, FINAL_STAGES, TRANSITIONS, Stage, may_move, next_stages
from tests import factories
from webhooks.models import WebhookEvent
from webhooks.services import subscription_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are matched in English (the site's default language is Dutch)."""
    with translation.override("en"):
        yield


# --- The table itself (no database) ---------------------------------------------------------------


@pytest.mark.parametrize("stage", list(Stage))
def test_every_stage_is_reachable_from_the_shortlist(stage: Stage) -> None:
    seen, todo = {Stage.SHORTLISTED}, [Stage.SHORTLISTED]
    while todo:
        for following in TRANSITIONS[todo.pop()]:
            if following not in seen:
                seen.add(following)
                todo.append(following)
    assert stage in seen


def test_final_stages_go_nowhere_and_employer_moves_are_moves() -> None:
    assert {Stage.EMPLOYER_DECLINED, Stage.ENDED, Stage.WITHDRAWN} == FINAL_STAGES
    assert all(target in TRANSITIONS[source] for source, target in EMPLOYER_MOVES)


def test_a_regulated_profession_goes_through_recognition_before_the_permit() -> None:
    assert Stage.PERMIT_FILED not in next_stages(Stage.OFFER_ACCEPTED, needs_recognition=True)
    assert Stage.RECOGNITION in next_stages(Stage.OFFER_ACCEPTED, needs_recognition=True)
    assert Stage.PERMIT_FILED in next_stages(Stage.OFFER_ACCEPTED, needs_recognition=False)


def test_employers_make_only_their_own_moves() -> None:
    assert may_move(Stage.PROPOSED, Stage.EMPLOYER_INTERESTED, by_employer=True, needs_recognition=False)
    assert not may_move(Stage.OFFER, Stage.OFFER_ACCEPTED, by_employer=True, needs_recognition=False)
    assert may_move(Stage.OFFER, Stage.OFFER_ACCEPTED, by_employer=False, needs_recognition=False)


# --- The services ---------------------------------------------------------------------------------


def _staff() -> User:
    return factories.UserFactory.create(
        role=User.Role.RECRUITER, organisation=factories.OrganisationFactory.create(pes=True)
    )


def _employer_user(organisation: Organisation) -> User:
    return factories.UserFactory.create(role=User.Role.EMPLOYER_USER, organisation=organisation)


def _matched_pair(*, consent: bool = True, regulated: bool = False) -> tuple[Match, User]:
    vacancy = factories.VacancyFactory.create(
        status="published",
        published_at=timezone.now(),
        occupation=factories.EscoOccupationFactory.create(is_regulated=regulated),
    )
    candidate = factories.CandidateFactory.create()
    if consent:
        factories.ConsentFactory.create(
            candidate=candidate, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient=vacancy.employer
        )
    match = Match.objects.create(
        vacancy=vacancy,
        candidate=candidate,
        outcome=Match.Outcome.ELIGIBLE,
        score=Decimal("80.00"),
        algorithm_version="test",
        vacancy_version=1,
        candidate_version=1,
        reference_date=datetime.date(2026, 11, 22),
        computed_at=timezone.now(),
    )
    return match, _staff()


def _proposed(**kwargs: bool) -> tuple[Placement, User]:
    match, staff = _matched_pair(**kwargs)
    placement = placement_shortlist(vacancy=match.vacancy, candidate=match.candidate, actor=staff)
    return placement_propose(placement=placement, actor=staff, expected_version=placement.version), staff


def test_shortlisting_needs_staff_and_a_stored_match() -> None:
    match, staff = _matched_pair()
    with pytest.raises(PlacementError):
        placement_shortlist(
            vacancy=match.vacancy, candidate=match.candidate, actor=_employer_user(match.vacancy.employer)
        )
    unmatched = factories.CandidateFactory.create()
    with pytest.raises(PlacementError, match="does not match"):
        placement_shortlist(vacancy=match.vacancy, candidate=unmatched, actor=staff)
    assert not Placement.objects.exists()

    first = placement_shortlist(vacancy=match.vacancy, candidate=match.candidate, actor=staff)
    again = placement_shortlist(vacancy=match.vacancy, candidate=match.candidate, actor=staff)
    assert first.pk == again.pk and first.stage == Stage.SHORTLISTED
    assert list(first.transitions.values_list("from_stage", "to_stage")) == [("", "shortlisted")]


def test_a_proposal_needs_the_candidates_consent_for_that_employer() -> None:
    match, staff = _matched_pair(consent=False)
    placement = placement_shortlist(vacancy=match.vacancy, candidate=match.candidate, actor=staff)
    with pytest.raises(PlacementError, match="consented"):
        placement_propose(placement=placement, actor=staff, expected_version=placement.version)
    placement.refresh_from_db()
    assert placement.stage == Stage.SHORTLISTED and placement.transitions.count() == 1


def test_a_proposal_to_a_suspended_employer_is_refused() -> None:
    match, staff = _matched_pair()
    placement = placement_shortlist(vacancy=match.vacancy, candidate=match.candidate, actor=staff)
    Organisation.objects.filter(pk=match.vacancy.employer_id).update(
        compliance_status=Organisation.Compliance.SUSPENDED, suspension_reason="Inspection"
    )
    placement.refresh_from_db()
    with pytest.raises(PlacementError, match="suspended"):
        placement_propose(placement=placement, actor=staff, expected_version=placement.version)


def test_a_proposal_gets_a_deadline_and_the_employer_decides_with_a_reason() -> None:
    placement, _staff_user = _proposed()
    assert placement.stage == Stage.PROPOSED
    assert placement.response_due_on == timezone.localdate() + datetime.timedelta(days=10)
    employer = _employer_user(placement.vacancy.employer)
    with pytest.raises(PlacementError) as excinfo:
        placement_move(
            placement=placement,
            to_stage="employer_declined",
            actor=employer,
            expected_version=placement.version,
        )
    assert "reason" in excinfo.value.message_dict
    placement = placement_move(
        placement=placement,
        to_stage="employer_declined",
        actor=employer,
        expected_version=placement.version,
        reason="language",
        comment="Needs B1 Dutch for the safety briefings.",
    )
    assert placement.stage == Stage.EMPLOYER_DECLINED and placement.reason == "language"
    last = placement.transitions.last()
    assert last is not None and (last.actor, last.actor_organisation_id) == (
        employer,
        employer.organisation_id,
    )


def test_the_employers_invitation_reveals_the_identity() -> None:
    placement, _staff_user = _proposed()
    assert placement.identity_revealed_at is None
    employer = _employer_user(placement.vacancy.employer)
    placement = placement_move(
        placement=placement,
        to_stage="employer_interested",
        actor=employer,
        expected_version=placement.version,
    )
    assert placement.identity_revealed_at is not None


def test_another_employer_and_employer_only_moves_are_refused() -> None:
    placement, _staff_user = _proposed()
    other = _employer_user(factories.OrganisationFactory.create(employer=True))
    with pytest.raises(PlacementError, match="cannot change"):
        placement_move(
            placement=placement,
            to_stage="employer_interested",
            actor=other,
            expected_version=placement.version,
        )
    employer = _employer_user(placement.vacancy.employer)
    with pytest.raises(PlacementError, match="cannot move"):
        placement_move(
            placement=placement, to_stage="withdrawn", actor=employer, expected_version=placement.version,
            reason="other",
        )  # fmt: skip
    placement.refresh_from_db()
    assert placement.stage == Stage.PROPOSED and placement.version == 2


def _walk(placement: Placement, staff: User, stages: list[str]) -> Placement:
    for stage in stages:
        placement = placement_move(
            placement=placement, to_stage=stage, actor=staff, expected_version=placement.version
        )
    return placement


def test_a_case_walks_from_proposal_to_a_year_of_employment() -> None:
    placement, staff = _proposed()
    stages = ["employer_interested", "interview", "offer", "offer_accepted", "permit_filed", "permit_granted"]
    stages += ["visa", "arrived", "started", "employed_6m", "employed_12m"]
    placement = _walk(placement, staff, stages)
    assert placement.stage == Stage.EMPLOYED_12M
    assert placement.version == 2 + len(stages)
    moves = list(PlacementTransition.objects.filter(placement=placement).values_list("to_stage", flat=True))
    assert moves == ["shortlisted", "proposed", *stages]


def test_a_nurse_cannot_file_a_permit_before_recognition() -> None:
    placement, staff = _proposed(regulated=True)
    placement = _walk(placement, staff, ["employer_interested", "interview", "offer", "offer_accepted"])
    with pytest.raises(PlacementError, match="cannot move"):
        placement_move(
            placement=placement, to_stage="permit_filed", actor=staff, expected_version=placement.version
        )
    placement = _walk(placement, staff, ["recognition", "permit_filed"])
    assert placement.stage == Stage.PERMIT_FILED


def test_a_move_from_an_old_version_is_a_conflict_not_an_overwrite() -> None:
    placement, staff = _proposed()
    employer = _employer_user(placement.vacancy.employer)
    loaded = placement.version
    placement_move(
        placement=placement, to_stage="employer_interested", actor=employer, expected_version=loaded
    )
    stale = Placement.objects.get(pk=placement.pk)
    with pytest.raises(PlacementConflict):
        placement_move(
            placement=stale,
            to_stage="employer_declined",
            actor=staff,
            expected_version=loaded,
            reason="other",
        )
    stale.refresh_from_db()
    assert stale.stage == Stage.EMPLOYER_INTERESTED
    assert stale.transitions.filter(to_stage="employer_declined").count() == 0


def test_moves_tell_the_candidates_partner_agency_by_webhook() -> None:
    match, staff = _matched_pair()
    partner = match.candidate.registered_by
    subscription_create(
        organisation=partner,
        url="https://partner.example/hooks",
        event_types=["placement.shortlisted", "placement.proposed", "placement.decided"],
    )
    placement = placement_shortlist(vacancy=match.vacancy, candidate=match.candidate, actor=staff)
    placement = placement_propose(placement=placement, actor=staff, expected_version=placement.version)
    placement_move(
        placement=placement, to_stage="employer_interested", actor=staff, expected_version=placement.version
    )
    events = list(WebhookEvent.objects.filter(organisation=partner).order_by("occurred_at"))
    assert [event.type for event in events] == [
        "placement.shortlisted",
        "placement.proposed",
        "placement.decided",
    ]
    assert events[-1].data["stage"] == "employer_interested"
    assert events[-1].data["candidate"] == str(match.candidate.public_id)
    assert "given_name" not in events[-1].data and match.candidate.family_name not in str(events[-1].data)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_clicks_make_one_move() -> None:
    """Two users decide on the same proposal at the same moment: one wins, one is told to reload."""
    placement, staff = _proposed()
    employer = _employer_user(placement.vacancy.employer)
    version = placement.version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click(actor: User, stage: str, reason: str) -> None:
        try:
            barrier.wait(timeout=5)
            placement_move(
                placement=Placement.objects.get(pk=placement.pk),
                to_stage=stage,
                actor=actor,
                expected_version=version,
                reason=reason,
            )
            outcomes.append("moved")
        except PlacementConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=click, args=(employer, "employer_interested", "")),
        threading.Thread(target=click, args=(staff, "employer_declined", "position_filled")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(outcomes) == ["conflict", "moved"]
    placement.refresh_from_db()
    assert placement.version == version + 1
    assert placement.transitions.filter(from_stage="proposed").count() == 1


def test_the_explanation_shown_is_kept_with_the_shortlist_the_proposal_and_the_decision() -> None:
    """The audit trail of what the machine suggested when a person decided (GDPR art. 22, ADR 0008):
    the stored match is compact, so the moves that act on it keep its full explanation."""
    placement, staff = _proposed()
    employer = _employer_user(placement.vacancy.employer)
    placement = placement_move(
        placement=placement,
        to_stage="employer_interested",
        actor=employer,
        expected_version=placement.version,
    )
    placement = placement_move(
        placement=placement, to_stage="interview", actor=staff, expected_version=placement.version
    )
    kept = {t.to_stage: t.explanation for t in placement.transitions.all()}
    for stage in ("shortlisted", "proposed", "employer_interested"):
        explanation = kept[stage]
        assert {
            "outcome",
            "score",
            "reasons",
            "routes",
            "breakdown",
            "algorithm_version",
        } <= explanation.keys()
        assert explanation["reference_date"] == timezone.localdate().isoformat()
        assert all("code" in reason and "params" in reason for reason in explanation["reasons"])
    assert kept["interview"] == {}  # not a decision on the match
