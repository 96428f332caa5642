"""The partner API says when today's shortage lists and thresholds are applied provisionally, the latest
published ones standing in for today's (issue 12, item 4), and its filters use the same rule."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from reference.models import SalaryThreshold, ShortageList, ShortageListEntry, ShortageListOccupation
from tests import factories
from tests.api.conftest import Partner, published_vacancy

pytestmark = pytest.mark.django_db

URL = "/api/v1/vacancies/"


def test_a_list_that_ended_yesterday_applies_provisionally_and_says_so(
    api_x: APIClient, partner_x: Partner
) -> None:
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=365), today - datetime.timedelta(days=1)
    cook = factories.EscoOccupationFactory.create(label_en="cook")
    vdab = ShortageList.objects.create(
        kind="vdab_shortage", region="VLG", title="V", valid_from=start, valid_to=end
    )
    entry = ShortageListEntry.objects.create(shortage_list=vdab, title_nl="kok")
    ShortageListOccupation.objects.create(entry=entry, occupation=cook)
    SalaryThreshold.objects.create(
        region="VLG", category="highly_skilled", valid_from=start, annual_gross_eur=Decimal(50000)
    )
    vacancy = published_vacancy(partner_x.project, occupation=cook, function_vks_level=3)

    body = api_x.get(f"{URL}{vacancy.public_id}/").json()

    assert body["shortage_lists"] == ["vdab_shortage"]
    assert body["provisional_reference"] == [
        {"part": "vdab_shortage", "valid_from": start.isoformat(), "valid_to": end.isoformat()}
    ]
    listed = api_x.get(URL, {"shortage_list": "vdab_shortage"}).json()["results"]
    assert [row["id"] for row in listed] == [str(vacancy.public_id)]
