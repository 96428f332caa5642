"""Restricting the processing of a candidate's data (GDPR art. 18) and lifting it: the services, what
they write and refuse, and what a restriction does to matching and to the other write paths."""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.models import Candidate, CandidateRestriction
from candidates.models.restriction import REASON_MAX_LENGTH, RestrictionSource
from candidates.services import (
    ProfileInput,
    candidate_restrict,
    candidate_restriction_lift,
    candidate_update,
    candidate_withdraw,
)
from candidates.services.versions import RECOMPUTE_CANDIDATE_TASK
from recruitment import services as recruitment_services
from recruitment.models import Match, Placement
from recruitment.services.notes import candidate_note_add
from recruitment.services.placements import (
    PlacementError,
    placement_move,
    placement_propose,
    placement_shortlist,
)
from tests import factories
from tests.recruitment.world import World, build_world, welder_candidate, welder_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

Commit = Callable[[], AbstractContextManager[Any]]


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Commit:
    """``with commit():`` runs the after-commit callbacks (the queued recomputes) at the end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _state(candidate: Candidate) -> tuple[str, int, int]:
    stored = Candidate.objects.get(pk=candidate.pk)
    return (
        stored.status,
        stored.profile_version,
        CandidateRestriction.objects.filter(candidate=candidate).count(),
    )


def test_restricting_records_why_and_by_whom_and_queues_the_recompute(
    django_capture_on_commit_callbacks: Any,
) -> None:
    candidate = factories.CandidateFactory.create()
    staff = factories.UserFactory.create()
    with django_capture_on_commit_callbacks() as callbacks:
        restricted = candidate_restrict(candidate=candidate, by=staff, reason="  Contests their diplomas.  ")
    assert restricted.status == Candidate.Status.RESTRICTED
    stored = Candidate.objects.get(pk=candidate.pk)
    assert stored.status == "restricted" and stored.restricted_at is not None
    assert stored.profile_version == candidate.profile_version + 1  # the recompute removes the matches
    assert len(callbacks) == 1
    restriction = CandidateRestriction.objects.get()
    assert (restriction.reason, restriction.restricted_by, restriction.previous_status) == (
        "Contests their diplomas.",
        staff,
        "active",
    )
    assert restriction.lifted_at is None


@pytest.mark.parametrize("reason", ["", "   ", "x" * (REASON_MAX_LENGTH + 1)])
def test_a_restriction_without_a_usable_reason_is_refused_and_writes_nothing(reason: str) -> None:
    candidate = factories.CandidateFactory.create()
    before = _state(candidate)
    with pytest.raises(ValidationError):
        candidate_restrict(candidate=candidate, reason=reason)
    assert _state(candidate) == before


def test_restricting_twice_keeps_the_first_restriction() -> None:
    candidate = factories.CandidateFactory.create()
    candidate_restrict(candidate=candidate, reason="First request.")
    after_first = _state(candidate)
    candidate_restrict(candidate=candidate, reason="Second request.")
    assert _state(candidate) == after_first
    assert CandidateRestriction.objects.get().reason == "First request."


def test_an_anonymised_candidate_cannot_be_restricted() -> None:
    candidate = factories.CandidateFactory.create(status=Candidate.Status.ANONYMISED)
    before = _state(candidate)
    with pytest.raises(ValidationError) as refused:
        candidate_restrict(candidate=candidate, reason="Asked for erasure.")
    assert refused.value.code == "anonymised"
    assert _state(candidate) == before


def test_lifting_goes_back_to_the_status_before_the_restriction() -> None:
    staff = factories.UserFactory.create()
    active = factories.CandidateFactory.create()
    placed = factories.CandidateFactory.create(status=Candidate.Status.PLACED)
    withdrawn = candidate_withdraw(candidate=factories.CandidateFactory.create())
    for candidate, status in ((active, "active"), (placed, "placed"), (withdrawn, "withdrawn")):
        candidate_restrict(candidate=candidate, reason="Contests the data.")
        version = Candidate.objects.get(pk=candidate.pk).profile_version
        lifted = candidate_restriction_lift(candidate=candidate, by=staff)
        stored = Candidate.objects.get(pk=candidate.pk)
        assert lifted.status == stored.status == status
        assert stored.profile_version == version + 1
        restriction = CandidateRestriction.objects.get(candidate=candidate)
        assert restriction.lifted_by == staff and restriction.lifted_at is not None
        assert restriction.lifted_at >= restriction.restricted_at
    # Lifting never makes a withdrawn candidate active: their withdrawal stays dated.
    assert Candidate.objects.get(pk=withdrawn.pk).withdrawn_at is not None


@pytest.mark.parametrize("status", ["active", "withdrawn", "anonymised"])
def test_lifting_what_is_not_restricted_is_refused_and_writes_nothing(status: str) -> None:
    fields: dict[str, Any] = {"status": status}
    if status == "withdrawn":
        fields["withdrawn_at"] = timezone.now()
    candidate = factories.CandidateFactory.create(**fields)
    before = _state(candidate)
    with pytest.raises(ValidationError) as refused:
        candidate_restriction_lift(candidate=candidate)
    assert refused.value.code == "not_restricted"
    assert _state(candidate) == before


def test_the_database_refuses_an_undated_restriction_and_a_second_open_one() -> None:
    candidate = factories.CandidateFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.filter(pk=candidate.pk).update(status="restricted")
    candidate_restrict(candidate=candidate, reason="First.")
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateRestriction.objects.create(
            candidate=candidate, reason="Again.", previous_status="active", restricted_at=timezone.now()
        )


# --- What a restriction stops -----------------------------------------------------------------------


def test_a_restricted_candidate_leaves_matching_and_comes_back_when_lifted(commit: Commit) -> None:
    world: World = build_world()
    with commit():
        restricted = welder_candidate(world)
        other = welder_candidate(world)
        vacancy = welder_vacancy(world)
    matched = set(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", "outcome", "score"))
    assert {row[0] for row in matched} == {restricted.pk, other.pk}
    with commit():
        candidate_restrict(candidate=restricted, reason="Contests the data.")
    assert set(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", flat=True)) == {other.pk}
    assert recruitment_services.match_consistency_violations() == []
    with commit():
        candidate_restriction_lift(candidate=restricted)
    assert (
        set(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", "outcome", "score")) == matched
    )
    assert recruitment_services.match_consistency_violations() == []


def test_a_new_vacancy_does_not_match_a_restricted_candidate(commit: Commit) -> None:
    world: World = build_world()
    with commit():
        restricted = welder_candidate(world)
        candidate_restrict(candidate=restricted, reason="Asked for erasure.")
        vacancy = welder_vacancy(world)
    assert vacancy.status == Vacancy.Status.PUBLISHED
    assert not Match.objects.filter(candidate=restricted).exists()


def test_no_write_path_processes_a_restricted_candidate(django_capture_on_commit_callbacks: Any) -> None:
    world: World = build_world()
    candidate = welder_candidate(world)
    vacancy = welder_vacancy(world)
    staff = factories.UserFactory.create()
    Match.objects.create(
        vacancy=vacancy,
        candidate=candidate,
        outcome=Match.Outcome.ELIGIBLE,
        score=80,
        algorithm_version="test",
        vacancy_version=1,
        candidate_version=1,
        reference_date=timezone.localdate(),
        computed_at=timezone.now(),
    )
    placement = placement_shortlist(vacancy=vacancy, candidate=candidate, actor=staff)
    candidate_restrict(candidate=candidate, reason="Contests the data.")
    candidate = Candidate.objects.get(pk=candidate.pk)
    with pytest.raises(ValidationError) as refused:
        candidate_update(candidate=candidate, profile=ProfileInput(fields={"phone": "+32 1"}))
    assert refused.value.error_dict[""][0].code == "restricted"
    with pytest.raises(ValidationError):
        candidate_note_add(candidate=candidate, author=staff, body="A note.")
    placement.refresh_from_db()
    with pytest.raises(PlacementError) as not_proposed:
        placement_propose(placement=placement, actor=staff, expected_version=placement.version)
    assert not_proposed.value.code == "restricted"
    placement.refresh_from_db()
    assert (placement.stage, placement.proposed_at) == ("shortlisted", None)
    with pytest.raises(PlacementError) as not_moved:
        placement_move(
            placement=placement, to_stage="interview", actor=staff, expected_version=placement.version
        )
    assert not_moved.value.code == "restricted"
    other_vacancy = welder_vacancy(world)
    with pytest.raises(PlacementError):
        placement_shortlist(vacancy=other_vacancy, candidate=candidate, actor=staff)
    assert Candidate.objects.get(pk=candidate.pk).phone == candidate.phone
    # Nothing above queued a recompute of the restricted candidate.
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        candidate_update(candidate=candidate, profile=ProfileInput(fields={"phone": "+32 2"}))
    assert not [c for c in callbacks if RECOMPUTE_CANDIDATE_TASK in repr(c)]


def test_a_restriction_can_be_dated() -> None:
    candidate = factories.CandidateFactory.create()
    moment = timezone.now() - datetime.timedelta(days=2)
    candidate_restrict(candidate=candidate, reason="Backdated from the paper request.", at=moment)
    assert Candidate.objects.get(pk=candidate.pk).restricted_at == moment
    candidate_restriction_lift(candidate=candidate, at=moment - datetime.timedelta(days=1))
    restriction = CandidateRestriction.objects.get()
    assert restriction.lifted_at == restriction.restricted_at  # never before it began


def test_a_restricted_candidates_case_can_still_be_closed() -> None:
    world: World = build_world()
    candidate = welder_candidate(world)
    vacancy = welder_vacancy(world)
    staff = factories.UserFactory.create()
    placement = Placement.objects.create(
        vacancy=vacancy, candidate=candidate, stage_changed_at=timezone.now()
    )
    candidate_restrict(candidate=candidate, reason="Asked for erasure.")
    placement.refresh_from_db()
    closed = placement_move(
        placement=placement,
        to_stage="withdrawn",
        actor=staff,
        expected_version=placement.version,
        reason="candidate_withdrew",
    )
    assert closed.stage == "withdrawn"


def test_a_withdrawal_arriving_while_restricted_waits_for_the_lifting() -> None:
    """A partner read the candidate, staff restricted them, then the partner's withdrawal ran: the
    candidate stays restricted, and the lifting takes them to withdrawn (never to active)."""
    staff = factories.UserFactory.create()
    candidate = factories.CandidateFactory.create()
    candidate_restrict(candidate=candidate, by=staff, reason="Contests the data.")
    candidate_withdraw(candidate=candidate)  # the row it was handed still says active
    stored = Candidate.objects.get(pk=candidate.pk)
    assert stored.status == Candidate.Status.RESTRICTED and stored.withdrawn_at is not None
    open_restriction = CandidateRestriction.objects.get(candidate=candidate, lifted_at__isnull=True)
    assert open_restriction.previous_status == Candidate.Status.WITHDRAWN
    candidate_withdraw(candidate=candidate)  # idempotent
    assert candidate_restriction_lift(candidate=candidate, by=staff).status == Candidate.Status.WITHDRAWN
    # Nothing left open: a later restriction (an erasure request) is recorded as any other.
    assert candidate_restrict(candidate=candidate, reason="Asked for erasure.").status == "restricted"
    assert CandidateRestriction.objects.filter(candidate=candidate, lifted_at__isnull=True).count() == 1


def test_staff_cannot_lift_what_the_candidate_s_withdrawn_visibility_consent_set() -> None:
    staff = factories.UserFactory.create()
    candidate = factories.CandidateFactory.create()
    candidate_restrict(
        candidate=candidate, reason="Withdrew visibility.", source=RestrictionSource.VISIBILITY_WITHDRAWN
    )
    before = _state(candidate)
    with pytest.raises(ValidationError) as refused:
        candidate_restriction_lift(candidate=candidate, by=staff)
    assert refused.value.code == "consent_withdrawn"
    assert _state(candidate) == before
    assert CandidateRestriction.objects.get(candidate=candidate).lifted_at is None
    # Giving the consent again lifts it (the candidate space lifts it as the system: no staff member).
    assert candidate_restriction_lift(candidate=candidate).status == Candidate.Status.ACTIVE


def test_the_administration_cannot_delete_a_candidate_only_erase_them(rf: Any) -> None:
    """A cascading delete would leave their login behind and break the funders' counts: the erasure
    (privacy) is the only way out, so the admin offers no delete."""
    from django.contrib import admin as django_admin

    request = rf.get("/")
    request.user = factories.UserFactory.create(is_superuser=True, is_staff=True)
    candidate_admin = django_admin.site._registry[Candidate]
    assert not candidate_admin.has_delete_permission(request, factories.CandidateFactory.create())
