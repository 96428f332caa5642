"""The EU Talent Pool export: who and what goes out (consent, status, shortage lists), the mapping, and
the schema that every record is checked against (a broken record is reported, never silently dropped)."""

import copy
import datetime
import json
from typing import Any

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator

from candidates.models import Candidate, Consent
from core.models import Organisation
from exports import talent_pool
from reference.models import ShortageList, ShortageListEntry, ShortageListOccupation
from tests import factories
from tests.exports.talent_pool_world import (
    CURATED_SKILL_URI,
    ESCO_SKILL_URI,
    NURSE_URI,
    TalentPoolWorld,
    build_talent_pool_world,
    consent,
    full_candidate,
    shortage_vacancy,
)
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool() -> TalentPoolWorld:
    return build_talent_pool_world()


def _candidates_document() -> dict[str, Any]:
    return json.loads("".join(talent_pool.candidate_document_lines(organisation=None)))


def _vacancies_document() -> dict[str, Any]:
    day = timezone.localdate()
    return json.loads("".join(talent_pool.vacancy_document_lines(organisation=None, day=day)))


def _references(document: dict[str, Any], kind: str) -> set[str]:
    return {record["reference"] for record in document[kind]}


# --- The schemas themselves ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [talent_pool.CANDIDATES, talent_pool.VACANCIES])
def test_the_schemas_are_valid_draft_2020_12_schemas(kind: str) -> None:
    assert talent_pool.schema(kind)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(talent_pool.schema(kind))


# --- Candidates ------------------------------------------------------------------------------------------


def test_a_consenting_candidate_goes_out_in_the_documented_shape(pool: TalentPoolWorld) -> None:
    candidate = full_candidate(pool)
    document = _candidates_document()
    talent_pool.document_validator(talent_pool.CANDIDATES).validate(document)  # the whole file
    assert document["errors"] == [] and document["summary"] == {"exported": 1, "leftOut": 0}
    (record,) = document["candidates"]
    assert record["reference"] == str(candidate.public_id)
    assert record["countryOfResidence"] == "MA" and record["nationalities"] == ["MA"]
    assert candidate.available_from is not None
    assert record["availableFrom"] == candidate.available_from.isoformat()
    nurse = {"escoUri": NURSE_URI, "iscoCode": "2221", "label": "nurse responsible for general care"}
    assert record["desiredOccupations"] == [nurse]
    assert record["experience"] == [
        {"occupation": nurse, "country": "MA", "startDate": "2019-01-01", "fullTimeEquivalent": 0.8}
    ]
    assert record["education"] == [
        {
            "iscedLevel": 6,
            "iscedField": "0913",
            "title": "Bachelor of Science in Nursing",
            "country": "IN",
            "awardedYear": 2018,
        }
    ]
    # CEFR per skill as the profile stores it; a skill not assessed is absent; "other language" (no ISO
    # 639-1 code) is not exported.
    assert record["languages"] == [
        {"language": "ar", "native": True, "cefr": {}},
        {
            "language": "nl",
            "native": False,
            "cefr": {"listening": "B1", "reading": "B1", "spokenInteraction": "A2", "spokenProduction": "A2"},
        },
    ]
    assert record["skills"] == [{"escoUri": ESCO_SKILL_URI, "label": "apply health sciences"}]
    assert record["otherSkills"] == [{"label": "measure vital signs"}]  # a curated URN is not an ESCO URI
    assert record["consent"]["countries"] == ["BE", "NL"]
    assert record["consent"]["textVersion"] == "2026-01"


def test_no_contact_details_or_identity_go_out(pool: TalentPoolWorld) -> None:
    candidate = full_candidate(pool, given_name="Fatima", family_name="Zahraoui")
    text = "".join(talent_pool.candidate_document_lines(organisation=None))
    for private in (
        candidate.email,
        candidate.phone,
        "Fatima",
        "Zahraoui",
        candidate.date_of_birth.isoformat(),
        candidate.external_id,
        "Hôpital Ibn Sina",  # the employer named in the experience
        "Staff nurse",  # free text of the experience
    ):
        assert private not in text


def test_only_a_talent_pool_consent_in_force_counts(pool: TalentPoolWorld) -> None:
    now = timezone.now()
    exported = full_candidate(pool)
    no_consent = full_candidate(pool, consented=False)
    other_purposes = full_candidate(pool, consented=False)
    consent(other_purposes, Consent.Purpose.PROFILE_VISIBILITY)
    consent(other_purposes, Consent.Purpose.INTERNATIONAL_TRANSFER)
    withdrawn = full_candidate(pool, consented=False)
    consent(withdrawn, withdrawn_at=now - datetime.timedelta(days=1))
    expired = full_candidate(pool, consented=False)
    consent(expired, expires_at=now - datetime.timedelta(days=1))
    not_yet = full_candidate(pool, consented=False)
    consent(not_yet, granted_at=now + datetime.timedelta(days=1))
    renewed = full_candidate(pool, consented=False)  # withdrawn, then given again: in force
    consent(
        renewed, granted_at=now - datetime.timedelta(days=20), withdrawn_at=now - datetime.timedelta(days=10)
    )
    consent(renewed, granted_at=now - datetime.timedelta(days=5), text_version="2026-07")

    document = _candidates_document()

    assert _references(document, "candidates") == {str(exported.public_id), str(renewed.public_id)}
    for left_out in (no_consent, other_purposes, withdrawn, expired, not_yet):
        assert str(left_out.public_id) not in json.dumps(document)
    renewed_record = next(r for r in document["candidates"] if r["reference"] == str(renewed.public_id))
    assert renewed_record["consent"]["textVersion"] == "2026-07"  # the consent in force, not the old one


