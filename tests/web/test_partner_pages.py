"""A partner agency's pages: its own candidates only, with their cases' stages and no one else's words."""

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from candidates.models import Candidate
from core.models import User
from recruitment.models import CandidateNote, DecisionReason
from recruitment.services.placements import placement_move, placement_propose, placement_shortlist
from tests import factories
from tests.web.world import WebWorld, employer_user, matched_candidate, published_vacancy, stored_match

pytestmark = pytest.mark.django_db

EMPLOYER_COMMENT = "Internal remark of the employer about the salary"
RECRUITER_NOTE = "Recruiter's private note about the family situation"


def _partner_client(organisation: Any) -> Client:
    client = Client()
    client.force_login(factories.UserFactory.create(role=User.Role.PARTNER_USER, organisation=organisation))
    return client


@pytest.fixture
def partner(world: WebWorld) -> Client:
    return _partner_client(world.partner)


def _list_url(query: str = "") -> str:
    return f"/en/partner/candidates/{query}"


def _detail_url(candidate: Candidate) -> str:
    return f"/en/partner/candidates/{candidate.public_id}/"


def test_a_partner_lists_its_own_candidates_with_their_cases(world: WebWorld, partner: Client) -> None:
    stranger = factories.CandidateFactory.create(given_name="Stranger", family_name="Elsewhere")
    response = partner.get(_list_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amina Benali" in html and "Youssef Alaoui" in html
    assert "Proposed to the employer" in html and world.vacancy.title in html
    assert _detail_url(world.candidate) in html
    assert "Stranger" not in html and str(stranger.public_id) not in html
    # The navigation leads here.
    assert re.search(r'href="/en/partner/candidates/"\s+aria-current="page"', html)


def test_the_list_filters_by_stage_and_project(world: WebWorld, partner: Client) -> None:
    other = factories.ProjectFactory.create(name="Other project")
    factories.CandidateFactory.create(
        given_name="Karim", family_name="Other", registered_by=world.partner, project=other
    )
    html = partner.get(_list_url("?stage=proposed")).content.decode()
    assert "Amina Benali" in html and "Youssef Alaoui" not in html and "Karim" not in html
    html = partner.get(_list_url(f"?project={other.pk}")).content.decode()
    assert "Karim Other" in html and "Amina" not in html
    # An unknown stage is ignored, not an error.
    assert partner.get(_list_url("?stage=nonsense")).status_code == 200


def test_the_list_has_a_query_budget(
    world: WebWorld, partner: Client, django_assert_max_num_queries: Any
) -> None:
    for index in range(6):
        vacancy = published_vacancy(world.employer_b, title=f"Vacancy {index}")
        candidate = matched_candidate(vacancy, registered_by=world.partner, project=world.project)
        stored_match(vacancy, candidate)
        placement = placement_shortlist(vacancy=vacancy, candidate=candidate, actor=world.recruiter)
        placement_propose(placement=placement, actor=world.recruiter, expected_version=placement.version)
    partner.get(_list_url())
    # Session and user, the project filter's options, the count, the page, the cases with their vacancies.
    with django_assert_max_num_queries(7):
        response = partner.get(_list_url())
    assert response.status_code == 200
    assert response.content.decode().count('<span class="badge">Proposed to the employer</span>') == 7


def test_the_detail_shows_stages_dates_and_reasons_but_no_one_s_words_or_names(
    world: WebWorld, partner: Client
) -> None:
    employer = employer_user(world.employer_a)
    placement = placement_move(
        placement=world.placement,
        to_stage="employer_declined",
        actor=employer,
        expected_version=world.placement.version,
        reason=DecisionReason.LANGUAGE,
        comment=EMPLOYER_COMMENT,
    )
    CandidateNote.objects.create(
        candidate=world.candidate, placement=placement, author=world.recruiter, body=RECRUITER_NOTE
    )
    response = partner.get(_detail_url(world.candidate))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amina Benali" in html and world.candidate.external_id in html
    assert world.vacancy.title in html
    for stage in ("Shortlisted", "Proposed to the employer", "Employer declined"):
        assert stage in html
    assert "Language level too low" in html  # the reason code, translated
    for hidden in (
        EMPLOYER_COMMENT,
        RECRUITER_NOTE,
        world.placement.proposal_message,  # the recruiter's message to the employer
        world.recruiter.get_full_name(),
        world.employer_a.name,
        employer.username,
    ):
        assert hidden not in html


def test_another_partner_s_candidate_and_a_withdrawn_one_are_not_found(
    world: WebWorld, partner: Client
) -> None:
    other = factories.CandidateFactory.create()  # registered by another organisation
    assert partner.get(_detail_url(other)).status_code == 404
    Candidate.objects.filter(pk=world.near_miss.pk).update(
        status=Candidate.Status.WITHDRAWN, withdrawn_at=timezone.now()
    )
    assert partner.get(_detail_url(world.near_miss)).status_code == 404
    assert "Youssef" not in partner.get(_list_url()).content.decode()


def test_other_roles_are_refused_before_any_lookup(
    world: WebWorld, recruiter: Client, employer_a: Client
) -> None:
    for client in (recruiter, employer_a):
        assert client.get(_list_url()).status_code == 403
        assert client.get(_detail_url(world.candidate)).status_code == 403


def test_the_partner_home_page_leads_to_its_candidates(world: WebWorld, partner: Client) -> None:
    for language in ("nl", "fr", "en"):
        response = partner.get(f"/{language}/")
        assert response.status_code == 200
        assert f'href="/{language}/partner/candidates/"' in response.content.decode()
