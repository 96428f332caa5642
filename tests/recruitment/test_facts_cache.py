"""The worker's candidate facts cache (docs/adr/0004-facts-cache.md): a cached entry is served only while
everything it was built from is unchanged, including what changes without a profile version bump (the
clock, the day, training programmes, occupations), and the recompute stays consistent with it.

Each test gets a cache of its own; the recompute tests use the worker's cache, emptied first.
"""

import datetime
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from candidates.models import Candidate, Consent, LanguageProficiency, TrainingEnrolment
from candidates.services import candidate_profile_changed
from projects.models import TrainingProgramme
from recruitment import services
from recruitment.adapters import (
    basis_of,
    candidate_facts,
    candidates_possibly_relevant,
    reference_date,
    reference_facts_on,
    vacancy_facts,
)
from recruitment.facts_cache import CandidateFactsCache, candidate_facts_cache
from recruitment.matching.facts import CandidateFacts
from recruitment.models import Match
from recruitment.services.recompute import gc_paused
from reference.models import EscoOccupation
from tests.factories import OrganisationFactory, ProjectFactory, isco_unit_group
from tests.recruitment.world import World, build_world, welder_candidate, welder_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def cache() -> CandidateFactsCache:
    return CandidateFactsCache(size=1_000)


@pytest.fixture(autouse=True)
def _empty_worker_cache() -> Iterator[None]:
    candidate_facts_cache.clear()
    yield
    candidate_facts_cache.clear()


def epoch() -> str:
    return basis_of(reference_facts_on(reference_date()))


def served(cache: CandidateFactsCache, pool: QuerySet[Candidate], **kwargs: Any) -> dict[int, CandidateFacts]:
    """The facts the cache serves for ``pool``, by candidate id, at the current epoch."""
    kwargs.setdefault("epoch", epoch())
    chunks = cache.chunks(pool, day=reference_date(), **kwargs)
    return {facts.id: facts for chunk, _versions in chunks for facts in chunk}


def from_rows(candidate: Candidate) -> CandidateFacts:
    return candidate_facts(Candidate.objects.filter(pk=candidate.pk))[0]


def test_a_warm_cache_serves_what_the_rows_give_and_builds_nothing(
    world: World, cache: CandidateFactsCache
) -> None:
    people = [welder_candidate(world), welder_candidate(world, dutch="A2"), welder_candidate(world, years=1)]
    pool = Candidate.objects.all()

    first = served(cache, pool)
    assert (cache.stats.built, cache.stats.hits) == (3, 0)
    again = served(cache, pool)
    assert (cache.stats.built, cache.stats.hits) == (3, 3)
    assert first == again == {p.pk: from_rows(p) for p in people}
    assert all(again[p.pk] is first[p.pk] for p in people)  # the same objects, not rebuilt


def test_versions_come_with_the_facts(world: World, cache: CandidateFactsCache) -> None:
    person = welder_candidate(world)
    for _ in range(2):
        ((_chunk, versions),) = list(
            cache.chunks(Candidate.objects.all(), day=reference_date(), epoch=epoch())
        )
        assert versions == {person.pk: person.profile_version}


def test_a_profile_change_rebuilds_that_candidate_only(world: World, cache: CandidateFactsCache) -> None:
    person, other = welder_candidate(world, dutch="A2"), welder_candidate(world)
    served(cache, Candidate.objects.all())
    LanguageProficiency.objects.filter(candidate=person).update(listening="C1")
    candidate_profile_changed(person.pk)

    facts = served(cache, Candidate.objects.all())
    assert cache.stats.built == 3  # two, then the changed one
    assert facts[person.pk] == from_rows(person)
    assert facts[person.pk].languages[0].levels[0] == 5  # C1
    assert facts[other.pk] == from_rows(other)


