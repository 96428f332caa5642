"""The agreements' list counts its agencies and active shares with two subqueries, not a join of the
agencies by the shares (agreements.selectors.agreements_list)."""

import pytest
from django.utils import timezone

from agreements.models import VacancyShare
from agreements.selectors import agreements_list
from agreements.services import vacancy_shares_sync
from tests import factories
from tests.agreements.world import agency, agreement
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def test_the_list_counts_agencies_and_active_shares_without_a_join() -> None:
    agencies = [agency(f"Agency {n}") for n in range(3)]
    occupation = factories.EscoOccupationFactory.create()
    busy = agreement(agencies=agencies, occupations=[occupation])
    agreement(agencies=[agencies[0]], occupations=[factories.EscoOccupationFactory.create()], code="idle")
    published = {"occupation": occupation, "status": Vacancy.Status.PUBLISHED, "published_at": timezone.now()}
    for _ in range(2):
        vacancy_shares_sync(factories.VacancyFactory.create(**published).pk)
    VacancyShare.objects.filter(pk=VacancyShare.objects.order_by("pk")[0].pk).update(
        withdrawn_at=timezone.now(), withdrawn_reason="vacancy_closed"
    )

    rows = {a.code: (a.agency_count, a.active_share_count) for a in agreements_list()}  # type: ignore[attr-defined]

    assert rows == {busy.code: (3, 5), "idle": (1, 0)}
    assert "JOIN" not in str(agreements_list().query).upper()
