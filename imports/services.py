"""Run an import: all of the file, or nothing of it.

``import_start`` stores the upload on an ``ImportJob`` and queues ``imports.tasks.run_import_task``
after commit (``core.jobs.queue_long_task_after_commit``: without a broker, in a thread, so the page
answers at once and shows the progress bar). ``import_run`` claims the job with a conditional UPDATE
(pending -> running, exactly one row: a message delivered twice runs once), then:

1. reads the file (``imports.readers``) and maps its columns (``imports.mapping``);
2. validates every row through the very services that will write it, in chunks, each chunk in a
   transaction that is rolled back; the progress bar counts the rows checked (committed between
   chunks, so the page sees them move);
3. if any row has a problem, stores the report and writes nothing; otherwise writes every row in ONE
   transaction (a row refused now, by a concurrent change, rolls all of it back and is reported).

Whatever happens, the file's bytes are deleted at the end (privacy: they are needed no longer). The
report keeps row numbers, headers and messages, never a cell's value. Messages are in the language of
the user who uploaded the file.
"""

import datetime
import logging
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from core.jobs import queue_long_task_after_commit, queue_task_after_commit
from core.models import BackgroundJobStatus, User
from imports.importers import CandidateImporter, Counts, Importer, Row, VacancyImporter, columns_for
from imports.mapping import Problem, map_table
from imports.models import ImportJob, ImportKind
from imports.readers import FileRefused, read_table

logger = logging.getLogger(__name__)

IMPORT_TASK = "imports.tasks.run_import_task"
CHUNK_ROWS = 200  # rows validated per rolled-back transaction: the progress bar moves between them
MAX_PROBLEMS = 1_000  # kept in the report; a file with more is wrong throughout, the first ones say how
# The task's hard time limit (imports.tasks): the largest file (imports.readers.MAX_ROWS) is validated and
# written within it, well under the broker's visibility timeout.
IMPORT_TIME_LIMIT = 1800
# A running import older than this lost its worker (killed, out of time): its transaction was rolled
# back, so nothing of it was written. It is failed, not run again: a file that kills a worker would do so
# forever. A pending one whose message was lost is queued again, and after a day given up.
STUCK_AFTER = datetime.timedelta(seconds=IMPORT_TIME_LIMIT + 60)
REQUEUE_AFTER = datetime.timedelta(minutes=10)
GIVE_UP_AFTER = datetime.timedelta(days=1)


class _Refused(Exception):
    """Raised inside the writing transaction to roll all of it back."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems


@transaction.atomic
def import_start(*, user: User, area: str, kind: str, content: bytes, language: str) -> ImportJob:
    """Record the upload as a pending import of ``user``'s organisation and queue it after commit."""
    assert user.organisation is not None  # the views' role decorators ensure it
    job = ImportJob.objects.create(
        organisation=user.organisation,
        requested_by=user,
        area=area,
        kind=kind,
        language=language,
        content=content,
    )
    queue_long_task_after_commit(IMPORT_TASK, job.pk)
    return job


def _claim(job_id: int) -> ImportJob | None:
    claimed = ImportJob.objects.filter(pk=job_id, status=BackgroundJobStatus.PENDING).update(
        status=BackgroundJobStatus.RUNNING, started_at=timezone.now()
    )
    if claimed != 1:
        return None
    return ImportJob.objects.select_related("organisation", "requested_by").get(pk=job_id)


def import_run(*, job_id: int) -> ImportJob | None:
    """Run a pending import to its end; None when another delivery has it (or it is finished)."""
    job = _claim(job_id)
    if job is None:
        return None
    status, error = BackgroundJobStatus.DONE, ""
    try:
        with translation.override(job.language):
            _import(job)
    except Exception as exc:  # recorded on the row the page shows; the class name only, never the message
        logger.warning("import %s failed: %s", job.pk, type(exc).__name__)
        status, error = BackgroundJobStatus.FAILED, type(exc).__name__[:100]
    finally:
        # The bytes go whatever happened: the report is all that is kept.
        ImportJob.objects.filter(pk=job.pk).update(
            content=None, status=status, error=error, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def _importer(job: ImportJob, headers: dict[str, str]) -> Importer:
    if job.kind == ImportKind.CANDIDATES:
        return CandidateImporter(organisation=job.organisation, headers=headers)
    assert job.requested_by is not None
    return VacancyImporter(
        organisation=job.organisation, actor=job.requested_by, area=job.area, headers=headers
    )


def _report(job: ImportJob, problems: list[Problem], **fields: object) -> None:
    problems = sorted(problems, key=lambda p: p.row)[:MAX_PROBLEMS]
    ImportJob.objects.filter(pk=job.pk).update(problems=[p.as_dict() for p in problems], **fields)


def _chunks(rows: Sequence[Row]) -> list[Sequence[Row]]:
    return [rows[start : start + CHUNK_ROWS] for start in range(0, len(rows), CHUNK_ROWS)]


def _import(job: ImportJob) -> None:
    try:
        table = read_table(bytes(job.content or b""))
    except FileRefused as exc:
        _report(job, [Problem(0, "", exc.message)])
        return
    mapped = map_table(table, columns_for(job.kind, job.area))
    ImportJob.objects.filter(pk=job.pk).update(file_format=table.file_format, total=len(table.rows))
    if mapped.problems and not mapped.rows:
        _report(job, mapped.problems, done=len(table.rows))
        return
    importer = _importer(job, mapped.headers)
    problems = [*mapped.problems, *importer.prepare(mapped.rows)]
    bad_rows = {p.row for p in problems}
    rows = [row for row in mapped.rows if row[0] not in bad_rows]
    # Rows refused while mapping count as checked from the start.
    ImportJob.objects.filter(pk=job.pk).update(done=len(table.rows) - len(rows))
    for chunk in _chunks(rows):
        with transaction.atomic():
            chunk_problems, _counts = importer.write(chunk)
            transaction.set_rollback(True)  # validation only: nothing of it is kept
        problems.extend(chunk_problems)
        ImportJob.objects.filter(pk=job.pk).update(done=F("done") + len(chunk))
    if problems:
        _report(job, problems)
        return
    try:
        counts = _write_all(importer, rows)
    except _Refused as refused:
        _report(job, refused.problems)
        return
    _report(job, [], created=counts.created, updated=counts.updated, unchanged=counts.unchanged)


def _write_all(importer: Importer, rows: Sequence[Row]) -> Counts:
    total = Counts()
    with transaction.atomic():
        for chunk in _chunks(rows):
            problems, counts = importer.write(chunk)
            if problems:
                raise _Refused(problems)
            total.created += counts.created
            total.updated += counts.updated
            total.unchanged += counts.unchanged
    return total


def imports_sweep(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Fail imports whose worker died and queue again those whose message was lost; returns (failed,
    queued). A failed or given-up import's upload is deleted with it (privacy: the bytes never linger)."""
    now = now or timezone.now()
    running = ImportJob.objects.filter(status=BackgroundJobStatus.RUNNING, started_at__lt=now - STUCK_AFTER)
    pending = ImportJob.objects.filter(status=BackgroundJobStatus.PENDING)
    failed = (running | pending.filter(created_at__lt=now - GIVE_UP_AFTER)).update(
        status=BackgroundJobStatus.FAILED, error="WorkerLost", content=None, finished_at=now
    )
    queued = 0
    for job_id in pending.filter(created_at__lt=now - REQUEUE_AFTER).values_list("pk", flat=True):
        with transaction.atomic():
            queue_task_after_commit(IMPORT_TASK, job_id)  # the claim makes a duplicate a no-op
        queued += 1
    return failed, queued