def test_a_consent_expiring_by_the_clock_is_not_served_once_expired(
    world: World, cache: CandidateFactsCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No version changes when a consent reaches its end: the entry carries that instant."""
    person = welder_candidate(world)
    in_an_hour = timezone.now() + datetime.timedelta(hours=1)
    Consent.objects.filter(candidate=person).update(expires_at=in_an_hour)
    candidate_profile_changed(person.pk)

    assert served(cache, Candidate.objects.all())[person.pk].consented_employer_ids == {world.employer.pk}
    later = in_an_hour + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    facts = served(cache, Candidate.objects.all())[person.pk]
    assert facts.consented_employer_ids == frozenset()
    assert facts == from_rows(person)
    assert cache.stats.built == 2


def test_a_consent_granted_for_later_is_served_once_in_force(
    world: World, cache: CandidateFactsCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = welder_candidate(world)
    other_employer = OrganisationFactory.create(employer=True)
    in_an_hour = timezone.now() + datetime.timedelta(hours=1)
    Consent.objects.create(
        candidate=person,
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYER,
        recipient=other_employer,
        text_version="2026-01",
        granted_at=in_an_hour,
    )
    candidate_profile_changed(person.pk)

    assert other_employer.pk not in served(cache, Candidate.objects.all())[person.pk].consented_employer_ids
    monkeypatch.setattr(timezone, "now", lambda: in_an_hour + datetime.timedelta(seconds=1))
    assert other_employer.pk in served(cache, Candidate.objects.all())[person.pk].consented_employer_ids


def test_another_day_or_basis_empties_the_cache(world: World, cache: CandidateFactsCache) -> None:
    welder_candidate(world)
    served(cache, Candidate.objects.all(), epoch="1.0.0|2026-11-22|a")
    served(cache, Candidate.objects.all(), epoch="1.0.0|2026-11-22|a")
    assert cache.stats.built == 1
    served(cache, Candidate.objects.all(), epoch="1.0.0|2026-11-23|a")
    assert cache.stats.built == 2


def test_a_programme_target_change_moves_the_basis_and_reaches_the_facts(
    world: World, cache: CandidateFactsCache
) -> None:
    """A programme belongs to no candidate: changing its Dutch target bumps no profile version."""
    person = welder_candidate(world, dutch="A2")
    programme = TrainingProgramme.objects.create(
        project=ProjectFactory.create(), name="Dutch for welders", dutch_target_level="B1"
    )
    TrainingEnrolment.objects.create(
        candidate=person, programme=programme, status=TrainingEnrolment.Status.IN_PROGRESS
    )
    candidate_profile_changed(person.pk)
    assert served(cache, Candidate.objects.all())[person.pk].language_courses[0].target_level == 3
    before = epoch()

    TrainingProgramme.objects.filter(pk=programme.pk).update(dutch_target_level="B2")

    assert epoch() != before  # every open vacancy is stale for the sweeper, and the cache starts over
    facts = served(cache, Candidate.objects.all())[person.pk]
    assert facts.language_courses[0].target_level == 4
    assert facts == from_rows(person)


def test_an_occupation_moved_to_another_isco_group_reaches_the_facts(
    world: World, cache: CandidateFactsCache
) -> None:
    person = welder_candidate(world)
    assert served(cache, Candidate.objects.all())[person.pk].experiences[0].isco_code == "7212"

    EscoOccupation.objects.filter(pk=world.welder.pk).update(isco_group=isco_unit_group("7213"))

    assert served(cache, Candidate.objects.all())[person.pk].experiences[0].isco_code == "7213"


def test_an_id_given_again_is_another_candidate(world: World, cache: CandidateFactsCache) -> None:
    """As a rolled-back test transaction does on SQLite: same id, same version, another person."""
    first = welder_candidate(world, dutch="B1")
    served(cache, Candidate.objects.all())
    pk, version = first.pk, first.profile_version
    first.delete()
    second = welder_candidate(world, dutch="A1", id=pk)
    assert (second.pk, second.profile_version) == (pk, version)

    facts = served(cache, Candidate.objects.all())[pk]
    assert facts == from_rows(second)
    assert facts.languages[0].levels[0] == 1  # A1


def test_over_its_bound_the_cache_keeps_the_last_pool(world: World) -> None:
    cache = CandidateFactsCache(size=2)
    people = [welder_candidate(world) for _ in range(3)]
    served(cache, Candidate.objects.all())
    assert len(cache) == 3  # the pool in use is kept whole
    served(cache, Candidate.objects.filter(pk=people[0].pk))
    assert len(cache) == 1


def test_size_0_turns_the_cache_off(world: World) -> None:
    cache = CandidateFactsCache(size=0)
    person = welder_candidate(world)
    assert served(cache, Candidate.objects.all()) == {person.pk: from_rows(person)}
    assert len(cache) == 0


def test_the_collector_is_paused_while_scoring_and_back_after() -> None:
    import gc

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), gc_paused():
        _ = 1 / 0
    assert gc.isenabled()


# --- The recompute with the worker's cache ---------------------------------------------------------------


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Callable[[], AbstractContextManager[Any]]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_recomputes_serve_the_facts_from_the_cache_and_stay_consistent(world: World, commit: Any) -> None:
    with commit():
        people = [welder_candidate(world), welder_candidate(world, dutch="A2"), welder_candidate(world)]
        vacancy = welder_vacancy(world)
    built = candidate_facts_cache.stats.built
    with commit():
        second = welder_vacancy(world)  # the same pool, from the cache
    assert candidate_facts_cache.stats.built == built
    assert Match.objects.filter(vacancy=second).count() == Match.objects.filter(vacancy=vacancy).count() == 3

    with commit():  # a profile change: that candidate is built again, by their own job and the next vacancy
        LanguageProficiency.objects.filter(candidate=people[1]).update(
            listening="B1", reading="B1", spoken_interaction="B1", spoken_production="B1", writing="B1"
        )
        candidate_profile_changed(people[1].pk)
        welder_vacancy(world)
    assert candidate_facts_cache.stats.built == built + 1
    assert services.match_consistency_violations() == []


def test_the_consistency_check_reads_rows_not_the_cache(world: World, commit: Any) -> None:
    """A write behind the services' back (no version bump) is not hidden by a cached entry: the check
    recomputes from rows and reports the difference."""
    with commit():
        person = welder_candidate(world, dutch="A2")
        vacancy = welder_vacancy(world)
    assert Match.objects.get(vacancy=vacancy, candidate=person).outcome == "conditional"
    LanguageProficiency.objects.filter(candidate=person).update(
        listening="B1", reading="B1", spoken_interaction="B1", spoken_production="B1", writing="B1"
    )
    (problem,) = services.match_consistency_violations()
    assert f"candidate {person.pk} stored conditional" in problem


def test_stored_explanations_are_the_results_as_json(world: World, commit: Any) -> None:
    """The lean write (plain tuples, JSON text by the C encoder, COPY on PostgreSQL, straight into the
    table for new pairs) stores exactly the codes and values of the results."""
    from recruitment.matching.engine import evaluate_vacancy
    from recruitment.services.upsert import match_values

    with commit():
        welder_candidate(world)
        welder_candidate(world, dutch="A2")
        vacancy = welder_vacancy(world)
    facts = reference_facts_on(reference_date())
    vacancy_facts_ = vacancy_facts(Vacancy.objects.filter(pk=vacancy.pk))[0]
    pool = candidate_facts(candidates_possibly_relevant(vacancy_facts_))
    with gc_paused():
        results = evaluate_vacancy(vacancy_facts_, pool, facts)
    assert len(results) == 2
    for result in results:
        match = Match.objects.get(vacancy=vacancy, candidate_id=result.candidate_id)
        values = match_values(
            result, vacancy_version=0, candidate_version=0, day=reference_date(), now=timezone.now()
        )
        assert [match.breakdown, match.reasons, match.routes] == [json.loads(text) for text in values[4:7]]
        assert float(match.score) == result.score
