"""The recruiter's candidate search, the candidate's profile and the notes on a candidate."""

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from candidates.models import Candidate, Consent, LanguageProficiency, RecognitionStep, TrainingEnrolment
from core.models import User
from projects.models import TrainingProgramme
from recruitment.models import NOTE_MAX_LENGTH, CandidateNote, Match
from recruitment.services.notes import candidate_note_add
from recruitment.services.placements import placement_shortlist
from tests import factories
from tests.web.world import EXPLANATION_QUERIES, WebWorld, published_vacancy, stored_match, verified_client

pytestmark = pytest.mark.django_db

LIST = "/en/recruiter/candidates/"
ALL_SKILLS = ("listening", "reading", "spoken_interaction", "spoken_production", "writing")


def _detail(candidate: Candidate, suffix: str = "") -> str:
    return f"/en/recruiter/candidates/{candidate.public_id}/{suffix}"


def _listed(response: Any) -> list[str]:
    """The family names the search lists, in order."""
    assert response.status_code == 200
    return re.findall(r'href="/en/recruiter/candidates/[0-9a-f-]{36}/">([^,<]+),', response.text)


def _candidate(family_name: str, **fields: Any) -> Candidate:
    return factories.CandidateFactory.create(family_name=family_name, **fields)


def _dutch(candidate: Candidate, level: str = "", *, native: bool = False, **levels: str) -> None:
    skills = {skill: levels.get(skill, level) for skill in ALL_SKILLS}
    LanguageProficiency.objects.create(candidate=candidate, language="nl", is_native=native, **skills)


# --- The search: each filter narrows ------------------------------------------------------------------


def test_the_search_lists_the_active_candidates_by_name_by_default(
    world: WebWorld, recruiter: Client
) -> None:
    _candidate("Zeroual")
    _candidate("Withdrawn", status=Candidate.Status.WITHDRAWN, withdrawn_at=timezone.now())
    _candidate("Anonymised", status=Candidate.Status.ANONYMISED)
    _candidate("Placedperson", status=Candidate.Status.PLACED)

    assert _listed(recruiter.get(LIST)) == ["Alaoui", "Benali", "Zeroual"]
    assert _listed(recruiter.get(LIST, {"status": "placed"})) == ["Placedperson"]


def test_withdrawn_and_anonymised_candidates_never_appear_whatever_is_asked(
    world: WebWorld, recruiter: Client
) -> None:
    _candidate("Gone", given_name="Hidden", status=Candidate.Status.WITHDRAWN, withdrawn_at=timezone.now())
    _candidate("Erased", given_name="Hidden", status=Candidate.Status.ANONYMISED)
    for status in ("withdrawn", "anonymised"):
        response = recruiter.get(LIST, {"status": status, "text": "Hidden"})
        assert "Select a valid choice" in response.text
        assert "Gone" not in response.text and "Erased" not in response.text
    assert _listed(recruiter.get(LIST, {"text": "Hidden"})) == []


def test_the_text_filter_matches_names_and_the_partners_reference(world: WebWorld, recruiter: Client) -> None:
    assert _listed(recruiter.get(LIST, {"text": "BENALI"})) == ["Benali"]
    assert _listed(recruiter.get(LIST, {"text": "amina ben"})) == ["Benali"]
    assert _listed(recruiter.get(LIST, {"text": world.near_miss.external_id.lower()})) == ["Alaoui"]
    assert _listed(recruiter.get(LIST, {"text": "nobody"})) == []


def test_the_occupation_filter_takes_experience_and_wishes(world: WebWorld, recruiter: Client) -> None:
    nurse = factories.EscoOccupationFactory.create(label_en="nurse responsible for general care")
    wishing = _candidate("Wishing")
    wishing.desired_occupations.add(nurse)
    experienced = _candidate("Experienced")
    experienced.experiences.create(occupation=nurse, country="IN", started_on=datetime.date(2018, 1, 1))
    _candidate("Unrelated")

    response = recruiter.get(LIST, {"occupation": nurse.pk})
    assert _listed(response) == ["Experienced", "Wishing"]
    assert _listed(recruiter.get(LIST, {"occupation": world.vacancy.occupation_id})) == ["Alaoui", "Benali"]


