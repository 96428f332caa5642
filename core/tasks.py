"""Operational tasks of the shared kernel."""

from typing import Any

from celery import shared_task

from core import services


@shared_task(bind=True, name="core.tasks.record_heartbeat_task")
def record_heartbeat_task(self: Any) -> None:
    """Record that this worker is alive. Idempotent: an upsert of one row per worker node name."""
    services.heartbeat_record(worker=self.request.hostname)
