"""The worker's columnar snapshot of candidates (recruitment/snapshot.py, docs/adr/0008): a row is kept
only while everything it was built from is unchanged, including what changes without a profile version
bump (the clock, the calendar, training programmes, occupations), and the recompute stays consistent.

Each test gets a snapshot of its own; the recompute tests use the worker's, emptied first.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from candidates.models import (
    Candidate,
    Consent,
    LanguageProficiency,
    Licence,
    TrainingEnrolment,
    WorkExperience,
)
from candidates.services import candidate_profile_changed
from projects.models import TrainingProgramme
from recruitment import services
from recruitment.adapters import basis_of, candidate_facts, reference_date, reference_facts_on
from recruitment.matching.columns import CandidateColumns, Ragged, Vocabulary, candidate_columns
from recruitment.models import Match
from recruitment.snapshot import Candidates, CandidateSnapshot, candidate_snapshot, snapshots_clear
from reference.models import EscoOccupation
from tests.factories import OrganisationFactory, ProjectFactory, isco_unit_group
from tests.recruitment.world import World, build_world, welder_candidate, welder_vacancy

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def snapshot() -> CandidateSnapshot:
    return CandidateSnapshot(Vocabulary())


@pytest.fixture(autouse=True)
def _empty_worker_snapshot() -> Iterator[None]:
    snapshots_clear()
    yield
    snapshots_clear()


def epoch() -> str:
    return basis_of(reference_facts_on(reference_date()))


def read(snapshot: CandidateSnapshot, **kwargs: Any) -> Candidates:
    kwargs.setdefault("epoch", epoch())
    kwargs.setdefault("day", reference_date())
    return snapshot.current(**kwargs)


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, Ragged):
        return (
            np.array_equal(a.offsets, b.offsets)
            and a.values.keys() == b.values.keys()
            and all(np.array_equal(a.values[k], b.values[k]) for k in a.values)
        )
    return bool(np.array_equal(a, b))


def row_is_built_from_rows(
    snapshot: CandidateSnapshot, candidates: Candidates, person: Candidate, day: datetime.date | None = None
) -> bool:
    """The candidate's row in the snapshot equals the columns built from their rows now."""
    (row,) = candidates.rows_of(np.array([person.pk]))
    if row < 0:
        return False
    mine = candidates.columns.take(np.array([row]))
    facts = candidate_facts(Candidate.objects.filter(pk=person.pk), day=day or reference_date())
    fresh = candidate_columns(facts, snapshot.vocabulary)
    return all(
        _equal(getattr(mine, f.name), getattr(fresh, f.name))
        for f in dataclasses.fields(CandidateColumns)
        if f.name != "_cache"
    )


def test_a_warm_snapshot_builds_nothing_and_equals_the_rows(
    world: World, snapshot: CandidateSnapshot
) -> None:
    people = [welder_candidate(world), welder_candidate(world, dutch="A2"), welder_candidate(world, years=1)]
    first = read(snapshot)
    assert (snapshot.stats.built, snapshot.stats.kept) == (3, 0)
    again = read(snapshot)
    assert (snapshot.stats.built, snapshot.stats.kept) == (3, 3)
    assert again.columns is first.columns  # the same arrays, not rebuilt
    assert all(row_is_built_from_rows(snapshot, again, p) for p in people)
    versions = dict(zip(again.columns.ids.tolist(), again.versions.tolist(), strict=True))
    assert versions == {p.pk: p.profile_version for p in people}


def test_a_profile_change_rebuilds_that_candidate_only(world: World, snapshot: CandidateSnapshot) -> None:
    person, other = welder_candidate(world, dutch="A2"), welder_candidate(world)
    read(snapshot)
    LanguageProficiency.objects.filter(candidate=person).update(listening="C1")
    candidate_profile_changed(person.pk)

    candidates = read(snapshot)
    assert snapshot.stats.built == 3  # two, then the changed one
    assert row_is_built_from_rows(snapshot, candidates, person)
    assert row_is_built_from_rows(snapshot, candidates, other)
    (row,) = candidates.rows_of(np.array([person.pk]))
    assert candidates.columns.languages["levels"][candidates.columns.languages.offsets[row]][0] == 5  # C1


def test_a_candidate_no_longer_visible_leaves_the_snapshot(world: World, snapshot: CandidateSnapshot) -> None:
    person, other = welder_candidate(world), welder_candidate(world)
    read(snapshot)
    Candidate.objects.filter(pk=person.pk).update(
        status=Candidate.Status.WITHDRAWN, withdrawn_at=timezone.now()
    )
    candidate_profile_changed(person.pk)

    assert read(snapshot).columns.ids.tolist() == [other.pk]


