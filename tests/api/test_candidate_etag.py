"""``ETag`` on a candidate's answers and ``If-Match`` on its writes: a write based on an old read is
refused with a 412 and changes nothing; without ``If-Match`` writes go through as before."""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from candidates import services as candidate_services
from candidates.models import Candidate
from tests.api.conftest import Partner

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/"
Body = Callable[..., dict[str, Any]]


@pytest.fixture
def created(api_x: APIClient, candidate_body: Body) -> Any:
    response = api_x.post(URL, candidate_body(), format="json")
    assert response.status_code == 201, response.content
    return response


def _url(created: Any) -> str:
    return f"{URL}{created.json()['id']}/"


def test_every_answer_with_the_candidate_carries_its_version(api_x: APIClient, created: Any) -> None:
    assert created["ETag"] == '"1"'
    read = api_x.get(_url(created))
    assert read["ETag"] == '"1"'
    changed = api_x.patch(_url(created), {"phone": "+212600000000"}, format="json", HTTP_IF_MATCH='"1"')
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == '"2"' == api_x.get(_url(created))["ETag"]
    # A write that changes nothing keeps the version (and the tag).
    same = api_x.patch(_url(created), {"phone": "+212600000000"}, format="json", HTTP_IF_MATCH='"2"')
    assert same["ETag"] == '"2"'


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_write_based_on_an_old_read_is_a_412_and_changes_nothing(
    api_x: APIClient, created: Any, candidate_body: Body, method: str
) -> None:
    stale = created["ETag"]
    assert api_x.patch(_url(created), {"phone": "1"}, format="json").status_code == 200  # someone else
    before = Candidate.objects.values("status", "phone", "given_name", "profile_version").get()
    body = candidate_body(given_name="Overwritten") if method != "delete" else None
    response = getattr(api_x, method)(_url(created), body, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412, response.content
    problem = response.json()
    assert problem["type"] == "urn:talentbrug:problem:precondition-failed"
    assert response["ETag"] == '"2"'  # what to read again
    assert Candidate.objects.values("status", "phone", "given_name", "profile_version").get() == before


@pytest.mark.parametrize("if_match", ['"1"', '"7", "1"', "*"])
def test_a_current_tag_or_any_lets_the_write_through(api_x: APIClient, created: Any, if_match: str) -> None:
    response = api_x.patch(_url(created), {"given_name": "Amal"}, format="json", HTTP_IF_MATCH=if_match)
    assert response.status_code == 200, response.content
    assert Candidate.objects.get().given_name == "Amal"


def test_without_if_match_a_write_goes_through(api_x: APIClient, created: Any) -> None:
    assert api_x.patch(_url(created), {"given_name": "Amal"}, format="json").status_code == 200
    assert api_x.delete(_url(created)).status_code == 204
    assert Candidate.objects.get().status == Candidate.Status.WITHDRAWN


@pytest.mark.parametrize("if_match", ['W/"1"', '"01"'])
def test_a_weak_or_different_tag_never_matches(api_x: APIClient, created: Any, if_match: str) -> None:
    response = api_x.patch(_url(created), {"given_name": "Amal"}, format="json", HTTP_IF_MATCH=if_match)
    assert response.status_code == 412


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_an_unreadable_if_match_is_a_400_naming_the_header(
    api_x: APIClient, created: Any, method: str
) -> None:
    response = getattr(api_x, method)(_url(created), {}, format="json", HTTP_IF_MATCH="1")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["header"] == "If-Match"
    assert Candidate.objects.get().status == Candidate.Status.ACTIVE


def test_another_partners_candidate_is_a_404_before_any_precondition(api_y: APIClient, created: Any) -> None:
    response = api_y.patch(_url(created), {"given_name": "X"}, format="json", HTTP_IF_MATCH='"9"')
    assert response.status_code == 404
    assert "ETag" not in response


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks: PostgreSQL (SQLite runs one writer at a time anyway)",
)
def test_two_writers_sending_the_same_tag_cannot_both_pass(
    partner_x: Partner, candidate_body: Body, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first writer holds the candidate's row lock from its check to its commit (slowed down here);
    the second one's check waits for it, then sees the new version: 412, not a silent overwrite."""
    clients = [partner_x.client(), partner_x.client()]
    url = _url(clients[0].post(URL, candidate_body(), format="json"))
    update = candidate_services.candidate_update

    def slow_update(**kwargs: Any) -> Any:
        time.sleep(0.5)
        return update(**kwargs)

    monkeypatch.setattr(candidate_services, "candidate_update", slow_update)
    statuses: dict[str, int] = {}

    def write(name: str, client: APIClient) -> None:
        try:
            body = {"given_name": name}
            statuses[name] = client.patch(url, body, format="json", HTTP_IF_MATCH='"1"').status_code
        finally:
            connection.close()

    first = threading.Thread(target=write, args=("First", clients[0]))
    second = threading.Thread(target=write, args=("Second", clients[1]))
    first.start()
    time.sleep(0.2)  # the first one is inside its lock by now
    second.start()
    first.join()
    second.join()
    assert statuses == {"First": 200, "Second": 412}
    assert Candidate.objects.get().given_name == "First"
