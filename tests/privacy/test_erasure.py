"""Erasure (GDPR art. 17): after it, nothing of the person is left in any table, file, payload or
session; the case past the permit application stays without identity; the funders' counts do not move;
the registering partner learns of it; a second run changes nothing."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from api.models import IdempotencyRecord
from candidates.models import Candidate
from candidates.services.anonymous import ANONYMISED_DATE_OF_BIRTH
from core.models import User
from privacy.models import ErasureRequest
from privacy.services import candidate_erase, erasure_request_create, erasure_request_execute
from recruitment.models import Match, MatchRemoval, Placement, PlacementTransition, RetainedFunnelStep
from recruitment.selectors import funnel
from recruitment.services.sharing import employer_sharing_sync
from tests.privacy.search import files_holding, rows_holding, sessions_holding
from tests.privacy.world import Touched, touch_everything
from tests.webhooks.receiver import Receiver
from webhooks.models import WebhookDelivery, WebhookEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture
def world(receiver: Receiver, django_capture_on_commit_callbacks: Any) -> Touched:
    return touch_everything(receiver, django_capture_on_commit_callbacks)


def _events_naming(public_id: object) -> int:
    return (
        WebhookEvent.objects.annotate(text=Cast("data", TextField()))
        .filter(text__contains=str(public_id))
        .count()
    )


def _erase(world: Touched, on_commit: Any) -> ErasureRequest:
    request = erasure_request_create(candidate=world.candidate)
    with on_commit(execute=True):
        return erasure_request_execute(request=request, by=world.officer)


def test_the_world_holds_the_person_everywhere_before(world: Touched, receiver: Receiver) -> None:
    """The search below can fail: before the erasure it finds the person in the tables the features
    wrote (otherwise "nothing found" afterwards would prove nothing)."""
    found = rows_holding(world.person.texts, world.person.date_of_birth)
    tables = {hit.split("#")[0] for hit in found}
    assert {
        "candidates.Candidate",
        "candidates.LanguageProficiency",
        "candidates.RecognitionStep",
        "candidates.Licence",
        "candidates.RecruitmentCost",
        "candidates.WorkExperience",
        "core.User",
        "recruitment.CandidateNote",
        "recruitment.Placement",
        "recruitment.PlacementTransition",
        "recruitment.InterviewSlot",
        "candidate_space.CorrectionRequest",
        "admin.LogEntry",
    } <= tables
    assert _events_naming(world.candidate.public_id) > 0
    assert WebhookDelivery.objects.filter(status=WebhookDelivery.Status.DELIVERED).exists()
    assert receiver.received, "the partner's endpoint received the events"
    assert IdempotencyRecord.objects.filter(response__candidate=str(world.candidate.public_id)).exists()


def test_after_the_erasure_no_table_file_or_session_holds_the_person(
    world: Touched, django_capture_on_commit_callbacks: Any
) -> None:
    candidate = world.candidate
    done = _erase(world, django_capture_on_commit_callbacks)
    # The sweeper's periodic jobs afterwards tell nobody anything about them either.
    with django_capture_on_commit_callbacks(execute=True):
        employer_sharing_sync()

    person = world.person
    assert rows_holding(person.texts, person.date_of_birth) == []
    assert sessions_holding(person.texts) == []
    assert files_holding(person.texts) == []
    assert _events_naming(candidate.public_id) == 0
    assert (
        not IdempotencyRecord.objects.annotate(text=Cast("response", TextField()))
        .filter(text__contains=str(candidate.public_id))
        .exists()
    )
    assert not Match.objects.filter(candidate=candidate).exists()
    assert MatchRemoval.objects.filter(candidate=candidate).count() == 2  # partners delete their copies
    assert not User.objects.filter(pk=world.account_user.pk).exists()
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.ANONYMISED
    assert candidate.date_of_birth == ANONYMISED_DATE_OF_BIRTH
    assert (candidate.given_name, candidate.email, candidate.phone, candidate.nationalities) == (
        "",
        "",
        "",
        [],
    )
    assert candidate.external_id == person.external_id  # the partner's own reference, for its copy
    assert done.status == ErasureRequest.Status.EXECUTED
    assert done.decided_by == world.officer
    assert done.access_log_entries_removed == 1
    assert done.legal_holds == [{"case": str(world.held_case.public_id), "stage": "permit_filed"}]


def test_the_case_past_the_permit_application_stays_without_identity(
    world: Touched, django_capture_on_commit_callbacks: Any
) -> None:
    moves_before = list(
        PlacementTransition.objects.filter(placement=world.held_case).values_list(
            "from_stage", "to_stage", "at"
        )
    )
    _erase(world, django_capture_on_commit_callbacks)
    held = Placement.objects.get(pk=world.held_case.pk)
    assert held.stage == Placement.Stage.PERMIT_FILED
    assert (held.proposed_at, held.stage_changed_at) == (
        world.held_case.proposed_at,
        world.held_case.stage_changed_at,
    )
    assert held.proposal_message == "" and held.comment == ""
    moves = PlacementTransition.objects.filter(placement=held)
    assert list(moves.values_list("from_stage", "to_stage", "at")) == moves_before
    assert all(move.explanation == {} and move.comment == "" for move in moves)
    assert held.notes.count() == 0
    assert held.interview_slots.get().location == ""
    assert not Placement.objects.filter(pk=world.declined_case.pk).exists()


def test_the_funders_counts_do_not_move(world: Touched, django_capture_on_commit_callbacks: Any) -> None:
    project = world.candidate.project
    assert project is not None
    before = funnel.project_funnel(project=project)
    _erase(world, django_capture_on_commit_callbacks)
    assert funnel.project_funnel(project=project) == before
    assert set(
        RetainedFunnelStep.objects.filter(candidate=world.candidate).values_list("step", flat=True)
    ) >= {
        "trained",
        "matched",
        "proposed",
    }
    # Counted, never listed.
    step = funnel.FunnelStep.PROPOSED
    assert (
        not funnel.funnel_step_candidates(project=project, step=step).filter(pk=world.candidate.pk).exists()
    )
    assert funnel.funnel_step_anonymised_count(project=project, step=step) == 1


def test_the_registering_partner_sees_the_candidate_as_anonymised(
    world: Touched, django_capture_on_commit_callbacks: Any
) -> None:
    since = (timezone.now() - datetime.timedelta(minutes=1)).isoformat()
    _erase(world, django_capture_on_commit_callbacks)
    api = world.partner.client()
    removed = api.get("/api/v1/candidates/removed/", {"updated_since": since}).json()["results"]
    assert [(row["id"], row["external_id"], row["status"]) for row in removed] == [
        (str(world.candidate.public_id), world.person.external_id, "anonymised")
    ]
    assert api.get(f"/api/v1/candidates/{world.candidate.public_id}/").status_code == 404


def test_erasing_twice_changes_nothing_and_records_one_request(
    world: Touched, django_capture_on_commit_callbacks: Any
) -> None:
    first = _erase(world, django_capture_on_commit_callbacks)
    candidate = Candidate.objects.get(pk=world.candidate.pk)
    again = candidate_erase(candidate=candidate, by=world.officer)
    assert again.pk == first.pk
    assert ErasureRequest.objects.filter(candidate=candidate).count() == 1
    assert Candidate.objects.get(pk=candidate.pk).updated_at >= candidate.updated_at
    assert Placement.objects.filter(candidate=candidate).count() == 1


def test_erasing_without_a_request_records_one_by_staff(world: Touched) -> None:
    done = candidate_erase(candidate=world.candidate, by=world.officer)
    assert (done.requested_by_kind, done.requested_by, done.status) == ("staff", world.officer, "executed")


def test_an_erasure_that_fails_writes_nothing(world: Touched, monkeypatch: pytest.MonkeyPatch) -> None:
    """One transaction: a failure in the middle (here, the admin log's scrub, near the end) leaves every
    row as it was."""

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("privacy.services.erasure._admin_log_scrub", fail)
    with pytest.raises(RuntimeError):
        candidate_erase(candidate=world.candidate, by=world.officer)
    candidate = Candidate.objects.get(pk=world.candidate.pk)
    assert candidate.given_name == world.person.given_name
    assert Placement.objects.filter(candidate=candidate).count() == 2
    assert candidate.notes.count() == 2
    assert not ErasureRequest.objects.filter(status=ErasureRequest.Status.EXECUTED).exists()
