"""The bulk recompute on the embedded default (eager tasks, no broker) shows its progress (issue 12, item 17).

The request that starts the job answers at once; the job runs in a thread of the web process and the
progress page polls its row. The work is held at each vacancy by events the test controls, so the
page is read at known points (never by timing); the job must then finish by itself.
"""

import threading
from collections.abc import Iterator

import pytest

from core.models import BackgroundJob
from recruitment.models import Match
from recruitment.services import background
from tests.recruitment.world import build_world, welder_candidate, welder_vacancy
from tests.web.test_bulk_recompute import BULK, fragment, job_url, progress_value
from tests.web.world import recruiter_user, verified_client

# A safety net against a hung test, never an assertion on speed.
STUCK = 60


class Gate:
    """Holds the job before each vacancy until the test lets it go on; records the thread it ran in."""

    def __init__(self) -> None:
        self.arrived = threading.Semaphore(0)
        self.proceed = threading.Semaphore(0)
        self.threads: set[threading.Thread] = set()
        self.real = background._vacancy_recompute_now

    def __call__(self, vacancy_id: int) -> None:
        self.threads.add(threading.current_thread())
        if threading.current_thread() is threading.main_thread():
            raise RuntimeError("the job ran inside the request that started it")
        self.arrived.release()
        if not self.proceed.acquire(timeout=STUCK):
            raise RuntimeError("the test never let the job go on")
        self.real(vacancy_id)

    def wait(self) -> None:
        assert self.arrived.acquire(timeout=STUCK), "the job never reached the next vacancy"


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    held = Gate()
    monkeypatch.setattr(background, "_vacancy_recompute_now", held)
    yield held
    for _ in range(3):  # never leave a thread waiting behind a failed test
        held.proceed.release()
    for thread in held.threads - {threading.current_thread()}:
        thread.join(timeout=STUCK)


@pytest.mark.django_db(transaction=True)
def test_the_request_answers_at_once_and_the_page_shows_the_job_advance(gate: Gate) -> None:
    world = build_world()
    candidates = [welder_candidate(world), welder_candidate(world, dutch="A2")]
    vacancies = [welder_vacancy(world), welder_vacancy(world)]
    Match.objects.filter(vacancy__in=vacancies).delete()  # only the bulk recompute brings them back
    client = verified_client(recruiter_user())

    response = client.post(BULK, {"employer": world.employer.pk})
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert threading.main_thread() not in gate.threads, "the request ran the job before answering"
    gate.wait()  # the job is held before its first vacancy: the request did not wait for it
    job.refresh_from_db()
    assert (job.status, job.done) == (BackgroundJob.Status.RUNNING, 0)
    page = client.get(job_url(job)).content.decode()
    assert progress_value(page) == 0 and 'hx-trigger="every 1s"' in page

    gate.proceed.release()
    gate.wait()  # one vacancy counted, held before the second
    polled = fragment(client, job)
    assert progress_value(polled) == 50 and "1 of 2 done" in polled and 'hx-trigger="every 1s"' in polled

    gate.proceed.release()
    (thread,) = gate.threads
    assert thread is not threading.main_thread()
    thread.join(timeout=STUCK)
    assert not thread.is_alive()
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.error) == ("done", 2, 2, "")
    for vacancy in vacancies:
        assert set(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", flat=True)) == {
            c.pk for c in candidates
        }
    final = fragment(client, job)
    assert progress_value(final) == 100 and "hx-trigger" not in final
