"""The rules of the selection pathway (selection.services): steps in order, a step needs the previous
one passed, the pass mark decides a scored step, the funnel is counted from the results, and a job
dating invites only those who passed and consent, and keeps its record when cancelled."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from candidates.models import Candidate, Consent
from selection import selectors, services
from selection.models import JobDating, JobDatingInvitation, SelectionResult, SelectionStep, Verdict
from tests import factories
from tests.selection.world import SelectionWorld, build_selection_world, record, share

pytestmark = pytest.mark.django_db

P, F, A = Verdict.PASSED, Verdict.FAILED, Verdict.ABSENT


def test_steps_are_numbered_in_the_order_they_are_added_and_names_are_unique_per_project() -> None:
    world = build_selection_world()
    assert [(s.position, s.name) for s in selectors.project_steps(project=world.project)] == [
        (1, "Online test"),
        (2, "Interview"),
    ]
    with pytest.raises(services.SelectionError) as refused:
        services.selection_step_add(project=world.project, name="Interview", kind=SelectionStep.Kind.OTHER)
    assert refused.value.code == "name_taken"
    assert SelectionStep.objects.filter(project=world.project).count() == 2


def test_the_pass_mark_decides_a_scored_step_and_absent_has_no_score() -> None:
    world = build_selection_world()
    first, second, third = world.candidates
    record(world, first, world.test_step, F, "75")  # the score overrides the verdict chosen
    record(world, second, world.test_step, P, "59.99")
    record(world, third, world.test_step, A)
    verdicts = dict(SelectionResult.objects.values_list("candidate_id", "verdict"))
    assert verdicts == {first.pk: P, second.pk: F, third.pk: A}
    with pytest.raises(services.SelectionError) as refused:
        record(world, first, world.test_step, P)
    assert refused.value.code == "score_required"
    with pytest.raises(services.SelectionError) as refused:
        record(world, first, world.test_step, A, "10")
    assert refused.value.code == "absent_with_score"


def test_a_step_needs_the_previous_step_passed() -> None:
    world = build_selection_world()
    first, second, _third = world.candidates
    with pytest.raises(services.SelectionError) as refused:
        record(world, first, world.interview, P)
    assert refused.value.code == "previous_not_passed"
    record(world, second, world.test_step, P, "40")  # failed
    with pytest.raises(services.SelectionError):
        record(world, second, world.interview, P)
    record(world, first, world.test_step, P, "80")
    record(world, first, world.interview, P)
    assert SelectionResult.objects.filter(step=world.interview).count() == 1


def test_an_earlier_result_cannot_stop_being_passed_while_a_later_one_exists() -> None:
    world = build_selection_world()
    first = world.candidates[0]
    record(world, first, world.test_step, P, "80")
    record(world, first, world.interview, F)
    with pytest.raises(services.SelectionError) as refused:
        record(world, first, world.test_step, P, "20")
    assert refused.value.code == "later_results"
    assert SelectionResult.objects.get(candidate=first, step=world.test_step).score == Decimal("80")


def test_recording_again_replaces_the_result_and_records_who_and_when() -> None:
    world = build_selection_world()
    first = world.candidates[0]
    record(world, first, world.test_step, P, "50")
    record(world, first, world.test_step, P, "70")
    result = SelectionResult.objects.get(candidate=first, step=world.test_step)
    assert (result.score, result.verdict, result.recorded_by) == (Decimal("70"), P, world.recruiter)
    assert result.recorded_at <= timezone.now()


def test_a_candidate_of_another_project_or_no_longer_processed_gets_no_result() -> None:
    world = build_selection_world()
    stranger = factories.CandidateFactory.create(project=factories.ProjectFactory.create())
    with pytest.raises(services.SelectionError) as refused:
        record(world, stranger, world.test_step, P, "90")
    assert refused.value.code == "other_project"
    withdrawn = world.candidates[0]
    Candidate.objects.filter(pk=withdrawn.pk).update(
        status=Candidate.Status.WITHDRAWN, withdrawn_at=timezone.now()
    )
    with pytest.raises(services.SelectionError) as refused:
        record(world, withdrawn, world.test_step, P, "90")
    assert refused.value.code == "not_processable"
    assert not SelectionResult.objects.exists()


def test_the_funnel_counts_entered_and_passed_per_step_from_the_results() -> None:
    world = build_selection_world(candidates=4)
    a, b, c, d = world.candidates
    record(world, a, world.test_step, P, "90")
    record(world, b, world.test_step, P, "61")
    record(world, c, world.test_step, F, "10")
    record(world, d, world.test_step, A)
    record(world, a, world.interview, P)
    record(world, b, world.interview, F)
    figures = [
        (f.entered, f.passed, f.failed, f.absent) for f in selectors.step_funnel(project=world.project)
    ]
    assert figures == [(4, 2, 1, 1), (2, 1, 1, 0)]
    assert list(selectors.project_candidates(project=world.project, passed_step=world.interview)) == [a]
    assert set(selectors.project_candidates(project=world.project, passed_step=world.test_step)) == {a, b}


def _event(world: SelectionWorld, **fields: Any) -> JobDating:
    return services.job_dating_create(
        project=world.project,
        name="Job dating Tangier",
        held_on=timezone.localdate() + datetime.timedelta(days=30),
        place="Tangier",
        required_step=world.interview,
        employers=[world.employer_a],
        actor=world.recruiter,
        **fields,
    )


def test_a_job_dating_invites_only_who_passed_the_step_and_consents_to_every_employer() -> None:
    world = build_selection_world(candidates=3)
    passed, failed, no_consent = world.candidates
    for person in world.candidates:
        record(world, person, world.test_step, P, "90")
    record(world, passed, world.interview, P)
    record(world, failed, world.interview, F)
    record(world, no_consent, world.interview, P)
    Consent.objects.filter(candidate=no_consent).update(withdrawn_at=timezone.now())
    event = _event(world)
    outcome = services.job_dating_invite(
        event=event, candidate_ids=[p.pk for p in world.candidates], now=timezone.now()
    )
    assert (outcome.invited, outcome.already, outcome.refused) == (1, 0, 2)
    assert list(JobDatingInvitation.objects.values_list("candidate_id", flat=True)) == [passed.pk]
    again = services.job_dating_invite(event=event, candidate_ids=[passed.pk], now=timezone.now())
    assert (again.invited, again.already) == (0, 1)
    assert JobDatingInvitation.objects.count() == 1


def test_a_second_employer_needs_its_own_consent() -> None:
    world = build_selection_world(candidates=2)
    _first, second = world.candidates
    for person in world.candidates:
        record(world, person, world.test_step, P, "90")
        record(world, person, world.interview, P)
    share(second, world.employer_b)
    event = services.job_dating_create(
        project=world.project,
        name="Online dating",
        held_on=timezone.localdate(),
        online=True,
        required_step=world.interview,
        employers=[world.employer_a, world.employer_b],
        actor=world.recruiter,
    )
    assert list(selectors.eligible_for(event)) == [second]


def test_cancelling_keeps_the_record_and_needs_a_reason_and_a_cancelled_event_invites_no_one() -> None:
    world = build_selection_world()
    event = _event(world)
    with pytest.raises(services.SelectionError) as refused:
        services.job_dating_cancel(event=event, reason="  ", now=timezone.now())
    assert refused.value.code == "reason_required"
    services.job_dating_cancel(event=event, reason="Travel restrictions (COVID-19)", now=timezone.now())
    event.refresh_from_db()
    assert (event.status, event.cancellation_reason) == (
        JobDating.Status.CANCELLED,
        "Travel restrictions (COVID-19)",
    )
    with pytest.raises(services.SelectionError) as refused:
        services.job_dating_invite(event=event, candidate_ids=[world.candidates[0].pk], now=timezone.now())
    assert refused.value.code == "not_planned"
    with pytest.raises(services.SelectionError):
        services.job_dating_mark_held(event=event)
    assert JobDating.objects.filter(pk=event.pk, status=JobDating.Status.CANCELLED).exists()


def test_a_job_dating_needs_a_place_or_online_an_employer_and_a_step_of_its_project() -> None:
    world = build_selection_world()
    with pytest.raises(services.SelectionError) as refused:
        services.job_dating_create(
            project=world.project,
            name="Nowhere",
            held_on=timezone.localdate(),
            required_step=world.interview,
            employers=[world.employer_a],
            actor=world.recruiter,
        )
    assert refused.value.code == "invalid"
    with pytest.raises(services.SelectionError) as refused:
        services.job_dating_create(
            project=world.project,
            name="No one",
            held_on=timezone.localdate(),
            online=True,
            required_step=world.interview,
            employers=[],
            actor=world.recruiter,
        )
    assert refused.value.code == "no_employer"
    other_step = services.selection_step_add(
        project=factories.ProjectFactory.create(), name="Test", kind=SelectionStep.Kind.ONLINE_TEST
    )
    with pytest.raises(services.SelectionError) as refused:
        services.job_dating_create(
            project=world.project,
            name="Wrong step",
            held_on=timezone.localdate(),
            online=True,
            required_step=other_step,
            employers=[world.employer_a],
            actor=world.recruiter,
        )
    assert refused.value.code == "other_project_step"
    with pytest.raises(services.SelectionError) as refused:
        services.job_dating_create(
            project=world.project,
            name="A partner",
            held_on=timezone.localdate(),
            online=True,
            required_step=world.interview,
            employers=[factories.OrganisationFactory.create()],
            actor=world.recruiter,
        )
    assert refused.value.code == "not_employer"
    assert not JobDating.objects.exists()
