"""``rows_insert`` stores what ``bulk_create`` stores (issue 11).

On PostgreSQL it sends one array per column itself (``INSERT ... SELECT * FROM UNNEST``); elsewhere it is
``bulk_create``. Either way: the same rows, ids in the order of the objects when asked for, and a broken
database rule raised as Django's ``IntegrityError`` (the bulk endpoint then writes each profile alone).
"""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.db.models.functions import Now

from candidates.models import (
    Candidate,
    CandidateSkill,
    Consent,
    Diploma,
    LanguageProficiency,
    RecognitionStep,
    WorkExperience,
)
from candidates.models.qualifications import Evidence
from candidates.services.inserts import rows_insert
from tests import factories

pytestmark = pytest.mark.django_db

GRANTED = datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))


def _rows(candidate: Candidate, references: dict[str, Any]) -> dict[type[models.Model], list[models.Model]]:
    occupation, skill, employer = references["occupation"], references["skill"], references["employer"]
    return {
        LanguageProficiency: [
            LanguageProficiency(candidate=candidate, language="nl", reading="B2", assessed_on="2026-05-20"),
            LanguageProficiency(
                candidate=candidate, language="fr", is_native=True, evidence=Evidence.VERIFIED
            ),
            LanguageProficiency(candidate=candidate, language="en", certificate="IELTS 6.5 'quoted' \"x\""),
        ],
        WorkExperience: [
            WorkExperience(candidate=candidate, occupation=occupation, country="MA", started_on="2019-01-01"),
            WorkExperience(
                candidate=candidate,
                occupation=occupation,
                country="MA",
                started_on=datetime.date(2020, 1, 1),
                ended_on=datetime.date(2021, 6, 30),
                fte=Decimal("0.80"),
                job_title='Développeuse {web}, \\ "senior"',
            ),
        ],
        CandidateSkill: [CandidateSkill(candidate=candidate, skill=skill, verified_by=None)],
        Consent: [
            Consent(
                candidate=candidate,
                purpose="share_with_employer",
                recipient=employer,
                countries=["BE", "NL"],
                text_version="2026-01",
                granted_at=GRANTED,
            ),
            Consent(candidate=candidate, purpose="profile_visibility", text_version="1", granted_at=GRANTED),
        ],
    }


def _stored(model: type[models.Model], candidate: Candidate) -> list[tuple[Any, ...]]:
    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key and f.name != "candidate"]
    return sorted(model._default_manager.filter(candidate=candidate).values_list(*names), key=repr)


def test_the_same_rows_as_bulk_create() -> None:
    references = {
        "occupation": factories.EscoOccupationFactory.create(),
        "skill": factories.EscoSkillFactory.create(),
        "employer": factories.OrganisationFactory.create(employer=True),
    }
    inserted, created = factories.CandidateFactory.create(), factories.CandidateFactory.create()
    for (model, rows), (_model, same) in zip(
        _rows(inserted, references).items(), _rows(created, references).items(), strict=True
    ):
        rows_insert(model, rows)
        model._default_manager.bulk_create(same)
        assert _stored(model, inserted) == _stored(model, created)
        assert len(_stored(model, inserted)) == len(rows)


def test_ids_come_back_in_the_order_of_the_rows() -> None:
    organisation = factories.OrganisationFactory.create()
    candidates = [
        Candidate(
            registered_by=organisation,
            external_id=f"INS-{n:03d}",
            given_name=f"Given {n}",
            family_name="F",
            date_of_birth=datetime.date(1990, 1, 1) + datetime.timedelta(days=n),
            nationalities=["MA"],
            country_of_residence="MA",
        )
        for n in (5, 3, 9, 1, 7)
    ]
    rows_insert(Candidate, candidates, with_ids=True)
    for candidate in candidates:
        assert candidate.pk is not None and not candidate._state.adding and candidate._state.db == "default"
        stored = Candidate.objects.get(pk=candidate.pk)
        assert (stored.external_id, stored.public_id, stored.created_at) == (
            candidate.external_id,
            candidate.public_id,
            candidate.created_at,  # set by ``pre_save`` (auto_now_add) on the object too
        )
    diplomas = [
        Diploma(candidate=candidate, title=f"T{n}", institution="I", country="MA", isced_level=n % 9)
        for n, candidate in enumerate(candidates)
    ]
    rows_insert(Diploma, diplomas, with_ids=True)
    steps = [
        RecognitionStep(diploma=diploma, authority="naric_vl", outcome="requested", requested_on="2026-10-01")
        for diploma in diplomas
    ]
    rows_insert(RecognitionStep, steps)
    assert {(d.pk, d.title) for d in diplomas} == set(Diploma.objects.values_list("pk", "title"))
    assert sorted(RecognitionStep.objects.values_list("diploma_id", flat=True)) == sorted(
        d.pk for d in diplomas
    )


def test_a_broken_database_rule_is_an_integrity_error() -> None:
    diploma = factories.DiplomaFactory.create()
    undated = RecognitionStep(
        diploma=diploma, authority="naric_vl", outcome="full_equivalence", requested_on="2026-01-01"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert(RecognitionStep, [undated])
    assert not RecognitionStep.objects.exists()


def test_nothing_to_insert_sends_nothing(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        rows_insert(LanguageProficiency, [])
        rows_insert(Candidate, [], with_ids=True)


def test_a_row_holding_an_sql_expression_is_inserted_as_bulk_create_would() -> None:
    """An expression cannot travel inside an array: such rows go through ``bulk_create`` (which writes
    them as VALUES), and the value the database worked out is the one stored."""
    candidate = factories.CandidateFactory.create()
    consent = Consent(candidate=candidate, purpose="profile_visibility", text_version="1", granted_at=Now())
    rows_insert(Consent, [consent], with_ids=True)
    stored = Consent.objects.get(candidate=candidate)
    assert stored.granted_at is not None and stored.text_version == "1"


def test_the_insert_goes_through_djangos_cursor_wrappers(django_assert_num_queries: Any) -> None:
    """On PostgreSQL the statement runs on a cursor of its own (binary parameters): still counted, logged
    and wrapped like any other query, so query budgets and execute wrappers see it."""
    candidate = factories.CandidateFactory.create()
    seen: list[str] = []

    def note(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    rows = [
        LanguageProficiency(candidate=candidate, language="nl", reading="B2"),
        LanguageProficiency(candidate=candidate, language="fr", certificate='DELF {B2}, \\ "x"'),
    ]
    with django_assert_num_queries(1), connection.execute_wrapper(note):
        rows_insert(LanguageProficiency, rows)
    assert len(seen) == 1 and seen[0].startswith('INSERT INTO "candidates_languageproficiency"')
    assert sorted(
        LanguageProficiency.objects.filter(candidate=candidate).values_list(
            "language", "reading", "certificate"
        )
    ) == [
        ("fr", "", 'DELF {B2}, \\ "x"'),
        ("nl", "B2", ""),
    ]
