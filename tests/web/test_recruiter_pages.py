"""The recruiter's pages: vacancies with their outlook, explained matches, shortlist, proposal, moves."""

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from candidates.models import Consent
from recruitment.models import Match, Placement, PlacementTransition
from recruitment.services.match_facets import candidate_facets_add
from reference.models import ShortageList, ShortageListEntry, ShortageListOccupation
from tests import factories
from tests.concentric.budget import SEARCH_CHANNEL_QUERIES
from tests.web.world import EXPLANATION_QUERIES, WebWorld, matched_candidate, published_vacancy, stored_match

pytestmark = pytest.mark.django_db


def _vacancy_url(world: WebWorld, suffix: str = "", language: str = "en") -> str:
    return f"/{language}/recruiter/vacancies/{world.vacancy.public_id}/{suffix}"


def test_the_vacancy_list_shows_the_shortage_lists_and_the_routes_of_today(
    world: WebWorld, recruiter: Client
) -> None:
    # The world's welder is on the migration list already (tests.recruitment.world).
    assert ShortageListOccupation.objects.filter(
        occupation=world.vacancy.occupation,
        entry__shortage_list__kind=ShortageList.Kind.MIGRATION_MEDIUM_SKILLED,
    ).exists()
    expired = ShortageList.objects.create(
        kind=ShortageList.Kind.VDAB_SHORTAGE,
        region="VLG",
        title="Oud",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2021, 1, 1),
    )
    old_entry = ShortageListEntry.objects.create(shortage_list=expired, title_nl="Lasser")
    ShortageListOccupation.objects.create(entry=old_entry, occupation=world.vacancy.occupation)

    response = recruiter.get("/en/recruiter/vacancies/", {"employer": world.employer_a.pk})
    assert response.status_code == 200
    assert "Lasser MIG/MAG" in response.text and "Metselaar" not in response.text
    assert "Migration list (medium-skilled)" in response.text
    assert "VDAB shortage occupations" not in response.text  # that list is no longer valid
    assert "Medium-skilled shortage function" in response.text


