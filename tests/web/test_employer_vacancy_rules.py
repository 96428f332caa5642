"""The employer's vacancy against the law and common sense (issue 12, item 5): a salary under the Belgian
guaranteed minimum monthly income cannot be published, and dates far outside any real recruitment are
refused with a message next to the field, writing nothing."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from core.models import User
from tests.web.test_employer_vacancy_form import _draft, _form, _on_migration_list, _thresholds
from tests.web.world import WebWorld, employer_user
from vacancies.authoring import VacancyAuthoringError, employer_vacancy_create, employer_vacancy_update
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def _employer(world: WebWorld) -> User:
    return employer_user(world.employer_a)


# --- The minimum wage --------------------------------------------------------------------------------


def test_a_salary_under_the_minimum_wage_is_shown_and_publication_is_refused(
    world: WebWorld, employer_a: Client
) -> None:
    _thresholds()
    _on_migration_list(world.vacancy.occupation)  # the medium-skilled route would be open otherwise
    response = employer_a.post(
        "/en/employer/vacancies/new/", _form(world.vacancy.occupation, salary_amount="1500")
    )
    assert response.status_code == 302  # a draft may be saved: the check says what to change
    draft = Vacancy.objects.get(title="Lasser TIG")

    page = employer_a.get(f"/en/employer/vacancies/{draft.public_id}/").text
    assert "Prevents publication" in page
    assert "under the Belgian guaranteed minimum monthly income" in page
    assert "€ 1,500.00 a month" in page and "€ 2,111.89 a month for 38 hours a week" in page
    assert "Permit routes this vacancy opens" not in page  # no route is shown open
    assert 'name="confirm_blocking"' not in page  # nothing to confirm: it cannot be published

    for data in ({}, {"confirm_blocking": "on"}):
        refused = employer_a.post(f"/en/employer/vacancies/{draft.public_id}/publish/", data)
        assert refused.status_code == 400
        assert "This vacancy cannot be published as it is" in refused.text
        draft.refresh_from_db()
        assert draft.status == Vacancy.Status.DRAFT and draft.published_at is None


def test_part_time_pay_is_compared_with_the_minimum_for_its_hours(
    world: WebWorld, employer_a: Client
) -> None:
    _thresholds()
    _on_migration_list(world.vacancy.occupation)
    half_time = _form(world.vacancy.occupation, salary_amount="1100", weekly_hours="19")
    assert employer_a.post("/en/employer/vacancies/new/", half_time).status_code == 302
    draft = Vacancy.objects.get(title="Lasser TIG")
    page = employer_a.get(f"/en/employer/vacancies/{draft.public_id}/").text
    assert "minimum monthly income" not in page  # 1,100 for 19 hours is above half of 2,111.89
    response = employer_a.post(f"/en/employer/vacancies/{draft.public_id}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Vacancy.Status.PUBLISHED


# --- Dates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_date", "0001-01-01"),
        ("start_date", "9999-12-31"),
        ("start_date", "past"),
        ("start_date", "far"),
        ("vdab_published_on", "0001-01-01"),
        ("eures_published_on", "future"),
    ],
)
def test_a_date_outside_sane_bounds_is_refused_next_to_its_field_and_writes_nothing(
    world: WebWorld, employer_a: Client, field: str, value: str
) -> None:
    today = timezone.localdate()
    relative = {
        "past": today - datetime.timedelta(days=400),
        "far": today + datetime.timedelta(days=4 * 365),
        "future": today + datetime.timedelta(days=1),
    }
    value = relative[value].isoformat() if value in relative else value
    before = Vacancy.objects.count()
    response = employer_a.post(
        "/en/employer/vacancies/new/", _form(world.vacancy.occupation, **{field: value})
    )
    assert response.status_code == 400
    # In the user's language, next to the field it concerns.
    errors = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.text, re.S)
    assert errors is not None and "Enter a date between" in errors.group(1)
    assert Vacancy.objects.count() == before


def test_the_date_bounds_hold_in_the_service_whoever_calls_it(world: WebWorld) -> None:
    today = datetime.date(2026, 12, 6)
    fields = {
        "title": "Lasser",
        "occupation_id": world.vacancy.occupation_id,
        "municipality": "Gent",
        "postal_code": "9000",
        "region": "VLG",
        "function_vks_level": 3,
        "gross_annual_salary_eur": Decimal("42000.00"),
        "contract_type": "indefinite",
        "start_date": datetime.date(9999, 12, 31),
        "vdab_published_on": datetime.date(1, 1, 1),
    }
    before = Vacancy.objects.count()
    with pytest.raises(VacancyAuthoringError) as refused:
        employer_vacancy_create(actor=_employer(world), fields=fields, languages=[], today=today)
    assert set(refused.value.error_dict) == {"start_date", "vdab_published_on"}
    assert Vacancy.objects.count() == before
    # Three years ahead at most, and publications up to today; the bounds themselves are allowed.
    fields |= {"start_date": datetime.date(2029, 12, 7), "vdab_published_on": today}
    with pytest.raises(VacancyAuthoringError) as refused:
        employer_vacancy_create(actor=_employer(world), fields=fields, languages=[], today=today)
    assert set(refused.value.error_dict) == {"start_date"}
    fields |= {"start_date": datetime.date(2029, 12, 6), "eures_published_on": datetime.date(2023, 12, 6)}
    created = employer_vacancy_create(actor=_employer(world), fields=fields, languages=[], today=today)
    assert created.start_date == datetime.date(2029, 12, 6)


def test_a_date_already_stored_does_not_stop_other_changes(world: WebWorld) -> None:
    """A vacancy that started long ago stays editable: only a date being changed is checked."""
    old = _draft(world, start_date=datetime.date(2020, 3, 1), vdab_published_on=datetime.date(2019, 12, 1))
    fields = {
        "title": "Lasser (m/v)",
        "start_date": old.start_date,
        "vdab_published_on": old.vdab_published_on,
    }
    updated = employer_vacancy_update(vacancy=old, actor=_employer(world), fields=fields, languages=[])
    assert updated.title == "Lasser (m/v)"
    with pytest.raises(VacancyAuthoringError):
        employer_vacancy_update(
            vacancy=old,
            actor=_employer(world),
            fields={"start_date": datetime.date(2020, 3, 2)},
            languages=[],
        )
    old.refresh_from_db()
    assert old.start_date == datetime.date(2020, 3, 1)
