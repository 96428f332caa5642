"""The partner API's match list keeps its matches' explanations between answers
(recruitment.kept_explanations): a second answer rebuilds none and is the same, a changed profile is
explained at once (before its recompute), the language asked for is kept apart, and a cache that fails
costs speed, never the answer."""

from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from candidates.models import Candidate, LanguageProficiency
from candidates.services import candidate_profile_changed
from tests.api.conftest import Partner
from tests.api.test_matches import URL, _register, welder
from tests.recruitment.world import World, build_world, welder_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def vacancy(world: World, partner_x: Partner) -> Vacancy:
    vacancy = welder_vacancy(world)
    vacancy.open_to_projects.add(partner_x.project)
    return vacancy


@pytest.fixture
def registered(
    api_x: APIClient, world: World, vacancy: Vacancy, django_capture_on_commit_callbacks: Any
) -> str:
    """A welder whose Dutch is short of the vacancy's in every skill: a conditional match."""
    return _register(api_x, welder(world, "K-1", dutch="A2"), django_capture_on_commit_callbacks)


def _gaps(answer: dict[str, Any]) -> set[str]:
    [match] = answer["results"]
    return {m["params"]["skill"] for m in match["missing"] if m["code"] == "language.below_minimum"}


def test_a_second_answer_rebuilds_nothing_and_is_the_same(
    api_x: APIClient, registered: str, django_assert_max_num_queries: Any
) -> None:
    first = api_x.get(URL)
    assert first.status_code == 200 and "listening" in _gaps(first.json())
    with django_assert_max_num_queries(20) as second_queries:
        second = api_x.get(URL)
    assert second.json()["results"] == first.json()["results"]
    # Not one query of the rebuild: the candidates' languages are read only to explain.
    assert not any("candidates_languageproficiency" in q["sql"] for q in second_queries.captured_queries)


def test_a_changed_profile_is_explained_at_once_before_its_recompute(
    api_x: APIClient, registered: str
) -> None:
    before = _gaps(api_x.get(URL).json())  # kept now
    assert "listening" in before and len(before) > 1
    candidate = Candidate.objects.get(public_id=registered)
    # Listening reaches B1; the stored match is not recomputed yet (no commit here).
    LanguageProficiency.objects.filter(candidate=candidate, language="nl").update(listening="B1")
    candidate_profile_changed(candidate.pk)
    assert _gaps(api_x.get(URL).json()) == before - {"listening"}


def test_each_language_is_kept_apart(api_x: APIClient, registered: str) -> None:
    english = api_x.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["missing"][0]["message"]
    dutch = api_x.get(URL, HTTP_ACCEPT_LANGUAGE="nl").json()["results"][0]["missing"][0]["message"]
    assert english != dutch
    assert api_x.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["missing"][0]["message"] == english


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "explanations": {
            # A cache that cannot answer (a Redis nobody listens on): every read and write fails.
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
)
def test_a_failing_cache_leaves_the_answer_explained(api_x: APIClient, registered: str) -> None:
    for _ in range(2):
        answer = api_x.get(URL)
        assert answer.status_code == 200 and "listening" in _gaps(answer.json())