@pytest.mark.parametrize(
    "status",
    [
        Candidate.Status.RESTRICTED,
        Candidate.Status.WITHDRAWN,
        Candidate.Status.ANONYMISED,
        Candidate.Status.PLACED,
    ],
)
def test_a_candidate_who_is_not_active_never_goes_out_even_with_consent(
    pool: TalentPoolWorld, status: str
) -> None:
    active = full_candidate(pool)
    other = full_candidate(pool)
    Candidate.objects.filter(pk=other.pk).update(
        status=status, restricted_at=timezone.now(), withdrawn_at=timezone.now()
    )
    assert _references(_candidates_document(), "candidates") == {str(active.public_id)}


def test_an_occupation_outside_escos_namespace_goes_out_without_an_esco_uri(pool: TalentPoolWorld) -> None:
    candidate = full_candidate(pool)
    local = factories.EscoOccupationFactory.create(uri="urn:talentbrug:occupation:zorgkundige", label_en="x")
    candidate.desired_occupations.add(local)
    (record,) = _candidates_document()["candidates"]
    assert {"iscoCode": "7212", "label": "x"} in record["desiredOccupations"]  # no invented ESCO URI


def test_a_record_failing_the_schema_is_left_out_and_listed_without_its_values(pool: TalentPoolWorld) -> None:
    good = full_candidate(pool)
    broken = full_candidate(pool)
    # Written past the model's validators (as an old import might have): not ISO 3166-1 alpha-2.
    Candidate.objects.filter(pk=broken.pk).update(nationalities=["Morocco"], country_of_residence="ma")

    document = _candidates_document()

    talent_pool.document_validator(talent_pool.CANDIDATES).validate(document)
    assert _references(document, "candidates") == {str(good.public_id)}
    assert document["errors"] == [
        {
            "reference": str(broken.public_id),
            "problems": [
                {"path": "/countryOfResidence", "rule": "pattern"},
                {"path": "/nationalities/0", "rule": "pattern"},
            ],
        }
    ]
    assert "Morocco" not in json.dumps(document)  # the value itself is not repeated
    assert document["summary"] == {"exported": 1, "leftOut": 1}


def test_a_citizen_of_the_union_or_a_resident_in_it_is_reported_not_exported(pool: TalentPoolWorld) -> None:
    # The talent pool is for people residing outside the Union who are not its citizens: such a
    # candidate's consent does not make them eligible; the recruiter sees why they were left out.
    in_belgium = full_candidate(pool, country_of_residence="BE")
    dual_citizen = full_candidate(pool, nationalities=["MA", "FR"])
    document = _candidates_document()
    assert document["candidates"] == []
    assert document["errors"] == [  # in the order the candidates are read (by primary key)
        {
            "reference": str(in_belgium.public_id),
            "problems": [{"path": "/countryOfResidence", "rule": "not"}],
        },
        {"reference": str(dual_citizen.public_id), "problems": [{"path": "/nationalities/1", "rule": "not"}]},
    ]


@pytest.mark.parametrize(
    ("path", "value", "rule"),
    [
        (("languages", 1, "cefr", "listening"), "B3", "enum"),
        (("education", 0, "iscedLevel"), 9, "maximum"),
        (("desiredOccupations", 0, "escoUri"), "http://data.europa.eu/esco/occupation/not-a-uuid", "pattern"),
        (("skills", 0, "escoUri"), CURATED_SKILL_URI, "pattern"),
        (("consent",), None, "required"),
        (("email",), "someone@example.org", "additionalProperties"),
    ],
)
def test_a_deliberately_broken_record_fails_validation(
    pool: TalentPoolWorld, path: tuple[Any, ...], value: Any, rule: str
) -> None:
    candidate = talent_pool.talent_pool_candidates().get(pk=full_candidate(pool).pk)
    record = talent_pool.candidate_record(candidate)
    assert talent_pool.record_problems(talent_pool.CANDIDATES, record) == []
    broken = copy.deepcopy(record)
    target = broken
    for step in path[:-1]:
        target = target[step]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    problems = talent_pool.record_problems(talent_pool.CANDIDATES, broken)
    assert problems and {problem["rule"] for problem in problems} == {rule}


# --- Vacancies -------------------------------------------------------------------------------------------


