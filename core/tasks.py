"""Operational tasks of the shared kernel."""

from celery import shared_task

from core import services


@shared_task(name="core.tasks.record_heartbeat_task")
def record_heartbeat_task() -> None:
    """Record that a worker is alive. Idempotent: an upsert of one row per worker host."""
    services.heartbeat_record()
