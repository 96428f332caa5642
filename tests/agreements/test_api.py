"""The partner API shows an agency the vacancies shared with it, with the share's dates, and nothing of
another agency's shares: not in the list, a 404 on the detail."""

import datetime
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from rest_framework.test import APIClient

from agreements.models import Agreement
from agreements.services import SyncResult, vacancy_shares_sync
from tests import factories
from tests.agreements.world import agreement
from tests.api.conftest import Partner, published_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

URL = "/api/v1/vacancies/"


@pytest.fixture
def shared_with_x(partner_x: Partner, partner_y: Partner) -> dict[str, Any]:
    """A vacancy shared with X under an agreement (open to no project), one open to Y's project only,
    and one shared with Y only."""
    occupation, other = factories.EscoOccupationFactory.create(), factories.EscoOccupationFactory.create()
    agreement(agencies=[partner_x.organisation], occupations=[occupation], code="tw-engineers")
    agreement(agencies=[partner_y.organisation], occupations=[other], code="tn-talent", partner_country="TN")
    shared = published_vacancy(occupation=occupation)
    for_y = published_vacancy(partner_y.project)
    shared_with_y = published_vacancy(occupation=other)
    for vacancy in (shared, for_y, shared_with_y):
        vacancy_shares_sync(vacancy.pk)
    return {"shared": shared, "for_y": for_y, "shared_with_y": shared_with_y}


def _ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_shared_vacancy_is_listed_with_its_share(api_x: APIClient, shared_with_x: dict[str, Any]) -> None:
    shared = shared_with_x["shared"]

    response = api_x.get(URL)

    assert _ids(response) == {str(shared.public_id)}
    [row] = response.json()["results"]
    [share] = row["shares"]
    assert share["agreement"] == "tw-engineers" and share["partner_country"] == "TW"
    assert share["shared_at"] and share["agreement_starts_on"] and share["agreement_ends_on"] is None
    assert row["projects"] == []


def test_the_detail_of_a_shared_vacancy_and_a_404_for_another_agencys_share(
    api_x: APIClient, api_y: APIClient, shared_with_x: dict[str, Any]
) -> None:
    shared, shared_with_y = shared_with_x["shared"], shared_with_x["shared_with_y"]

    assert api_x.get(f"{URL}{shared.public_id}/").json()["shares"][0]["agreement"] == "tw-engineers"
    assert api_y.get(f"{URL}{shared.public_id}/").status_code == 404
    assert api_x.get(f"{URL}{shared_with_y.public_id}/").status_code == 404
    assert str(shared.public_id) not in _ids(api_y.get(URL))


def test_the_filters(api_x: APIClient, api_y: APIClient, shared_with_x: dict[str, Any]) -> None:
    shared, for_y = shared_with_x["shared"], shared_with_x["for_y"]

    assert _ids(api_x.get(URL, {"shared": "true"})) == {str(shared.public_id)}
    assert _ids(api_x.get(URL, {"shared": "false"})) == set()
    assert _ids(api_x.get(URL, {"agreement": "tw-engineers"})) == {str(shared.public_id)}
    # Another agency's agreement code shows nothing of it.
    assert _ids(api_x.get(URL, {"agreement": "tn-talent"})) == set()
    assert _ids(api_y.get(URL, {"shared": "false"})) == {str(for_y.public_id)}
    assert api_x.get(URL, {"shared": "yes"}).status_code == 400


def test_a_closed_vacancy_leaves_the_agencys_view(api_x: APIClient, shared_with_x: dict[str, Any]) -> None:
    shared = shared_with_x["shared"]
    shared.status = "closed"
    shared.save(update_fields=["status"])
    vacancy_shares_sync(shared.pk)

    assert _ids(api_x.get(URL, {"shared": "true"})) == set()
    assert api_x.get(f"{URL}{shared.public_id}/").status_code == 404


def test_the_shared_list_has_a_query_budget(
    api_x: APIClient, partner_x: Partner, django_assert_max_num_queries: Any
) -> None:
    occupation = factories.EscoOccupationFactory.create()
    agreement(agencies=[partner_x.organisation], occupations=[occupation])
    for _ in range(6):
        vacancy_shares_sync(published_vacancy(occupation=occupation).pk)
    with django_assert_max_num_queries(13):
        assert len(_ids(api_x.get(URL, {"shared": "true"}))) == 6


def test_sharing_and_withdrawing_move_updated_at_for_partners_syncing(
    api_x: APIClient, partner_x: Partner
) -> None:
    """A partner syncing with ``updated_since`` hears of a vacancy newly shared with it, and of a share
    withdrawn from a vacancy it still sees through its project (docs/api.md, "Staying in sync")."""
    occupation = factories.EscoOccupationFactory.create()
    vacancy = published_vacancy(partner_x.project, occupation=occupation)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Vacancy.objects.filter(pk=vacancy.pk).update(updated_at=long_ago)
    before_share = timezone.now()
    made = agreement(agencies=[partner_x.organisation], occupations=[occupation])

    assert vacancy_shares_sync(vacancy.pk).shared == 1

    [row] = api_x.get(URL, {"updated_since": before_share.isoformat()}).json()["results"]
    assert row["id"] == str(vacancy.public_id) and row["shares"][0]["agreement"] == made.code

    Vacancy.objects.filter(pk=vacancy.pk).update(updated_at=long_ago)
    before_withdrawal = timezone.now()
    Agreement.objects.filter(pk=made.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))

    assert vacancy_shares_sync(vacancy.pk).withdrawn == 1

    [row] = api_x.get(URL, {"updated_since": before_withdrawal.isoformat()}).json()["results"]
    assert row["id"] == str(vacancy.public_id) and row["shares"] == []
    withdrawn_at = Vacancy.objects.get(pk=vacancy.pk).updated_at
    assert vacancy_shares_sync(vacancy.pk) == SyncResult()  # nothing to write: updated_at stays
    assert Vacancy.objects.get(pk=vacancy.pk).updated_at == withdrawn_at


@pytest.mark.parametrize("language", ["en", "nl"])
def test_not_shared_and_shared_under_an_agreement_is_refused(
    partner_x: Partner, shared_with_x: dict[str, Any], language: str
) -> None:
    client = APIClient()
    response = client.get(
        URL,
        {"shared": "false", "agreement": "tw-engineers"},
        HTTP_AUTHORIZATION=f"Bearer {partner_x.token()}",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    [error] = response.json()["errors"]
    assert (error["parameter"], error["code"]) == ("agreement", "contradictory")
    with translation.override(language):
        expected = str(
            gettext_lazy(
                "A vacancy shared under an agreement is shared: leave out shared=false, or the agreement."
            )
        )
    assert error["detail"] == expected
    # Each alone is answered.
    alone = client.get(URL, {"agreement": "tw-engineers"}, HTTP_AUTHORIZATION=f"Bearer {partner_x.token()}")
    assert _ids(alone) == {str(shared_with_x["shared"].public_id)}
