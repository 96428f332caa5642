"""The candidate's pages: their own data only, in Dutch, French and English, never anyone's notes,
comments or scores, and a fixed number of queries each."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from candidate_space.models import CorrectionRequest
from candidate_space.stages import STAGE_WORDS
from candidates.models import ProfileAccess, TrainingEnrolment
from candidates.services.access_log import profile_access_record
from recruitment.models import Match, Placement
from recruitment.services.interviews import SlotProposal, interview_slots_propose
from recruitment.services.notes import candidate_note_add
from recruitment.services.placements import placement_move
from recruitment.workflow import Stage
from tests import factories
from tests.web.world import WebWorld, employer_user

pytestmark = pytest.mark.django_db

PAGES = ["", "profile/", "profile/corrections/new/", "consents/", "cases/", "profile-views/"]
NOTE = "Recruiter's private remark: hesitant on the phone"


def _case_url(placement: Placement, language: str = "en") -> str:
    return f"/{language}/me/cases/{placement.public_id}/"


def _invite(world: WebWorld) -> Placement:
    return placement_move(
        placement=world.placement,
        to_stage="employer_interested",
        actor=employer_user(world.employer_a),
        expected_version=world.placement.version,
        comment="Employer's comment: the salary is a concern",
    )


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_each_language(world: WebWorld, me: Client, page: str, language: str) -> None:
    response = me.get(f"/{language}/me/{page}")
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.text
    assert 'class="me-nav"' in response.text


def test_every_stage_has_words_for_the_candidate() -> None:
    assert set(STAGE_WORDS) == set(Stage)


def test_the_profile_shows_what_is_recorded(world: WebWorld, me: Client) -> None:
    programme = factories.ProjectFactory.create().programmes.create(name="Dutch for care workers")
    TrainingEnrolment.objects.create(
        candidate=world.candidate, programme=programme, status=TrainingEnrolment.Status.IN_PROGRESS
    )
    page = me.get("/en/me/profile/").text
    assert "Amina" in page and "Benali" in page and "amina@example.org" in page
    assert "Dutch" in page and "B1" in page  # languages per skill
    assert "weld metal parts" in page  # skills
    assert "Dutch for care workers" in page and "In progress" in page  # training
    assert 'id="diplomas"' in page and "recognition" in page.lower()
    assert "Youssef" not in page and "Alaoui" not in page  # the other candidate of the world


def test_the_cases_name_the_employer_only_once_it_invited_the_candidate(world: WebWorld, me: Client) -> None:
    before = me.get("/en/me/cases/").text
    assert "Lasser MIG/MAG" in before
    assert "Lasbedrijf A" not in before and "An employer in the Flemish Region" in before
    assert "Lasbedrijf A" not in me.get(_case_url(world.placement)).text
    _invite(world)
    after = me.get(_case_url(world.placement)).text
    assert 'id="case-employer">Lasbedrijf A<' in after
    assert "The employer wants to meet you" in after


def test_no_notes_comments_messages_scores_or_other_candidates(world: WebWorld, me: Client) -> None:
    candidate_note_add(
        candidate=world.candidate, author=world.recruiter, body=NOTE, placement=world.placement
    )
    placement = _invite(world)
    assert Match.objects.filter(candidate=world.candidate).exists()
    score = Match.objects.get(candidate=world.candidate).score
    for page in [*PAGES, f"cases/{placement.public_id}/"]:
        text = me.get(f"/en/me/{page}").text
        assert NOTE not in text and "hesitant" not in text
        assert "Six years of MIG" not in text  # the recruiter's message to the employer
        assert "salary is a concern" not in text  # the employer's comment
        assert str(score) not in text and f"{score:.1f}" not in text and "score" not in text.lower()
        assert "Youssef" not in text


def test_another_candidate_s_case_is_not_found(world: WebWorld, other_me: Client) -> None:
    assert other_me.get(_case_url(world.placement)).status_code == 404
    cases = other_me.get("/en/me/cases/").text
    assert "Lasser MIG/MAG" not in cases and "Amina" not in other_me.get("/en/me/profile/").text


def test_interview_dates_are_shown_once_the_employer_is_named(world: WebWorld, me: Client) -> None:
    placement = _invite(world)
    day = timezone.localdate() + datetime.timedelta(days=9)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    interview_slots_propose(
        placement=placement,
        actor=employer_user(world.employer_a),
        slots=[SlotProposal(starts_at=starts_at, location="Teams link follows")],
    )
    page = me.get(_case_url(placement)).text
    assert 'id="interview-title"' in page and "Video call" in page


def test_the_overview_lists_cases_and_what_to_do(world: WebWorld, me: Client) -> None:
    page = me.get("/en/me/").text
    assert "Hello Amina" in page
    assert "Lasser MIG/MAG" in page and "You were proposed to the employer" in page
    assert "ask for a correction" in page.lower()


def test_who_viewed_names_an_employer_only_after_the_invitation(
    world: WebWorld, me: Client, recruiter: Client
) -> None:
    profile_access_record(
        candidate_ids=[world.candidate.pk],
        kind=ProfileAccess.Kind.EMPLOYER,
        what=ProfileAccess.What.CASE,
        user=employer_user(world.employer_a),
    )
    profile_access_record(
        candidate_ids=[world.candidate.pk],
        kind=ProfileAccess.Kind.STAFF,
        what=ProfileAccess.What.PROFILE,
        user=world.recruiter,
    )
    page = me.get("/en/me/profile-views/").text
    assert "An employer to whom you were proposed" in page and "Lasbedrijf A" not in page
    assert world.recruiter.organisation is not None
    assert world.recruiter.organisation.name in page  # staff by organisation
    assert "Lotte" not in page  # never a person's name
    _invite(world)
    assert "Lasbedrijf A" in me.get("/en/me/profile-views/").text


def test_another_candidate_sees_none_of_these_views(world: WebWorld, other_me: Client) -> None:
    profile_access_record(
        candidate_ids=[world.candidate.pk],
        kind=ProfileAccess.Kind.STAFF,
        what=ProfileAccess.What.PROFILE,
        user=world.recruiter,
    )
    assert "Nobody has viewed your profile yet" in other_me.get("/en/me/profile-views/").text


# Queries of each page, whatever the amount of data: session and user (2), the candidate (1), then the
# page's own reads (the profile: one per section). Pinned so an N+1 fails.
BUDGETS = {
    "": 6,
    "profile/": 12,
    "profile/corrections/new/": 3,
    "consents/": 5,  # the consents, then every wording of the page in one query
    "cases/": 4,
    "profile-views/": 5,
}


@pytest.mark.parametrize(("page", "budget"), list(BUDGETS.items()))
def test_each_page_has_a_query_budget(
    world: WebWorld, me: Client, page: str, budget: int, django_assert_max_num_queries: Any
) -> None:
    # More of everything the pages list: cases, consents, diplomas, correction requests, views.
    for employer in (world.employer_b, factories.OrganisationFactory.create(employer=True)):
        vacancy = factories.VacancyFactory.create(employer=employer)
        Placement.objects.create(
            vacancy=vacancy,
            candidate=world.candidate,
            stage=Placement.Stage.PROPOSED,
            proposed_at=timezone.now(),
            stage_changed_at=timezone.now(),
        )
        factories.ConsentFactory.create(
            candidate=world.candidate, purpose="share_with_employer", recipient=employer
        )
    for _ in range(2):
        factories.PendingRecognitionDiplomaFactory.create(candidate=world.candidate)
        CorrectionRequest.objects.create(candidate=world.candidate, part="skills", message="More skills.")
    for kind in (ProfileAccess.Kind.EMPLOYER, ProfileAccess.Kind.STAFF, ProfileAccess.Kind.PARTNER_WEB):
        profile_access_record(
            candidate_ids=[world.candidate.pk],
            kind=kind,
            what=ProfileAccess.What.PROFILE,
            user=world.recruiter,
        )
    me.get(f"/en/me/{page}")  # the session settles first
    with django_assert_max_num_queries(budget):
        assert me.get(f"/en/me/{page}").status_code == 200


def test_a_shortlist_is_not_shown_until_the_proposal(world: WebWorld, me: Client) -> None:
    vacancy = factories.VacancyFactory.create(employer=world.employer_b, title="Shortlist only")
    placement = Placement.objects.create(
        vacancy=vacancy, candidate=world.candidate, stage_changed_at=timezone.now()
    )
    assert "Shortlist only" not in me.get("/en/me/cases/").text
    assert "Shortlist only" not in me.get("/en/me/").text
    assert me.get(_case_url(placement)).status_code == 404
