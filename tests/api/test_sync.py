"""Keeping a copy in sync: ``updated_since`` on every list, what left a partner's view in ``…/removed/``,
``next_updated_since``, and a partner's copy that follows changes equals a fresh full read."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from rest_framework.test import APIClient

from candidates.models import Candidate
from recruitment.models import Match, MatchRemoval, Placement
from tests import factories
from tests.api.conftest import Partner, published_vacancy
from tests.api.test_matches import welder
from tests.recruitment.world import World, build_world, welder_vacancy
from vacancies.models import Vacancy
from vacancies.services import vacancy_close

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def _ago(**delta: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def _text(moment: datetime.datetime) -> str:
    return moment.isoformat()


def _match(candidate: Candidate, vacancy: Vacancy, **fields: Any) -> Match:
    values: dict[str, Any] = {
        "outcome": "eligible",
        "score": Decimal("70.00"),
        "algorithm_version": "test",
        "vacancy_version": 1,
        "candidate_version": 1,
        "reference_date": timezone.localdate(),
        "computed_at": timezone.now(),
    }
    return Match.objects.create(candidate=candidate, vacancy=vacancy, **(values | fields))


def _all(api: APIClient, url: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every row of a list, walking ``next``."""
    page = api.get(url, params or {})
    assert page.status_code == 200, page.content
    rows = list(page.json()["results"])
    while page.json()["next"]:
        page = api.get(page.json()["next"])
        rows += page.json()["results"]
    return rows


# --- updated_since on each list -------------------------------------------------------------------


def test_each_list_shows_what_changed_since_a_moment(api_x: APIClient, partner_x: Partner) -> None:
    since = _ago(hours=1)
    old_vacancy, new_vacancy = published_vacancy(partner_x.project), published_vacancy(partner_x.project)
    Vacancy.objects.filter(pk=old_vacancy.pk).update(updated_at=_ago(days=2))
    old_candidate, new_candidate = (
        factories.CandidateFactory.create(registered_by=partner_x.organisation) for _ in range(2)
    )
    Candidate.objects.filter(pk=old_candidate.pk).update(updated_at=_ago(days=2))
    _match(old_candidate, new_vacancy, computed_at=_ago(days=2))
    _match(new_candidate, new_vacancy)
    for candidate, moved in ((old_candidate, _ago(days=2)), (new_candidate, timezone.now())):
        Placement.objects.create(vacancy=new_vacancy, candidate=candidate, stage_changed_at=moved)

    def changed(resource: str, key: str) -> list[str]:
        return [row[key] for row in _all(api_x, API + resource, {"updated_since": _text(since)})]

    assert changed("candidates/", "id") == [str(new_candidate.public_id)]
    assert changed("vacancies/", "id") == [str(new_vacancy.public_id)]
    assert changed("matches/", "candidate") == [str(new_candidate.public_id)]
    assert changed("placements/", "candidate") == [str(new_candidate.public_id)]
    # The former name of the placements' filter still works.
    old_name = _all(api_x, API + "placements/", {"changed_since": _text(since)})
    assert [row["candidate"] for row in old_name] == [str(new_candidate.public_id)]


