"""Restricting a candidate's data from the recruiter's candidate page, and what it removes from every
page (issue 14, GDPR art. 18): the search, the vacancy's matches, the case list, board and dashboard,
the project funnel's drill-down, the employer's proposals and the partner's pages. Lifting brings them
back; a refused action changes nothing."""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from candidates.models import Candidate, CandidateRestriction
from candidates.services import candidate_restrict
from core.models import User
from recruitment.models import CandidateNote, Placement
from tests import factories
from tests.web.world import WebWorld, verified_client

pytestmark = pytest.mark.django_db

Commit = Callable[[], AbstractContextManager[Any]]
REASON = "The candidate contests the accuracy of their diplomas."


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Commit:
    """``with commit():`` runs the after-commit callbacks (the candidate's recompute) at the end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def partner(world: WebWorld) -> Client:
    client = Client()
    client.force_login(factories.UserFactory.create(role=User.Role.PARTNER_USER, organisation=world.partner))
    return client


def _detail(candidate: Candidate) -> str:
    return f"/en/recruiter/candidates/{candidate.public_id}/"


def _restrict(candidate: Candidate) -> str:
    return f"{_detail(candidate)}restrict/"


def _lift(candidate: Candidate) -> str:
    return f"{_detail(candidate)}restriction/lift/"


def _stored(world: WebWorld) -> tuple[str, int, int]:
    candidate = Candidate.objects.get(pk=world.candidate.pk)
    return candidate.status, candidate.profile_version, CandidateRestriction.objects.count()


def _everywhere(world: WebWorld, recruiter: Client, employer_a: Client, partner: Client) -> dict[str, bool]:
    """Where the proposed candidate (Amina Benali) or their case shows up."""
    name, case = "Benali", str(world.placement.public_id)
    project_step = f"/en/recruiter/projects/{world.project.code}/steps/proposed/"
    partner_page = f"/en/partner/candidates/{world.candidate.public_id}/"
    return {
        "search": name in recruiter.get("/en/recruiter/candidates/").text,
        "vacancy": name in recruiter.get(f"/en/recruiter/vacancies/{world.vacancy.public_id}/").text,
        "placements": case in recruiter.get("/en/recruiter/placements/").text,
        "board": case in recruiter.get("/en/recruiter/placements/board/").text,
        "dashboard": case in recruiter.get("/en/recruiter/").text,
        "funnel": name in recruiter.get(project_step).text,
        "employer_vacancy": case in employer_a.get(f"/en/employer/vacancies/{world.vacancy.public_id}/").text,
        "employer_proposal": employer_a.get(f"/en/employer/proposals/{case}/").status_code == 200,
        "partner_list": name in partner.get("/en/partner/candidates/").text,
        "partner_page": partner.get(partner_page).status_code == 200,
        "restricted_list": name in recruiter.get("/en/recruiter/candidates/restricted/").text,
    }


def test_restricting_removes_the_candidate_from_every_list_and_lifting_brings_them_back(
    world: WebWorld, recruiter: Client, employer_a: Client, partner: Client, commit: Commit
) -> None:
    # The proposal is overdue: the dashboard lists it.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Placement.objects.filter(pk=world.placement.pk).update(response_due_on=yesterday)
    before = _everywhere(world, recruiter, employer_a, partner)
    assert before == {**{where: True for where in before}, "restricted_list": False}
    with commit():
        response = recruiter.post(_restrict(world.candidate), {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == _detail(world.candidate)
    restriction = CandidateRestriction.objects.get()
    assert (restriction.reason, restriction.restricted_by) == (REASON, world.recruiter)
    after = _everywhere(world, recruiter, employer_a, partner)
    assert after == {**{where: False for where in after}, "restricted_list": True}
    # Counted by the funnel, not listed: the page says so.
    funnel_page = recruiter.get(f"/en/recruiter/projects/{world.project.code}/steps/proposed/").text
    assert "1 candidate whose data is restricted, who is not listed" in funnel_page
    # Staff still open the page by address: the restriction, its reason, and the way to lift it.
    page = recruiter.get(_detail(world.candidate))
    assert page.status_code == 200
    assert (
        REASON in page.text
        and _lift(world.candidate) in page.text
        and _restrict(world.candidate) not in page.text
    )
    assert f"/en/recruiter/placements/{world.placement.public_id}/" in page.text
    with commit():
        response = recruiter.post(_lift(world.candidate))
    assert response.status_code == 302
    assert Candidate.objects.get(pk=world.candidate.pk).status == Candidate.Status.ACTIVE
    assert _everywhere(world, recruiter, employer_a, partner) == before


def test_a_refused_restriction_changes_nothing(
    world: WebWorld, recruiter: Client, employer_a: Client, partner: Client
) -> None:
    before = _stored(world)
    unknown = "6f1c2d3e-0000-4000-8000-000000000000"
    refusals = [
        (Client(), _restrict(world.candidate), {"reason": REASON}, 302),
        (employer_a, _restrict(world.candidate), {"reason": REASON}, 403),
        (partner, _restrict(world.candidate), {"reason": REASON}, 403),
        (partner, _lift(world.candidate), {}, 403),
        (recruiter, f"/en/recruiter/candidates/{unknown}/restrict/", {"reason": REASON}, 404),
        (recruiter, f"/en/recruiter/candidates/{unknown}/restriction/lift/", {}, 404),
    ]
    for client, url, data, status in refusals:
        assert client.post(url, data).status_code == status, url
    assert recruiter.get(_restrict(world.candidate)).status_code == 405
    empty = recruiter.post(_restrict(world.candidate), {"reason": "   "})
    assert empty.status_code == 400
    assert "Say why the data is restricted." in empty.text and "The data was not restricted." in empty.text
    # Lifting what is not restricted: a message, nothing written.
    lifted = recruiter.post(_lift(world.candidate), follow=True)
    assert "This candidate&#x27;s data is not restricted." in lifted.text
    assert _stored(world) == before


def test_a_restricted_candidate_takes_no_note_and_a_withdrawn_one_cannot_be_restricted(
    world: WebWorld, recruiter: Client
) -> None:
    recruiter.post(_restrict(world.candidate), {"reason": REASON})
    assert "no note can be added" in recruiter.get(_detail(world.candidate)).text
    assert recruiter.post(f"{_detail(world.candidate)}notes/", {"body": "A note."}).status_code == 404
    assert not CandidateNote.objects.exists()
    # A withdrawn candidate's page is a 404 for staff, restriction or not (their data is not processed).
    near_miss = world.near_miss
    Candidate.objects.filter(pk=near_miss.pk).update(status="withdrawn", withdrawn_at=timezone.now())
    assert recruiter.post(_restrict(near_miss), {"reason": REASON}).status_code == 404
    assert CandidateRestriction.objects.filter(candidate=near_miss).count() == 0


def test_staff_are_not_offered_to_lift_a_restriction_the_candidate_s_withdrawn_consent_set(
    world: WebWorld, recruiter: Client
) -> None:
    candidate_restrict(
        candidate=world.candidate,
        reason="Withdrew visibility.",
        source=CandidateRestriction.Source.VISIBILITY_WITHDRAWN,
    )
    page = recruiter.get(_detail(world.candidate)).text
    assert _lift(world.candidate) not in page
    assert "the restriction ends when they give that consent again" in page
    before = _stored(world)
    refused = recruiter.post(_lift(world.candidate), follow=True)
    assert "the restriction ends when they give that consent again" in refused.text
    assert _stored(world) == before


def test_the_administration_neither_sets_nor_ends_a_restriction(world: WebWorld) -> None:
    admin = verified_client(factories.UserFactory.create(is_staff=True, is_superuser=True))

    def status_field(candidate: Candidate) -> str:
        page = admin.get(f"/en/admin/candidates/candidate/{candidate.pk}/change/").text
        start = page.find('name="status"')
        return "" if start < 0 else page[start : page.find("</select>", start)]

    field = status_field(world.candidate)
    assert 'value="active"' in field and 'value="restricted"' not in field
    candidate_restrict(candidate=world.candidate, reason=REASON)
    assert status_field(world.candidate) == ""  # shown, not editable: lifted on the candidate's page
