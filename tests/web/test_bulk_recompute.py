"""The bulk recompute of a vacancy list, with a progress bar fed by a job row (issue 4, "Progress bars").

Without a broker the task runs eagerly after commit, so the job is finished when its page opens; the
last test runs it on a real Celery worker through Redis (PostgreSQL and Redis required, else skipped)
and watches the bar move.
"""

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from core.models import BackgroundJob, User
from recruitment.models import Match
from recruitment.services import background
from recruitment.services.background import bulk_recompute_run
from tests import factories
from tests.recruitment.world import World, build_world, welder_candidate, welder_vacancy
from tests.web.world import WebWorld, employer_user, recruiter_user, verified_client
from tests.workers import Workers, routed_to, wait_for
from vacancies.models import Vacancy

BULK = "/en/recruiter/vacancies/recompute/"
Commit = Callable[..., AbstractContextManager[Any]]


def job_url(job: BackgroundJob) -> str:
    return f"/en/recruiter/jobs/{job.public_id}/"


def fragment(client: Client, job: BackgroundJob) -> str:
    """What the page's htmx polling gets."""
    response = client.get(job_url(job), headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def progress_value(html: str) -> int:
    found = re.search(r'<progress id="job-progress-bar" max="100" value="(\d+)"', html)
    assert found is not None
    return int(found.group(1))


def running_job(user: User, *, done: int = 1, total: int = 4) -> BackgroundJob:
    return BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.BULK_RECOMPUTE,
        requested_by=user,
        status=BackgroundJob.Status.RUNNING,
        subject_ids=list(range(total)),
        total=total,
        done=done,
    )


@pytest.fixture
def matching_world(db: None, django_capture_on_commit_callbacks: Commit) -> tuple[World, list[Vacancy]]:
    """Two welder vacancies of one employer matched with two candidates, and one of another employer."""
    world = build_world()
    with django_capture_on_commit_callbacks(execute=True):
        welder_candidate(world)
        welder_candidate(world, dutch="A2")
        ours = [welder_vacancy(world), welder_vacancy(world)]
        welder_vacancy(world, employer=factories.OrganisationFactory.create(employer=True))
    return world, ours


# --- Eager (no broker): the job is done when its page opens ----------------------------------------


def test_the_vacancy_list_offers_the_action_with_its_filters(world: WebWorld, recruiter: Client) -> None:
    html = recruiter.get(f"/en/recruiter/vacancies/?employer={world.employer_a.pk}").content.decode()
    form = html[html.index('action="/en/recruiter/vacancies/recompute/"') :].split("</form>")[0]
    assert 'method="post"' in html and "csrfmiddlewaretoken" in form
    assert f'<input type="hidden" name="employer" value="{world.employer_a.pk}">' in form
    assert 'name="occupation"' not in form  # only the filters in use
    assert "Recompute the matches of the vacancies in this list" in form


def test_a_bulk_recompute_recomputes_the_filtered_list_and_shows_it_done(
    matching_world: tuple[World, list[Vacancy]], django_capture_on_commit_callbacks: Commit
) -> None:
    world, ours = matching_world
    # Rows lost behind the recompute's back: only a real recompute brings them back.
    Match.objects.filter(vacancy__in=ours).delete()
    user = recruiter_user()
    client = verified_client(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BULK, {"employer": world.employer.pk})
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert (job.kind, job.requested_by, job.status) == ("bulk_recompute", user, "done")
    assert sorted(job.subject_ids) == sorted(v.pk for v in ours)  # not the other employer's vacancy
    assert job.total == job.done == 2 and job.started_at and job.finished_at and job.error == ""
    for vacancy in ours:
        assert Match.objects.filter(vacancy=vacancy).count() == 2
    html = client.get(job_url(job)).content.decode()
    assert progress_value(html) == 100 and "2 of 2 done" in html
    assert "hx-trigger" not in html and "hx-get" not in html  # finished: no polling
    assert 'style="' not in html


def test_a_running_job_polls_every_second_until_it_is_finished(world: WebWorld, recruiter: Client) -> None:
    job = running_job(world.recruiter, done=1, total=4)
    page = recruiter.get(job_url(job)).content.decode()
    assert "<html" in page and progress_value(page) == 25
    assert f'hx-get="{job_url(job)}" hx-trigger="every 1s" hx-swap="outerHTML"' in page
    polled = fragment(recruiter, job)
    assert "<html" not in polled and 'id="job-progress"' in polled and 'hx-trigger="every 1s"' in polled
    BackgroundJob.objects.filter(pk=job.pk).update(done=4, status=BackgroundJob.Status.DONE)
    final = fragment(recruiter, job)
    assert progress_value(final) == 100 and "hx-trigger" not in final and "hx-get" not in final


