"""Vacancies open to a partner's projects: what it sees, the filters, today's lists and routes."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.selectors import route_condition, shortage_condition
from core.models import Organisation
from recruitment.matching.results import Route
from recruitment.selectors import vacancy_outlooks
from reference.models import SalaryThreshold, ShortageList, ShortageListEntry, ShortageListOccupation
from tests import factories
from tests.api.conftest import Partner, published_vacancy
from tests.factories import isco_unit_group
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

URL = "/api/v1/vacancies/"


def _ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {v["id"] for v in response.json()["results"]}


@pytest.fixture
def lists() -> dict[str, Any]:
    """A welder on the migration list, a nurse on the VDAB list, a cook on none; thresholds."""
    since = datetime.date(2020, 1, 1)
    welder = factories.EscoOccupationFactory.create(label_en="welder", isco_group=isco_unit_group("7212"))
    nurse = factories.EscoOccupationFactory.create(label_en="nurse", isco_group=isco_unit_group("2221"))
    cook = factories.EscoOccupationFactory.create(label_en="cook", isco_group=isco_unit_group("5120"))
    for kind, occupation in (
        (ShortageList.Kind.MIGRATION_MEDIUM_SKILLED, welder),
        (ShortageList.Kind.VDAB_SHORTAGE, nurse),
    ):
        shortage = ShortageList.objects.create(kind=kind, region="VLG", title=kind, valid_from=since)
        entry = ShortageListEntry.objects.create(shortage_list=shortage, title_nl=str(occupation))
        ShortageListOccupation.objects.create(entry=entry, occupation=occupation)
    # An expired list must not count.
    old = ShortageList.objects.create(
        kind=ShortageList.Kind.VDAB_SHORTAGE,
        region="VLG",
        title="old",
        valid_from=datetime.date(2010, 1, 1),
        valid_to=datetime.date(2015, 1, 1),
    )
    ShortageListOccupation.objects.create(
        entry=ShortageListEntry.objects.create(shortage_list=old, title_nl="kok"), occupation=cook
    )
    for category, amount in (
        ("highly_skilled", "58000"),
        ("highly_skilled_reduced", "46400"),
        ("eu_blue_card", "66000"),
    ):
        SalaryThreshold.objects.create(
            region="VLG", category=category, valid_from=since, annual_gross_eur=Decimal(amount)
        )
    return {"welder": welder, "nurse": nurse, "cook": cook}


def test_a_partner_sees_published_vacancies_of_its_projects_only(
    api_x: APIClient, partner_x: Partner, partner_y: Partner
) -> None:
    mine = published_vacancy(partner_x.project)
    shared = published_vacancy(partner_x.project, partner_y.project)
    theirs = published_vacancy(partner_y.project)
    draft = factories.VacancyFactory.create()
    draft.open_to_projects.add(partner_x.project)
    suspended_employer = factories.OrganisationFactory.create(
        employer=True,
        name="Suspended NV",
        compliance_status=Organisation.Compliance.SUSPENDED,
        suspension_reason="Social debts",
    )
    suspended = published_vacancy(partner_x.project, employer=suspended_employer)
    assert _ids(api_x.get(URL)) == {str(mine.public_id), str(shared.public_id)}
    for hidden in (theirs, draft, suspended):
        assert api_x.get(f"{URL}{hidden.public_id}/").status_code == 404
    body = api_x.get(f"{URL}{shared.public_id}/").json()
    assert body["projects"] == [partner_x.project.code]  # never the other partner's project


def test_the_answer_shows_todays_lists_and_routes(
    api_x: APIClient, partner_x: Partner, lists: dict[str, Any]
) -> None:
    welder = published_vacancy(
        partner_x.project,
        occupation=lists["welder"],
        function_vks_level=3,
        pay_category="skilled",
        gross_annual_salary_eur=Decimal("40000"),
    )
    body = api_x.get(f"{URL}{welder.public_id}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["shortage_lists"] == ["migration_medium_skilled"]
    assert body["permit_routes"] == ["medium_skilled_shortage"]
    assert body["occupation"] == {"uri": lists["welder"].uri, "label": "welder", "isco_code": "7212"}
    assert body["gross_monthly_salary_eur"] == "2873.56"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"shortage_list": "migration_medium_skilled"}, {"welder"}),
        ({"shortage_list": "vdab_shortage"}, {"nurse"}),
        ({"shortage_list": "any"}, {"welder", "nurse"}),
        ({"shortage_list": "none"}, {"cook", "brussels_welder"}),
        ({"permit_route": "medium_skilled_shortage"}, {"welder"}),
        # A VKS 5 nursing function is above the "other" route's medium-skilled range (issue 12, item 1).
        ({"permit_route": "other_vdab_list"}, set()),
        ({"permit_route": "highly_skilled"}, {"nurse"}),
        ({"permit_route": "eu_blue_card"}, set()),
        ({"occupation": "7212"}, {"welder", "brussels_welder"}),
        ({"occupation": "72"}, {"welder", "brussels_welder"}),
        ({"occupation": "2"}, {"nurse"}),
        ({"region": "BRU"}, {"brussels_welder"}),
    ],
)
def test_filters(
    api_x: APIClient, partner_x: Partner, lists: dict[str, Any], params: dict[str, str], expected: set[str]
) -> None:
    made = {
        "welder": published_vacancy(
            partner_x.project, occupation=lists["welder"], function_vks_level=3, pay_category="skilled"
        ),
        "nurse": published_vacancy(
            partner_x.project,
            occupation=lists["nurse"],
            function_vks_level=5,
            gross_annual_salary_eur=Decimal("50000"),
        ),
        "cook": published_vacancy(partner_x.project, occupation=lists["cook"], function_vks_level=3),
        "brussels_welder": published_vacancy(
            partner_x.project,
            occupation=lists["welder"],
            municipality="Brussel",
            postal_code="1000",
            region="BRU",
        ),
    }
    assert _ids(api_x.get(URL, params)) == {str(made[name].public_id) for name in expected}


def test_an_occupation_by_uri(api_x: APIClient, partner_x: Partner, lists: dict[str, Any]) -> None:
    welder = published_vacancy(partner_x.project, occupation=lists["welder"])
    published_vacancy(partner_x.project, occupation=lists["cook"])
    assert _ids(api_x.get(URL, {"occupation": lists["welder"].uri})) == {str(welder.public_id)}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"occupation": "12345"}, "occupation"),
        ({"region": "Flanders"}, "region"),
        ({"shortage_list": "maybe"}, "shortage_list"),
        ({"permit_route": "tourist"}, "permit_route"),
        ({"published_since": "last week"}, "published_since"),
    ],
)
def test_a_bad_filter_names_the_parameter(api_x: APIClient, params: dict[str, str], parameter: str) -> None:
    response = api_x.get(URL, params)
    assert response.status_code == 400
    assert [e["parameter"] for e in response.json()["errors"]] == [parameter]


def test_the_filters_agree_with_the_outlook_shown(partner_x: Partner, lists: dict[str, Any]) -> None:
    """The SQL filters (api.selectors) and the answer (recruitment.selectors.vacancy_outlooks) follow one
    rule: for a varied set of vacancies, each route and list filter selects exactly those showing it."""
    vacancies = []
    for occupation in lists.values():
        for vks, salary, pay, contract, months, secondment, region in (
            (3, "40000", "skilled", "indefinite", None, False, "VLG"),
            (5, "60000", "", "fixed_term", 4, False, "VLG"),
            (5, "70000", "semi_skilled", "fixed_term", 12, True, "VLG"),
            (2, "47000", "highly_skilled", "indefinite", None, False, "VLG"),
            (5, "70000", "skilled", "indefinite", None, False, "WAL"),
        ):
            vacancies.append(
                published_vacancy(
                    partner_x.project,
                    occupation=occupation,
                    function_vks_level=vks,
                    gross_annual_salary_eur=Decimal(salary),
                    pay_category=pay,
                    contract_type=contract,
                    contract_months=months,
                    is_secondment=secondment,
                    region=region,
                    postal_code="9000" if region == "VLG" else "4000",
                )
            )
    day = timezone.localdate()
    outlooks = vacancy_outlooks(vacancies, day=day)
    for route in Route:
        selected = set(Vacancy.objects.filter(route_condition(route.value, day)).values_list("pk", flat=True))
        assert selected == {pk for pk, o in outlooks.items() if route.value in o.routes}, route
    for kind in ShortageList.Kind.values:
        selected = set(Vacancy.objects.filter(shortage_condition(kind, day)).values_list("pk", flat=True))
        assert selected == {pk for pk, o in outlooks.items() if kind in o.lists}, kind


def test_the_vacancy_list_has_a_query_budget(
    api_x: APIClient, partner_x: Partner, lists: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for occupation in lists.values():
        for _ in range(3):
            vacancy = published_vacancy(partner_x.project, occupation=occupation)
            factories.VacancyLanguageRequirementFactory.create(vacancy=vacancy)
    with django_assert_max_num_queries(12):
        response = api_x.get(URL, {"shortage_list": "none"})
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert len(api_x.get(URL).json()["results"]) == 9