def test_the_project_and_cohort_filters(world: WebWorld, recruiter: Client) -> None:
    other = factories.CohortFactory.create(name="Elsewhere")
    _candidate("Outsider", project=other.project, cohort=other)

    assert _listed(recruiter.get(LIST, {"project": world.project.pk})) == ["Alaoui", "Benali"]
    assert _listed(recruiter.get(LIST, {"cohort": world.cohort.pk})) == ["Benali"]
    assert _listed(recruiter.get(LIST, {"project": world.project.pk, "cohort": world.cohort.pk})) == [
        "Benali"
    ]
    assert _listed(recruiter.get(LIST, {"project": other.project.pk})) == ["Outsider"]


def test_a_cohort_of_another_project_is_a_form_error_and_lists_nothing(
    world: WebWorld, recruiter: Client
) -> None:
    other = factories.CohortFactory.create()
    response = recruiter.get(LIST, {"project": other.project.pk, "cohort": world.cohort.pk})
    assert response.status_code == 200
    assert "This cohort belongs to another project." in response.text
    assert "Correct the search above to see the candidates." in response.text
    assert _listed(response) == []


def test_the_country_filter(world: WebWorld, recruiter: Client) -> None:
    _candidate("Tunisian", country_of_residence="TN")
    assert _listed(recruiter.get(LIST, {"country": "TN"})) == ["Tunisian"]
    assert _listed(recruiter.get(LIST, {"country": "MA"})) == ["Alaoui", "Benali"]
    assert "Select a valid choice" in recruiter.get(LIST, {"country": "ZZ"}).text


def test_the_language_filter_counts_the_weakest_skill_and_native_speakers(
    world: WebWorld, recruiter: Client
) -> None:
    # The world's two candidates have Dutch B1 but A2 in writing.
    _dutch(_candidate("Allround"), "B1")
    _dutch(_candidate("Native"), native=True)
    _dutch(_candidate("Unassessed"), "C1", writing="")  # one skill never assessed
    french = _candidate("Francophone")
    LanguageProficiency.objects.create(candidate=french, language="fr", **dict.fromkeys(ALL_SKILLS, "C2"))

    assert _listed(recruiter.get(LIST, {"language": "nl", "level": "B1"})) == ["Allround", "Native"]
    assert _listed(recruiter.get(LIST, {"language": "nl", "level": "A2"})) == [
        "Alaoui",
        "Allround",
        "Benali",
        "Native",
    ]
    assert _listed(recruiter.get(LIST, {"language": "nl", "level": "C2"})) == ["Native"]
    assert _listed(recruiter.get(LIST, {"language": "fr"})) == ["Francophone"]
    assert "Choose the language this level is for." in recruiter.get(LIST, {"level": "B1"}).text


def test_the_recognition_filter(world: WebWorld, recruiter: Client) -> None:
    # The world's two candidates each have a diploma with a pending request.
    recognised = _candidate("Recognised")
    diploma = factories.DiplomaFactory.create(candidate=recognised)
    factories.RecognitionStepFactory.create(diploma=diploma, requested_on=datetime.date(2025, 1, 1))
    factories.RecognitionStepFactory.create(
        diploma=diploma,
        outcome=RecognitionStep.Outcome.FULL_EQUIVALENCE,
        equivalent_flemish_title="Bachelor in de verpleegkunde",
        requested_on=datetime.date(2025, 1, 1),
        decided_on=datetime.date(2025, 6, 1),
    )
    refused = _candidate("Refused")
    factories.RecognitionStepFactory.create(
        diploma__candidate=refused,
        outcome=RecognitionStep.Outcome.REFUSED,
        requested_on=datetime.date(2025, 1, 1),
        decided_on=datetime.date(2025, 3, 1),
    )
    factories.DiplomaFactory.create(candidate=_candidate("Unrequested"))
    _candidate("Nodiploma")

    def listed(status: str) -> list[str]:
        return _listed(recruiter.get(LIST, {"recognition": status}))

    assert listed("pending") == ["Alaoui", "Benali"]
    assert listed("recognised") == ["Recognised"]
    assert listed("refused") == ["Refused"]
    assert listed("not_requested") == ["Unrequested"]
    assert listed("no_diploma") == ["Nodiploma"]


