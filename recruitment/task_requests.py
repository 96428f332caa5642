"""What the worker's main process does when a pool process dies in the middle of a recompute.

A killed pool process (SIGKILL, the out-of-memory killer) leaves its job "running". Its message is
requeued at once (``CELERY_TASK_REJECT_ON_WORKER_LOST``), but the redelivery would find the job running
and do nothing, so the vacancy waited for the job's lease to end (minutes). The main process sees the
loss first: it hands back the jobs of exactly that process (``claimed_by``), and the redelivery claims
them within seconds (docs/adr/0009-faults.md).
"""

import logging
from typing import Any

from billiard.exceptions import WorkerLostError
from celery import Task
from celery.worker.request import Request

from recruitment.services.jobs import jobs_release_of_lost_process

logger = logging.getLogger(__name__)


class RecomputeRequest(Request):
    def on_failure(self, exc_info: Any, send_failed_event: bool = True, return_ok: bool = False) -> None:
        error = exc_info.exception
        error = getattr(error, "exc", error)  # billiard wraps it (ExceptionWithTraceback)
        if isinstance(error, WorkerLostError) and self.worker_pid:
            try:
                jobs_release_of_lost_process(int(self.worker_pid))
            except Exception as failure:  # the lease and the sweeper remain the safety net
                logger.warning("could not hand back a lost process's jobs: %s", type(failure).__name__)
        super().on_failure(exc_info, send_failed_event=send_failed_event, return_ok=return_ok)


class RecomputeTask(Task):
    """The base of the recompute tasks: their requests hand back a lost process's jobs."""

    Request = "recruitment.task_requests:RecomputeRequest"  # Celery resolves the name in the worker
