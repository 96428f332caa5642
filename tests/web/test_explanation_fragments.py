"""The vacancy page keeps its rows' rendered explanations between views (recruitment.explanation_fragments):
a second view rebuilds none, a change to the candidate's profile is shown at once, and a cache that fails
costs speed, never the page."""

from typing import Any

import pytest
from django.test import Client, override_settings

from candidates.models import LanguageProficiency
from candidates.services import candidate_profile_changed
from recruitment.explanation_fragments import _keys, explanation_fragments
from recruitment.models import Match
from tests.concentric.budget import SEARCH_CHANNEL_QUERIES
from tests.web.world import FAILING_EXPLANATIONS_CACHE, WebWorld

pytestmark = pytest.mark.django_db

NEAR_MISS_GAP = "Dutch, listening: A2 where B1 is required."


def _vacancy_url(world: WebWorld) -> str:
    return f"/en/recruiter/vacancies/{world.vacancy.public_id}/"


def test_a_second_view_rebuilds_no_explanation(
    world: WebWorld, recruiter: Client, django_assert_max_num_queries: Any
) -> None:
    first = recruiter.get(_vacancy_url(world))
    assert first.status_code == 200 and NEAR_MISS_GAP in first.text
    # The first view's budget (tests/web/test_recruiter_pages.py) less the explanations' rebuild.
    with django_assert_max_num_queries(17 + 1 + 1 + SEARCH_CHANNEL_QUERIES) as second:
        again = recruiter.get(_vacancy_url(world))
    assert again.status_code == 200
    assert again.text.count(NEAR_MISS_GAP) == first.text.count(NEAR_MISS_GAP) == 1
    assert "Has experience in this very occupation." in again.text
    # Not one query of the rebuild: the candidates' languages are read only to explain.
    assert not any("candidates_languageproficiency" in query["sql"] for query in second.captured_queries)


def test_a_changed_profile_is_explained_at_once_before_its_recompute(
    world: WebWorld, recruiter: Client
) -> None:
    assert NEAR_MISS_GAP in recruiter.get(_vacancy_url(world)).text  # kept now
    # The near-miss reaches B1 in listening; the stored match is not recomputed yet (no commit here).
    LanguageProficiency.objects.filter(candidate=world.near_miss, language="nl").update(listening="B1")
    candidate_profile_changed(world.near_miss.pk)

    text = recruiter.get(_vacancy_url(world)).text
    assert NEAR_MISS_GAP not in text
    assert "Dutch, spoken interaction: A2 where B1 is required." in text  # the gap left


@override_settings(CACHES=FAILING_EXPLANATIONS_CACHE)
def test_a_failing_cache_leaves_the_page_explained(world: WebWorld, recruiter: Client) -> None:
    response = recruiter.get(_vacancy_url(world))
    assert response.status_code == 200 and NEAR_MISS_GAP in response.text
    matches = list(Match.objects.filter(vacancy=world.vacancy))
    fragments = explanation_fragments(matches)
    assert set(fragments) == {match.pk for match in matches}
    assert any(NEAR_MISS_GAP in fragment.gaps for fragment in fragments.values())


def test_the_keys_are_the_same_read_from_the_loaded_rows_or_from_the_database(
    world: WebWorld, django_assert_num_queries: Any
) -> None:
    """The vacancy page loads each row's candidate and vacancy: the keys' inputs are read from them, with no
    query; rows loaded without them, or without a field the key reads, cost one query for all."""
    loaded = list(Match.objects.filter(vacancy=world.vacancy).select_related("candidate", "vacancy"))
    bare = list(Match.objects.filter(vacancy=world.vacancy))
    deferred = list(
        Match.objects.filter(vacancy=world.vacancy)
        .select_related("candidate", "vacancy")
        .defer("vacancy__matched_basis")
    )
    assert loaded
    with django_assert_num_queries(0):
        from_rows = _keys(loaded, "staff", {})
    with django_assert_num_queries(1):
        assert _keys(bare, "staff", {}) == from_rows
    with django_assert_num_queries(1):
        assert _keys(deferred, "staff", {}) == from_rows
