"""A write's field memo checks and compares rows exactly as Django does, row after row (issue 11).

``FieldMemo`` remembers, for one write, each distinct value's ``Field.clean`` and stored form. Whatever
came before in the same write, a row must get Django's own ``full_clean`` answer (errors with their
codes and parameters, and the cleaned values with their types), and equal values of different types or
precision (``True`` and ``1``, ``Decimal("3.0")`` and ``Decimal("3.00")``, a choices member and its
string) must not be taken for one another.
"""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from candidates.models import (
    Candidate,
    CandidateSkill,
    Consent,
    Diploma,
    LanguageProficiency,
    Licence,
    RecognitionStep,
    WorkExperience,
)
from candidates.models.qualifications import Evidence
from candidates.services.field_memo import FieldMemo, stored_form
from core.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db

DIPLOMA = {"title": "Licence", "institution": "UM5", "country": "MA", "isced_level": 6}
STEP = {"authority": "naric_vl", "outcome": "requested", "requested_on": "2026-10-01"}
GRANTED = datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.UTC)

ROWS: list[tuple[type[models.Model], dict[str, Any]]] = [
    (LanguageProficiency, {"language": "nl", "reading": "B2", "evidence": "verified"}),
    (LanguageProficiency, {"language": "nl", "reading": "B9"}),
    (LanguageProficiency, {"language": "xx", "reading": "B2"}),
    (LanguageProficiency, {"language": "nl", "reading": "B2", "evidence": Evidence.VERIFIED}),
    (LanguageProficiency, {"language": "nl", "is_native": True, "nt2_level": "2.4"}),
    (LanguageProficiency, {"language": "nl", "certificate": "x" * 201}),
    (LanguageProficiency, {"language": "", "reading": None}),
    (LanguageProficiency, {"language": "fr", "assessed_on": "2026-05-20"}),
    (LanguageProficiency, {"language": "fr", "assessed_on": "2026-05-32"}),
    (LanguageProficiency, {"language": "fr", "assessed_on": datetime.date(2026, 5, 20)}),
    (Diploma, {**DIPLOMA, "duration_years": Decimal("3.0")}),
    (Diploma, {**DIPLOMA, "duration_years": Decimal("3.00")}),
    (Diploma, {**DIPLOMA, "duration_years": "3.0"}),
    (Diploma, {**DIPLOMA, "duration_years": "3.00"}),
    (Diploma, {**DIPLOMA, "duration_years": Decimal("30.0")}),
    (Diploma, {**DIPLOMA, "isced_level": True}),
    (Diploma, {**DIPLOMA, "isced_level": 1}),
    (Diploma, {**DIPLOMA, "isced_level": -1}),
    (Diploma, {**DIPLOMA, "isced_level": "6"}),
    (Diploma, {**DIPLOMA, "country": "ma"}),
    (Diploma, {**DIPLOMA, "title": ""}),
    (Diploma, {**DIPLOMA, "institution_state_recognised": None}),
    (Diploma, {**DIPLOMA, "awarded_on": "2020-07-01"}),
    (RecognitionStep, STEP),
    (RecognitionStep, {**STEP, "outcome": "granted"}),
    (RecognitionStep, {**STEP, "requested_on": None}),
    (RecognitionStep, {**STEP, "recognised_isced_level": 7, "decided_on": "2026-11-01"}),
    (WorkExperience, {"country": "MA", "started_on": "2019-01-01"}),
    (WorkExperience, {"country": "MA", "started_on": "2019-01-01", "fte": "0.80"}),
    (WorkExperience, {"country": "MA", "started_on": "2019-01-01", "fte": "0.805"}),
    (WorkExperience, {"country": "MA", "started_on": "2019-01-01", "fte": 1}),
    (WorkExperience, {"country": "MAR", "started_on": "2019-02-30"}),
    (CandidateSkill, {"evidence": "verified", "verified_on": "2026-01-01"}),
    (CandidateSkill, {"evidence": "unverified"}),
    (Licence, {"kind": "driving_c", "issuing_country": "MA"}),
    (Licence, {"kind": "driving_x", "issuing_country": "MA", "note": "n" * 201}),
    (Consent, {"purpose": "profile_visibility", "text_version": "2026-01", "granted_at": GRANTED}),
    (Consent, {"purpose": "profile_visibility", "text_version": "2026-01", "countries": ["BE", "nl"]}),
    (Consent, {"purpose": "profile_visibility", "text_version": "2026-01", "countries": "BE"}),
    (Consent, {"purpose": "nothing", "text_version": "", "granted_at": "2026-01-05T10:00:00+01:00"}),
]


