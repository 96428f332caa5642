"""The employer writes its vacancies: create and edit with language requirements, the pre-publication
check on the vacancy and edit pages, and publication (confirmed when the check finds a blocker)."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import formats, timezone, translation

from core.models import Organisation
from recruitment.models import Placement
from reference.models import (
    EscoOccupation,
    SalaryThreshold,
    ShortageList,
    ShortageListEntry,
    ShortageListOccupation,
)
from tests import factories
from tests.web.world import WebWorld, employer_user
from vacancies.models import Vacancy, VacancyLanguageRequirement

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2020, 1, 1)


def _thresholds() -> None:
    for category, amount in (
        ("highly_skilled", "48912.00"),
        ("highly_skilled_reduced", "39129.60"),
        ("eu_blue_card", "63586.00"),
    ):
        SalaryThreshold.objects.update_or_create(
            region="VLG", category=category, valid_from=SINCE, defaults={"annual_gross_eur": Decimal(amount)}
        )


def _on_migration_list(occupation: EscoOccupation) -> None:
    shortage_list, _created = ShortageList.objects.get_or_create(
        kind=ShortageList.Kind.MIGRATION_MEDIUM_SKILLED,
        region="VLG",
        valid_from=SINCE,
        defaults={"title": "Migratielijst"},
    )
    entry, _created = ShortageListEntry.objects.get_or_create(shortage_list=shortage_list, title_nl="Lasser")
    ShortageListOccupation.objects.get_or_create(entry=entry, occupation=occupation)


def _unlisted_world_lists() -> None:
    """A list is loaded, but without the occupation: "on no list" is then a finding, not a guess."""
    ShortageList.objects.create(
        kind=ShortageList.Kind.VDAB_SHORTAGE, region="VLG", title="Knelpuntberoepen", valid_from=SINCE
    )


def _form(chosen: EscoOccupation, **changes: str) -> dict[str, str]:
    start = timezone.localdate() + datetime.timedelta(days=150)
    data = {
        "title": "Lasser TIG",
        "occupation": str(chosen.pk),
        "description": "Stainless steel, shifts.",
        "municipality": "Gent",
        "postal_code": "9000",
        "function_vks_level": "4",
        "min_isced_level": "",
        "min_experience_years": "2",
        "salary_amount": "3000",
        "salary_period": "month",
        "joint_committee": "111",
        "pay_category": "skilled",
        "contract_type": "indefinite",
        "contract_months": "",
        "weekly_hours": "38",
        "positions": "2",
        "start_date": start.isoformat(),
        "employer_pays_travel": "on",
        "employer_pays_attested": "on",
        "vdab_published_on": "",
        "eures_published_on": "",
        "languages-TOTAL_FORMS": "3",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "3",
        "languages-0-language": "nl",
        "languages-0-overall": "B1",
        "languages-0-listening": "B2",
        "languages-0-mandatory": "on",
    }
    data.update(changes)
    return data


def _draft(world: WebWorld, **fields: Any) -> Vacancy:
    fields.setdefault("occupation", world.vacancy.occupation)
    return factories.VacancyFactory.create(employer=world.employer_a, title="Draft welder", **fields)


def test_the_form_offers_the_occupations_grouped_with_a_label_on_every_field(
    world: WebWorld, employer_a: Client, django_assert_max_num_queries: Any
) -> None:
    for _number in range(30):
        factories.EscoOccupationFactory.create()
    employer_a.get("/en/")
    with django_assert_max_num_queries(8):
        response = employer_a.get("/en/employer/vacancies/new/")
    assert response.status_code == 200
    text = response.text
    assert "<optgroup" in text and world.vacancy.occupation.label_en in text
    for name in ("title", "occupation", "postal_code", "salary_amount", "start_date", "languages-0-language"):
        assert f'for="id_{name}"' in text, name


def test_an_employer_creates_a_draft_with_its_language_requirements(
    world: WebWorld, employer_a: Client
) -> None:
    response = employer_a.post("/en/employer/vacancies/new/", _form(world.vacancy.occupation))
    assert response.status_code == 302
    vacancy = Vacancy.objects.get(title="Lasser TIG")
    assert response["Location"] == f"/en/employer/vacancies/{vacancy.public_id}/"
    assert vacancy.employer == world.employer_a  # always the user's own organisation
    assert vacancy.status == Vacancy.Status.DRAFT and vacancy.published_at is None
    assert vacancy.region == "VLG"  # from the postal code
    assert vacancy.gross_annual_salary_eur == Decimal("41760.00")  # 3,000 a month x 13.92
    assert (vacancy.positions, vacancy.employer_pays_travel, vacancy.employer_pays_visa) == (2, True, False)
    requirement = VacancyLanguageRequirement.objects.get(vacancy=vacancy)
    assert (requirement.language, requirement.listening, requirement.writing) == ("nl", "B2", "B1")


def test_an_employer_cannot_create_for_another_organisation(world: WebWorld, employer_a: Client) -> None:
    data = _form(world.vacancy.occupation, employer=str(world.employer_b.pk))
    assert employer_a.post("/en/employer/vacancies/new/", data).status_code == 302
    assert Vacancy.objects.get(title="Lasser TIG").employer == world.employer_a


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"postal_code": "99"}, "Ensure this value has at least 4 characters"),
        ({"postal_code": "0999"}, "Enter a Belgian postal code of four digits."),
        ({"contract_type": "fixed_term"}, "A fixed-term contract states its length in months."),
        ({"salary_amount": "0"}, "Ensure this value is greater than or equal to 0.01."),
        ({"languages-0-language": ""}, "Choose the language of these levels."),
        (
            {"languages-0-overall": "", "languages-0-listening": ""},
            "Choose the minimum level in this language.",
        ),
        (
            {"languages-1-language": "nl", "languages-1-overall": "A2"},
            "Each language can be required only once.",
        ),
        ({"occupation": "999999"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(
    world: WebWorld, employer_a: Client, changes: dict[str, str], message: str
) -> None:
    before = Vacancy.objects.count()
    response = employer_a.post("/en/employer/vacancies/new/", _form(world.vacancy.occupation, **changes))
    assert response.status_code == 400
    assert message in response.text
    assert Vacancy.objects.count() == before
    assert not VacancyLanguageRequirement.objects.filter(vacancy__title="Lasser TIG").exists()


def test_editing_changes_the_vacancy_replaces_its_languages_and_marks_matches_stale(
    world: WebWorld, employer_a: Client
) -> None:
    vacancy = world.vacancy
    factories.VacancyLanguageRequirementFactory.create(vacancy=vacancy, language="fr")
    version = vacancy.criteria_version
    page = employer_a.get(f"/en/employer/vacancies/{vacancy.public_id}/edit/")
    assert page.status_code == 200 and 'value="Lasser MIG/MAG"' in page.text
    assert '<option value="fr" selected>' in page.text  # the existing requirement, prefilled
    data = _form(
        vacancy.occupation, title="Lasser MIG/MAG (m/v)", salary_amount="52000", salary_period="year"
    )
    response = employer_a.post(f"/en/employer/vacancies/{vacancy.public_id}/edit/", data)
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title == "Lasser MIG/MAG (m/v)"
    assert vacancy.gross_annual_salary_eur == Decimal("52000.00")
    assert vacancy.status == Vacancy.Status.PUBLISHED  # an edit does not unpublish
    assert vacancy.criteria_version > version
    assert list(vacancy.language_requirements.values_list("language", flat=True)) == ["nl"]


def test_another_employer_can_neither_edit_nor_publish(world: WebWorld, employer_b: Client) -> None:
    draft = _draft(world)
    assert employer_b.get(f"/en/employer/vacancies/{draft.public_id}/edit/").status_code == 404
    edit = employer_b.post(f"/en/employer/vacancies/{draft.public_id}/edit/", _form(draft.occupation))
    publish = employer_b.post(
        f"/en/employer/vacancies/{draft.public_id}/publish/", {"confirm_blocking": "on"}
    )
    assert (edit.status_code, publish.status_code) == (404, 404)
    draft.refresh_from_db()
    assert draft.title == "Draft welder" and draft.status == Vacancy.Status.DRAFT


def test_staff_and_partners_are_refused_the_employer_forms(world: WebWorld, recruiter: Client) -> None:
    draft = _draft(world)
    assert recruiter.post("/en/employer/vacancies/new/", _form(draft.occupation)).status_code == 403
    assert recruiter.post(f"/en/employer/vacancies/{draft.public_id}/publish/").status_code == 403
    assert not Vacancy.objects.filter(title="Lasser TIG").exists()
    draft.refresh_from_db()
    assert draft.status == Vacancy.Status.DRAFT


def test_a_vacancy_with_only_warnings_is_published_without_confirmation(
    world: WebWorld, employer_a: Client, django_assert_max_num_queries: Any
) -> None:
    _thresholds()
    _on_migration_list(world.vacancy.occupation)
    draft = _draft(world, start_date=timezone.localdate() + datetime.timedelta(days=150))
    factories.VacancyLanguageRequirementFactory.create(vacancy=draft)
    employer_a.get("/en/")
    with django_assert_max_num_queries(12):
        page = employer_a.get(f"/en/employer/vacancies/{draft.public_id}/")
    assert page.status_code == 200
    assert "is under the threshold of € 48,912.00 a year" in page.text  # which route, which amount
    assert "Medium-skilled shortage function" in page.text  # the route that stays open
    assert 'name="confirm_blocking"' not in page.text
    response = employer_a.post(f"/en/employer/vacancies/{draft.public_id}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Vacancy.Status.PUBLISHED and draft.published_at is not None


def test_blocking_findings_need_an_explicit_confirmation_to_publish(
    world: WebWorld, employer_a: Client
) -> None:
    _thresholds()
    _unlisted_world_lists()
    # No start date, no language requirement, 42,000 a year, an occupation on no list.
    draft = _draft(world, occupation=factories.EscoOccupationFactory.create())
    page = employer_a.get(f"/en/employer/vacancies/{draft.public_id}/").text
    assert "Blocks international recruitment" in page
    assert "The occupation is on no Flemish shortage list valid on" in page
    assert "No language requirement" in page and "No start date" in page
    assert 'name="confirm_blocking"' in page
    edit_page = employer_a.get(f"/en/employer/vacancies/{draft.public_id}/edit/").text
    assert "The occupation is on no Flemish shortage list valid on" in edit_page  # also while editing

    refused = employer_a.post(f"/en/employer/vacancies/{draft.public_id}/publish/")
    assert refused.status_code == 400
    assert "Confirm that you understand candidates from abroad cannot get a permit" in refused.text
    draft.refresh_from_db()
    assert draft.status == Vacancy.Status.DRAFT

    confirmed = employer_a.post(
        f"/en/employer/vacancies/{draft.public_id}/publish/", {"confirm_blocking": "on"}
    )
    assert confirmed.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Vacancy.Status.PUBLISHED


def test_a_suspended_employer_cannot_publish(world: WebWorld) -> None:
    Organisation.objects.filter(pk=world.employer_a.pk).update(
        compliance_status=Organisation.Compliance.SUSPENDED, suspension_reason="Social debts"
    )
    draft = _draft(world)
    client = Client()
    client.force_login(employer_user(world.employer_a))
    response = client.post(f"/en/employer/vacancies/{draft.public_id}/publish/", {"confirm_blocking": "on"})
    assert response.status_code == 400
    assert "Your organisation is suspended" in response.text
    draft.refresh_from_db()
    assert draft.status == Vacancy.Status.DRAFT
    dutch = client.post(f"/nl/employer/vacancies/{draft.public_id}/publish/", {"confirm_blocking": "on"})
    assert dutch.status_code == 400 and 'lang="nl"' in dutch.text


def test_a_published_vacancy_is_not_published_again(world: WebWorld, employer_a: Client) -> None:
    published_at = world.vacancy.published_at
    response = employer_a.post(
        f"/en/employer/vacancies/{world.vacancy.public_id}/publish/", {"confirm_blocking": "on"}
    )
    assert response.status_code == 400 and "Only a draft vacancy can be published." in response.text
    world.vacancy.refresh_from_db()
    assert world.vacancy.published_at == published_at


def test_a_closed_vacancy_cannot_be_edited(world: WebWorld, employer_a: Client) -> None:
    closed = _draft(world, status=Vacancy.Status.CLOSED)
    response = employer_a.post(f"/en/employer/vacancies/{closed.public_id}/edit/", _form(closed.occupation))
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.title == "Draft welder"


def test_overdue_answers_show_on_the_employer_pages(
    world: WebWorld, employer_a: Client, django_assert_max_num_queries: Any
) -> None:
    due = timezone.localdate() - datetime.timedelta(days=3)
    Placement.objects.filter(pk=world.placement.pk).update(response_due_on=due)
    with translation.override("en"):
        since = formats.date_format(due + datetime.timedelta(days=1), "DATE_FORMAT")
    vacancy_page = employer_a.get(f"/en/employer/vacancies/{world.vacancy.public_id}/").text
    assert f"Answer overdue since {since}" in vacancy_page
    proposal_page = employer_a.get(f"/en/employer/proposals/{world.placement.public_id}/").text
    assert f"Answer overdue since {since}" in proposal_page
    for _number in range(3):
        _draft(world)
    with django_assert_max_num_queries(8):
        listing = employer_a.get("/en/employer/vacancies/")
    assert '<span class="overdue">1</span>' in listing.text
    assert "/en/employer/vacancies/new/" in listing.text


def test_an_answer_not_yet_due_is_not_overdue(world: WebWorld, employer_a: Client) -> None:
    Placement.objects.filter(pk=world.placement.pk).update(response_due_on=timezone.localdate())
    assert "overdue since" not in employer_a.get(f"/en/employer/vacancies/{world.vacancy.public_id}/").text


def test_the_vacancy_form_works_in_each_language(world: WebWorld, employer_a: Client) -> None:
    for language in ("nl", "fr", "en"):
        response = employer_a.get(f"/{language}/employer/vacancies/new/")
        assert response.status_code == 200 and f'lang="{language}"' in response.text
