"""Who may be invited to a job dating and who an invited employer may see, checked again each time:
no employer means nobody to invite; a suspended employer is not invited and sees nobody; a candidate
whose result at the required step no longer reads "passed" is hidden. And the staff page of an event
shows a bounded page of invitations and of candidates to invite, whatever their number."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from candidates.models import Candidate
from core.models import Organisation
from selection import selectors, services, views
from selection.models import JobDating, JobDatingInvitation, Verdict
from tests import factories
from tests.selection.world import SelectionWorld, build_selection_world, record, share
from tests.web.world import verified_client

pytestmark = pytest.mark.django_db

P = Verdict.PASSED


def _passed(world: SelectionWorld, people: list[Candidate]) -> None:
    for person in people:
        record(world, person, world.test_step, P, "90")
        record(world, person, world.interview, P)


def _event(world: SelectionWorld, employers: list[Organisation] | None = None) -> JobDating:
    return services.job_dating_create(
        project=world.project,
        name="Online dating",
        held_on=timezone.localdate() + datetime.timedelta(days=10),
        online=True,
        required_step=world.interview,
        employers=[world.employer_a] if employers is None else employers,
        actor=world.recruiter,
    )


def _suspend(organisation: Organisation) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(
        compliance_status=Organisation.Compliance.SUSPENDED, suspension_reason="Labour inspection"
    )


def test_an_event_without_employers_has_nobody_to_invite() -> None:
    world = build_selection_world(candidates=2)
    _passed(world, world.candidates)
    event = _event(world)
    event.employers.clear()  # e.g. its only employer was deleted
    assert list(selectors.eligible_for(event)) == []
    outcome = services.job_dating_invite(
        event=event, candidate_ids=[p.pk for p in world.candidates], now=timezone.now()
    )
    assert (outcome.invited, outcome.refused) == (0, 2)
    assert not JobDatingInvitation.objects.exists()


def test_a_suspended_employer_is_refused_by_the_service_even_if_the_form_offered_it() -> None:
    world = build_selection_world(candidates=1)
    employer = Organisation.objects.get(pk=world.employer_b.pk)  # read before the suspension, as a form
    _suspend(world.employer_b)
    with pytest.raises(services.SelectionError) as refused:
        _event(world, employers=[world.employer_a, employer])
    assert refused.value.code == "employer_suspended"
    assert not JobDating.objects.exists()


def test_an_invited_employer_no_longer_sees_a_candidate_whose_result_changed() -> None:
    world = build_selection_world(candidates=2)
    kept, changed = world.candidates
    _passed(world, world.candidates)
    event = _event(world)
    services.job_dating_invite(event=event, candidate_ids=[kept.pk, changed.pk], now=timezone.now())
    assert len(selectors.invited_profiles(event=event, organisation_id=world.employer_a.pk)) == 2
    record(world, changed, world.interview, Verdict.FAILED)  # the result is corrected after the invitation
    (profile,) = selectors.invited_profiles(event=event, organisation_id=world.employer_a.pk)
    assert profile.reference == JobDatingInvitation.objects.get(event=event, candidate=kept).reference


def test_a_suspended_employer_sees_no_invited_candidate() -> None:
    world = build_selection_world(candidates=1)
    _passed(world, world.candidates)
    event = _event(world)
    services.job_dating_invite(event=event, candidate_ids=[world.candidates[0].pk], now=timezone.now())
    assert selectors.invited_profiles(event=event, organisation_id=world.employer_a.pk)
    _suspend(world.employer_a)
    assert selectors.invited_profiles(event=event, organisation_id=world.employer_a.pk) == []


def _get(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured, translation.override("en"):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def _more_passed(world: SelectionWorld, count: int) -> list[Candidate]:
    people = [factories.CandidateFactory.create(project=world.project) for _ in range(count)]
    for person in people:
        share(person, world.employer_a)
    _passed(world, people)
    return people


def test_the_staff_page_of_an_event_is_bounded_searchable_and_its_queries_constant(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(views, "INVITATIONS_SHOWN", 2)
    monkeypatch.setattr(views, "INVITABLE_PER_PAGE", 2)
    world = build_selection_world(candidates=3)
    _passed(world, world.candidates)
    event = _event(world)
    services.job_dating_invite(
        event=event, candidate_ids=[p.pk for p in world.candidates], now=timezone.now()
    )
    others = _more_passed(world, 1)
    staff = verified_client(world.recruiter)
    url = f"/en/recruiter/selection/job-datings/{event.public_id}/"
    _get(staff, url)  # the first request of a session warms what later ones find cached
    page, before = _get(staff, url)
    assert "Showing the first 2 of 3 invitations" in page
    assert page.count('name="candidates"') == 1  # the one who qualifies and is not invited yet

    others += _more_passed(world, 5)
    page, after = _get(staff, url)
    assert after == before
    assert "Showing the first 2 of 3 invitations" in page
    assert page.count('name="candidates"') == 2
    assert "Showing 1–2 of 6 candidates who qualify" in page
    page, _count = _get(staff, url + "?page=3")
    assert page.count('name="candidates"') == 2

    wanted = others[3]
    Candidate.objects.filter(pk=wanted.pk).update(family_name="Zerhouni-Findme")
    page, _count = _get(staff, url + "?q=findme")
    assert page.count('name="candidates"') == 1 and f'value="{wanted.pk}"' in page
    assert "Showing 1–" not in page