def _answer(check: Any, model: type[models.Model], values: dict[str, Any], exclude: list[str]) -> Any:
    instance = model(**values)
    try:
        check(instance, exclude)
        errors = None
    except ValidationError as exc:
        errors = {
            name: [(e.message, e.code, e.params) for e in error_list]
            for name, error_list in exc.error_dict.items()
        }
    cleaned = {
        f.attname: getattr(instance, f.attname)
        for f in model._meta.concrete_fields
        if f.name != "public_id"  # a new uuid for each instance
    }
    return errors, {name: (type(value), value) for name, value in cleaned.items()}


def _django(instance: models.Model, exclude: list[str]) -> None:
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _exclude(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation]


def test_every_row_gets_djangos_answer_whatever_the_rows_before_it() -> None:
    memo = FieldMemo()
    for _round in range(2):  # the second time round, every value is remembered
        for model, values in ROWS:
            exclude = _exclude(model)
            assert _answer(memo.full_clean, model, values, exclude) == _answer(
                _django, model, values, exclude
            ), (model.__name__, values)


def test_a_candidate_gets_its_model_rules_too() -> None:
    """``Candidate.clean``: the cohort of another project, a registering organisation that may not."""
    partner = factories.OrganisationFactory.create()
    employer = factories.OrganisationFactory.create(employer=True)
    project, other = factories.ProjectFactory.create(), factories.ProjectFactory.create()
    cohort = factories.CohortFactory.create(project=other)
    base = {
        "external_id": "A-1",
        "given_name": "Amina",
        "family_name": "B",
        "date_of_birth": "1990-01-01",
        "country_of_residence": "MA",
        "nationalities": ["MA"],
    }
    memo = FieldMemo()
    for registered_by in (partner, employer, partner):
        for values in (
            base,
            {**base, "project": project, "cohort": cohort},
            {**base, "date_of_birth": "1990-02-30", "email": "not an e-mail", "sex": "f"},
            {**base, "video_cv_url": "http://example.org/v", "nationalities": ["MA", "tn"]},
        ):
            values = {**values, "registered_by": registered_by}
            exclude = ["registered_by", "project"]
            assert _answer(memo.full_clean, Candidate, values, exclude) == _answer(
                _django, Candidate, values, exclude
            ), values


def test_remembered_stored_forms_are_the_stored_forms() -> None:
    memo = FieldMemo()
    fte = WorkExperience._meta.get_field("fte")
    duration = Diploma._meta.get_field("duration_years")
    evidence = LanguageProficiency._meta.get_field("evidence")
    countries = Consent._meta.get_field("countries")
    granted = Consent._meta.get_field("granted_at")
    cases: list[tuple[Any, Any]] = [
        (fte, 1),
        (fte, "1"),
        (fte, True),
        (fte, Decimal("1.00")),
        (duration, "3"),
        (duration, Decimal("3.0")),
        (evidence, Evidence.VERIFIED),
        (evidence, "verified"),
        (countries, ["BE"]),
        (countries, None),
        (granted, "2026-01-05T10:00:00+01:00"),
        (granted, GRANTED),
    ]
    for _round in range(2):
        for field, value in cases:
            form = memo.stored_form(field, value)
            assert (type(form), form) == (type(stored_form(field, value)), stored_form(field, value))


def test_the_organisation_kind_is_read_from_the_row_not_remembered() -> None:
    """A relation's check is never remembered: the same id can mean another row's rules."""
    memo = FieldMemo()
    partner = factories.OrganisationFactory.create()
    values = {
        "external_id": "X",
        "given_name": "A",
        "family_name": "B",
        "date_of_birth": "1990-01-01",
        "country_of_residence": "MA",
        "nationalities": ["MA"],
    }
    memo.full_clean(Candidate(registered_by=partner, **values), ["project"])
    Organisation.objects.filter(pk=partner.pk).update(kind=Organisation.Kind.EMPLOYER)
    again = Candidate(registered_by=Organisation.objects.get(pk=partner.pk), **values)
    with pytest.raises(ValidationError) as error:
        memo.full_clean(again, ["project"])
    assert "registered_by" in error.value.message_dict
