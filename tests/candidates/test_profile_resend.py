"""A partner re-sending a profile it already sent changes nothing: no new version, no recompute.

The rows of a profile come in many forms that mean the same stored data: a field left out takes its
default (a choices default is an enum member, the database gives back its string), a decimal as 1 is
stored as 1.00, a date may come as text. Only a real difference may count as a change.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from candidates.models import Candidate, Licence
from candidates.services import ChangeResult, ProfileInput, candidate_upsert
from core.models import Organisation
from projects.models import TrainingProgramme
from tests import factories

pytestmark = pytest.mark.django_db

Rows = dict[str, Any]  # ProfileInput's collections by name


@pytest.fixture
def pes() -> Organisation:
    # A PES registers into any project, so the training programme below needs no partnership.
    return factories.OrganisationFactory.create(pes=True)


def _languages() -> Rows:
    return {"languages": [{"language": "nl", "reading": "B1"}]}  # evidence: a choices default


def _skills() -> Rows:
    return {"skills": [{"skill": factories.EscoSkillFactory.create()}]}  # evidence: a choices default


def _training() -> Rows:
    programme = TrainingProgramme.objects.create(project=factories.ProjectFactory.create(), name="Dutch")
    return {"training": [{"programme": programme}]}  # status: a choices default


def _work_experience() -> Rows:
    occupation = factories.EscoOccupationFactory.create()
    # fte left out: its default 1 is stored as 1.00; the date comes as text.
    return {"work_experience": [{"occupation": occupation, "country": "MA", "started_on": "2020-01-01"}]}


def _diplomas() -> Rows:
    step = {"authority": "naric_vl", "outcome": "requested", "requested_on": "2024-02-01"}
    diploma = {
        "title": "Bachelor in nursing",
        "institution": "Université Mohammed V",
        "country": "MA",
        "isced_level": 6,
        "duration_years": 3,  # stored as 3.0
        "recognition_steps": [step],
    }
    return {"diplomas": [diploma]}


def _licences() -> Rows:
    return {"licences": [{"kind": Licence.Kind.DRIVING_CE, "issuing_country": "MA"}]}  # an enum given


def _profile(rows: Rows) -> ProfileInput:
    fields = {
        "given_name": "Amina",
        "family_name": "Alaoui",
        "date_of_birth": datetime.date(1996, 5, 17),
        "nationalities": ["MA"],
        "country_of_residence": "MA",
    }
    return ProfileInput(fields=fields, **rows)  # preferred_language: a choices default too


@pytest.mark.parametrize(
    "rows", [_languages, _skills, _training, _work_experience, _diplomas, _licences], ids=lambda f: f.__name__
)
def test_resending_the_same_profile_is_unchanged(
    pes: Organisation, rows: Callable[[], Rows], django_capture_on_commit_callbacks: Any
) -> None:
    profile = _profile(rows())
    candidate, result = candidate_upsert(registered_by=pes, external_id="MA-1", profile=profile)
    assert result == ChangeResult.CREATED
    with django_capture_on_commit_callbacks() as callbacks:
        candidate, result = candidate_upsert(registered_by=pes, external_id="MA-1", profile=profile)
    assert result == ChangeResult.UNCHANGED
    assert callbacks == []  # no recompute queued
    assert Candidate.objects.get(pk=candidate.pk).profile_version == 1


def test_a_real_difference_in_a_row_is_still_a_change(pes: Organisation) -> None:
    candidate, _ = candidate_upsert(registered_by=pes, external_id="MA-1", profile=_profile(_languages()))
    verified = {"languages": [{"language": "nl", "reading": "B1", "evidence": "verified"}]}
    _, result = candidate_upsert(registered_by=pes, external_id="MA-1", profile=_profile(verified))
    assert result == ChangeResult.UPDATED
    experience = _work_experience()
    candidate_upsert(registered_by=pes, external_id="MA-1", profile=_profile(experience))
    experience["work_experience"][0]["fte"] = Decimal("0.5")
    _, result = candidate_upsert(registered_by=pes, external_id="MA-1", profile=_profile(experience))
    assert result == ChangeResult.UPDATED
    assert Candidate.objects.get(pk=candidate.pk).profile_version == 4


def test_a_date_given_as_text_or_as_a_date_is_the_same(pes: Organisation) -> None:
    experience = _work_experience()
    candidate_upsert(registered_by=pes, external_id="MA-1", profile=_profile(experience))
    experience["work_experience"][0].update(started_on=datetime.date(2020, 1, 1), fte=Decimal("1.0"))
    _, result = candidate_upsert(registered_by=pes, external_id="MA-1", profile=_profile(experience))
    assert result == ChangeResult.UNCHANGED


def test_a_value_out_of_range_is_an_error_not_a_crash(pes: Organisation) -> None:
    experience = _work_experience()
    candidate_upsert(registered_by=pes, external_id="MA-1", profile=_profile(experience))
    experience["work_experience"][0]["fte"] = Decimal("1e40")  # too large to compare at 2 decimals
    with pytest.raises(ValidationError) as refused:
        candidate_upsert(registered_by=pes, external_id="MA-1", profile=_profile(experience))
    assert "work_experience.0.fte" in refused.value.message_dict
