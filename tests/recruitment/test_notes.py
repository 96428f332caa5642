"""The notes service: a stripped, non-empty, bounded note by a recruiter; a refusal writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from candidates.models import Candidate
from core.models import User
from recruitment.models import NOTE_MAX_LENGTH, CandidateNote
from recruitment.services.notes import candidate_note_add
from recruitment.services.placements import placement_shortlist
from tests import factories
from tests.web.world import published_vacancy, recruiter_user, stored_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter() -> User:
    return recruiter_user()


def test_a_note_is_stored_stripped_with_its_author_and_case(recruiter: User) -> None:
    candidate = factories.CandidateFactory.create()
    vacancy = published_vacancy(factories.OrganisationFactory.create(employer=True))
    stored_match(vacancy, candidate)
    placement = placement_shortlist(vacancy=vacancy, candidate=candidate, actor=recruiter)

    note = candidate_note_add(
        candidate=candidate, author=recruiter, body="  Called her: available in May.\n ", placement=placement
    )

    stored = CandidateNote.objects.get()
    assert stored.pk == note.pk
    assert stored.body == "Called her: available in May."
    assert (stored.candidate, stored.author, stored.placement) == (candidate, recruiter, placement)


def test_a_note_of_exactly_the_maximum_length_is_accepted(recruiter: User) -> None:
    candidate = factories.CandidateFactory.create()
    candidate_note_add(candidate=candidate, author=recruiter, body="x" * NOTE_MAX_LENGTH)
    assert CandidateNote.objects.get().body == "x" * NOTE_MAX_LENGTH


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write the note before saving it."),
        ("   \n\t ", "Write the note before saving it."),
        (
            "x" * (NOTE_MAX_LENGTH + 1),
            f"A note has at most {NOTE_MAX_LENGTH} characters (this one has 4001).",
        ),
    ],
)
def test_an_empty_or_too_long_note_is_refused_and_nothing_is_written(
    recruiter: User, body: str, message: str
) -> None:
    candidate = factories.CandidateFactory.create()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        candidate_note_add(candidate=candidate, author=recruiter, body=body)
    assert refused.value.messages == [message]
    assert not CandidateNote.objects.exists()


def test_a_note_about_another_candidates_case_is_refused(recruiter: User) -> None:
    candidate, other = factories.CandidateFactory.create_batch(2)
    vacancy = published_vacancy(factories.OrganisationFactory.create(employer=True))
    stored_match(vacancy, other)
    placement = placement_shortlist(vacancy=vacancy, candidate=other, actor=recruiter)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        candidate_note_add(candidate=candidate, author=recruiter, body="Hello", placement=placement)
    assert refused.value.messages == ["This case is not one of this candidate's."]
    assert not CandidateNote.objects.exists()


@pytest.mark.parametrize("status", [Candidate.Status.WITHDRAWN, Candidate.Status.ANONYMISED])
def test_a_withdrawn_or_anonymised_candidate_takes_no_note(recruiter: User, status: str) -> None:
    candidate = factories.CandidateFactory.create(
        status=status, withdrawn_at=timezone.now() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        candidate_note_add(candidate=candidate, author=recruiter, body="Hello")
    assert not CandidateNote.objects.exists()
