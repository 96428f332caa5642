"""Issue 12, item 3, in the browser: once the candidate withdraws the consent to share their profile with
employer A, A's pages answer as if the case did not exist (a 404, no row, no count), the recruiter sees
the case flagged on its page and on the dashboard, and a new consent brings the case back."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import formats, timezone

from candidates.models import Consent
from candidates.services import ProfileInput, candidate_update
from projects.models import ProjectPartner
from recruitment.models import Placement
from tests.web.world import WebWorld

pytestmark = pytest.mark.django_db


def _proposal_url(placement: Placement, suffix: str = "") -> str:
    return f"/en/employer/proposals/{placement.public_id}/{suffix}"


def _withdraw(world: WebWorld, commit: Any) -> None:
    """What the partner API does with a consent list that no longer names employer A (the partner takes
    part in the candidate's project, as it must to change the profile)."""
    ProjectPartner.objects.get_or_create(
        project=world.project, organisation=world.partner, defaults={"role": ProjectPartner.Role.ORIGIN_PES}
    )
    with commit(execute=True):
        candidate_update(candidate=world.candidate, profile=ProfileInput(consents=[]))


def test_after_the_withdrawal_the_employer_gets_a_404_and_sees_no_row(
    world: WebWorld, employer_a: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _withdraw(world, django_capture_on_commit_callbacks)
    assert employer_a.get(_proposal_url(world.placement)).status_code == 404
    moved = employer_a.post(
        _proposal_url(world.placement, "move/"),
        {"expected_version": world.placement.version, "to_stage": "employer_interested"},
    )
    assert moved.status_code == 404
    assert employer_a.post(_proposal_url(world.placement, "slots/"), {}).status_code == 404
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.PROPOSED and world.placement.identity_revealed_at is None

    page = employer_a.get(f"/en/employer/vacancies/{world.vacancy.public_id}/")
    assert page.status_code == 200
    assert str(world.placement.public_id) not in page.text
    assert world.placement.reference not in page.text
    listing = employer_a.get("/en/employer/vacancies/").text
    assert "Lasser MIG/MAG" in listing and '<td class="num">1</td>' not in listing


def test_the_recruiter_sees_the_flag_on_the_case_and_on_the_dashboard(
    world: WebWorld, recruiter: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _withdraw(world, django_capture_on_commit_callbacks)
    withdrawn_at = Consent.objects.get(candidate=world.candidate).withdrawn_at
    assert withdrawn_at is not None
    day = formats.date_format(timezone.localtime(withdrawn_at), "DATE_FORMAT")
    case = recruiter.get(f"/en/recruiter/placements/{world.placement.public_id}/")
    assert case.status_code == 200
    assert 'id="hidden-from-employer"' in case.text
    assert day in case.text and "Lasbedrijf A" in case.text
    dashboard = recruiter.get("/en/recruiter/").text
    section = dashboard[dashboard.index('id="hidden-title"') :]
    section = section[: section.index("</section>")]
    assert f"/en/recruiter/placements/{world.placement.public_id}/" in section
    assert "Lasbedrijf A" in section


def test_a_new_consent_shows_the_case_to_the_employer_again(
    world: WebWorld, employer_a: Client, recruiter: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _withdraw(world, django_capture_on_commit_callbacks)
    assert employer_a.get(_proposal_url(world.placement)).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        candidate_update(
            candidate=world.candidate,
            profile=ProfileInput(
                consents=[
                    {
                        "purpose": Consent.Purpose.SHARE_WITH_EMPLOYER,
                        "recipient": world.employer_a,
                        "text_version": "2026-11",
                        "granted_at": timezone.now() - datetime.timedelta(seconds=1),
                    }
                ]
            ),
        )
    assert employer_a.get(_proposal_url(world.placement)).status_code == 200
    assert '<td class="num">1</td>' in employer_a.get("/en/employer/vacancies/").text
    case = recruiter.get(f"/en/recruiter/placements/{world.placement.public_id}/").text
    assert 'id="hidden-from-employer"' not in case
