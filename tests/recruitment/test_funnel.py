"""The live funnel of a project (recruitment/selectors/funnel.py): every step counted from the right
source, distinct candidates, a step reached and then left still counted, cohorts, targets, and never a
candidate of another project."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from candidates.models import Candidate, TrainingEnrolment
from core.models import Organisation, User
from projects.models import Cohort, FunnelStep, FunnelTarget, Project, TrainingProgramme
from recruitment.models import Match, Placement
from recruitment.selectors import funnel
from recruitment.services.placements import placement_move, placement_propose, placement_shortlist
from tests import factories
from tests.web.world import matched_candidate, published_vacancy, recruiter_user, stored_match
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

# The path of a case from its proposal to a year in the job (staff may make every move).
TO_STARTED = (
    "employer_interested",
    "interview",
    "offer",
    "offer_accepted",
    "permit_filed",
    "permit_granted",
    "visa",
    "arrived",
    "started",
)


@dataclass
class FunnelWorld:
    project: Project
    other_project: Project
    cohort_1: Cohort
    cohort_2: Cohort
    registered_only: Candidate  # cohort 1
    trained_and_matched: Candidate  # cohort 1
    declined: Candidate  # cohort 2: proposed, then declined by the employer
    started: Candidate  # cohort 1: two cases, one up to the start of work, one only proposed
    anonymised: Candidate  # cohort 2: proposed, then erased
    outsider: Candidate  # another project's candidate, started work
    recruiter: User


def _case(vacancy: Vacancy, candidate: Candidate, actor: User, *moves: str, reason: str = "") -> Placement:
    """A case proposed to the vacancy's employer and moved on through ``moves`` by the services."""
    if not Match.objects.filter(vacancy=vacancy, candidate=candidate).exists():
        # A near-miss is enough to shortlist; the case makes the candidate "matched" all the same.
        stored_match(vacancy, candidate, outcome=Match.Outcome.CONDITIONAL, score="60.00")
    placement = placement_shortlist(vacancy=vacancy, candidate=candidate, actor=actor)
    placement = placement_propose(placement=placement, actor=actor, expected_version=placement.version)
    for stage in moves:
        placement = placement_move(
            placement=placement,
            to_stage=stage,
            actor=actor,
            expected_version=placement.version,
            reason=reason if stage in ("employer_declined", "ended", "withdrawn") else "",
        )
    return placement


def _candidate(vacancy: Vacancy, partner: Organisation, project: Project, cohort: Cohort | None) -> Candidate:
    return matched_candidate(vacancy, registered_by=partner, project=project, cohort=cohort)


def build_funnel_world() -> FunnelWorld:
    recruiter = recruiter_user()
    partner = factories.OrganisationFactory.create()
    employer = factories.OrganisationFactory.create(employer=True)
    vacancy = published_vacancy(employer)
    second_vacancy = published_vacancy(employer)
    project = factories.ProjectFactory.create(code="funnel")
    other_project = factories.ProjectFactory.create(code="elsewhere")
    cohort_1 = factories.CohortFactory.create(project=project, name="Wave 1")
    cohort_2 = factories.CohortFactory.create(project=project, name="Wave 2")

    registered_only = _candidate(vacancy, partner, project, cohort_1)
    # An unfinished programme of the project and a completed one of another project: not trained.
    own_programme = TrainingProgramme.objects.create(project=project, name="Dutch B1")
    other_programme = TrainingProgramme.objects.create(project=other_project, name="Other Dutch")
    TrainingEnrolment.objects.create(
        candidate=registered_only, programme=own_programme, status=TrainingEnrolment.Status.IN_PROGRESS
    )
    TrainingEnrolment.objects.create(
        candidate=registered_only,
        programme=other_programme,
        status=TrainingEnrolment.Status.COMPLETED,
        completed_on=datetime.date(2025, 6, 1),
    )
    stored_match(vacancy, registered_only, outcome=Match.Outcome.CONDITIONAL)  # a near-miss: not matched

    trained_and_matched = _candidate(vacancy, partner, project, cohort_1)
    TrainingEnrolment.objects.create(
        candidate=trained_and_matched,
        programme=own_programme,
        status=TrainingEnrolment.Status.COMPLETED,
        completed_on=datetime.date(2025, 6, 1),
    )
    stored_match(vacancy, trained_and_matched)
    stored_match(second_vacancy, trained_and_matched)  # two eligible matches, one candidate

    declined = _candidate(vacancy, partner, project, cohort_2)
    _case(vacancy, declined, recruiter, "employer_declined", reason="skills")

    started = _candidate(vacancy, partner, project, cohort_1)
    _case(vacancy, started, recruiter, *TO_STARTED)
    _case(second_vacancy, started, recruiter)

    anonymised = _candidate(vacancy, partner, project, cohort_2)
    _case(vacancy, anonymised, recruiter)
    Candidate.objects.filter(pk=anonymised.pk).update(
        status=Candidate.Status.ANONYMISED, given_name="", family_name=""
    )

    outsider = _candidate(vacancy, partner, other_project, None)
    _case(vacancy, outsider, recruiter, *TO_STARTED, "employed_6m", "employed_12m")
    stored_match(second_vacancy, outsider)
    return FunnelWorld(
        project=project,
        other_project=other_project,
        cohort_1=cohort_1,
        cohort_2=cohort_2,
        registered_only=registered_only,
        trained_and_matched=trained_and_matched,
        declined=declined,
        started=started,
        anonymised=anonymised,
        outsider=outsider,
        recruiter=recruiter,
    )