def test_a_failed_job_shows_its_error_code_only(world: WebWorld, recruiter: Client) -> None:
    job = running_job(world.recruiter)
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJob.Status.FAILED, error="OperationalError"
    )
    html = fragment(recruiter, job)
    assert "OperationalError" in html and "hx-trigger" not in html


def test_a_job_is_visible_only_to_whoever_started_it(world: WebWorld, recruiter: Client) -> None:
    job = running_job(world.recruiter)
    assert recruiter.get(job_url(job)).status_code == 200
    other_recruiter = verified_client(recruiter_user())
    assert other_recruiter.get(job_url(job)).status_code == 404
    assert other_recruiter.get(job_url(job), headers={"HX-Request": "true"}).status_code == 404
    admin = factories.UserFactory.create(role=User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    assert verified_client(admin).get(job_url(job)).status_code == 404
    employer = Client()
    employer.force_login(employer_user(world.employer_a))
    assert employer.get(job_url(job)).status_code == 403
    assert Client().get(job_url(job)).status_code == 302


def test_only_staff_may_start_one_and_bad_input_starts_nothing(
    world: WebWorld, recruiter: Client, employer_a: Client
) -> None:
    assert employer_a.post(BULK, {}).status_code == 403
    assert recruiter.get(BULK).status_code == 405
    assert recruiter.post(BULK, {"employer": "999999"}).status_code == 400  # not a choice of the list
    response = recruiter.post(BULK, {"status": Vacancy.Status.CLOSED})  # an empty list
    assert response.status_code == 302 and response["Location"] == "/en/recruiter/vacancies/"
    assert not BackgroundJob.objects.exists()


def test_a_list_longer_than_the_limit_is_refused(
    world: WebWorld, recruiter: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(background, "MAX_BULK_VACANCIES", 1)  # the world has two vacancies
    response = recruiter.post(BULK, {})
    assert response.status_code == 302 and response["Location"] == "/en/recruiter/vacancies/"
    assert not BackgroundJob.objects.exists()


def test_a_job_runs_once_and_a_failure_keeps_only_the_error_class(
    world: WebWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.BULK_RECOMPUTE,
        requested_by=world.recruiter,
        subject_ids=[world.vacancy.pk, world.other_vacancy.pk],
        total=2,
    )

    def broken(*, vacancy_id: int, job_id: int | None = None) -> None:
        raise ValueError(f"candidate {world.candidate.given_name} broke it")

    monkeypatch.setattr(background, "vacancy_matches_recompute", broken)
    failed = bulk_recompute_run(job_id=job.pk)
    assert failed is not None and (failed.status, failed.error, failed.done) == ("failed", "ValueError", 0)
    assert bulk_recompute_run(job_id=job.pk) is None  # claimed once: a second delivery does nothing


# --- A real worker, through Redis ----------------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_real_worker_moves_the_bar_to_the_end() -> None:
    world = build_world()
    # Each vacancy recompute sleeps a second between scoring and writing: the bar is seen mid-way.
    with routed_to(Workers("bulk"), "recruitment.tasks.*") as workers:
        workers.start(env={"TALENTBRUG_TEST_RECOMPUTE_DELAY": "1"})
        candidates = [welder_candidate(world), welder_candidate(world, dutch="A2")]
        vacancies = [welder_vacancy(world) for _ in range(3)]

        def settled() -> bool:
            return Match.objects.filter(vacancy__in=vacancies).count() == 6

        wait_for(settled, "the ordinary recomputes")
        Match.objects.filter(vacancy__in=vacancies).delete()
        client = verified_client(recruiter_user())
        response = client.post(BULK, {"employer": world.employer.pk})
        job = BackgroundJob.objects.get()
        assert response["Location"] == job_url(job)

        def half_way() -> bool:
            job.refresh_from_db()
            return job.status == BackgroundJob.Status.RUNNING and 0 < job.done < job.total

        wait_for(half_way, "the job to be part done")
        polled = fragment(client, job)
        assert 0 < progress_value(polled) < 100 and 'hx-trigger="every 1s"' in polled

        def finished() -> bool:
            job.refresh_from_db()
            return job.status in (BackgroundJob.Status.DONE, BackgroundJob.Status.FAILED)

        wait_for(finished, "the job to finish")
    assert (job.status, job.total, job.done, job.error) == ("done", 3, 3, "")
    for vacancy in vacancies:
        assert set(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", flat=True)) == {
            c.pk for c in candidates
        }
    final = fragment(client, job)
    assert progress_value(final) == 100 and "hx-trigger" not in final
