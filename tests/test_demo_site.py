"""The site a newcomer gets from `make run`: demo data, every admin list, three languages."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp

from core.models import Organisation
from demo.security import DEMO_TOTP_SECRET
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "talentbrug-demo"


@pytest.fixture
def demo_data() -> None:
    call_command("seed_demo", candidates=30, vacancies=12, employers=4, seed=7, verbosity=0)


@pytest.fixture
def admin_client(demo_data: None) -> Client:
    client = Client()
    assert client.login(username="admin", password=DEMO_PASSWORD)
    # Staff confirm each sign-in with a second factor: the demo device has the key the README publishes.
    token = f"{totp(DEMO_TOTP_SECRET):06d}"
    assert client.post("/nl/account/second-factor/", {"token": token}).status_code == 302
    return client


@pytest.mark.parametrize(
    ("language", "text"),
    [("nl", "Openstaande vacatures"), ("fr", "Candidats"), ("en", "Open vacancies")],
)
def test_the_landing_page_speaks_each_language(demo_data: None, language: str, text: str) -> None:
    response = Client().get(f"/{language}/")
    assert response.status_code == 200
    assert f'lang="{language}"' in response.text
    assert text in response.text


@pytest.mark.parametrize("model", [m._meta.label for m in admin.site._registry], ids=str)
def test_every_admin_list_and_search_works_on_demo_data(admin_client: Client, model: str) -> None:
    app_label, model_name = model.lower().split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "a"}).status_code == 200


def test_an_invalid_vacancy_gets_field_errors_in_dutch_and_nothing_is_written(admin_client: Client) -> None:
    employer = Organisation.objects.employers().first()
    assert employer is not None
    before = Vacancy.objects.count()
    with translation.override("nl"):
        url = reverse("admin:vacancies_vacancy_add")
    response = admin_client.post(
        url,
        {
            "employer": employer.pk,
            "title": "Lasser",
            "municipality": "Gent",
            "postal_code": "1000",  # Brussels, while the form says Flanders
            "region": "VLG",
            "function_vks_level": "4",
            "gross_annual_salary_eur": "42000",
            "min_experience_years": "0",
            "contract_type": "fixed_term",  # without a length
            "weekly_hours": "38",
            "positions": "1",
            "status": "draft",
            "language_requirements-TOTAL_FORMS": "0",
            "language_requirements-INITIAL_FORMS": "0",
            "skill_requirements-TOTAL_FORMS": "0",
            "skill_requirements-INITIAL_FORMS": "0",
        },
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.text  # the missing occupation, in Dutch
    assert Vacancy.objects.count() == before