@pytest.mark.parametrize("resource", ["candidates/", "vacancies/", "matches/", "placements/"])
@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2026-11-22T09:00:00",  # no time zone: ours or the partner's?
        "2026-11-22T09:00:00 01:00",  # "+01:00" sent unencoded: the "+" arrives as a space
        "2026-13-01T00:00:00Z",
        "",
    ],
)
def test_a_bad_updated_since_is_a_400_naming_it(api_x: APIClient, resource: str, value: str) -> None:
    response = api_x.get(API + resource, {"updated_since": value}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400, response.content
    assert response["Content-Language"] == "fr"
    problem = response.json()
    assert problem["type"] == "urn:talentbrug:problem:invalid-query-parameter"
    assert problem["errors"][0]["parameter"] == "updated_since"


def test_an_unencoded_plus_gets_a_hint(api_x: APIClient) -> None:
    problem = api_x.get(API + "candidates/", {"updated_since": "2026-11-22T09:00:00 01:00"}).json()
    assert "%2B" in problem["errors"][0]["detail"]


@pytest.mark.parametrize("resource", ["candidates/removed/", "vacancies/removed/", "matches/removed/"])
def test_a_removed_list_needs_updated_since(api_x: APIClient, resource: str) -> None:
    response = api_x.get(API + resource)
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "updated_since"


@pytest.mark.parametrize("resource", ["matches/", "matches/removed/"])
def test_changes_older_than_the_removals_kept_are_a_410(
    api_x: APIClient, settings: Any, resource: str
) -> None:
    settings.MATCH_REMOVAL_RETENTION_DAYS = 3
    assert api_x.get(API + resource, {"updated_since": _text(_ago(days=2, hours=23))}).status_code == 200
    response = api_x.get(API + resource, {"updated_since": _text(_ago(days=3, minutes=1))})
    assert response.status_code == 410, response.content
    problem = response.json()
    assert problem["type"] == "urn:talentbrug:problem:resync-required"
    assert problem["errors"][0]["parameter"] == "updated_since"
    assert "3 days" in problem["detail"]
    assert api_x.get(API + "candidates/", {"updated_since": _text(_ago(days=300))}).status_code == 200


def test_next_updated_since_is_fixed_for_a_walk_and_allows_for_late_commits(
    api_x: APIClient, partner_x: Partner
) -> None:
    for _ in range(3):
        factories.CandidateFactory.create(registered_by=partner_x.organisation)
    before = timezone.now()
    first = api_x.get(API + "candidates/", {"page_size": 1}).json()
    proposed = datetime.datetime.fromisoformat(first["next_updated_since"])
    # At least as far back as a recompute may take to commit, and not much further.
    lag = datetime.timedelta(seconds=django_settings.CELERY_TASK_TIME_LIMIT)
    assert before - lag - datetime.timedelta(minutes=5) <= proposed <= before - lag
    second = api_x.get(first["next"]).json()
    assert second["next_updated_since"] == first["next_updated_since"]
    assert "next_updated_since" not in api_x.get(API + "webhooks/deliveries/").json()


# --- What left a partner's view ---------------------------------------------------------------------


def test_removed_matches_are_those_of_the_partners_candidates_with_vacancies_it_saw(
    api_x: APIClient, api_y: APIClient, partner_x: Partner, partner_y: Partner
) -> None:
    since = _ago(hours=1)
    mine = factories.CandidateFactory.create(registered_by=partner_x.organisation)
    withdrawn = factories.CandidateFactory.create(
        registered_by=partner_x.organisation, status="withdrawn", withdrawn_at=timezone.now()
    )
    theirs = factories.CandidateFactory.create(registered_by=partner_y.organisation)
    seen = published_vacancy(partner_x.project)
    closed = published_vacancy(partner_x.project, status=Vacancy.Status.CLOSED)
    not_mine = published_vacancy(partner_y.project)
    suspended = published_vacancy(
        partner_x.project, employer=factories.OrganisationFactory.create(employer=True, suspended=True)
    )
    matched_again = published_vacancy(partner_x.project)
    _match(mine, matched_again)
    for candidate, vacancy, at in (
        (mine, seen, timezone.now()),
        (withdrawn, seen, timezone.now()),
        (mine, closed, timezone.now()),
        (mine, seen, _ago(days=1)),  # before updated_since
        (mine, not_mine, timezone.now()),  # a vacancy X never saw
        (mine, suspended, timezone.now()),  # an employer X may not see
        (mine, matched_again, timezone.now()),  # matched again since: GET /matches/ shows it
        (theirs, seen, timezone.now()),  # Y's candidate
        (theirs, not_mine, timezone.now()),
    ):
        MatchRemoval.objects.create(vacancy=vacancy, candidate=candidate, removed_at=at)

    def removed(api: APIClient) -> set[tuple[str, str]]:
        rows = _all(api, API + "matches/removed/", {"updated_since": _text(since), "page_size": 2})
        return {(row["candidate"], row["vacancy"]) for row in rows}

    assert removed(api_x) == {
        (str(mine.public_id), str(seen.public_id)),
        (str(withdrawn.public_id), str(seen.public_id)),
        (str(mine.public_id), str(closed.public_id)),
    }
    assert removed(api_y) == {(str(theirs.public_id), str(not_mine.public_id))}


def test_removed_candidates_are_the_partners_withdrawn_or_erased_ones(
    api_x: APIClient, api_y: APIClient, partner_x: Partner, partner_y: Partner
) -> None:
    since = _ago(hours=1)
    factories.CandidateFactory.create(registered_by=partner_x.organisation)  # still there
    withdrawn, erased, long_ago = (
        factories.CandidateFactory.create(
            registered_by=partner_x.organisation, status=status, withdrawn_at=timezone.now()
        )
        for status in ("withdrawn", "anonymised", "withdrawn")
    )
    Candidate.objects.filter(pk=long_ago.pk).update(updated_at=_ago(days=2))
    factories.CandidateFactory.create(
        registered_by=partner_y.organisation, status="withdrawn", withdrawn_at=timezone.now()
    )
    rows = _all(api_x, API + "candidates/removed/", {"updated_since": _text(since)})
    assert [(row["id"], row["external_id"], row["status"]) for row in rows] == [
        (str(withdrawn.public_id), withdrawn.external_id, "withdrawn"),
        (str(erased.public_id), erased.external_id, "anonymised"),
    ]
    assert [
        row["status"] for row in _all(api_y, API + "candidates/removed/", {"updated_since": _text(since)})
    ] == ["withdrawn"]


def test_removed_vacancies_are_those_open_to_the_partners_projects_no_longer_published(
    api_x: APIClient, api_y: APIClient, partner_x: Partner, partner_y: Partner
) -> None:
    since = _ago(hours=1)
    published_vacancy(partner_x.project)  # still published
    filled = published_vacancy(partner_x.project, status=Vacancy.Status.FILLED)
    published_vacancy(partner_y.project, status=Vacancy.Status.CLOSED)  # never open to X
    published_vacancy(partner_x.project, status=Vacancy.Status.DRAFT, published_at=None)  # never published
    rows = _all(api_x, API + "vacancies/removed/", {"updated_since": _text(since)})
    assert [(row["id"], row["status"]) for row in rows] == [(str(filled.public_id), "filled")]
    assert [
        row["status"] for row in _all(api_y, API + "vacancies/removed/", {"updated_since": _text(since)})
    ] == ["closed"]


# --- A partner's copy, kept in sync through the API ------------------------------------------------


def _pair(row: dict[str, Any]) -> tuple[str, str]:
    return row["candidate"], row["vacancy"]


def _copy(api: APIClient) -> tuple[dict[tuple[str, str], tuple[str, str]], str]:
    """A full read of /matches/ one row per page, as a partner starting from scratch; and the moment to
    synchronise from next time."""
    first = api.get(API + "matches/", {"page_size": 1}).json()
    rows = _all(api, API + "matches/", {"page_size": 1})
    return {_pair(row): (row["outcome"], row["score"]) for row in rows}, first["next_updated_since"]


def test_a_copy_that_follows_changes_and_removals_equals_a_fresh_full_read(
    api_x: APIClient, api_y: APIClient, partner_x: Partner, django_capture_on_commit_callbacks: Any
) -> None:
    world: World = build_world()
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = welder_vacancy(world)
        vacancy.open_to_projects.add(partner_x.project)
        other = welder_vacancy(world, title="Lasser (nachtploeg)")
        other.open_to_projects.add(partner_x.project)
    ids = {}
    for external_id, dutch in (("W-1", "A2"), ("W-2", "B1"), ("W-3", "B1")):
        with django_capture_on_commit_callbacks(execute=True):
            response = api_x.post(API + "candidates/", welder(world, external_id, dutch=dutch), format="json")
        ids[external_id] = response.json()["id"]
    copy, since = _copy(api_x)
    assert len(copy) == 6 and {outcome for outcome, _ in copy.values()} == {"eligible", "conditional"}

    # Meanwhile: W-1's Dutch improves (its matches change), W-2 is withdrawn (its matches go), the
    # second vacancy closes (W-3's match with it goes), and W-4 is registered (new matches).
    with django_capture_on_commit_callbacks(execute=True):
        languages = welder(world, "W-1", dutch="B1")["languages"]
        api_x.patch(f"{API}candidates/{ids['W-1']}/", {"languages": languages}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        api_x.delete(f"{API}candidates/{ids['W-2']}/")
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_close(other)
    with django_capture_on_commit_callbacks(execute=True):
        api_x.post(API + "candidates/", welder(world, "W-4"), format="json")

    changed = _all(api_x, API + "matches/", {"updated_since": since, "page_size": 2})
    removed = _all(api_x, API + "matches/removed/", {"updated_since": since, "page_size": 2})
    for row in changed:
        copy[_pair(row)] = (row["outcome"], row["score"])
    for row in removed:
        copy.pop(_pair(row), None)
    fresh, _next = _copy(api_x)
    assert copy == fresh
    assert {_pair(row) for row in removed} >= {
        (ids["W-2"], str(vacancy.public_id)),
        (ids["W-3"], str(other.public_id)),
    }
    assert copy[(ids["W-1"], str(vacancy.public_id))][0] == "eligible"  # B1 closed the gap
    # The vacancy and the candidate that left are listed too; Y hears of none of it.
    assert [row["id"] for row in _all(api_x, API + "vacancies/removed/", {"updated_since": since})] == [
        str(other.public_id)
    ]
    assert [row["id"] for row in _all(api_x, API + "candidates/removed/", {"updated_since": since})] == [
        ids["W-2"]
    ]
    for resource in ("matches/removed/", "vacancies/removed/", "candidates/removed/"):
        assert _all(api_y, API + resource, {"updated_since": since}) == []