@pytest.fixture
def world() -> FunnelWorld:
    return build_funnel_world()


def _expected(**counts: int) -> dict[str, int]:
    return {step.value: counts.get(step.value, 0) for step in FunnelStep}


def test_each_step_counts_the_distinct_candidates_who_ever_reached_it(world: FunnelWorld) -> None:
    assert funnel.funnel_counts(project=world.project) == _expected(
        registered=5,  # the anonymised one included: counted, never listed
        trained=1,  # a completed programme of this project only
        # An eligible stored match (two count once) or a case (all three proposed); a near-miss alone does
        # not count.
        matched=4,
        proposed=3,  # the declined one too, and the one with two cases once
        interviewed=1,
        offered=1,
        permit_filed=1,
        permit_granted=1,
        arrived=1,
        started=1,
    )


def test_a_cohort_counts_only_its_own_candidates(world: FunnelWorld) -> None:
    assert funnel.funnel_counts(project=world.project, cohort=world.cohort_1) == _expected(
        registered=3,
        trained=1,
        matched=2,
        proposed=1,
        interviewed=1,
        offered=1,
        permit_filed=1,
        permit_granted=1,
        arrived=1,
        started=1,
    )
    assert funnel.funnel_counts(project=world.project, cohort=world.cohort_2) == _expected(
        registered=2, matched=2, proposed=2
    )


def test_another_projects_candidates_are_never_counted(world: FunnelWorld) -> None:
    # The outsider went all the way to a year in the job, on the same vacancy: none of it shows here.
    counts = funnel.funnel_counts(project=world.project)
    assert counts["employed_12m"] == 0 and counts["employed_6m"] == 0
    assert funnel.funnel_counts(project=world.other_project) == _expected(
        registered=1,
        matched=1,
        proposed=1,
        interviewed=1,
        offered=1,
        permit_filed=1,
        permit_granted=1,
        arrived=1,
        started=1,
        employed_6m=1,
        employed_12m=1,
    )


def test_a_case_that_ended_still_counts_at_every_step_it_reached(world: FunnelWorld) -> None:
    placement = Placement.objects.get(candidate=world.started, stage="started")
    placement_move(
        placement=placement,
        to_stage="ended",
        actor=world.recruiter,
        expected_version=placement.version,
        reason="resigned",
    )
    counts = funnel.funnel_counts(project=world.project)
    assert counts["started"] == 1 and counts["arrived"] == 1 and counts["proposed"] == 3


