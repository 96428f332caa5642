"""Reading the channels for the vacancy page: the channel each country comes through, and the lines."""

import datetime

import pytest
from django.utils import timezone, translation

from concentric.models import Channel
from concentric.selectors import DIRECT, Counts, channel_of_country, vacancy_search
from concentric.services import vacancy_search_sync
from recruitment.models import Match
from tests import factories
from tests.concentric.world import build_world, ordinary_vacancy, share, shortage_vacancy
from tests.web.world import stored_match
from vacancies.models import Vacancy


@pytest.mark.parametrize(
    ("country", "partners", "channel"),
    [
        ("BE", frozenset(), Channel.FLANDERS),
        ("NL", frozenset(), Channel.NEIGHBOURING_COUNTRIES),
        ("NO", frozenset(), Channel.NEIGHBOURING_COUNTRIES),  # EEA: on EURES
        ("CH", frozenset(), Channel.NEIGHBOURING_COUNTRIES),
        ("TN", frozenset({"TN"}), Channel.PARTNER_COUNTRIES),
        ("TN", frozenset({"MA"}), DIRECT),
        ("IN", frozenset(), DIRECT),
    ],
)
def test_each_country_of_residence_comes_through_one_channel(
    country: str, partners: frozenset[str], channel: str
) -> None:
    assert channel_of_country(country, partner_countries=partners) == channel


def _sync(vacancy: Vacancy) -> None:
    vacancy_search_sync(vacancy_id=vacancy.pk, matches=Match.objects.filter(vacancy_id=vacancy.pk))


@pytest.mark.django_db
def test_a_shortage_vacancy_shows_four_channels_with_their_counts_and_shares() -> None:
    world = build_world()
    vacancy = shortage_vacancy(world, eures_published_on=timezone.localdate() - datetime.timedelta(days=1))
    for country, outcome in (
        ("BE", "eligible"),
        ("DE", "conditional"),
        ("TN", "eligible"),
        ("TN", "eligible"),
        ("IN", "conditional"),
    ):
        stored_match(
            vacancy, factories.CandidateFactory.create(country_of_residence=country), outcome=outcome
        )
    tunisia = share(vacancy, country="TN")
    _sync(vacancy)
    with translation.override("en"):
        search = vacancy_search(vacancy, cases_by_country={"TN": 1, "BE": 2})
    lines = {line.channel: line for line in search.channels}
    assert search.shortage and all(line.is_open for line in lines.values())
    assert (lines[Channel.FLANDERS].counts.eligible, lines[Channel.FLANDERS].counts.cases) == (1, 2)
    assert lines[Channel.NEIGHBOURING_COUNTRIES].counts.conditional == 1
    assert lines[Channel.PARTNER_COUNTRIES].counts.eligible == 2
    assert lines[Channel.PARTNER_COUNTRIES].counts.cases == 1
    assert lines[Channel.PARTNER_COUNTRIES].opened_at == tunisia.shared_at
    assert lines[Channel.PARTNER_COUNTRIES].shares[0].agreement == "Talent partnership TN"
    assert "Ministerial list of medium-skilled shortage functions" in lines[Channel.OTHER_REGIONS].why
    assert any("Published on EURES on" in note for note in lines[Channel.NEIGHBOURING_COUNTRIES].notes)
    assert (search.direct.conditional, search.direct.countries) == (1, ("IN",))


@pytest.mark.django_db
def test_a_vacancy_that_is_no_shortage_vacancy_says_why_the_other_channels_stay_closed() -> None:
    world = build_world()
    vacancy = ordinary_vacancy(world)
    _sync(vacancy)
    with translation.override("en"):
        search = vacancy_search(vacancy, cases_by_country={})
    lines = {line.channel: line for line in search.channels}
    assert not search.shortage
    assert [channel for channel, line in lines.items() if line.is_open] == [Channel.FLANDERS]
    assert "no shortage list in force for its region" in lines[Channel.OTHER_REGIONS].why
    assert "no agreement" in lines[Channel.PARTNER_COUNTRIES].why


@pytest.mark.django_db
def test_a_withdrawn_share_closes_the_partner_channel_and_its_candidates_leave_it() -> None:
    """Only shares in force make a country a partner country: after the withdrawal, the candidates living
    there come through the channel their country has without an agreement (here: direct)."""
    world = build_world()
    vacancy = shortage_vacancy(world)
    stored_match(vacancy, factories.CandidateFactory.create(country_of_residence="TN"))
    tunisia = share(vacancy, country="TN")
    _sync(vacancy)
    assert vacancy_search(vacancy, cases_by_country={"TN": 1}).channels[-1].counts.eligible == 1
    withdrawn = timezone.now()
    type(tunisia).objects.filter(pk=tunisia.pk).update(
        withdrawn_at=withdrawn, withdrawn_reason="vacancy_closed"
    )
    with translation.override("en"):
        search = vacancy_search(vacancy, cases_by_country={"TN": 1})
    line = search.channels[-1]
    assert (line.is_open, line.closed_at, line.counts) == (False, withdrawn, Counts())
    [listed] = line.shares  # still shown, closed, with its date
    assert listed.withdrawn_at == withdrawn and listed.country == "TN"
    assert line.why == "Every share under an agreement was withdrawn."
    assert (search.direct.eligible, search.direct.cases, search.direct.countries) == (1, 1, ("TN",))
