"""The self-declared ``sex`` of a candidate: optional, written by the registering partner through the
API, in the candidate's own data download, blanked by the erasure, refused when it is no known value."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from candidates.models import Candidate
from privacy.selectors import candidate_data_export
from privacy.services import candidate_erase
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/"
Body = Callable[..., dict[str, Any]]


def test_a_partner_may_declare_it_or_leave_it_out(api_x: APIClient, candidate_body: Body) -> None:
    declared = api_x.post(URL, candidate_body(external_id="X-1", sex="female"), format="json")
    assert declared.status_code == 201, declared.content
    assert declared.json()["sex"] == "female"
    assert Candidate.objects.get(external_id="X-1").sex == "female"

    undeclared = api_x.post(URL, candidate_body(external_id="X-2"), format="json")
    assert undeclared.status_code == 201, undeclared.content
    assert undeclared.json()["sex"] == ""
    assert Candidate.objects.get(external_id="X-2").sex == ""


def test_an_unknown_value_is_refused_and_nothing_is_written(api_x: APIClient, candidate_body: Body) -> None:
    response = api_x.post(URL, candidate_body(sex="f"), format="json")
    assert response.status_code == 400
    assert [error["pointer"] for error in response.json()["errors"]] == ["#/sex"]
    assert not Candidate.objects.exists()


def test_the_database_refuses_an_unknown_value() -> None:
    candidate = factories.CandidateFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.filter(pk=candidate.pk).update(sex="woman")


def test_the_candidates_data_download_holds_it() -> None:
    candidate = factories.CandidateFactory.create(sex="x")
    profile = candidate_data_export(candidate=candidate)["profile"]
    assert profile["sex"] == "x"
    assert profile["sex_label"] == str(Candidate.Sex.OTHER.label)


def test_the_erasure_blanks_it() -> None:
    candidate = factories.CandidateFactory.create(sex="female")
    candidate_erase(candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.ANONYMISED
    assert candidate.sex == ""