def test_the_vacancy_list_has_a_query_budget(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(12):
        vacancy = published_vacancy(factories.OrganisationFactory.create(employer=True))
        stored_match(vacancy, factories.CandidateFactory.create())
    recruiter.get("/en/")  # the session's first request stamps its timestamps
    with django_assert_max_num_queries(14):
        response = recruiter.get("/en/recruiter/vacancies/")
    assert response.status_code == 200
    assert response.text.count("/en/recruiter/vacancies/") >= 14


def test_the_vacancy_page_ranks_and_explains_matches_and_keeps_near_misses_apart(
    world: WebWorld, recruiter: Client
) -> None:
    response = recruiter.get(_vacancy_url(world))
    assert response.status_code == 200
    text = response.text
    eligible, near = text.index('id="section-eligible"'), text.index('id="section-conditional"')
    assert eligible < text.index("Amina Benali") < near < text.index("Youssef Alaoui")
    # Criterion by criterion, as sentences.
    assert "Has experience in this very occupation." in text
    assert "Meets 5 of the 5 language levels asked." in text
    assert "Qualified at VKS level 6 by diploma; pay category Skilled (geschoold)." in text
    # What the near-miss lacks, and that it can be closed.
    assert "Dutch, listening: A2 where B1 is required." in text
    assert "can be closed" in text
    assert "language.below_minimum" not in text  # never a raw code


def test_the_vacancy_page_filters_by_outcome_project_and_country(world: WebWorld, recruiter: Client) -> None:
    only_near = recruiter.get(_vacancy_url(world), {"outcome": "conditional"})
    assert "Youssef Alaoui" in only_near.text and "Amina Benali" not in only_near.text
    project = factories.ProjectFactory.create(name="Palim")
    world.near_miss.project = project
    world.near_miss.save()
    candidate_facets_add(candidate_id=world.near_miss.pk)  # what the candidate's recompute adds
    by_project = recruiter.get(_vacancy_url(world), {"project": project.pk})
    assert "Youssef Alaoui" in by_project.text and "Amina Benali" not in by_project.text
    world.candidate.country_of_residence = "TN"
    world.candidate.save()
    candidate_facets_add(candidate_id=world.candidate.pk)
    by_country = recruiter.get(_vacancy_url(world), {"country": "TN"})
    assert "Amina Benali" in by_country.text and "Youssef Alaoui" not in by_country.text


def test_the_vacancy_page_has_a_query_budget(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    for index in range(15):
        candidate = matched_candidate(world.vacancy, project=factories.ProjectFactory.create())
        stored_match(world.vacancy, candidate, outcome="eligible" if index % 2 else "conditional")
    recruiter.get("/en/")
    # 17: the thresholds and lists in force are read apart, to say which apply provisionally (issue 12/4);
    # the kept explanations' keys are read from the rows.
    # 1: the agreements' shares; the search channels: docs/pathways/concentric-search.md.
    # 1: the consents of the rows shown (recruitment.selectors.proposals.consenting_to_share).
    with django_assert_max_num_queries(17 + 1 + 1 + SEARCH_CHANNEL_QUERIES + EXPLANATION_QUERIES):
        response = recruiter.get(_vacancy_url(world))
    assert response.status_code == 200


def test_each_row_shortlists_through_the_vacancys_shortlist_action(
    world: WebWorld, recruiter: Client
) -> None:
    """The rows' forms post to the shortlist view (the address is reversed once for the page), never to
    another address of the page (such as the shortlist download)."""
    text = recruiter.get(_vacancy_url(world)).text
    action = _vacancy_url(world, "shortlist/")
    forms = re.findall(r'<form method="post"\s+action="([^"]*)"\s+hx-post="([^"]*)"', text)
    assert forms  # the near-miss has no case yet: its row offers the shortlist
    assert all(pair == (action, action) for pair in forms)


def test_shortlisting_with_htmx_replaces_only_the_action_and_is_idempotent(
    world: WebWorld, recruiter: Client
) -> None:
    data = {"candidate": str(world.near_miss.public_id)}
    response = recruiter.post(_vacancy_url(world, "shortlist/"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text and "Shortlisted" in response.text
    placement = Placement.objects.get(candidate=world.near_miss)
    assert placement.stage == Placement.Stage.SHORTLISTED
    assert f"/en/recruiter/placements/{placement.public_id}/" in response.text

    again = recruiter.post(_vacancy_url(world, "shortlist/"), data, HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    assert Placement.objects.filter(candidate=world.near_miss).count() == 1
    # The page itself, reloaded, shows the same state as the swap did.
    assert f"/en/recruiter/placements/{placement.public_id}/" in recruiter.get(_vacancy_url(world)).text


def test_shortlisting_without_htmx_redirects_back_to_the_vacancy(world: WebWorld, recruiter: Client) -> None:
    response = recruiter.post(
        _vacancy_url(world, "shortlist/"), {"candidate": str(world.near_miss.public_id)}
    )
    assert response.status_code == 302 and response["Location"] == _vacancy_url(world)


def test_only_a_matched_candidate_can_be_shortlisted_and_a_refusal_changes_nothing(
    world: WebWorld, recruiter: Client, employer_a: Client
) -> None:
    stranger = factories.CandidateFactory.create()
    before = Placement.objects.count()
    assert (
        recruiter.post(_vacancy_url(world, "shortlist/"), {"candidate": str(stranger.public_id)}).status_code
        == 404
    )
    data = {"candidate": str(world.near_miss.public_id)}
    assert employer_a.post(_vacancy_url(world, "shortlist/"), data).status_code == 403
    assert Placement.objects.count() == before


def _shortlisted(world: WebWorld, recruiter: Client) -> Placement:
    recruiter.post(_vacancy_url(world, "shortlist/"), {"candidate": str(world.near_miss.public_id)})
    return Placement.objects.get(candidate=world.near_miss)


def test_proposing_sends_the_case_to_the_employer_with_a_message_and_a_deadline(
    world: WebWorld, recruiter: Client
) -> None:
    placement = _shortlisted(world, recruiter)
    page = recruiter.get(f"/en/recruiter/placements/{placement.public_id}/")
    assert '<label for="id_message">' in page.text and 'name="response_due_on"' in page.text
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = recruiter.post(
        f"/en/recruiter/placements/{placement.public_id}/propose/",
        {
            "expected_version": placement.version,
            "message": "Strong welder.",
            "response_due_on": due.isoformat(),
        },
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.stage == Placement.Stage.PROPOSED
    assert placement.proposal_message == "Strong welder." and placement.response_due_on == due


def test_a_proposal_refused_by_the_rules_shows_why_and_changes_nothing(
    world: WebWorld, recruiter: Client
) -> None:
    placement = _shortlisted(world, recruiter)
    Consent.objects.filter(candidate=world.near_miss).delete()
    url = f"/en/recruiter/placements/{placement.public_id}/propose/"
    due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = recruiter.post(url, {"expected_version": placement.version, "response_due_on": due})
    assert response.status_code == 400
    assert "has not consented to share their profile with this employer" in response.text
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = recruiter.post(url, {"expected_version": placement.version, "response_due_on": past})
    assert response.status_code == 400 and "cannot be in the past" in response.text
    placement.refresh_from_db()
    assert placement.stage == Placement.Stage.SHORTLISTED and placement.version == 1


def test_the_case_page_offers_only_the_allowed_moves(world: WebWorld, recruiter: Client) -> None:
    response = recruiter.get(f"/en/recruiter/placements/{world.placement.public_id}/")
    assert response.status_code == 200
    text = response.text
    assert "Invite to an interview" in text and "Decline" in text and "Withdraw" in text
    assert "Make an offer" not in text and "Offer accepted" not in text
    assert 'name="expected_version" value="2"' in text


def test_a_move_made_from_an_old_version_shows_the_conflict_and_does_not_win(
    world: WebWorld, recruiter: Client
) -> None:
    url = f"/en/recruiter/placements/{world.placement.public_id}/move/"
    stale = world.placement.version
    assert (
        recruiter.post(url, {"expected_version": stale, "to_stage": "employer_interested"}).status_code == 302
    )
    response = recruiter.post(
        url, {"expected_version": stale, "to_stage": "withdrawn", "reason": "other"}, follow=True
    )
    assert "changed by someone else in the meantime" in response.text
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.EMPLOYER_INTERESTED


def test_a_closing_move_needs_a_reason(world: WebWorld, recruiter: Client) -> None:
    url = f"/en/recruiter/placements/{world.placement.public_id}/move/"
    response = recruiter.post(url, {"expected_version": world.placement.version, "to_stage": "withdrawn"})
    assert response.status_code == 400
    assert "Give a reason for this decision." in response.text
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.PROPOSED


def test_the_recruiter_takes_a_case_from_interview_to_an_accepted_offer(
    world: WebWorld, recruiter: Client
) -> None:
    url = f"/en/recruiter/placements/{world.placement.public_id}/move/"
    for stage in ("employer_interested", "interview", "offer", "offer_accepted"):
        world.placement.refresh_from_db()
        assert (
            recruiter.post(url, {"expected_version": world.placement.version, "to_stage": stage}).status_code
            == 302
        )
    world.placement.refresh_from_db()
    assert world.placement.stage == Placement.Stage.OFFER_ACCEPTED
    moves = PlacementTransition.objects.filter(placement=world.placement).values_list("to_stage", flat=True)
    assert list(moves)[-4:] == ["employer_interested", "interview", "offer", "offer_accepted"]


def test_the_placement_list_marks_overdue_answers_and_has_a_query_budget(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    Placement.objects.filter(pk=world.placement.pk).update(
        response_due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    for _ in range(10):
        candidate = matched_candidate(world.vacancy)
        stored_match(world.vacancy, candidate)
        recruiter.post(_vacancy_url(world, "shortlist/"), {"candidate": str(candidate.public_id)})
    with django_assert_max_num_queries(10):
        response = recruiter.get("/en/recruiter/placements/")
    assert response.status_code == 200
    assert "overdue" in response.text
    assert (
        recruiter.get("/en/recruiter/placements/", {"stage": "proposed"}).text.count(
            "/en/recruiter/placements/"
        )
        >= 1
    )


def test_a_match_is_explained_in_each_language(world: WebWorld, recruiter: Client) -> None:
    for language in ("nl", "fr", "en"):
        response = recruiter.get(_vacancy_url(world, language=language))
        assert response.status_code == 200
        assert f'lang="{language}"' in response.text
        assert "occupation.occupation" not in response.text


def test_a_match_of_another_vacancy_cannot_be_shortlisted_through_this_one(
    world: WebWorld, recruiter: Client
) -> None:
    other = matched_candidate(world.other_vacancy)
    stored_match(world.other_vacancy, other)
    response = recruiter.post(_vacancy_url(world, "shortlist/"), {"candidate": str(other.public_id)})
    assert response.status_code == 404
    assert not Placement.objects.filter(candidate=other).exists()
    assert Match.objects.filter(candidate=other).count() == 1


def test_the_vacancy_page_says_how_many_near_misses_are_not_listed(
    world: WebWorld, recruiter: Client
) -> None:
    """With ``MATCH_NEAR_MISS_LIMIT`` only the best near-misses are stored (ADR 0008): the page says how
    many others there were, from which score, and where to find them."""
    assert "near-misses-unkept" not in recruiter.get(_vacancy_url(world)).text
    type(world.vacancy).objects.filter(pk=world.vacancy.pk).update(
        near_miss_floor=7250, near_misses_unkept=1234
    )
    text = recruiter.get(_vacancy_url(world)).text
    assert "1234 more scored under 72.50 points" in " ".join(text.split())
    assert "near-misses-unkept" in recruiter.get(_vacancy_url(world, language="nl")).text
