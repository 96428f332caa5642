"""The demo shows the pathway: an internship project with host companies, cases at every stage, outcomes
after return and the figures computed from them; a second run adds nothing; every row is valid."""

import pytest

from candidates.models import Candidate, Diploma
from demo.pathway_internships import EXTERNAL_PREFIX, PROJECT_CODE, TRAINEES, seed_demo_internships
from internships.models import OutcomeUpdate
from internships.selectors import outcome_figures
from projects.models import Project
from recruitment.models import Placement
from recruitment.workflow import Stage
from tests import factories
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def test_the_demo_shows_circular_internships_and_a_second_run_adds_nothing() -> None:
    factories.UserFactory.create(username="recruiter")
    factories.EscoOccupationFactory.create()

    written = seed_demo_internships()

    assert written == {
        "internship vacancies": 6,
        "internship cases": len(TRAINEES),
        "outcomes after return": 9,
    }
    project = Project.objects.get(code=PROJECT_CODE)
    assert "demo" in project.name.lower()
    stages = set(Placement.objects.filter(candidate__project=project).values_list("stage", flat=True))
    assert {Stage.OFFER_ACCEPTED, Stage.PERMIT_FILED, Stage.STARTED, Stage.RETURNED, Stage.ENDED} <= stages
    figures = outcome_figures(project=project)
    assert (figures.completed, figures.returned) == (9, 8)
    assert figures.hired_by_host == 2 and figures.hired_by_host_percent == 25
    assert figures.not_yet_known == 1
    # Every row passes the model's own validation (the demo's data must be valid data).
    for row in [
        *Vacancy.objects.filter(kind=Vacancy.Kind.INTERNSHIP),
        *Candidate.objects.filter(external_id__startswith=EXTERNAL_PREFIX),
        *Diploma.objects.filter(candidate__external_id__startswith=EXTERNAL_PREFIX),
        *OutcomeUpdate.objects.all(),
    ]:
        row.full_clean()

    assert seed_demo_internships() == {}
    assert Placement.objects.filter(candidate__project=project).count() == len(TRAINEES)


def test_without_the_demo_logins_nothing_is_written() -> None:
    factories.EscoOccupationFactory.create()

    assert seed_demo_internships() == {}
    assert not Project.objects.filter(code=PROJECT_CODE).exists()
