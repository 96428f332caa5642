"""The service that keeps a vacancy's search channels: which open, when, why, and that it is idempotent
and never loses an opening (concentric.services.vacancy_search_sync)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from concentric.models import Channel, SearchChannelPeriod, VacancySearchState
from concentric.services import vacancy_search_sync
from recruitment.models import Match
from reference.models import ShortageList, ShortageListEntry, ShortageListOccupation
from tests import factories
from tests.concentric.world import build_world, ordinary_vacancy, shortage_vacancy
from tests.web.world import recompute, stored_match
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def sync(vacancy: Vacancy, now: datetime.datetime | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    result = vacancy_search_sync(
        vacancy_id=vacancy.pk, matches=Match.objects.filter(vacancy_id=vacancy.pk), now=now
    )
    return result.opened, result.closed


def periods(vacancy: Vacancy) -> dict[str, list[SearchChannelPeriod]]:
    found: dict[str, list[SearchChannelPeriod]] = {}
    for period in SearchChannelPeriod.objects.filter(vacancy=vacancy).order_by("opened_at", "pk"):
        found.setdefault(period.channel, []).append(period)
    return found


def test_a_vacancy_on_no_shortage_list_is_searched_in_flanders_only_from_its_publication() -> None:
    world = build_world()
    published_at = timezone.now() - datetime.timedelta(days=3)
    vacancy = ordinary_vacancy(world, published_at=published_at)
    assert sync(vacancy) == ((Channel.FLANDERS,), ())
    found = periods(vacancy)
    assert list(found) == [Channel.FLANDERS]
    assert found[Channel.FLANDERS][0].opened_at == published_at
    assert found[Channel.FLANDERS][0].opened_because == SearchChannelPeriod.OpenedBecause.PUBLISHED
    assert VacancySearchState.objects.get(vacancy=vacancy).shortage_kinds == []


def test_a_shortage_vacancy_opens_the_other_regions_and_eures_at_once_with_the_list_as_reason() -> None:
    world = build_world()
    published_at = timezone.now() - datetime.timedelta(days=2)
    vacancy = shortage_vacancy(world, published_at=published_at)
    opened, closed = sync(vacancy)
    assert set(opened) == {Channel.FLANDERS, Channel.OTHER_REGIONS, Channel.NEIGHBOURING_COUNTRIES}
    assert closed == ()
    found = periods(vacancy)
    for channel in (Channel.OTHER_REGIONS, Channel.NEIGHBOURING_COUNTRIES):
        (period,) = found[channel]
        assert period.opened_at == published_at  # on the list on the day it was published: in parallel
        assert period.opened_because == SearchChannelPeriod.OpenedBecause.SHORTAGE
        assert period.list_kinds == [ShortageList.Kind.MIGRATION_MEDIUM_SKILLED]


def test_a_second_sync_opens_nothing_and_moves_no_opening() -> None:
    world = build_world()
    vacancy = shortage_vacancy(world)
    sync(vacancy)
    before = list(SearchChannelPeriod.objects.filter(vacancy=vacancy).values_list("channel", "opened_at"))
    assert sync(vacancy, now=timezone.now() + datetime.timedelta(hours=5)) == ((), ())
    after = list(SearchChannelPeriod.objects.filter(vacancy=vacancy).values_list("channel", "opened_at"))
    assert sorted(after) == sorted(before) and len(after) == 3


def test_the_database_refuses_a_second_open_period_of_one_channel() -> None:
    world = build_world()
    vacancy = ordinary_vacancy(world)
    sync(vacancy)
    with pytest.raises(IntegrityError), transaction.atomic():
        SearchChannelPeriod.objects.create(
            vacancy=vacancy,
            channel=Channel.FLANDERS,
            opened_at=timezone.now(),
            opened_because=SearchChannelPeriod.OpenedBecause.PUBLISHED,
        )


def test_closing_the_vacancy_closes_every_channel_and_keeps_the_history_and_a_republication_reopens() -> None:
    world = build_world()
    vacancy = shortage_vacancy(world, published_at=timezone.now() - datetime.timedelta(days=10))
    sync(vacancy)
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.CLOSED, published_at=None)
    closed_at = timezone.now()
    assert set(sync(vacancy, now=closed_at)[1]) == {
        Channel.FLANDERS,
        Channel.OTHER_REGIONS,
        Channel.NEIGHBOURING_COUNTRIES,
    }
    for (period,) in periods(vacancy).values():
        assert period.closed_at == closed_at
        assert period.closed_because == SearchChannelPeriod.ClosedBecause.VACANCY_CLOSED
    republished = closed_at + datetime.timedelta(days=1)
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.PUBLISHED, published_at=republished)
    sync(vacancy, now=republished + datetime.timedelta(minutes=1))
    found = periods(vacancy)
    assert [len(found[channel]) for channel in found] == [2, 2, 2]  # the old periods are kept
    assert found[Channel.FLANDERS][1].opened_at == republished
    assert found[Channel.FLANDERS][1].closed_at is None


def test_an_occupation_leaving_the_lists_closes_the_wider_channels_and_keeps_flanders() -> None:
    world = build_world()
    vacancy = shortage_vacancy(world)
    sync(vacancy)
    ShortageListOccupation.objects.filter(occupation=world.welder).delete()
    opened, closed = sync(vacancy)
    assert opened == () and set(closed) == {Channel.OTHER_REGIONS, Channel.NEIGHBOURING_COUNTRIES}
    found = periods(vacancy)
    assert found[Channel.FLANDERS][0].closed_at is None
    assert (
        found[Channel.OTHER_REGIONS][0].closed_because == SearchChannelPeriod.ClosedBecause.NO_LONGER_SHORTAGE
    )


def test_a_vacancy_that_becomes_a_shortage_vacancy_after_its_publication_opens_the_channels_then() -> None:
    world = build_world()
    today = timezone.localdate()
    accountant = factories.EscoOccupationFactory.create(label_en="accountant")
    published_at = timezone.now() - datetime.timedelta(days=20)
    vacancy = ordinary_vacancy(world, occupation=accountant, published_at=published_at)
    sync(vacancy, now=published_at + datetime.timedelta(minutes=1))
    # The VDAB list that names the occupation starts ten days ago: nothing of its kind was in force
    # when the vacancy was published.
    vdab = ShortageList.objects.create(
        kind=ShortageList.Kind.VDAB_SHORTAGE,
        region="VLG",
        title="Knelpuntberoepen",
        valid_from=today - datetime.timedelta(days=10),
    )
    entry = ShortageListEntry.objects.create(shortage_list=vdab, title_nl="Boekhouder")
    ShortageListOccupation.objects.create(entry=entry, occupation=accountant)
    now = timezone.now()
    assert set(sync(vacancy, now=now)[0]) == {Channel.OTHER_REGIONS, Channel.NEIGHBOURING_COUNTRIES}
    found = periods(vacancy)
    assert found[Channel.FLANDERS][0].opened_at == published_at
    assert found[Channel.OTHER_REGIONS][0].opened_at == now
    assert found[Channel.OTHER_REGIONS][0].list_kinds == [ShortageList.Kind.VDAB_SHORTAGE]


def test_the_eu_talent_pool_list_is_no_regional_shortage_list() -> None:
    world = build_world()
    cook = factories.EscoOccupationFactory.create(label_en="cook")
    pool = ShortageList.objects.create(
        kind=ShortageList.Kind.EU_TALENT_POOL,
        region="VLG",
        title="EU list",
        valid_from=datetime.date(2020, 1, 1),
    )
    entry = ShortageListEntry.objects.create(shortage_list=pool, title_nl="Kok")
    ShortageListOccupation.objects.create(entry=entry, occupation=cook)
    vacancy = ordinary_vacancy(world, occupation=cook)
    assert sync(vacancy) == ((Channel.FLANDERS,), ())


def test_a_draft_opens_nothing() -> None:
    world = build_world()
    vacancy = ordinary_vacancy(world, status=Vacancy.Status.DRAFT, published_at=None)
    assert sync(vacancy) == ((), ())
    assert not SearchChannelPeriod.objects.filter(vacancy=vacancy).exists()


def test_the_matches_are_counted_per_country_of_residence() -> None:
    world = build_world()
    vacancy = shortage_vacancy(world)
    for country, outcome in (
        ("BE", "eligible"),
        ("FR", "eligible"),
        ("FR", "conditional"),
        ("TN", "eligible"),
    ):
        stored_match(
            vacancy, factories.CandidateFactory.create(country_of_residence=country), outcome=outcome
        )
    sync(vacancy)
    state = VacancySearchState.objects.get(vacancy=vacancy)
    assert state.residence_counts == {"BE": [1, 0], "FR": [1, 1], "TN": [1, 0]}


def test_the_vacancy_recompute_keeps_the_channels_and_counts() -> None:
    world = build_world()
    vacancy = shortage_vacancy(world)
    recompute(vacancy)
    assert {p.channel for p in SearchChannelPeriod.objects.filter(vacancy=vacancy)} == {
        Channel.FLANDERS,
        Channel.OTHER_REGIONS,
        Channel.NEIGHBOURING_COUNTRIES,
    }
    assert VacancySearchState.objects.get(vacancy=vacancy).shortage_kinds == [
        ShortageList.Kind.MIGRATION_MEDIUM_SKILLED
    ]
