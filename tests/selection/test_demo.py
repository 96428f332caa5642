"""The seeded demo shows the pathway: PALIM's two steps with a funnel, the job dating of March 2020
cancelled with its reason, an online one the demo employer is invited to, with a candidate whose video
CV it may watch; and a second seed adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.models import User
from demo.pathway_selection import CANCELLED_NAME, ONLINE_NAME, PROJECT_CODE, seed_demo_selection
from projects.models import Project
from selection import selectors
from selection.models import JobDating

pytestmark = pytest.mark.django_db


def test_the_demo_shows_the_selection_pathway_and_a_second_seed_adds_nothing() -> None:
    call_command(
        "seed_demo", candidates=40, vacancies=10, employers=5, seed=42, stdout=StringIO(), stderr=StringIO()
    )
    project = Project.objects.get(code=PROJECT_CODE)
    funnel = selectors.step_funnel(project=project)
    assert [row.step.kind for row in funnel] == ["online_test", "selection_mission"]
    test, mission = funnel
    assert test.entered > test.passed >= mission.entered > mission.passed > 0
    cancelled = JobDating.objects.get(project=project, name=CANCELLED_NAME)
    assert cancelled.status == JobDating.Status.CANCELLED and "COVID-19" in cancelled.cancellation_reason
    employer_id = User.objects.get(username="employer").organisation_id
    assert employer_id is not None
    online = JobDating.objects.get(project=project, name=ONLINE_NAME)
    assert set(online.employers.values_list("pk", flat=True)) == {employer_id}
    profiles = selectors.invited_profiles(event=online, organisation_id=employer_id)
    assert len(profiles) == mission.passed
    assert any(profile.video_cv_url.startswith("https://") for profile in profiles)
    assert not any(seed_demo_selection().values())


def test_a_reset_of_the_demo_invites_the_new_demo_employer_again() -> None:
    # The reset deletes the generator's employers, the demo login's among them, and their links to the
    # job datings; the selection seeder links the new one on the next run.
    options = {"candidates": 40, "vacancies": 10, "employers": 5, "seed": 42, "stdout": StringIO()}
    call_command("seed_demo", **options, stderr=StringIO())
    call_command("seed_demo", **options, reset=True, stderr=StringIO())
    employer_id = User.objects.get(username="employer").organisation_id
    assert employer_id is not None
    project = Project.objects.get(code=PROJECT_CODE)
    for name in (CANCELLED_NAME, ONLINE_NAME):
        event = JobDating.objects.get(project=project, name=name)
        assert set(event.employers.values_list("pk", flat=True)) == {employer_id}
    online = JobDating.objects.get(project=project, name=ONLINE_NAME)
    assert selectors.invited_profiles(event=online, organisation_id=employer_id)
    assert not any(seed_demo_selection().values())
