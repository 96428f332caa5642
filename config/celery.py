"""The Celery application. Settings come from Django's (CELERY_* names); tasks live in <app>/tasks.py."""

import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("talentbrug")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs: Any) -> None:
    """Workers and beat log through ``settings.LOGGING``, whatever order they start in.

    With a receiver on this signal Celery installs no handler of its own; its handler would print task
    failures with their exception messages, which may name a candidate (core/logging.py). The level
    comes from LOG_LEVEL, not from ``--loglevel``.
    """
    from django.conf import settings
    from django.utils.log import configure_logging

    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
