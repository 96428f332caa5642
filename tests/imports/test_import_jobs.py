"""The import as a background job: claimed once, counted in chunks, the upload deleted whatever happens."""

import datetime

from django.utils import timezone

from candidates.models import Candidate
from core.models import User
from imports import services
from imports.importers import CandidateImporter
from imports.mapping import Problem
from imports.models import ImportJob
from imports.services import CHUNK_ROWS, STUCK_AFTER, import_run, import_start, imports_sweep
from tests.imports.test_vacancy_import import HEADERS
from tests.imports.test_vacancy_import import _row as vacancy_row
from tests.imports.world import CANDIDATE_HEADERS_EN, candidate_row, csv_bytes


def test_a_job_runs_once_and_counts_every_row_across_chunks(iworld):
    rows = [candidate_row(f"A-{n}") for n in range(CHUNK_ROWS + 30)]
    job = import_start(
        user=iworld.partner_user,
        area="partner",
        kind="candidates",
        content=csv_bytes(CANDIDATE_HEADERS_EN, rows),
        language="en",
    )
    finished = import_run(job_id=job.pk)
    assert finished is not None and finished.problems == []
    assert (finished.total, finished.done, finished.created) == (len(rows), len(rows), len(rows))
    assert import_run(job_id=job.pk) is None  # a second delivery finds it claimed: a no-op
    assert Candidate.objects.filter(registered_by=iworld.partner).count() == len(rows)


def test_a_failed_import_keeps_no_upload_and_no_message(iworld):
    """The requester's account is removed before the worker runs a vacancy import (who would the
    employer's rules check?): the job fails with a class name only, and the file is deleted."""
    content = csv_bytes(HEADERS, [vacancy_row(iworld, "V-1")])
    job = import_start(
        user=iworld.employer_user, area="employer", kind="vacancies", content=content, language="en"
    )
    User.objects.filter(pk=iworld.employer_user.pk).delete()
    finished = import_run(job_id=job.pk)
    assert finished is not None and finished.status == ImportJob.Status.FAILED
    assert finished.content is None
    assert finished.error and " " not in finished.error  # an exception class name, never a message


def test_the_sweeper_fails_a_dead_import_and_deletes_its_upload(iworld, django_capture_on_commit_callbacks):
    content = csv_bytes(CANDIDATE_HEADERS_EN, [candidate_row("A-1")])
    dead = import_start(
        user=iworld.partner_user, area="partner", kind="candidates", content=content, language="en"
    )
    lost = import_start(
        user=iworld.partner_user, area="partner", kind="candidates", content=content, language="en"
    )
    fresh = import_start(
        user=iworld.partner_user, area="partner", kind="candidates", content=content, language="en"
    )
    now = timezone.now()
    ImportJob.objects.filter(pk=dead.pk).update(
        status=ImportJob.Status.RUNNING, started_at=now - STUCK_AFTER - datetime.timedelta(seconds=1)
    )
    ImportJob.objects.filter(pk=lost.pk).update(created_at=now - datetime.timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        assert imports_sweep(now=now) == (1, 1)
    dead.refresh_from_db()
    assert dead.status == ImportJob.Status.FAILED and dead.content is None
    lost.refresh_from_db()
    assert lost.status == ImportJob.Status.DONE and lost.created == 1  # queued again, and run
    fresh.refresh_from_db()
    assert fresh.status == ImportJob.Status.PENDING and fresh.content is not None


def test_a_row_refused_in_a_later_chunk_of_the_write_rolls_back_the_earlier_chunks(iworld, monkeypatch):
    """Validation passed, then a concurrent change refuses a row of the second chunk while writing: the
    first chunk, already written in the same transaction, is rolled back with it."""
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    rows = [candidate_row(f"A-{n}") for n in range(4)]  # two chunks
    real_write = CandidateImporter.write
    calls: list[int] = []

    def write(self, chunk):
        calls.append(len(chunk))
        problems, counts = real_write(self, chunk)
        if len(calls) == 4:  # the 2nd call of the write phase (calls 1-2 validate, rolled back)
            assert Candidate.objects.filter(registered_by=iworld.partner).count() == 4  # chunk 1 is in
            return [Problem(chunk[0][0], "Reference", "Changed meanwhile.")], counts
        return problems, counts

    monkeypatch.setattr(CandidateImporter, "write", write)
    job = import_start(
        user=iworld.partner_user,
        area="partner",
        kind="candidates",
        content=csv_bytes(CANDIDATE_HEADERS_EN, rows),
        language="en",
    )
    finished = import_run(job_id=job.pk)
    assert calls == [2, 2, 2, 2]
    assert finished is not None and finished.status == ImportJob.Status.DONE
    assert finished.problems == [{"row": 4, "column": "Reference", "message": "Changed meanwhile."}]
    assert finished.created == 0
    assert not Candidate.objects.exists()
