"""Candidates through the partner API: register, read, change, withdraw; what each write does to the
profile version and the match recompute."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from candidates.models import Candidate, Consent
from projects.models import ProjectPartner, TrainingProgramme
from tests import factories
from tests.api.conftest import Partner

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/"
Body = Callable[..., dict[str, Any]]


def _create(api: APIClient, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_registering_a_candidate_stores_the_whole_profile_and_queues_the_recompute(
    api_x: APIClient, partner_x: Partner, candidate_body: Body, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_x.post(URL, candidate_body(project=partner_x.project.code), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == f"{URL}{body['id']}/"
    candidate = Candidate.objects.get(public_id=body["id"])
    assert candidate.registered_by == partner_x.organisation
    assert candidate.project == partner_x.project
    assert (candidate.profile_version, candidate.matched_version) == (1, 0)  # stale until recomputed
    assert len(callbacks) == 1  # the recompute, queued after commit
    assert body["languages"][0]["listening"] == "A2"
    assert body["diplomas"][0]["recognition_steps"][0]["outcome"] == "requested"
    assert body["consents"][0]["purpose"] == "profile_visibility"
    assert body["matches_current"] is False
    assert "registered_by" not in body


def test_a_body_naming_the_registering_organisation_is_refused(
    api_x: APIClient, partner_y: Partner, candidate_body: Body
) -> None:
    response = api_x.post(URL, candidate_body(registered_by=partner_y.organisation.pk), format="json")
    assert response.status_code == 400
    assert [(e["pointer"], e["code"]) for e in response.json()["errors"]] == [
        ("#/registered_by", "unknown_field")
    ]
    assert not Candidate.objects.exists()


def test_another_partners_project_reads_as_unknown(
    api_x: APIClient, partner_y: Partner, candidate_body: Body
) -> None:
    response = api_x.post(URL, candidate_body(project=partner_y.project.code), format="json")
    assert response.status_code == 400
    assert [e["pointer"] for e in response.json()["errors"]] == ["#/project"]
    assert not Candidate.objects.exists()


def test_an_external_id_is_unique_per_partner_not_globally(
    api_x: APIClient, api_y: APIClient, candidate_body: Body
) -> None:
    _create(api_x, candidate_body())
    again = api_x.post(URL, candidate_body(given_name="Other"), format="json")
    assert again.status_code == 409
    assert again.json()["errors"][0]["pointer"] == "#/external_id"
    _create(api_y, candidate_body())  # partner Y may use the same reference for its own candidate
    assert Candidate.objects.count() == 2


def test_patch_changes_only_what_it_names_and_bumps_the_version_once(
    api_x: APIClient, candidate_body: Body, django_capture_on_commit_callbacks: Any
) -> None:
    created = _create(api_x, candidate_body())
    url = f"{URL}{created['id']}/"
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_x.patch(url, {"phone": "+212600000000"}, format="json")
    assert response.status_code == 200
    assert len(callbacks) == 1
    body = response.json()
    assert body["phone"] == "+212600000000"
    assert body["languages"] == created["languages"]  # untouched lists stay
    candidate = Candidate.objects.get(public_id=created["id"])
    assert candidate.profile_version == 2


def test_a_write_that_changes_nothing_writes_and_recomputes_nothing(
    api_x: APIClient, candidate_body: Body, django_capture_on_commit_callbacks: Any
) -> None:
    body = candidate_body()
    created = _create(api_x, body)
    url = f"{URL}{created['id']}/"
    with django_capture_on_commit_callbacks() as callbacks:
        patched = api_x.patch(url, {k: body[k] for k in ("given_name", "languages", "diplomas", "consents")})
        replaced = api_x.put(url, body, format="json")
    assert (patched.status_code, replaced.status_code) == (200, 200)
    assert callbacks == []
    assert Candidate.objects.get(public_id=created["id"]).profile_version == 1
    assert replaced.json()["updated_at"] == created["updated_at"]


def test_a_nested_list_given_replaces_the_current_one(api_x: APIClient, candidate_body: Body) -> None:
    created = _create(api_x, candidate_body())
    url = f"{URL}{created['id']}/"
    languages = [
        {"language": "nl", "listening": "B1", "spoken_interaction": "B1", "nt2_level": "2.4"},
        {"language": "fr", "is_native": True},
    ]
    body = api_x.patch(url, {"languages": languages, "diplomas": []}, format="json").json()
    assert sorted(lang["language"] for lang in body["languages"]) == ["fr", "nl"]
    assert body["diplomas"] == []


def test_put_resets_what_it_leaves_out(api_x: APIClient, candidate_body: Body) -> None:
    created = _create(api_x, candidate_body(phone="+212600000000", currently_in_belgium=True))
    body = candidate_body()
    del body["languages"]
    replaced = api_x.put(f"{URL}{created['id']}/", body, format="json").json()
    assert replaced["phone"] == ""
    assert replaced["currently_in_belgium"] is False
    assert replaced["languages"] == created["languages"]  # a list left out stays


def test_put_needs_the_required_fields(api_x: APIClient, candidate_body: Body) -> None:
    created = _create(api_x, candidate_body())
    response = api_x.put(f"{URL}{created['id']}/", {"given_name": "Amina"}, format="json")
    assert response.status_code == 400
    pointers = {e["pointer"] for e in response.json()["errors"]}
    assert {"#/external_id", "#/family_name", "#/date_of_birth", "#/country_of_residence"} <= pointers


def test_consents_are_renewed_and_withdrawn_never_deleted(api_x: APIClient, candidate_body: Body) -> None:
    created = _create(api_x, candidate_body())
    url = f"{URL}{created['id']}/"
    renewed = dict(created["consents"][0], text_version="2026-07")
    renewed = {k: v for k, v in renewed.items() if k not in ("recipient_name", "withdrawn_at")}
    body = api_x.patch(url, {"consents": [renewed]}, format="json").json()
    assert [(c["text_version"], c["withdrawn_at"] is None) for c in body["consents"]] == [
        ("2026-07", True),
        ("2026-01", False),
    ]
    body = api_x.patch(url, {"consents": []}, format="json").json()
    assert all(c["withdrawn_at"] is not None for c in body["consents"])
    assert Consent.objects.filter(candidate__public_id=created["id"]).count() == 2


def test_a_sharing_consent_names_an_employer_the_partner_can_see(
    api_x: APIClient, partner_x: Partner, candidate_body: Body
) -> None:
    from tests.api.conftest import published_vacancy

    vacancy = published_vacancy(partner_x.project)
    hidden_employer = factories.OrganisationFactory.create(employer=True, name="Not visible NV")
    consent = {
        "purpose": "share_with_employer",
        "text_version": "2026-01",
        "granted_at": "2026-02-01T09:00:00Z",
    }
    refused = api_x.post(URL, candidate_body(consents=[{**consent, "recipient": hidden_employer.pk}]))
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["pointer"] == "#/consents/0/recipient"
    accepted = api_x.post(URL, candidate_body(consents=[{**consent, "recipient": vacancy.employer_id}]))
    assert accepted.status_code == 201
    assert accepted.json()["consents"][0]["recipient_name"] == vacancy.employer.name


def test_training_progress_refers_to_a_programme_of_the_partners_projects(
    api_x: APIClient, partner_x: Partner, partner_y: Partner, candidate_body: Body
) -> None:
    mine = TrainingProgramme.objects.create(
        project=partner_x.project,
        name="Nederlands A2-B1",
        dutch_target_level="B1",
        includes_civic_orientation=True,
    )
    theirs = TrainingProgramme.objects.create(project=partner_y.project, name="Other programme")
    progress = {
        "status": "in_progress",
        "started_on": "2026-09-01",
        "expected_end_on": "2027-02-28",
        "dutch_level_reached": "A2",
        "civic_orientation_done": True,
    }
    refused = api_x.post(URL, candidate_body(training=[{**progress, "programme": theirs.pk}]))
    assert refused.status_code == 400
    body = _create(api_x, candidate_body(training=[{**progress, "programme": mine.pk}]))
    assert body["training"][0]["programme_name"] == "Nederlands A2-B1"
    assert body["training"][0]["civic_orientation_done"] is True


def test_a_project_gained_later_opens_its_programmes(
    api_x: APIClient, partner_x: Partner, partner_y: Partner, candidate_body: Body
) -> None:
    programme = TrainingProgramme.objects.create(project=partner_y.project, name="Shared course")
    ProjectPartner.objects.create(
        project=partner_y.project, organisation=partner_x.organisation, role=ProjectPartner.Role.TRAINING
    )
    body = candidate_body(training=[{"programme": programme.pk, "status": "enrolled"}])
    assert api_x.post(URL, body, format="json").status_code == 201


def test_withdrawing_hides_the_candidate_at_once_and_keeps_the_record(
    api_x: APIClient, candidate_body: Body, django_capture_on_commit_callbacks: Any
) -> None:
    created = _create(api_x, candidate_body())
    url = f"{URL}{created['id']}/"
    with django_capture_on_commit_callbacks() as callbacks:
        assert api_x.delete(url).status_code == 204
    assert len(callbacks) == 1  # the recompute that removes the matches
    candidate = Candidate.objects.get(public_id=created["id"])
    assert candidate.status == Candidate.Status.WITHDRAWN
    assert candidate.withdrawn_at is not None
    assert api_x.get(url).status_code == 404
    assert api_x.patch(url, {"phone": "1"}, format="json").status_code == 404
    assert api_x.delete(url).status_code == 404
    assert len(api_x.get(URL).json()["results"]) == 0
    assert Candidate.objects.visible().count() == 0


def test_the_list_filters_by_the_partners_own_fields(
    api_x: APIClient, partner_x: Partner, candidate_body: Body
) -> None:
    _create(api_x, candidate_body(external_id="A-1", project=partner_x.project.code))
    _create(api_x, candidate_body(external_id="A-2"))
    assert [c["external_id"] for c in api_x.get(URL, {"external_id": "A-2"}).json()["results"]] == ["A-2"]
    in_project = api_x.get(URL, {"project": partner_x.project.code}).json()["results"]
    assert [c["external_id"] for c in in_project] == ["A-1"]
    soon = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).isoformat()
    assert len(api_x.get(URL, {"updated_since": soon}).json()["results"]) == 0
    bad = api_x.get(URL, {"updated_since": "yesterday"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["parameter"] == "updated_since"


def test_the_candidate_list_has_a_query_budget(
    api_x: APIClient, partner_x: Partner, candidate_body: Body, django_assert_max_num_queries: Any
) -> None:
    for index in range(6):
        _create(api_x, candidate_body(external_id=f"Q-{index}", project=partner_x.project.code))
    with django_assert_max_num_queries(17):  # 17: the page's views in the access log, one INSERT (issue 14)
        response = api_x.get(URL)
    assert len(response.json()["results"]) == 6