def test_the_availability_filter(world: WebWorld, recruiter: Client) -> None:
    Candidate.objects.filter(pk=world.candidate.pk).update(available_from=datetime.date(2026, 5, 1))
    _candidate("Later", available_from=datetime.date(2026, 9, 1))
    _candidate("Exactly", available_from=datetime.date(2026, 6, 1))

    assert _listed(recruiter.get(LIST, {"available_by": "2026-06-01"})) == ["Benali", "Exactly"]
    # Unknown availability (the near-miss) is not "available by" any date.
    assert _listed(recruiter.get(LIST, {"available_by": "2030-01-01"})) == ["Benali", "Exactly", "Later"]
    assert "Enter a valid date." in recruiter.get(LIST, {"available_by": "someday"}).text


def test_the_pipeline_stage_filter(world: WebWorld, recruiter: Client) -> None:
    shortlisted = _candidate("Shortlisted")
    stored_match(world.vacancy, shortlisted)
    placement_shortlist(vacancy=world.vacancy, candidate=shortlisted, actor=world.recruiter)

    assert _listed(recruiter.get(LIST, {"stage": "proposed"})) == ["Benali"]
    assert _listed(recruiter.get(LIST, {"stage": "shortlisted"})) == ["Shortlisted"]
    assert _listed(recruiter.get(LIST, {"stage": "none"})) == ["Alaoui"]
    assert _listed(recruiter.get(LIST, {"stage": "offer"})) == []


def test_the_sort_orders(world: WebWorld, recruiter: Client) -> None:
    Candidate.objects.filter(pk=world.candidate.pk).update(available_from=datetime.date(2026, 8, 1))
    early = _candidate("Early", available_from=datetime.date(2026, 2, 1))
    stored_match(published_vacancy(world.employer_b), early, score="95.00")

    assert _listed(recruiter.get(LIST, {"sort": "name"})) == ["Alaoui", "Benali", "Early"]
    # Soonest first; unknown availability last.
    assert _listed(recruiter.get(LIST, {"sort": "availability"})) == ["Early", "Benali", "Alaoui"]
    # Newest registration first.
    assert _listed(recruiter.get(LIST, {"sort": "registered"})) == ["Early", "Alaoui", "Benali"]
    # Best stored score first (95.00, then the eligible one, then the near-miss); a candidate without any
    # match would come last.
    _candidate("Unmatched")
    assert _listed(recruiter.get(LIST, {"sort": "score"})) == ["Early", "Benali", "Alaoui", "Unmatched"]


def test_the_search_is_paginated_by_25(world: WebWorld, recruiter: Client) -> None:
    for index in range(26):
        _candidate(f"Zz{index:02d}")
    first = _listed(recruiter.get(LIST))
    assert len(first) == 25 and first[:2] == ["Alaoui", "Benali"]
    assert _listed(recruiter.get(LIST, {"page": 2})) == ["Zz23", "Zz24", "Zz25"]