def test_the_funnel_compares_with_the_projects_targets_and_the_previous_step(world: FunnelWorld) -> None:
    FunnelTarget.objects.create(project=world.project, step=FunnelStep.REGISTERED, count=10)
    FunnelTarget.objects.create(project=world.project, step=FunnelStep.PROPOSED, count=6)
    FunnelTarget.objects.create(project=world.project, step=FunnelStep.STARTED, count=0)
    # A cohort's target is not the project's.
    FunnelTarget.objects.create(
        project=world.project, cohort=world.cohort_1, step=FunnelStep.PROPOSED, count=2
    )
    rows = {row.step: row for row in funnel.project_funnel(project=world.project)}
    assert [row.step for row in funnel.project_funnel(project=world.project)] == list(FunnelStep.values)
    assert (rows["registered"].actual, rows["registered"].target) == (5, 10)
    assert rows["registered"].percent_of_target == 50
    assert rows["registered"].conversion is None  # the first step has no previous one
    assert (rows["proposed"].actual, rows["proposed"].target, rows["proposed"].percent_of_target) == (
        3,
        6,
        50,
    )
    assert rows["interviewed"].conversion == 33  # 1 of the 3 proposed
    assert rows["interviewed"].target is None and rows["interviewed"].percent_of_target is None
    assert rows["started"].target == 0 and rows["started"].percent_of_target is None  # no division by 0
    assert rows["employed_6m"].conversion == 0 and rows["employed_12m"].conversion is None  # from 0

    cohort_rows = {
        row.step: row for row in funnel.project_funnel(project=world.project, cohort=world.cohort_1)
    }
    assert (cohort_rows["proposed"].actual, cohort_rows["proposed"].target) == (1, 2)
    assert cohort_rows["proposed"].percent_of_target == 50
    assert cohort_rows["registered"].target is None  # the project's target is for all cohorts together
    assert all(
        row.target is None for row in funnel.project_funnel(project=world.project, cohort=world.cohort_2)
    )


def test_the_drill_down_lists_exactly_the_candidates_the_step_counts(world: FunnelWorld) -> None:
    proposed = funnel.funnel_step_candidates(project=world.project, step=FunnelStep.PROPOSED)
    assert set(proposed) == {world.declined, world.started}  # not the anonymised one, nor the outsider
    assert funnel.funnel_step_anonymised_count(project=world.project, step=FunnelStep.PROPOSED) == 1
    assert list(funnel.funnel_step_candidates(project=world.project, step=FunnelStep.TRAINED)) == [
        world.trained_and_matched
    ]
    in_cohort = funnel.funnel_step_candidates(
        project=world.project, step=FunnelStep.REGISTERED, cohort=world.cohort_1
    )
    assert set(in_cohort) == {world.registered_only, world.trained_and_matched, world.started}
    # The chart's counts and the lists agree at every step, for the project and for each cohort.
    for cohort in (None, world.cohort_1, world.cohort_2):
        counts = funnel.funnel_counts(project=world.project, cohort=cohort)
        for step in FunnelStep:
            listed = funnel.funnel_step_candidates(project=world.project, step=step, cohort=cohort).count()
            hidden = funnel.funnel_step_anonymised_count(project=world.project, step=step, cohort=cohort)
            assert listed + hidden == counts[step.value], (cohort, step)


def test_the_most_advanced_case_is_the_furthest_open_one(world: FunnelWorld) -> None:
    stages = funnel.most_advanced_stages(
        [world.started.pk, world.declined.pk, world.registered_only.pk, world.outsider.pk]
    )
    assert stages == {
        world.started.pk: "started",
        world.declined.pk: "employer_declined",
        world.outsider.pk: "employed_12m",
    }
    # An open case wins over a closed one, even one that went further before it closed.
    vacancy = published_vacancy(Placement.objects.get(candidate=world.declined).vacancy.employer)
    _case(vacancy, world.declined, world.recruiter)
    assert funnel.most_advanced_stages([world.declined.pk]) == {world.declined.pk: "proposed"}


def test_the_project_list_counts_registered_and_started_per_project(world: FunnelWorld) -> None:
    rows = {project.code: project for project in funnel.project_list_for_staff()}
    assert (rows["funnel"].registered_count, rows["funnel"].started_count) == (5, 1)
    assert (rows["elsewhere"].registered_count, rows["elsewhere"].started_count) == (1, 1)


def test_the_funnel_takes_the_same_few_queries_whatever_the_numbers(
    world: FunnelWorld, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):  # candidates, the move log, the targets
        small = funnel.project_funnel(project=world.project, cohort=world.cohort_1)
    employer = factories.OrganisationFactory.create(employer=True)
    partner = factories.OrganisationFactory.create()
    for _ in range(4):
        vacancy = published_vacancy(employer)
        for cohort in (world.cohort_1, world.cohort_2):
            _case(
                vacancy,
                _candidate(vacancy, partner, world.project, cohort),
                world.recruiter,
                "employer_interested",
                "interview",
            )
    with django_assert_num_queries(3):
        larger = funnel.project_funnel(project=world.project, cohort=world.cohort_1)
    assert larger[0].actual == small[0].actual + 4
    with django_assert_num_queries(1):
        assert len(list(funnel.project_list_for_staff())) == 2
