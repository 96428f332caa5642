"""The video-CV link: https only, in the partner API's candidate payload (a change bumps the version and
the ETag), on the employer's case page only once the identity is shown and while its consent is in
force, in the candidate's own space with the consent's meaning; and gone with an erasure, like every
result and invitation of the candidate."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from candidate_space.views.consents import grant_meaning, withdrawal_meaning
from candidates.models import Candidate, Consent
from core.models import User
from privacy.relations import candidate_relations
from privacy.services.erasure import KEPT_RELATIONS, candidate_erase
from selection import services
from selection.models import JobDatingInvitation, SelectionResult, Verdict
from tests import factories
from tests.selection.world import build_selection_world, record, share
from tests.web.world import WebWorld, build_web_world

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/"
VIDEO = "https://video.example.org/amina"


def test_the_partner_api_takes_an_https_link_and_refuses_any_other(
    api_x: APIClient, candidate_body: Any
) -> None:
    refused = api_x.post(URL, candidate_body(video_cv_url="http://video.example.org/a"), format="json")
    assert refused.status_code == 400, refused.content
    assert "video_cv_url" in refused.content.decode()
    script = api_x.post(URL, candidate_body(video_cv_url="javascript:alert(1)"), format="json")
    assert script.status_code == 400
    assert not Candidate.objects.exists()
    created = api_x.post(URL, candidate_body(), format="json")
    assert created.json()["video_cv_url"] == ""
    url = f"{URL}{created.json()['id']}/"
    changed = api_x.patch(url, {"video_cv_url": VIDEO}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert changed.status_code == 200, changed.content
    assert changed.json()["video_cv_url"] == VIDEO
    assert changed["ETag"] == '"2"'


def test_a_video_consent_names_an_employer(api_x: APIClient, candidate_body: Any) -> None:
    consent = {
        "purpose": "video_cv_with_employer",
        "text_version": "2026-01",
        "granted_at": "2026-01-05T10:00:00Z",
    }
    body = candidate_body()
    body["consents"] = [*body["consents"], consent]
    response = api_x.post(URL, body, format="json")
    assert response.status_code == 400
    assert not Candidate.objects.exists()


def _employer_client(world: WebWorld) -> Client:
    client = Client()
    client.force_login(
        factories.UserFactory.create(role=User.Role.EMPLOYER_USER, organisation=world.employer_a)
    )
    return client


def test_the_case_page_shows_the_video_only_once_revealed_and_while_consented() -> None:
    world = build_web_world()
    Candidate.objects.filter(pk=world.candidate.pk).update(video_cv_url=VIDEO)
    share(world.candidate, world.employer_a, Consent.Purpose.VIDEO_CV_WITH_EMPLOYER)
    client = _employer_client(world)
    url = f"/en/employer/proposals/{world.placement.public_id}/"
    page = client.get(url)
    assert page.status_code == 200
    assert VIDEO not in page.content.decode()  # anonymised: not yet invited
    type(world.placement).objects.filter(pk=world.placement.pk).update(identity_revealed_at=timezone.now())
    assert VIDEO in client.get(url).content.decode()
    Consent.objects.filter(candidate=world.candidate, purpose=Consent.Purpose.VIDEO_CV_WITH_EMPLOYER).update(
        withdrawn_at=timezone.now()
    )
    assert VIDEO not in client.get(url).content.decode()


def test_the_candidates_space_says_what_the_video_consent_allows_and_what_withdrawing_does() -> None:
    employer = factories.OrganisationFactory.create(employer=True, name="Bakkerij Claes")
    consent = factories.ConsentFactory.build(
        purpose=Consent.Purpose.VIDEO_CV_WITH_EMPLOYER, recipient=employer
    )
    with translation.override("en"):
        assert "Bakkerij Claes may watch your video CV" in grant_meaning(consent)
        assert "no longer see the link to your video CV" in withdrawal_meaning(consent)


def test_the_erasure_covers_every_selection_table_and_the_link() -> None:
    world = build_selection_world(candidates=1)
    person = world.candidates[0]
    Candidate.objects.filter(pk=person.pk).update(video_cv_url=VIDEO)
    record(world, person, world.test_step, Verdict.PASSED, "80")
    record(world, person, world.interview, Verdict.PASSED)
    event = services.job_dating_create(
        project=world.project,
        name="Dating",
        held_on=timezone.localdate() + datetime.timedelta(days=3),
        online=True,
        required_step=world.interview,
        employers=[world.employer_a],
        actor=world.recruiter,
    )
    services.job_dating_invite(event=event, candidate_ids=[person.pk], now=timezone.now())
    erased_tables = {r.related_model._meta.label for r in candidate_relations()} - set(KEPT_RELATIONS)
    assert {"selection.SelectionResult", "selection.JobDatingInvitation"} <= erased_tables
    candidate_erase(candidate=person, by=world.recruiter)
    person.refresh_from_db()
    assert person.video_cv_url == ""
    assert not SelectionResult.objects.filter(candidate=person).exists()
    assert not JobDatingInvitation.objects.filter(candidate=person).exists()
    # The event and the steps stay: they are the project's, not the person's.
    assert event.__class__.objects.filter(pk=event.pk).exists()