def test_the_search_has_a_query_budget(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    for index in range(30):
        candidate = _candidate(f"Many{index:02d}", project=world.project, cohort=world.cohort)
        stored_match(world.vacancy, candidate)
        if index % 3 == 0:
            placement_shortlist(vacancy=world.vacancy, candidate=candidate, actor=world.recruiter)
    recruiter.get("/en/")  # the session's first request stamps its timestamps
    with django_assert_max_num_queries(12):
        response = recruiter.get(LIST, {"project": str(world.project.pk), "sort": "score"})
    assert len(_listed(response)) == 25
    assert response.text.count("Shortlisted") >= 8


# --- The profile --------------------------------------------------------------------------------------


def _rich_profile(world: WebWorld) -> None:
    """Training, a withdrawn consent, a verified skill and a note on the world's proposed candidate."""
    candidate = world.candidate
    programme = TrainingProgramme.objects.create(project=world.project, name="Nederlands voor zorg")
    TrainingEnrolment.objects.create(
        candidate=candidate, programme=programme, status=TrainingEnrolment.Status.IN_PROGRESS
    )
    factories.ConsentFactory.create(
        candidate=candidate,
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
        recipient=world.employer_b,
        withdrawn_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
    )
    link = candidate.skills.get()
    link.evidence = "verified"
    link.verified_on = datetime.date(2026, 1, 10)
    link.verified_by = world.partner
    link.save()
    candidate_note_add(candidate=candidate, author=world.recruiter, body="Prefers night shifts.")


def test_the_profile_shows_every_section(world: WebWorld, recruiter: Client) -> None:
    _rich_profile(world)
    response = recruiter.get(_detail(world.candidate))
    assert response.status_code == 200
    text = response.text
    for heading in (
        "Identity and contact",
        "Availability and wishes",
        "Consents",
        "Languages",
        "Diplomas and recognition",
        "Experience",
        "Skills",
        "Training progress",
        "Vacancies this candidate matches",
        "Case history",
        "Notes",
    ):
        assert re.search(rf"<h2 [^>]*>\s*{heading}", text), heading
    assert "Amina Benali" in text and "amina@example.org" in text and "+212 600 000 000" in text
    assert "PALIM" in text and "Cohort 1" in text
    assert "Nederlands voor zorg" in text and "In progress" in text
    assert "weld metal parts" in text and "verified by Partner X" in text
    assert "Requested, pending" in text  # the pending recognition step
    # Consents: who the candidate may be proposed to (A); B's consent was withdrawn.
    assert re.search(r"May be proposed to:</strong>\s*Lasbedrijf A\s*</p>", text)
    assert "not in force" in text
    # The case, linked, with its history and who moved it.
    assert f'href="/en/recruiter/placements/{world.placement.public_id}/"' in text
    assert "Proposed to the employer" in text and "Lotte Recruiter" in text
    assert "Prefers night shifts." in text


def test_the_profile_links_the_matched_vacancies_and_shows_a_near_miss_gaps(
    world: WebWorld, recruiter: Client
) -> None:
    text = recruiter.get(_detail(world.near_miss)).text
    score = Match.objects.get(vacancy=world.vacancy, candidate=world.near_miss).score
    assert f'href="/en/recruiter/vacancies/{world.vacancy.public_id}/"' in text
    assert "Lasbedrijf A" in text and f"{score:.1f}" in text
    assert "Dutch, listening: A2 where B1 is required." in text and "can be closed" in text
    assert "language.below_minimum" not in text


@pytest.mark.parametrize("status", [Candidate.Status.WITHDRAWN, Candidate.Status.ANONYMISED])
def test_a_withdrawn_or_anonymised_candidates_profile_is_not_found(
    world: WebWorld, recruiter: Client, status: str
) -> None:
    Candidate.objects.filter(pk=world.near_miss.pk).update(status=status, withdrawn_at=timezone.now())
    response = recruiter.get(_detail(world.near_miss))
    assert response.status_code == 404
    assert "Alaoui" not in response.text
    post = recruiter.post(_detail(world.near_miss, "notes/"), {"body": "Hello"})
    assert post.status_code == 404
    assert not CandidateNote.objects.exists()


def test_the_profile_has_a_query_budget(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    _rich_profile(world)
    candidate = world.candidate
    for index in range(8):
        vacancy = published_vacancy(factories.OrganisationFactory.create(employer=True), title=f"Job {index}")
        stored_match(vacancy, candidate, outcome=Match.Outcome.CONDITIONAL if index % 2 else "eligible")
        if index < 4:
            placement_shortlist(vacancy=vacancy, candidate=candidate, actor=world.recruiter)
        candidate_note_add(candidate=candidate, author=world.recruiter, body=f"Note {index}")
        diploma = factories.DiplomaFactory.create(candidate=candidate, title=f"Diploma {index}")
        factories.RecognitionStepFactory.create(diploma=diploma)
        factories.ConsentFactory.create(
            candidate=candidate, purpose=Consent.Purpose.SHARE_WITH_EMPLOYER, recipient=vacancy.employer
        )
    recruiter.get("/en/")
    # 21: the candidate's access log records the view (one INSERT, issue 14).
    with django_assert_max_num_queries(21 + EXPLANATION_QUERIES):
        response = recruiter.get(_detail(candidate))
    assert response.status_code == 200
    assert response.text.count("Job ") >= 8 and response.text.count("Diploma ") >= 8


# --- Notes --------------------------------------------------------------------------------------------


def test_a_note_is_added_and_the_page_redirects_back(world: WebWorld, recruiter: Client) -> None:
    response = recruiter.post(
        _detail(world.candidate, "notes/"),
        {"body": "  Called: can start in May.  ", "placement": str(world.placement.public_id)},
    )
    assert response.status_code == 302
    assert response["Location"] == _detail(world.candidate) + "#notes"
    note = CandidateNote.objects.get()
    assert (note.body, note.author, note.placement) == (
        "Called: can start in May.",
        world.recruiter,
        world.placement,
    )
    assert "Called: can start in May." in recruiter.get(_detail(world.candidate)).text


def test_with_htmx_the_notes_section_is_swapped(world: WebWorld, recruiter: Client) -> None:
    candidate_note_add(candidate=world.candidate, author=world.recruiter, body="Older note")
    response = recruiter.post(
        _detail(world.candidate, "notes/"), {"body": "Newer note"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    text = response.text
    assert "<html" not in text and 'id="notes-title"' in text  # the fragment only
    assert text.index("Newer note") < text.index("Older note")
    assert "The note was saved." in text
    assert CandidateNote.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write the note before saving it."),
        ("   ", "Write the note before saving it."),
        ("x" * (NOTE_MAX_LENGTH + 1), "Ensure this value has at most 4000 characters"),
    ],
)
def test_an_empty_or_too_long_note_is_refused_and_nothing_is_written(
    world: WebWorld, recruiter: Client, body: str, message: str
) -> None:
    response = recruiter.post(_detail(world.candidate, "notes/"), {"body": body})
    assert response.status_code == 400
    assert message in response.text and "The note was not saved." in response.text
    htmx = recruiter.post(_detail(world.candidate, "notes/"), {"body": body}, HTTP_HX_REQUEST="true")
    assert message in htmx.text and "<html" not in htmx.text
    assert not CandidateNote.objects.exists()


def test_a_note_about_another_candidates_case_is_refused(world: WebWorld, recruiter: Client) -> None:
    response = recruiter.post(
        _detail(world.near_miss, "notes/"), {"body": "Hello", "placement": str(world.placement.public_id)}
    )
    assert response.status_code == 400
    assert not CandidateNote.objects.exists()


def test_adding_a_note_needs_the_csrf_token(world: WebWorld) -> None:
    client = verified_client(world.recruiter)
    client.handler.enforce_csrf_checks = True
    response = client.post(_detail(world.candidate, "notes/"), {"body": "Hello"})
    assert response.status_code == 403
    assert not CandidateNote.objects.exists()


def test_employers_and_partners_cannot_add_or_read_notes(
    world: WebWorld, employer_a: Client, recruiter: Client
) -> None:
    partner = Client()
    partner.force_login(factories.UserFactory.create(role=User.Role.PARTNER_USER, organisation=world.partner))
    for client in (employer_a, partner):
        assert client.post(_detail(world.candidate, "notes/"), {"body": "Hello"}).status_code == 403
        assert client.get(_detail(world.candidate)).status_code == 403
    assert not CandidateNote.objects.exists()


def test_the_employers_proposal_page_never_shows_a_note(world: WebWorld, employer_a: Client) -> None:
    body = "Confidential: asked about family reunification."
    candidate_note_add(
        candidate=world.candidate, author=world.recruiter, body=body, placement=world.placement
    )
    candidate_note_add(candidate=world.candidate, author=world.recruiter, body=body)
    # Invited: the employer now sees the candidate's name; still never a note.
    world.placement.identity_revealed_at = timezone.now()
    world.placement.save(update_fields=["identity_revealed_at"])
    response = employer_a.get(f"/en/employer/proposals/{world.placement.public_id}/")
    assert response.status_code == 200
    assert "Amina" in response.text
    assert body not in response.text and "family reunification" not in response.text
