"""Writes of the shared kernel. Each service owns its transaction."""

import socket

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.models import WorkerHeartbeat


@transaction.atomic
def heartbeat_record(*, worker: str | None = None) -> WorkerHeartbeat:
    name = worker or socket.gethostname()
    beat, created = WorkerHeartbeat.objects.get_or_create(
        worker=name, defaults={"seen_at": timezone.now(), "beats": 1}
    )
    if not created:
        WorkerHeartbeat.objects.filter(pk=beat.pk).update(seen_at=timezone.now(), beats=F("beats") + 1)
        beat.refresh_from_db()
    return beat
