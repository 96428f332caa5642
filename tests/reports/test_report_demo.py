"""The report of every demo project (PALIM, MATCH, Aurora, ...) and cohort: it renders, its workbook
opens, and its numbers are the funnel's, on the demo generator's cases at every stage."""

import pytest
from django.core.management import call_command
from django.test import Client

from projects.models import Project
from recruitment.selectors import funnel
from reports.selectors.outcomes import outcomes_over_time
from tests.web.world import recruiter_user, verified_client

pytestmark = pytest.mark.django_db


def test_every_demo_project_and_cohort_reports_the_funnels_numbers() -> None:
    call_command("seed_demo", candidates=30, vacancies=12, employers=4, seed=7, verbosity=0)
    client: Client = verified_client(recruiter_user())
    projects = list(Project.objects.prefetch_related("cohorts"))
    assert projects
    reached_beyond_registration = 0
    for project in projects:
        for cohort in [None, *project.cohorts.all()]:
            counts = funnel.funnel_counts(project=project, cohort=cohort)
            report = outcomes_over_time(project=project, cohort=cohort)
            assert {step.step: step.total for step in report.steps} == counts
            assert all(sum(s.by_period.values()) + s.undated == s.total for s in report.steps)
            reached_beyond_registration += counts["proposed"]
            query = f"?cohort={cohort.pk}" if cohort else ""
            page = f"/nl/recruiter/reports/projects/{project.code}/"
            assert client.get(page + query).status_code == 200
            assert client.get(page + "xlsx/" + query).status_code == 200
    assert reached_beyond_registration > 0  # the demo has cases: not a world of zeros
