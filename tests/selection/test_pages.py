"""The selection pages: staff define steps, record results (bad input refused with a message, nothing
written), plan, invite and cancel; employers see only their own events, candidates anonymised, and a
video-CV link only while its consent for them is in force. Query counts do not grow with the data."""

import datetime
from uuid import uuid4

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from candidates.models import Candidate, Consent
from core.models import User
from selection import services
from selection.models import JobDating, JobDatingInvitation, SelectionResult, SelectionStep, Verdict
from tests import factories
from tests.selection.world import SelectionWorld, build_selection_world, record, share
from tests.web.world import verified_client

pytestmark = pytest.mark.django_db

VIDEO = "https://video.example.org/amina"


def _staff(world: SelectionWorld) -> Client:
    return verified_client(world.recruiter)


def _employer(world: SelectionWorld, organisation: object = None) -> Client:
    user = factories.UserFactory.create(
        role=User.Role.EMPLOYER_USER, organisation=organisation or world.employer_a
    )
    client = Client()
    client.force_login(user)
    return client


def _invited_event(world: SelectionWorld) -> tuple[JobDating, Candidate]:
    person = world.candidates[0]
    record(world, person, world.test_step, Verdict.PASSED, "80")
    record(world, person, world.interview, Verdict.PASSED)
    event = services.job_dating_create(
        project=world.project,
        name="Job dating Casablanca",
        held_on=timezone.localdate() + datetime.timedelta(days=20),
        place="Casablanca",
        required_step=world.interview,
        employers=[world.employer_a],
        actor=world.recruiter,
    )
    services.job_dating_invite(event=event, candidate_ids=[person.pk], now=timezone.now())
    return event, person


def test_staff_add_a_step_and_see_it_in_the_funnel() -> None:
    world = build_selection_world()
    client = _staff(world)
    url = f"/en/recruiter/selection/projects/{world.project.code}/"
    response = client.post(f"{url}steps/", {"name": "Selection mission", "kind": "selection_mission"})
    assert response.status_code == 302
    assert SelectionStep.objects.filter(project=world.project, position=3, name="Selection mission").exists()
    text = client.get(url).content.decode()
    assert "3. Selection mission" in text


def test_a_refused_result_shows_the_reason_and_writes_nothing() -> None:
    world = build_selection_world()
    person = world.candidates[0]
    url = f"/en/recruiter/selection/projects/{world.project.code}/results/"
    with translation.override("en"):
        response = _staff(world).post(
            url, {"candidate": person.pk, "step": world.interview.pk, "verdict": "passed"}
        )
    assert response.status_code == 400
    assert "has not passed the previous step" in response.content.decode()
    assert not SelectionResult.objects.exists()


def test_a_result_for_a_candidate_of_another_project_is_a_404() -> None:
    world = build_selection_world()
    stranger = factories.CandidateFactory.create(project=factories.ProjectFactory.create())
    url = f"/en/recruiter/selection/projects/{world.project.code}/results/"
    response = _staff(world).post(
        url, {"candidate": stranger.pk, "step": world.test_step.pk, "score": "90", "verdict": "passed"}
    )
    assert response.status_code == 404
    assert not SelectionResult.objects.exists()


def test_a_step_of_another_project_is_refused_by_the_form_and_the_filter() -> None:
    world = build_selection_world()
    other = build_selection_world()
    client = _staff(world)
    base = f"/en/recruiter/selection/projects/{world.project.code}/"
    response = client.post(
        f"{base}results/",
        {"candidate": world.candidates[0].pk, "step": other.test_step.pk, "score": "90", "verdict": "passed"},
    )
    assert response.status_code == 400
    assert not SelectionResult.objects.exists()
    assert client.get(f"{base}candidates/?passed={other.test_step.pk}").status_code == 404


def test_the_candidate_list_filters_by_the_step_passed() -> None:
    world = build_selection_world()
    first, second, _third = world.candidates
    record(world, first, world.test_step, Verdict.PASSED, "90")
    record(world, second, world.test_step, Verdict.FAILED, "10")
    page = _staff(world).get(
        f"/en/recruiter/selection/projects/{world.project.code}/candidates/?passed={world.test_step.pk}"
    )
    text = page.content.decode()
    assert first.family_name in text and second.family_name not in text


