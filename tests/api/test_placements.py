"""Placements of a partner's candidates: the stage and its history, and nothing about who moved it."""

import datetime
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from candidates.models import Candidate
from recruitment.models import Placement, PlacementStage, PlacementTransition
from tests import factories
from tests.api.conftest import Partner, published_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

URL = "/api/v1/placements/"


def case(candidate: Candidate, vacancy: Vacancy, *moves: tuple[str, str]) -> Placement:
    """A placement that went through ``moves`` ((stage, reason), ...), one day apart, by a recruiter."""
    recruiter = factories.UserFactory.create()
    start = timezone.now() - datetime.timedelta(days=len(moves) + 1)
    placement = Placement.objects.create(
        vacancy=vacancy, candidate=candidate, stage_changed_at=start, proposed_at=start
    )
    PlacementTransition.objects.create(
        placement=placement, to_stage="shortlisted", at=start, actor=recruiter, comment="internal note"
    )
    previous = "shortlisted"
    for day, (stage, reason) in enumerate(moves, start=1):
        at = start + datetime.timedelta(days=day)
        PlacementTransition.objects.create(
            placement=placement,
            from_stage=previous,
            to_stage=stage,
            at=at,
            actor=recruiter,
            reason=reason,
            comment="The employer thought the Dutch was weak",
        )
        previous = stage
    Placement.objects.filter(pk=placement.pk).update(
        stage=previous,
        stage_changed_at=start + datetime.timedelta(days=len(moves)),
        reason=reason if moves else "",
    )
    placement.refresh_from_db()
    return placement


def test_a_partner_reads_the_stage_and_history_of_its_candidates_cases(
    api_x: APIClient, partner_x: Partner
) -> None:
    candidate = factories.CandidateFactory.create(registered_by=partner_x.organisation)
    placement = case(
        candidate, published_vacancy(partner_x.project), ("proposed", ""), ("employer_declined", "language")
    )
    body = api_x.get(f"{URL}{placement.public_id}/").json()
    assert body["stage"] == "employer_declined"
    assert body["reason"] == "language"
    assert body["candidate"] == str(candidate.public_id)
    assert [(m["from_stage"], m["to_stage"], m["reason"]) for m in body["history"]] == [
        ("", "shortlisted", ""),
        ("shortlisted", "proposed", ""),
        ("proposed", "employer_declined", "language"),
    ]
    text = str(body)
    assert "internal note" not in text and "Dutch was weak" not in text
    assert set(body["history"][0]) == {"from_stage", "to_stage", "at", "reason"}  # no actor


def test_another_partners_cases_and_withdrawn_candidates_cases_are_not_shown(
    api_x: APIClient, partner_x: Partner, partner_y: Partner
) -> None:
    vacancy = published_vacancy(partner_x.project, partner_y.project)
    mine = case(factories.CandidateFactory.create(registered_by=partner_x.organisation), vacancy)
    theirs = case(factories.CandidateFactory.create(registered_by=partner_y.organisation), vacancy)
    withdrawn = factories.CandidateFactory.create(
        registered_by=partner_x.organisation, status="withdrawn", withdrawn_at=timezone.now()
    )
    gone = case(withdrawn, vacancy)
    assert [p["id"] for p in api_x.get(URL).json()["results"]] == [str(mine.public_id)]
    for hidden in (theirs, gone):
        assert api_x.get(f"{URL}{hidden.public_id}/").status_code == 404


def test_placement_filters(api_x: APIClient, partner_x: Partner) -> None:
    vacancy = published_vacancy(partner_x.project)
    first = case(
        factories.CandidateFactory.create(registered_by=partner_x.organisation), vacancy, ("proposed", "")
    )
    second = case(factories.CandidateFactory.create(registered_by=partner_x.organisation), vacancy)

    def ids(**params: Any) -> list[str]:
        return [p["id"] for p in api_x.get(URL, params).json()["results"]]

    assert ids(stage=PlacementStage.PROPOSED) == [str(first.public_id)]
    assert ids(candidate=str(second.candidate.public_id)) == [str(second.public_id)]
    assert set(ids(vacancy=str(vacancy.public_id))) == {str(first.public_id), str(second.public_id)}
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert ids(changed_since=future) == []
    assert api_x.get(URL, {"stage": "hired"}).status_code == 400


def test_the_placement_list_has_a_query_budget(
    api_x: APIClient, partner_x: Partner, django_assert_max_num_queries: Any
) -> None:
    vacancy = published_vacancy(partner_x.project)
    for _ in range(5):
        case(
            factories.CandidateFactory.create(registered_by=partner_x.organisation), vacancy, ("proposed", "")
        )
    with django_assert_max_num_queries(8):
        assert len(api_x.get(URL).json()["results"]) == 5
