"""The recruiter's vacancy page shows where the vacancy is searched, since when, why, and the counts."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from concentric.services import vacancy_search_sync
from recruitment.models import Match
from tests import factories
from tests.concentric.world import share
from tests.web.world import WebWorld, recompute, stored_match
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def _url(vacancy: Vacancy) -> str:
    return f"/en/recruiter/vacancies/{vacancy.public_id}/"


def _row(html: str, channel: str) -> str:
    start = html.index(f'data-channel="{channel}"')
    return html[start : html.index("</tr>", start)]


def test_a_shortage_vacancy_shows_its_four_channels_opening_dates_and_counts(
    world: WebWorld, recruiter: Client
) -> None:
    share(world.vacancy, country="MA", agency=world.partner)  # the world's candidates live in Morocco
    recompute(world.vacancy)
    page = recruiter.get(_url(world.vacancy)).text
    assert "Where this vacancy is searched" in page
    for channel in ("flanders", "other_regions", "neighbouring", "partner_countries"):
        assert 'data-open="yes"' in _row(page, channel), channel
    partner = _row(page, "partner_countries")
    assert "Talent partnership MA" in partner and "Partner X" in partner
    # Both matches and the proposed case come through the agreement with Morocco.
    assert "<td>1</td>\n          <td>1</td>\n          <td>1</td>" in partner
    assert "Ministerial list of medium-skilled shortage functions" in _row(page, "other_regions")


def test_a_vacancy_that_is_no_shortage_vacancy_shows_flanders_only_and_why(
    world: WebWorld, recruiter: Client
) -> None:
    recompute(world.other_vacancy)
    page = recruiter.get(_url(world.other_vacancy)).text
    assert 'data-open="yes"' in _row(page, "flanders")
    for channel in ("other_regions", "neighbouring", "partner_countries"):
        assert 'data-open="no"' in _row(page, channel), channel
    assert "no shortage list in force for its region" in _row(page, "other_regions")
    assert "Not a shortage vacancy" in page


def _measure(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_channels_cost_the_same_queries_whatever_the_matches_countries_and_shares(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    recompute(world.vacancy)
    recruiter.get("/en/")  # the session's first request stamps its timestamps
    url = _url(world.vacancy)
    few = _measure(recruiter, url)
    for index, country in enumerate(("BE", "FR", "DE", "TN", "IN", "PH", "NL", "CO") * 3):
        candidate = factories.CandidateFactory.create(country_of_residence=country)
        stored_match(world.vacancy, candidate, outcome="eligible" if index % 2 else "conditional")
    for country in ("TN", "PH", "CO"):
        share(world.vacancy, country=country)
    vacancy_search_sync(vacancy_id=world.vacancy.pk, matches=Match.objects.filter(vacancy=world.vacancy))
    assert _measure(recruiter, url) == few
