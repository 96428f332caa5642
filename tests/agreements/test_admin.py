"""The admin never deletes an agreement or a share: a delete would cascade to the shares with no
``vacancy.closed`` event to the agencies; an agreement ends by its end date (docs/pathways/agreements.md)."""

import pytest
from django.contrib import admin
from django.test import Client

from agreements.models import Agreement, VacancyShare
from tests import factories
from tests.agreements.world import agency, agreement
from tests.web.world import verified_client

pytestmark = pytest.mark.django_db


def test_the_admin_cannot_delete_an_agreement_or_a_share(rf: object) -> None:
    superuser = factories.UserFactory.create(is_superuser=True, is_staff=True)
    kept = agreement(agencies=[agency()], occupations=[factories.EscoOccupationFactory.create()])
    request = rf.get("/")  # type: ignore[attr-defined]
    request.user = superuser

    assert not admin.site._registry[Agreement].has_delete_permission(request, kept)
    assert not admin.site._registry[VacancyShare].has_delete_permission(request)
    client: Client = verified_client(superuser)
    response = client.post(f"/en/admin/agreements/agreement/{kept.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Agreement.objects.filter(pk=kept.pk).exists()