def test_a_consent_expiring_by_the_clock_is_rebuilt_once_expired(
    world: World, snapshot: CandidateSnapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No version changes when a consent reaches its end: the row carries that instant."""
    person = welder_candidate(world)
    in_an_hour = timezone.now() + datetime.timedelta(hours=1)
    Consent.objects.filter(candidate=person).update(expires_at=in_an_hour)
    candidate_profile_changed(person.pk)

    assert read(snapshot).columns.consents["employer"].tolist() == [world.employer.pk]
    monkeypatch.setattr(timezone, "now", lambda: in_an_hour + datetime.timedelta(minutes=1))

    candidates = read(snapshot)
    assert candidates.columns.consents["employer"].tolist() == []
    assert row_is_built_from_rows(snapshot, candidates, person)
    assert snapshot.stats.built == 2


def test_a_consent_granted_for_later_is_in_the_row_once_in_force(
    world: World, snapshot: CandidateSnapshot, monkeypatch: pytest.MonkeyPatch
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

    assert other_employer.pk not in read(snapshot).columns.consents["employer"].tolist()
    monkeypatch.setattr(timezone, "now", lambda: in_an_hour + datetime.timedelta(seconds=1))
    assert other_employer.pk in read(snapshot).columns.consents["employer"].tolist()


def test_a_new_day_rebuilds_only_the_rows_the_calendar_moves(
    world: World, snapshot: CandidateSnapshot
) -> None:
    """Experience still under way counts one more day, a licence ends: those rows are built again; a
    profile whose experience ended long ago is kept as it is."""
    working, retired = welder_candidate(world), welder_candidate(world)
    today = reference_date()
    WorkExperience.objects.filter(candidate=retired).update(ended_on=today - datetime.timedelta(days=100))
    candidate_profile_changed(retired.pk)
    licensed = welder_candidate(world)
    WorkExperience.objects.filter(candidate=licensed).update(ended_on=today - datetime.timedelta(days=100))
    Licence.objects.create(
        candidate=licensed,
        kind=Licence.Kind.DRIVING_CE,
        issuing_country="MA",
        valid_until=today + datetime.timedelta(days=1),
        valid_or_exchangeable_in_belgium=True,
    )
    candidate_profile_changed(licensed.pk)
    read(snapshot)
    assert snapshot.stats.built == 3

    tomorrow = today + datetime.timedelta(days=1)
    candidates = read(snapshot, day=tomorrow)
    assert snapshot.stats.built == 4  # the welder still at work; the licence is valid until tomorrow
    assert row_is_built_from_rows(snapshot, candidates, working, tomorrow)
    in_two_days = today + datetime.timedelta(days=2)
    candidates = read(snapshot, day=in_two_days)
    assert snapshot.stats.built == 6  # the welder again, and the licence has ended
    assert row_is_built_from_rows(snapshot, candidates, licensed, in_two_days)
    assert row_is_built_from_rows(snapshot, candidates, retired, in_two_days)


def test_another_basis_empties_the_snapshot(world: World, snapshot: CandidateSnapshot) -> None:
    welder_candidate(world)
    read(snapshot, epoch="1.0.0|111|a")
    read(snapshot, epoch="1.0.0|111|a")
    assert snapshot.stats.built == 1
    read(snapshot, epoch="1.0.0|111|b")
    assert snapshot.stats.built == 2


def test_a_programme_target_change_moves_the_basis_and_reaches_the_row(
    world: World, snapshot: CandidateSnapshot
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
    read(snapshot)
    before = epoch()

    TrainingProgramme.objects.filter(pk=programme.pk).update(dutch_target_level="B2")

    assert epoch() != before  # every open vacancy is stale for the sweeper, and the snapshot starts over
    candidates = read(snapshot)
    assert row_is_built_from_rows(snapshot, candidates, person)


def test_an_occupation_moved_to_another_isco_group_reaches_the_row(
    world: World, snapshot: CandidateSnapshot
) -> None:
    person = welder_candidate(world)
    before = read(snapshot).columns.experiences["isco"].tolist()

    EscoOccupation.objects.filter(pk=world.welder.pk).update(isco_group=isco_unit_group("7213"))

    candidates = read(snapshot)
    assert candidates.columns.experiences["isco"].tolist() != before
    assert row_is_built_from_rows(snapshot, candidates, person)


def test_an_id_given_again_is_another_candidate(world: World, snapshot: CandidateSnapshot) -> None:
    """As a restored database would: same id, same version, another person (another public id)."""
    first = welder_candidate(world, dutch="B1")
    read(snapshot)
    pk, version = first.pk, first.profile_version
    first.delete()
    second = welder_candidate(world, dutch="A1", id=pk)
    assert (second.pk, second.profile_version) == (pk, version)

    candidates = read(snapshot)
    assert row_is_built_from_rows(snapshot, candidates, second)
    assert candidates.columns.languages["levels"][0][0] == 1  # A1


# --- The recompute with the worker's snapshot ------------------------------------------------------------


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Callable[[], AbstractContextManager[Any]]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_recomputes_read_the_snapshot_and_stay_consistent(world: World, commit: Any) -> None:
    with commit():
        people = [welder_candidate(world), welder_candidate(world, dutch="A2"), welder_candidate(world)]
        vacancy = welder_vacancy(world)
    built = candidate_snapshot.stats.built
    with commit():
        second = welder_vacancy(world)  # the same candidates, from the snapshot
    assert candidate_snapshot.stats.built == built
    assert Match.objects.filter(vacancy=second).count() == Match.objects.filter(vacancy=vacancy).count() == 3

    with commit():  # a profile change: that candidate is built again for the next vacancy
        LanguageProficiency.objects.filter(candidate=people[1]).update(
            listening="B1", reading="B1", spoken_interaction="B1", spoken_production="B1", writing="B1"
        )
        candidate_profile_changed(people[1].pk)
        welder_vacancy(world)
    assert candidate_snapshot.stats.built == built + 1
    assert services.match_consistency_violations() == []


def test_the_consistency_check_reads_rows_not_the_snapshot(world: World, commit: Any) -> None:
    """A write behind the services' back (no version bump) is not hidden by a kept row: the check
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
