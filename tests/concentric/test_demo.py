"""The seeded demo shows the concentric search: a shortage vacancy searched in every channel (with a
partner-country share), a vacancy on no list searched in Flanders only, and a second seed adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from concentric.models import Channel, SearchChannelPeriod, VacancySearchState
from demo.pathway_concentric import seed_demo_concentric
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def _open_channels(vacancy_id: int) -> set[str]:
    return set(
        SearchChannelPeriod.objects.filter(vacancy_id=vacancy_id, closed_at__isnull=True).values_list(
            "channel", flat=True
        )
    )


def test_the_demo_shows_shortage_and_ordinary_vacancies_with_their_channels() -> None:
    call_command(
        "seed_demo", candidates=40, vacancies=10, employers=5, seed=42, stdout=StringIO(), stderr=StringIO()
    )
    # Pathway seeders after this one add published vacancies whose recompute runs after commit, which a
    # test's transaction never reaches: the concentric seeder, run again, stands in for those jobs.
    seed_demo_concentric()
    published = list(Vacancy.objects.open().values_list("pk", flat=True))
    states = {
        state.vacancy_id: state for state in VacancySearchState.objects.filter(vacancy_id__in=published)
    }
    assert set(states) == set(published)  # every published vacancy has its channels
    shortage = [pk for pk, state in states.items() if state.shortage_kinds]
    ordinary = [pk for pk, state in states.items() if not state.shortage_kinds]
    assert shortage and ordinary
    wider = {Channel.FLANDERS, Channel.OTHER_REGIONS, Channel.NEIGHBOURING_COUNTRIES}
    assert all(_open_channels(pk) == wider for pk in shortage)
    assert all(_open_channels(pk) == {Channel.FLANDERS} for pk in ordinary)
    # A shortage vacancy shared under an agreement: all four channels open.
    assert Vacancy.objects.filter(pk__in=shortage, shares__withdrawn_at__isnull=True).exists()
    # Candidates are counted per country for the page.
    assert any(state.residence_counts for state in states.values())

    assert set(seed_demo_concentric().values()) == {0}
