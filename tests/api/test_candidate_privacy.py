"""The partner API and the candidate's data rights (issue 14): every read of a full profile is in the
candidate's access log (a page of them in one INSERT); a restricted candidate leaves the partner's view
and is reported in ``/candidates/removed/`` until the restriction is lifted."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from candidates.models import Candidate, ProfileAccess
from candidates.services import candidate_restrict, candidate_restriction_lift
from tests import factories
from tests.api.conftest import Partner

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/"
REMOVED = "/api/v1/candidates/removed/"
TABLE = ProfileAccess._meta.db_table
Body = Callable[..., dict[str, Any]]


def _mine(partner: Partner, count: int) -> list[Candidate]:
    return [factories.CandidateFactory.create(registered_by=partner.organisation) for _ in range(count)]


def test_reading_a_candidate_records_one_view_by_the_partner_organisation(
    api_x: APIClient, partner_x: Partner
) -> None:
    (candidate,) = _mine(partner_x, 1)
    assert api_x.get(f"{URL}{candidate.public_id}/").status_code == 200
    row = ProfileAccess.objects.get()
    assert (row.candidate_id, row.viewer_kind, row.what) == (candidate.pk, "partner_api", "api_candidate")
    # The OAuth2 client acts for the organisation: no person is named.
    assert (row.viewer_organisation_id, row.viewer_user_id) == (partner_x.organisation.pk, None)


def test_a_page_of_the_list_records_one_view_per_candidate_in_one_insert(
    api_x: APIClient, partner_x: Partner
) -> None:
    candidates = _mine(partner_x, 5)
    api_x.get(URL, {"page_size": 1})  # the token's first use
    ProfileAccess.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        response = api_x.get(URL, {"page_size": 3})
    assert response.status_code == 200
    touching = [query["sql"] for query in queries.captured_queries if TABLE in query["sql"]]
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("INSERT")
    shown = [item["id"] for item in response.json()["results"]]
    logged = ProfileAccess.objects.values_list("candidate__public_id", flat=True)
    assert sorted(str(public_id) for public_id in logged) == sorted(shown)
    assert len(shown) == 3 and {str(c.public_id) for c in candidates} >= set(shown)


def test_refused_reads_and_the_partners_own_writes_record_nothing(
    api_x: APIClient, api_y: APIClient, partner_x: Partner, candidate_body: Body
) -> None:
    (candidate,) = _mine(partner_x, 1)
    assert api_y.get(f"{URL}{candidate.public_id}/").status_code == 404  # another partner's candidate
    assert APIClient().get(f"{URL}{candidate.public_id}/").status_code == 401
    created = api_x.post(URL, candidate_body(external_id="W-1"), format="json")
    assert created.status_code == 201
    changed = api_x.patch(f"{URL}{created.json()['id']}/", {"phone": "+212 1"}, format="json")
    assert changed.status_code == 200
    assert not ProfileAccess.objects.exists()


def test_a_restricted_candidate_leaves_the_partners_view_and_comes_back_when_lifted(
    api_x: APIClient, partner_x: Partner
) -> None:
    kept, restricted = _mine(partner_x, 2)
    an_hour_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    Candidate.objects.filter(pk__in=[kept.pk, restricted.pk]).update(updated_at=an_hour_ago)
    before = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    candidate_restrict(candidate=restricted, reason="Contests the accuracy of the data.")
    listed = [item["id"] for item in api_x.get(URL).json()["results"]]
    assert listed == [str(kept.public_id)]
    assert api_x.get(f"{URL}{restricted.public_id}/").status_code == 404
    removed = api_x.get(REMOVED, {"updated_since": before.isoformat()}).json()["results"]
    assert [(item["id"], item["status"]) for item in removed] == [(str(restricted.public_id), "restricted")]
    assert not ProfileAccess.objects.filter(candidate=restricted).exists()
    lifted_since = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    candidate_restriction_lift(candidate=restricted)
    back = api_x.get(URL, {"updated_since": lifted_since.isoformat()}).json()["results"]
    assert [(item["id"], item["status"]) for item in back] == [(str(restricted.public_id), "active")]
    assert api_x.get(REMOVED, {"updated_since": lifted_since.isoformat()}).json()["results"] == []


def test_a_restricted_candidate_cannot_be_changed_by_its_partner(
    api_x: APIClient, partner_x: Partner, candidate_body: Body
) -> None:
    created = api_x.post(URL, candidate_body(external_id="R-1"), format="json").json()
    candidate = Candidate.objects.get(public_id=created["id"])
    candidate_restrict(candidate=candidate, reason="Asked for erasure.")
    version = Candidate.objects.get(pk=candidate.pk).profile_version
    response = api_x.post(
        f"{URL}bulk/", {"items": [candidate_body(external_id="R-1", given_name="Changed")]}, format="json"
    )
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert result["status"] == "error" and result["errors"][0]["code"] == "restricted"
    stored = Candidate.objects.get(pk=candidate.pk)
    assert (stored.given_name, stored.profile_version, stored.status) == ("Amina", version, "restricted")