def test_an_open_shortage_vacancy_goes_out_in_the_documented_shape(pool: TalentPoolWorld) -> None:
    vacancy = shortage_vacancy(pool, description="Zorg in een woonzorgcentrum.", start_date=None)
    document = _vacancies_document()
    talent_pool.document_validator(talent_pool.VACANCIES).validate(document)
    assert document["referenceDate"] == timezone.localdate().isoformat()
    (record,) = document["vacancies"]
    assert record["reference"] == str(vacancy.public_id)
    assert record["occupation"] == {
        "escoUri": NURSE_URI,
        "iscoCode": "2221",
        "label": "nurse responsible for general care",
    }
    assert record["employer"] == {"name": "Zorghuis Gent", "country": "BE"}
    assert record["location"] == {
        "country": "BE",
        "subdivision": "BE-VLG",
        "municipality": "Gent",
        "postalCode": "9000",
    }
    assert record["contract"] == {"type": "indefinite"}
    assert record["salary"] == {"grossAnnual": 42000, "grossMonthly": 3017.24, "currency": "EUR"}
    assert record["requirements"]["languages"] == [
        {"language": "nl", "mandatory": True, "cefrMinimum": {"listening": "B1", "spokenInteraction": "B1"}}
    ]
    assert record["requirements"]["skills"] == [
        {"escoUri": ESCO_SKILL_URI, "label": "apply health sciences", "relation": "essential"}
    ]
    assert record["requirements"]["otherSkills"] == [{"label": "measure vital signs", "relation": "optional"}]
    assert record["shortageLists"] == ["vdab_shortage"]
    assert "startDate" not in record


def test_only_published_vacancies_on_a_list_in_force_for_their_region_go_out(pool: TalentPoolWorld) -> None:
    today = timezone.localdate()
    exported = shortage_vacancy(pool)
    closed = shortage_vacancy(pool, status=Vacancy.Status.CLOSED)
    filled = shortage_vacancy(pool, status=Vacancy.Status.FILLED)
    draft = shortage_vacancy(pool, status=Vacancy.Status.DRAFT, published_at=None)
    not_on_a_list = shortage_vacancy(pool, occupation=pool.cook)
    suspended = factories.OrganisationFactory.create(employer=True, suspended=True)
    of_a_suspended_employer = shortage_vacancy(pool, employer=suspended)
    # The cook is on a Brussels list only: a Flemish cook's vacancy is not a shortage vacancy.
    brussels = ShortageList.objects.create(
        kind=ShortageList.Kind.OTHER_REGION, region="BRU", title="Brussels", valid_from=today
    )
    entry = ShortageListEntry.objects.create(shortage_list=brussels, title_nl="Kok")
    ShortageListOccupation.objects.create(entry=entry, occupation=pool.cook)
    brussels_cook = shortage_vacancy(
        pool, occupation=pool.cook, postal_code="1000", municipality="Brussel", region="BRU"
    )

    document = _vacancies_document()

    assert _references(document, "vacancies") == {str(exported.public_id), str(brussels_cook.public_id)}
    for left_out in (closed, filled, draft, not_on_a_list, of_a_suspended_employer):
        assert str(left_out.public_id) not in json.dumps(document)
    cook_record = next(r for r in document["vacancies"] if r["reference"] == str(brussels_cook.public_id))
    assert cook_record["shortageLists"] == ["other_region"]
    assert cook_record["location"]["subdivision"] == "BE-BRU"


def test_a_list_no_longer_in_force_makes_no_shortage_vacancy(pool: TalentPoolWorld) -> None:
    shortage_vacancy(pool)
    # Ended more than a year ago: discontinued, not late (reference.in_force).
    today = timezone.localdate()
    ShortageList.objects.filter(pk=pool.shortage_list.pk).update(
        valid_from=today - datetime.timedelta(days=900), valid_to=today - datetime.timedelta(days=400)
    )
    assert _vacancies_document()["vacancies"] == []


def test_a_vacancy_failing_the_schema_is_left_out_and_listed(pool: TalentPoolWorld) -> None:
    good = shortage_vacancy(pool)
    broken = shortage_vacancy(pool)
    Vacancy.objects.filter(pk=broken.pk).update(
        postal_code="90AB"
    )  # past the model's validation (not four digits)
    document = _vacancies_document()
    talent_pool.document_validator(talent_pool.VACANCIES).validate(document)
    assert _references(document, "vacancies") == {str(good.public_id)}
    assert document["errors"] == [
        {
            "reference": str(broken.public_id),
            "problems": [{"path": "/location/postalCode", "rule": "pattern"}],
        }
    ]


def test_the_contact_point_is_the_exporting_service(pool: TalentPoolWorld) -> None:
    full_candidate(pool)
    pes = factories.OrganisationFactory.create(pes=True, name="VDAB")
    text = "".join(talent_pool.candidate_document_lines(organisation=Organisation.objects.get(pk=pes.pk)))
    assert json.loads(text)["contactPoint"] == {"organisation": "VDAB", "country": "BE"}