def test_cancelling_from_the_page_keeps_the_event_with_its_reason() -> None:
    world = build_selection_world()
    event, _person = _invited_event(world)
    url = f"/en/recruiter/selection/job-datings/{event.public_id}/"
    client = _staff(world)
    assert client.post(f"{url}cancel/", {"reason": ""}).status_code == 400
    assert client.post(f"{url}cancel/", {"reason": "Borders closed"}).status_code == 302
    event.refresh_from_db()
    assert event.status == JobDating.Status.CANCELLED
    assert JobDatingInvitation.objects.filter(event=event).count() == 1
    assert "Borders closed" in client.get(url).content.decode()


def test_an_employer_sees_its_events_anonymised_and_another_employer_gets_a_404() -> None:
    world = build_selection_world()
    event, person = _invited_event(world)
    own = _employer(world)
    assert event.name in own.get("/en/employer/selection/job-datings/").content.decode()
    text = own.get(f"/en/employer/selection/job-datings/{event.public_id}/").content.decode()
    invitation = JobDatingInvitation.objects.get(event=event)
    assert invitation.reference in text
    assert person.family_name not in text
    other = _employer(world, world.employer_b)
    assert event.name not in other.get("/en/employer/selection/job-datings/").content.decode()
    assert other.get(f"/en/employer/selection/job-datings/{event.public_id}/").status_code == 404
    assert other.get(f"/en/employer/selection/job-datings/{uuid4()}/").status_code == 404


def test_the_video_cv_shows_only_with_its_own_consent_and_hides_at_once_when_withdrawn() -> None:
    world = build_selection_world()
    event, person = _invited_event(world)
    Candidate.objects.filter(pk=person.pk).update(video_cv_url=VIDEO)
    own = _employer(world)
    url = f"/en/employer/selection/job-datings/{event.public_id}/"
    assert VIDEO not in own.get(url).content.decode()  # sharing the profile is not enough
    consent = share(person, world.employer_a, Consent.Purpose.VIDEO_CV_WITH_EMPLOYER)
    share(person, world.employer_b, Consent.Purpose.VIDEO_CV_WITH_EMPLOYER)
    assert VIDEO in own.get(url).content.decode()
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    assert VIDEO not in own.get(url).content.decode()


def test_withdrawing_the_consent_to_share_hides_the_candidate_from_the_event() -> None:
    world = build_selection_world()
    event, person = _invited_event(world)
    own = _employer(world)
    url = f"/en/employer/selection/job-datings/{event.public_id}/"
    reference = JobDatingInvitation.objects.get(event=event).reference
    assert reference in own.get(url).content.decode()
    Consent.objects.filter(candidate=person, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER).update(
        withdrawn_at=timezone.now()
    )
    assert reference not in own.get(url).content.decode()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_passed(world: SelectionWorld, count: int) -> list[Candidate]:
    people = []
    for _ in range(count):
        person = factories.CandidateFactory.create(project=world.project, video_cv_url=VIDEO)
        share(person, world.employer_a)
        share(person, world.employer_a, Consent.Purpose.VIDEO_CV_WITH_EMPLOYER)
        factories.LanguageProficiencyFactory.create(candidate=person)
        record(world, person, world.test_step, Verdict.PASSED, "70")
        record(world, person, world.interview, Verdict.PASSED)
        people.append(person)
    return people


def test_the_query_counts_do_not_grow_with_the_data() -> None:
    world = build_selection_world(candidates=1)
    event, _person = _invited_event(world)
    staff, employer = _staff(world), _employer(world)
    urls = [
        (staff, f"/en/recruiter/selection/projects/{world.project.code}/"),
        (staff, f"/en/recruiter/selection/projects/{world.project.code}/candidates/"),
        (staff, f"/en/recruiter/selection/job-datings/{event.public_id}/"),
        (employer, "/en/employer/selection/job-datings/"),
        (employer, f"/en/employer/selection/job-datings/{event.public_id}/"),
    ]
    for client, url in urls:
        _queries(client, url)  # the first request of a session warms what later ones find cached
    before = [_queries(client, url) for client, url in urls]
    people = _add_passed(world, 6)
    services.job_dating_invite(event=event, candidate_ids=[p.pk for p in people[:4]], now=timezone.now())
    after = [_queries(client, url) for client, url in urls]
    assert after == before
