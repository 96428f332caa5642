"""Issue 12, item 3, through the partner API: a partner that sends a candidate's consents without the one
naming an employer withdraws it, and that alone hides the candidate's case from the employer and tells
the partner (``placement.consent_withdrawn``), and no other partner."""

import datetime
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from candidates.models import Candidate
from core.models import User
from recruitment.models import Placement
from tests import factories
from tests.api.conftest import Partner, published_vacancy
from tests.webhooks.receiver import Receiver
from webhooks.events import EventType
from webhooks.models import WebhookEvent
from webhooks.services import subscription_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/"
VISIBILITY = {
    "purpose": "profile_visibility",
    "text_version": "2026-01",
    "granted_at": "2026-01-05T09:00:00Z",
}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


def _subscribe(receiver: Receiver, *partners: Partner) -> None:
    for partner in partners:
        subscription_create(
            organisation=partner.organisation,
            url=f"{receiver.url}/{partner.organisation.pk}",
            event_types=list(EventType.values),
        )


def test_a_partner_withdrawing_the_consent_hides_the_case_and_is_told(
    api_x: APIClient,
    partner_x: Partner,
    partner_y: Partner,
    receiver: Receiver,
    candidate_body: Callable[..., dict[str, Any]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    vacancy = published_vacancy(partner_x.project, partner_y.project)
    employer = vacancy.employer
    sharing = {**VISIBILITY, "purpose": "share_with_employer", "recipient": employer.pk}
    created = api_x.post(URL, candidate_body(consents=[VISIBILITY, sharing]), format="json")
    assert created.status_code == 201, created.content
    candidate = Candidate.objects.get(public_id=created.json()["id"])
    proposed_at = timezone.now() - datetime.timedelta(days=2)
    placement = Placement.objects.create(
        vacancy=vacancy,
        candidate=candidate,
        stage=Placement.Stage.PROPOSED,
        stage_changed_at=proposed_at,
        proposed_at=proposed_at,
    )
    _subscribe(receiver, partner_x, partner_y)
    client = Client()
    client.force_login(factories.UserFactory.create(role=User.Role.EMPLOYER_USER, organisation=employer))
    page = f"/en/employer/proposals/{placement.public_id}/"
    assert client.get(page).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = api_x.patch(f"{URL}{candidate.public_id}/", {"consents": [VISIBILITY]}, format="json")
    assert response.status_code == 200, response.content
    [withdrawn] = [c for c in response.json()["consents"] if c["purpose"] == "share_with_employer"]
    assert withdrawn["withdrawn_at"] is not None

    assert client.get(page).status_code == 404
    [event] = WebhookEvent.objects.filter(type="placement.consent_withdrawn")
    assert event.organisation_id == partner_x.organisation.pk
    assert (event.data["placement"], event.data["external_id"]) == (str(placement.public_id), "X-0001")
    # Delivered after commit, to X's endpoint only.
    sent = {(r.path, json.loads(r.body)["type"]) for r in receiver.received}
    assert (f"/hooks/{partner_x.organisation.pk}", "placement.consent_withdrawn") in sent
    assert not any(path == f"/hooks/{partner_y.organisation.pk}" for path, _type in sent)
