"""A vacancy's kind (employment or internship) decides its cases' path: an edit posted without the field
keeps the stored kind, and the service refuses to change the kind while a case on the vacancy is open
(vacancies.authoring)."""

from typing import Any

import pytest
from django.utils import translation

from recruitment.services.placements import placement_move
from tests.internships.cases import internship_vacancy, proposed_case, staff
from tests.web.test_employer_vacancy_form import _form
from tests.web.world import employer_user, verified_client
from vacancies.authoring import VacancyAuthoringError, employer_vacancy_update
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def _internship_form(vacancy: Vacancy, **changes: str) -> dict[str, str]:
    data = _form(vacancy.occupation, contract_type="fixed_term", contract_months="6", **changes)
    data.pop("kind", None)
    return data


def _fields(vacancy: Vacancy, **changes: Any) -> dict[str, Any]:
    return {"title": vacancy.title, "kind": vacancy.kind, **changes}


def test_an_edit_posted_without_the_kind_keeps_the_internship() -> None:
    vacancy = internship_vacancy(status="draft", published_at=None)
    client = verified_client(employer_user(vacancy.employer))
    edit = f"/en/employer/vacancies/{vacancy.public_id}/edit/"

    response = client.post(edit, _internship_form(vacancy, title="Still an internship"))

    assert response.status_code == 302, response.content
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.kind) == ("Still an internship", Vacancy.Kind.INTERNSHIP)
    # And the internship's own rule still holds when the field is absent: no open-ended internship.
    refused = client.post(edit, {**_internship_form(vacancy), "contract_type": "indefinite"})
    assert refused.status_code == 400
    vacancy.refresh_from_db()
    assert vacancy.contract_type == Vacancy.ContractType.FIXED_TERM


def test_the_kind_cannot_change_while_a_case_is_open() -> None:
    recruiter = staff()
    case = proposed_case(recruiter)
    vacancy = case.vacancy
    employer = employer_user(vacancy.employer)

    with translation.override("en"), pytest.raises(VacancyAuthoringError) as refused:
        employer_vacancy_update(
            vacancy=vacancy, actor=employer, fields=_fields(vacancy, kind="employment"), languages=[]
        )
    (error,) = refused.value.error_dict["kind"]
    assert error.code == "kind_with_open_cases"
    assert error.messages == ["This vacancy has open cases: its kind cannot change until they are closed."]
    vacancy.refresh_from_db()
    assert vacancy.kind == Vacancy.Kind.INTERNSHIP
    # Other changes still go through; and once the case is closed, the kind may change.
    employer_vacancy_update(
        vacancy=vacancy, actor=employer, fields=_fields(vacancy, title="New"), languages=[]
    )
    placement_move(
        placement=case, to_stage="withdrawn", actor=recruiter, expected_version=case.version, reason="other"
    )
    changed = employer_vacancy_update(
        vacancy=vacancy, actor=employer, fields=_fields(vacancy, kind="employment"), languages=[]
    )
    assert changed.kind == Vacancy.Kind.EMPLOYMENT


def test_the_page_shows_the_refusal_next_to_the_kind() -> None:
    recruiter = staff()
    vacancy = proposed_case(recruiter).vacancy
    client = verified_client(employer_user(vacancy.employer))

    response = client.post(
        f"/en/employer/vacancies/{vacancy.public_id}/edit/",
        {**_internship_form(vacancy), "kind": "employment"},
    )

    assert response.status_code == 400
    assert "its kind cannot change until they are closed" in response.text
    vacancy.refresh_from_db()
    assert vacancy.kind == Vacancy.Kind.INTERNSHIP
