"""The employer's pages: its own vacancies, the candidates proposed to it, anonymised until it invites."""

import re
from typing import Any

import pytest
from django.test import Client

from recruitment.models import Placement
from recruitment.services.placements import placement_shortlist
from tests.web.world import EXPLANATION_QUERIES, WebWorld, matched_candidate, stored_match

pytestmark = pytest.mark.django_db


def _proposal_url(placement: Placement, suffix: str = "") -> str:
    return f"/en/employer/proposals/{placement.public_id}/{suffix}"


def _identity(world: WebWorld) -> list[str]:
    candidate = world.candidate
    return [
        candidate.given_name,
        candidate.family_name,
        candidate.email,
        candidate.phone,
        candidate.date_of_birth.isoformat(),
        candidate.date_of_birth.strftime("%B %-d, %Y"),
        candidate.external_id,
    ]


def test_an_employer_lists_its_own_vacancies_with_the_number_proposed(
    world: WebWorld, employer_a: Client, django_assert_max_num_queries: Any
) -> None:
    shortlisted = matched_candidate(world.vacancy)
    stored_match(world.vacancy, shortlisted)
    placement_shortlist(vacancy=world.vacancy, candidate=shortlisted, actor=world.recruiter)
    employer_a.get("/en/")
    with django_assert_max_num_queries(8):
        response = employer_a.get("/en/employer/vacancies/")
    assert response.status_code == 200
    assert "Lasser MIG/MAG" in response.text and "Metselaar" not in response.text
    # One proposed; the shortlisted candidate is the recruiter's business, not counted.
    assert '<td class="num">1</td>' in response.text


def test_the_proposals_of_a_vacancy_are_anonymised_and_never_include_a_shortlist(
    world: WebWorld, employer_a: Client, django_assert_max_num_queries: Any
) -> None:
    shortlisted = matched_candidate(world.vacancy, given_name="Hidden", family_name="Shortlist")
    stored_match(world.vacancy, shortlisted)
    hidden = placement_shortlist(vacancy=world.vacancy, candidate=shortlisted, actor=world.recruiter)
    with django_assert_max_num_queries(10):
        response = employer_a.get(f"/en/employer/vacancies/{world.vacancy.public_id}/")
    assert response.status_code == 200
    assert f"/en/employer/proposals/{world.placement.public_id}/" in response.text
    assert str(hidden.public_id) not in response.text and "Shortlist" not in response.text
    for value in _identity(world):
        assert value not in response.text
    assert employer_a.get(_proposal_url(hidden)).status_code == 404


def test_the_proposal_shows_skills_languages_diplomas_and_the_explanation_but_no_identity(
    world: WebWorld, employer_a: Client, django_assert_max_num_queries: Any
) -> None:
    # 17: the candidate's access log records the view (one INSERT, issue 14).
    with django_assert_max_num_queries(17 + EXPLANATION_QUERIES):
        response = employer_a.get(_proposal_url(world.placement))
    assert response.status_code == 200
    text = response.text
    for value in _identity(world):
        assert value not in text, value
    assert "weld metal parts" in text  # a skill
    assert "Dutch" in text and "B1" in text  # a language level
    assert "Bachelor of Science in Nursing" in text and "Requested, pending" in text  # recognition status
    assert "Has experience in this very occupation." in text  # the match explanation
    assert "Six years of MIG." in text  # the recruiter's message
    # No country of study (IN) or work (MA) before the invitation: they hint at a nationality.
    assert re.search(r"\b(MA|IN)\b", text.split("<main", 1)[1]) is None


def test_inviting_to_an_interview_reveals_the_name_and_contact(world: WebWorld, employer_a: Client) -> None:
    response = employer_a.post(
        _proposal_url(world.placement, "move/"),
        {"expected_version": world.placement.version, "to_stage": "employer_interested"},
    )
    assert response.status_code == 302
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.EMPLOYER_INTERESTED
    assert world.placement.identity_revealed_at is not None
    page = employer_a.get(_proposal_url(world.placement)).text
    assert "Amina Benali" in page and "amina@example.org" in page
    assert world.candidate.date_of_birth.isoformat() not in page  # never, even after the invitation


def test_declining_needs_a_reason_and_records_it_with_the_comment(
    world: WebWorld, employer_a: Client
) -> None:
    url = _proposal_url(world.placement, "move/")
    refused = employer_a.post(
        url, {"expected_version": world.placement.version, "to_stage": "employer_declined"}
    )
    assert refused.status_code == 400 and "Give a reason for this decision." in refused.text
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.PROPOSED

    response = employer_a.post(
        url,
        {
            "expected_version": world.placement.version,
            "to_stage": "employer_declined",
            "reason": "language",
            "comment": "Dutch B1 needed on site.",
        },
    )
    assert response.status_code == 302
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.EMPLOYER_DECLINED
    assert (world.placement.reason, world.placement.comment) == ("language", "Dutch B1 needed on site.")
    assert world.placement.identity_revealed_at is None


def test_an_employer_makes_only_its_own_moves(world: WebWorld, employer_a: Client) -> None:
    page = employer_a.get(_proposal_url(world.placement)).text
    assert "Invite to an interview" in page and "Withdraw" not in page
    response = employer_a.post(
        _proposal_url(world.placement, "move/"),
        {"expected_version": world.placement.version, "to_stage": "withdrawn", "reason": "other"},
    )
    assert response.status_code == 400
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.PROPOSED


def test_another_employer_can_neither_see_nor_move_the_case(world: WebWorld, employer_b: Client) -> None:
    assert employer_b.get(_proposal_url(world.placement)).status_code == 404
    assert employer_b.get(f"/en/employer/vacancies/{world.vacancy.public_id}/").status_code == 404
    response = employer_b.post(
        _proposal_url(world.placement, "move/"),
        {"expected_version": world.placement.version, "to_stage": "employer_interested"},
    )
    assert response.status_code == 404
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.PROPOSED and world.placement.identity_revealed_at is None
    listing = employer_b.get("/en/employer/vacancies/").text
    assert "Lasser MIG/MAG" not in listing and "Metselaar" in listing


def test_a_case_withdrawn_before_its_proposal_is_never_shown_to_the_employer(
    world: WebWorld, employer_a: Client
) -> None:
    candidate = matched_candidate(world.vacancy)
    stored_match(world.vacancy, candidate)
    placement = placement_shortlist(vacancy=world.vacancy, candidate=candidate, actor=world.recruiter)
    Placement.objects.filter(pk=placement.pk).update(stage=Placement.Stage.WITHDRAWN, reason="other")
    assert employer_a.get(_proposal_url(placement)).status_code == 404


def test_the_decision_page_works_in_each_language(world: WebWorld, employer_a: Client) -> None:
    for language in ("nl", "fr", "en"):
        response = employer_a.get(f"/{language}/employer/proposals/{world.placement.public_id}/")
        assert response.status_code == 200 and f'lang="{language}"' in response.text
        assert "Benali" not in response.text
