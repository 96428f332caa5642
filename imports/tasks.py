"""Celery tasks of the imports: a thin wake-up call around ``imports.services.import_run``."""

from typing import Any

from celery import shared_task

from imports.services import IMPORT_TIME_LIMIT, import_run, imports_sweep


@shared_task(
    bind=True,
    name="imports.tasks.run_import_task",
    soft_time_limit=IMPORT_TIME_LIMIT - 100,
    time_limit=IMPORT_TIME_LIMIT,
)
def run_import_task(self: Any, job_id: int) -> None:
    """Run an uploaded import. Idempotent: the job is claimed pending -> running first; a second
    delivery finds it claimed and changes nothing. Takes the job's id only (no personal data)."""
    import_run(job_id=job_id)


@shared_task(bind=True, name="imports.tasks.sweep_imports_task")
def sweep_imports_task(self: Any) -> None:
    """Fail imports whose worker died, queue again those whose message was lost (idempotent)."""
    imports_sweep()
