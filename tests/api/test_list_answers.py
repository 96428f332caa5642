"""The candidate and vacancy lists write their pages from plain rows (``api.serializers.rows``), one
object on its own goes through its serializer as usual: the two must give the same answer, field for
field and in the same order, for an object with every nested list filled. And the match list writes
each distinct reason once: values that compare equal but write differently stay apart."""

import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from agreements.services import vacancy_shares_sync
from api.serializers.matches import WrittenReasons
from projects.models import TrainingProgramme
from recruitment.matching.results import Reason
from tests import factories
from tests.agreements.world import agreement
from tests.api.conftest import Partner, published_vacancy
from vacancies.models import VacancySkill

pytestmark = pytest.mark.django_db


def _listed(api: APIClient, url: str, id_: str, **headers: Any) -> dict[str, Any]:
    response = api.get(url, **headers)
    assert response.status_code == 200, response.content
    [row] = [row for row in response.json()["results"] if row["id"] == id_]
    return dict(row)


def test_a_listed_candidate_reads_as_its_detail(api_x: APIClient, partner_x: Partner) -> None:
    vacancy = published_vacancy(partner_x.project)  # its employer may be named in a consent
    programme = TrainingProgramme.objects.create(project=partner_x.project, name="Nederlands A2-B1")
    cohort = factories.CohortFactory.create(project=partner_x.project)
    occupations = factories.EscoOccupationFactory.create_batch(2)
    skills = factories.EscoSkillFactory.create_batch(2)
    level = {"listening": "B1", "reading": "A2", "spoken_interaction": "A2", "spoken_production": "A2"}
    body = {
        "external_id": "X-FULL",
        "given_name": "Amina",
        "family_name": "El Idrissi",
        "date_of_birth": "1996-05-17",
        "nationalities": ["MA", "FR"],
        "country_of_residence": "MA",
        "preferred_regions": ["VLG"],
        "preferred_sectors": ["construction"],
        "project": partner_x.project.code,
        "cohort": cohort.pk,
        "desired_occupations": [o.uri for o in occupations],
        "languages": [{"language": "nl", **level, "assessed_on": "2026-06-01"}, {"language": "fr", **level}],
        "diplomas": [
            {
                "title": "Soudure",
                "institution": "OFPPT",
                "country": "MA",
                "isced_level": 4,
                "duration_years": "2.5",
            },
            {
                "title": "Mécanique",
                "institution": "ISTA",
                "country": "MA",
                "isced_level": 5,
                "recognition_steps": [
                    {"authority": "naric_vl", "outcome": "requested", "requested_on": "2026-09-01"},
                    {
                        "authority": "other",
                        "outcome": "partial",
                        "requested_on": "2026-03-01",
                        "decided_on": "2026-05-01",
                    },
                ],
            },
        ],
        "work_experience": [
            {"occupation": o.uri, "country": "MA", "started_on": f"20{20 + i}-01-01", "fte": "0.8"}
            for i, o in enumerate(occupations)
        ],
        "skills": [{"skill": s.uri, "evidence": "self_declared"} for s in skills],
        "licences": [
            {"kind": "driving_c", "issuing_country": "MA"},
            {"kind": "code_95", "issuing_country": "BE", "note": "tachograph"},
        ],
        "training": [{"programme": programme.pk, "status": "in_progress", "started_on": "2026-09-01"}],
        "consents": [
            {
                "purpose": "profile_visibility",
                "text_version": "2026-01",
                "granted_at": "2026-01-05T10:00:00Z",
            },
            {
                "purpose": "share_with_employer",
                "recipient": vacancy.employer_id,
                "countries": ["BE"],
                "text_version": "2026-01",
                "granted_at": "2026-02-05T10:00:00+01:00",
            },
        ],
    }
    created = api_x.post("/api/v1/candidates/", body, format="json")
    assert created.status_code == 201, created.content
    api_x.post("/api/v1/candidates/", {**body, "external_id": "X-OTHER", "consents": []}, format="json")
    id_ = created.json()["id"]

    listed = _listed(api_x, "/api/v1/candidates/", id_)

    detail = api_x.get(f"/api/v1/candidates/{id_}/").json()
    assert list(listed) == list(detail) and listed == detail
    for name in ("desired_occupations", "languages", "diplomas", "work_experience", "skills", "licences"):
        assert len(listed[name]) == 2, name
    assert len(listed["diplomas"][1]["recognition_steps"]) == 2
    assert listed["consents"][0]["recipient_name"] == vacancy.employer.name
    assert listed["training"][0]["programme_name"] == "Nederlands A2-B1"


def test_a_listed_vacancy_reads_as_its_detail(api_x: APIClient, partner_x: Partner) -> None:
    occupation = factories.EscoOccupationFactory.create(label_fr="soudeur")
    agreement(agencies=[partner_x.organisation], occupations=[occupation])
    vacancy = published_vacancy(partner_x.project, occupation=occupation)
    vacancy_shares_sync(vacancy.pk)  # open to X's project and shared with X: both lists filled
    published_vacancy(partner_x.project)
    for language in ("nl", "fr"):
        factories.VacancyLanguageRequirementFactory.create(vacancy=vacancy, language=language)
    VacancySkill.objects.create(
        vacancy=vacancy, skill=factories.EscoSkillFactory.create(label_fr="souder"), relation_type="essential"
    )
    VacancySkill.objects.create(
        vacancy=vacancy, skill=factories.EscoSkillFactory.create(), relation_type="optional"
    )
    id_ = str(vacancy.public_id)

    for language in ("fr", "en"):
        listed = _listed(api_x, "/api/v1/vacancies/", id_, HTTP_ACCEPT_LANGUAGE=language)

        detail = api_x.get(f"/api/v1/vacancies/{id_}/", HTTP_ACCEPT_LANGUAGE=language).json()
        assert list(listed) == list(detail) and listed == detail
    assert [skill["label"] for skill in listed["skills"]][1].startswith("skill ")
    assert len(listed["language_requirements"]) == 2 and listed["projects"] == [partner_x.project.code]
    assert len(listed["shares"]) == 1


def test_reasons_written_once_keep_values_that_write_differently_apart() -> None:
    written = WrittenReasons()
    due = datetime.date(2027, 1, 1).isoformat()
    reasons = [Reason("test.code", (("value", value),), closes_by=due) for value in (1, 1.0, True, 1)]

    answers = [written(reason) for reason in reasons]

    assert [answer["params"]["value"] for answer in answers] == [1, 1.0, True, 1]
    assert [type(answer["params"]["value"]) for answer in answers] == [int, float, bool, int]
    assert answers[0] is answers[3] and answers[0] is not answers[1]  # written once, kept apart
    assert answers[0]["closes_by"] == due and answers[0]["message"]
