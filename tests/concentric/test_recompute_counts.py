"""The vacancy recompute stores the concentric search's matches per country without joining the
vacancy's matches to the candidates under its row lock (recruitment.services.recompute, concentric.services
.residence_counts_of): the counts come from the scan that recounts the matches and the countries of the
worker's candidate snapshot."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from candidates.models import Candidate
from concentric.models import VacancySearchState
from concentric.services import residence_counts
from recruitment import services
from recruitment.models import Match, VacancyMatchFacet
from tests.recruitment.world import World, build_world, welder_candidate, welder_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]
MATCHES = Match._meta.db_table
CANDIDATES = Candidate._meta.db_table
FACETS = VacancyMatchFacet._meta.db_table


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Callable[[], AbstractContextManager[Any]]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world() -> World:
    return build_world()


def _recompute_capturing(vacancy: Vacancy) -> list[str]:
    """Run the vacancy's recompute as a worker does (a full one) and return its statements."""
    Vacancy.objects.filter(pk=vacancy.pk).update(matched_version=0)
    (job,) = services.matches_queue_stale(queue=False)
    with CaptureQueriesContext(connection) as captured:
        services.vacancy_matches_recompute(vacancy_id=vacancy.pk, job_id=job.pk)
    return [query["sql"] for query in captured.captured_queries]


def _stored_counts(vacancy: Vacancy) -> dict[str, list[int]]:
    return VacancySearchState.objects.get(vacancy=vacancy).residence_counts


def test_the_counts_per_country_come_without_joining_the_matches_to_the_candidates(
    world: World, commit: Any
) -> None:
    with commit():
        for country, dutch in (("MA", "B1"), ("MA", "A2"), ("TN", "B1"), ("FR", "A2")):
            welder_candidate(world, dutch=dutch, country_of_residence=country)
        vacancy = welder_vacancy(world)

    statements = _recompute_capturing(vacancy)

    # A full run rebuilds the vacancy's filter facets from its matches and their candidates (its own
    # statements); nothing else reads the two together, and nothing groups the matches by country.
    joined = [sql for sql in statements if MATCHES in sql and CANDIDATES in sql and FACETS not in sql]
    assert joined == []
    assert not [sql for sql in statements if "GROUP BY" in sql and "country_of_residence" in sql]
    expected = residence_counts(Match.objects.filter(vacancy=vacancy))  # the grouped query, as a check
    assert expected == {"FR": [0, 1], "MA": [1, 1], "TN": [1, 0]}
    assert _stored_counts(vacancy) == expected


@override_settings(MATCH_SNAPSHOT_MAX_AGE=3600)
def test_a_candidate_the_snapshot_does_not_hold_is_counted_in_their_country(
    world: World, commit: Any
) -> None:
    """The daily pass reuses a worker's snapshot: a candidate who appeared since, whose own job wrote the
    pair, is still counted (looked up by id)."""
    with commit():
        welder_candidate(world, country_of_residence="MA")
        vacancy = welder_vacancy(world)  # reads the snapshot: one candidate
    with commit():
        welder_candidate(world, country_of_residence="SN")  # their own job writes the pair
    assert Match.objects.filter(vacancy=vacancy).count() == 2

    _recompute_capturing(vacancy)  # the snapshot is reused: the newcomer is not in it

    assert _stored_counts(vacancy) == {"MA": [1, 0], "SN": [1, 0]}
