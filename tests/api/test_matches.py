"""Matches of a partner's candidates, and the recompute a change through the API sets off; the list
keeps its matches' explanations between answers (recruitment.kept_explanations): a second answer rebuilds
none and is the same, a changed profile is explained at once (before its recompute), each language is kept
apart, and a cache that fails costs speed, never the answer.

Candidates are registered through the API (as a partner would), the recompute runs eagerly when the
test transaction's commit callbacks run (``django_capture_on_commit_callbacks(execute=True)``).
"""

import datetime
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from candidates.models import Candidate, LanguageProficiency
from candidates.services import candidate_profile_changed
from recruitment.models import Match
from tests.api.conftest import Partner
from tests.recruitment.world import World, build_world, welder_vacancy
from tests.web.world import EXPLANATION_QUERIES, FAILING_EXPLANATIONS_CACHE
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

URL = "/api/v1/matches/"


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def vacancy(world: World, partner_x: Partner) -> Vacancy:
    vacancy = welder_vacancy(world)
    vacancy.open_to_projects.add(partner_x.project)
    return vacancy


def welder(world: World, external_id: str, *, dutch: str = "B1") -> dict[str, Any]:
    """A Moroccan welder as a partner registers them: diploma, four years of welding, Dutch at ``dutch``,
    a consent to be shown to the employer."""
    today = timezone.localdate()
    return {
        "external_id": external_id,
        "given_name": "Youssef",
        "family_name": "Benali",
        "date_of_birth": "1994-03-02",
        "nationalities": ["MA"],
        "country_of_residence": "MA",
        "desired_occupations": [world.welder.uri],
        "languages": [
            {
                "language": "nl",
                **dict.fromkeys(
                    ("listening", "reading", "spoken_interaction", "spoken_production", "writing"), dutch
                ),
            }
        ],
        "diplomas": [
            {"title": "Soudure", "institution": "OFPPT", "country": "MA", "field": "0715", "isced_level": 3}
        ],
        "work_experience": [
            {
                "occupation": world.welder.uri,
                "country": "MA",
                "started_on": (today - datetime.timedelta(days=365 * 4 + 5)).isoformat(),
            }
        ],
        "consents": [
            {
                "purpose": "share_with_employer",
                "recipient": world.employer.pk,
                "text_version": "2026-01",
                "granted_at": (timezone.now() - datetime.timedelta(days=1)).isoformat(),
            }
        ],
    }


def _register(api: APIClient, body: dict[str, Any], capture: Any) -> str:
    with capture(execute=True):
        response = api.post("/api/v1/candidates/", body, format="json")
    assert response.status_code == 201, response.content
    return str(response.json()["id"])


def test_an_update_through_the_api_recomputes_the_candidates_matches(
    api_x: APIClient, world: World, vacancy: Vacancy, django_capture_on_commit_callbacks: Any
) -> None:
    candidate = _register(api_x, welder(world, "W-1", dutch="A2"), django_capture_on_commit_callbacks)
    [conditional] = api_x.get(URL, {"candidate": candidate}).json()["results"]
    assert conditional["vacancy"] == str(vacancy.public_id)
    assert conditional["outcome"] == "conditional"
    gaps = {(m["code"], m["params"]["skill"]) for m in conditional["missing"]}
    assert ("language.below_minimum", "listening") in gaps  # B1 needed, A2 held: a course closes it
    assert all(m["closable"] for m in conditional["missing"])
    assert all(m["message"] for m in conditional["missing"])

    languages = welder(world, "W-1", dutch="B1")["languages"]
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            api_x.patch(
                f"/api/v1/candidates/{candidate}/", {"languages": languages}, format="json"
            ).status_code
            == 200
        )
    [eligible] = api_x.get(URL, {"candidate": candidate}).json()["results"]
    assert eligible["outcome"] == "eligible"
    assert eligible["missing"] == []
    assert float(eligible["score"]) >= float(conditional["score"])
    assert api_x.get(f"/api/v1/candidates/{candidate}/").json()["matches_current"] is True

    with django_capture_on_commit_callbacks(execute=True):
        assert api_x.delete(f"/api/v1/candidates/{candidate}/").status_code == 204
    assert len(api_x.get(URL).json()["results"]) == 0
    assert not Match.objects.exists()


def test_a_partner_sees_only_its_candidates_matches_with_vacancies_it_sees(
    api_x: APIClient,
    api_y: APIClient,
    partner_x: Partner,
    world: World,
    vacancy: Vacancy,
    django_capture_on_commit_callbacks: Any,
) -> None:
    hidden = welder_vacancy(world)  # open to no project of partner X
    mine = _register(api_x, welder(world, "X-1"), django_capture_on_commit_callbacks)
    # Y cannot name an employer whose vacancies it does not see: its candidate has no consent yet.
    theirs = _register(api_y, {**welder(world, "Y-1"), "consents": []}, django_capture_on_commit_callbacks)
    assert Match.objects.filter(vacancy=hidden).count() == 2  # both match it ...
    rows = api_x.get(URL).json()["results"]
    assert {(r["candidate"], r["vacancy"]) for r in rows} == {
        (mine, str(vacancy.public_id))
    }  # ... X sees one
    assert len(api_x.get(URL, {"candidate": theirs}).json()["results"]) == 0
    assert len(api_x.get(URL, {"vacancy": str(hidden.public_id)}).json()["results"]) == 0
    assert len(api_y.get(URL).json()["results"]) == 0  # Y's projects see no vacancy at all


def test_match_filters(
    api_x: APIClient, world: World, vacancy: Vacancy, django_capture_on_commit_callbacks: Any
) -> None:
    _register(api_x, welder(world, "F-1"), django_capture_on_commit_callbacks)
    _register(api_x, welder(world, "F-2", dutch="A2"), django_capture_on_commit_callbacks)
    assert [
        r["candidate_external_id"] for r in api_x.get(URL, {"outcome": "eligible"}).json()["results"]
    ] == ["F-1"]
    assert len(api_x.get(URL, {"vacancy": str(vacancy.public_id)}).json()["results"]) == 2
    assert len(api_x.get(URL, {"min_score": "100"}).json()["results"]) == 0
    for params in ({"candidate": "nope"}, {"outcome": "maybe"}, {"min_score": "101"}):
        response = api_x.get(URL, params)
        assert response.status_code == 400
        assert response.json()["errors"][0]["parameter"] == next(iter(params))


def test_the_match_list_has_a_query_budget(
    api_x: APIClient,
    world: World,
    vacancy: Vacancy,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for index in range(5):
        _register(api_x, welder(world, f"B-{index}"), django_capture_on_commit_callbacks)
    # The stored rows are compact: the page's explanations are rebuilt in a fixed number of queries.
    with django_assert_max_num_queries(8 + EXPLANATION_QUERIES):
        assert len(api_x.get(URL).json()["results"]) == 5


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


@override_settings(CACHES=FAILING_EXPLANATIONS_CACHE)
def test_a_failing_cache_leaves_the_answer_explained(api_x: APIClient, registered: str) -> None:
    for _ in range(2):
        answer = api_x.get(URL)
        assert answer.status_code == 200 and "listening" in _gaps(answer.json())
