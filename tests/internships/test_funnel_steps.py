"""From the start of work on, the project's funnel counts employment cases only: an internship's start
is no "Started work" (trainees never reach the retention steps, they have their own figures), so the
started -> 6 months conversion compares like with like. The funnel page, the funders' report, the
project list and the figures the data lifecycle retains all count the same way."""

import pytest
from django.utils import timezone

from projects.models import FunnelStep, Project
from recruitment.models import Placement, RetainedFunnelStep
from recruitment.selectors import funnel
from recruitment.services.funnel_retention import funnel_steps_retain
from reports.selectors.outcomes import outcomes_over_time
from reports.selectors.report import project_report
from tests import factories
from tests.internships.cases import TO_RETURN, internship_vacancy, proposed_case, staff, walk
from tests.web.world import published_vacancy

pytestmark = pytest.mark.django_db

TO_STARTED = TO_RETURN[: TO_RETURN.index("started") + 1]


def _world() -> tuple[Project, Placement, Placement]:
    recruiter = staff()
    project = factories.ProjectFactory.create()
    employment = published_vacancy(factories.OrganisationFactory.create(employer=True))
    retained = walk(
        proposed_case(recruiter, vacancy=employment, project=project),
        recruiter,
        [*TO_STARTED, "employed_6m"],
    )
    trainee = walk(
        proposed_case(recruiter, vacancy=internship_vacancy(), project=project), recruiter, TO_STARTED
    )
    return project, retained, trainee


def test_an_internship_start_is_not_a_start_of_work_in_the_funnel_or_the_report() -> None:
    project, _retained, _trainee = _world()
    rows = {row.step: row for row in funnel.project_funnel(project=project)}
    assert rows[FunnelStep.ARRIVED].actual == 2  # both cases count up to the arrival
    assert rows[FunnelStep.STARTED].actual == 1
    assert rows[FunnelStep.EMPLOYED_6M].actual == 1
    assert rows[FunnelStep.EMPLOYED_6M].conversion == 100

    report = project_report(project=project, cohort=None)
    assert report.outcomes.funnel_rows == funnel.project_funnel(project=project)
    over_time = {step.step: step for step in outcomes_over_time(project=project).steps}
    assert over_time[FunnelStep.STARTED].total == 1
    assert sum(over_time[FunnelStep.STARTED].by_period.values()) == 1
    (listed,) = [row for row in funnel.project_list_for_staff() if row.pk == project.pk]
    assert listed.started_count == 1
    started = funnel.funnel_step_candidates(project=project, step=FunnelStep.STARTED)
    assert len(list(started)) == 1


def test_pruning_an_internship_case_retains_no_start_of_work() -> None:
    _project, retained, trainee = _world()
    steps = funnel_steps_retain(candidate=trainee.candidate, placement_ids=[trainee.pk], now=timezone.now())
    assert FunnelStep.ARRIVED.value in steps and FunnelStep.STARTED.value not in steps
    steps = funnel_steps_retain(candidate=retained.candidate, placement_ids=[retained.pk], now=timezone.now())
    assert {FunnelStep.STARTED.value, FunnelStep.EMPLOYED_6M.value} <= set(steps)
    assert RetainedFunnelStep.objects.filter(step=FunnelStep.STARTED).count() == 1
