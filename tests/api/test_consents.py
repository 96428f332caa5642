"""Sharing consents name employers a partner may legitimately refer to for that candidate, and no other.

A partner reads a candidate's consents and sends the list back (docs/api.md: the list sent is the set in
force). That must work when a consent names an employer with no vacancy open to the partner's projects:
one the candidate already consented to (recorded by a recruiter, say), or the employer of a live case of
that candidate. Any other employer reads exactly like an id that does not exist.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.serializers.candidates import CONSENT_FIELDS
from candidates.models import Candidate, Consent
from core.models import Organisation
from recruitment.models import DecisionReason, Placement, PlacementStage
from tests import factories
from tests.api.conftest import Partner, published_vacancy

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/"
SHARING = {"purpose": "share_with_employer", "text_version": "2026-01", "granted_at": "2026-02-01T09:00:00Z"}


def _employer(name: str) -> Organisation:
    return factories.OrganisationFactory.create(employer=True, name=name)


def _case(candidate: Candidate, employer: Organisation, project: Any, stage: str = "shortlisted") -> None:
    """A case of ``candidate`` for a vacancy of ``employer`` open to ``project`` only."""
    vacancy = published_vacancy(project, employer=employer)
    reason = DecisionReason.CANDIDATE_WITHDREW if stage == PlacementStage.WITHDRAWN else ""
    Placement.objects.create(
        vacancy=vacancy, candidate=candidate, stage=stage, reason=reason, stage_changed_at=timezone.now()
    )


@pytest.fixture
def mine(api_x: APIClient, candidate_body: Callable[..., dict[str, Any]]) -> Candidate:
    response = api_x.post(URL, candidate_body(), format="json")
    assert response.status_code == 201, response.content
    return Candidate.objects.get(public_id=response.json()["id"])


def _in_force(api: APIClient, candidate: Candidate) -> list[dict[str, Any]]:
    consents = api.get(f"{URL}{candidate.public_id}/").json()["consents"]
    return [{key: c[key] for key in CONSENT_FIELDS} for c in consents if c["withdrawn_at"] is None]


def test_the_consent_list_goes_back_unchanged(api_x: APIClient, partner_y: Partner, mine: Candidate) -> None:
    """A recruiter recorded a consent to an employer whose vacancy is open to another partner's project."""
    elsewhere = _employer("Open to Y only NV")
    _case(mine, elsewhere, partner_y.project)
    factories.ConsentFactory.create(
        candidate=mine, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient=elsewhere
    )
    earlier = _employer("No case any more NV")  # an older consent, the case long closed
    factories.ConsentFactory.create(
        candidate=mine, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient=earlier
    )
    consents = _in_force(api_x, mine)
    assert {c["recipient"] for c in consents} == {None, elsewhere.pk, earlier.pk}

    response = api_x.patch(f"{URL}{mine.public_id}/", {"consents": consents}, format="json")
    assert response.status_code == 200, response.content
    assert _in_force(api_x, mine) == consents
    assert not Consent.objects.filter(candidate=mine, withdrawn_at__isnull=False).exists()

    bulk = api_x.post(
        f"{URL}bulk/", {"items": [{**_replaced(api_x, mine), "consents": consents}]}, format="json"
    )
    assert bulk.json()["results"][0]["status"] == "unchanged", bulk.content


def _replaced(api: APIClient, candidate: Candidate) -> dict[str, Any]:
    """The candidate's scalar fields as a bulk item (the nested lists stay as they are when left out)."""
    body = api.get(f"{URL}{candidate.public_id}/").json()
    keep = ("external_id", "given_name", "family_name", "email", "date_of_birth", "nationalities")
    return {key: body[key] for key in (*keep, "country_of_residence", "preferred_language")}


def test_a_consent_to_the_employer_of_a_live_case_is_accepted(
    api_x: APIClient, partner_y: Partner, mine: Candidate
) -> None:
    """The case cannot be proposed to the employer without it (GDPR): the partner records it."""
    employer = _employer("Case open NV")
    _case(mine, employer, partner_y.project, stage=PlacementStage.SHORTLISTED)
    consents = [*_in_force(api_x, mine), {**SHARING, "recipient": employer.pk}]
    response = api_x.patch(f"{URL}{mine.public_id}/", {"consents": consents}, format="json")
    assert response.status_code == 200, response.content
    assert Consent.objects.in_force().filter(candidate=mine, recipient=employer).exists()


def test_other_employers_read_like_ids_that_do_not_exist(
    api_x: APIClient, partner_x: Partner, partner_y: Partner, mine: Candidate, candidate_body: Any
) -> None:
    closed_case = _employer("Case closed NV")
    _case(mine, closed_case, partner_y.project, stage=PlacementStage.WITHDRAWN)
    sibling = factories.CandidateFactory.create(registered_by=partner_x.organisation)
    siblings_case = _employer("Case of another candidate NV")
    _case(sibling, siblings_case, partner_y.project)
    their_candidate = factories.CandidateFactory.create(registered_by=partner_y.organisation)
    their_case = _employer("Case and consent of Y's candidate NV")
    _case(their_candidate, their_case, partner_y.project)
    factories.ConsentFactory.create(
        candidate=their_candidate, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient=their_case
    )
    unknown = Organisation.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]

    answers = {}
    for employer_id in (closed_case.pk, siblings_case.pk, their_case.pk, unknown):
        consents = [*_in_force(api_x, mine), {**SHARING, "recipient": employer_id}]
        response = api_x.patch(f"{URL}{mine.public_id}/", {"consents": consents}, format="json")
        assert response.status_code == 400, response.content
        [error] = response.json()["errors"]
        assert error["pointer"] == "#/consents/1/recipient"
        answers[employer_id] = error["detail"].replace(str(employer_id), "<id>")
    assert len(set(answers.values())) == 1  # the same answer as for an id that does not exist
    # Nor does a new candidate borrow anything from the partner's other candidates.
    created = api_x.post(
        URL,
        candidate_body(external_id="X-NEW", consents=[{**SHARING, "recipient": siblings_case.pk}]),
        format="json",
    )
    assert created.status_code == 400
    assert not Consent.objects.filter(recipient__in=[closed_case, siblings_case]).exists()
