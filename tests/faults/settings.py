"""Settings of the fault scenarios' worker and beat processes (tests/faults): the test settings, with
tasks sent through the broker as in production and the periodic sweepers every few seconds.

The broker and cache (REDIS_URL: the scenario's private Redis), the database (DATABASE_URL: the test
database) and the time limits, from which the job lease follows (``CELERY_TASK_TIME_LIMIT`` + 60 s), come
from the environment the harness sets (tests/faults/harness.py).
"""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import CELERY_BEAT_SCHEDULE as TEST_BEAT_SCHEDULE

# A task queued by a task (the sweeper's re-sends, a retry) goes through Redis, not run in the sender.
CELERY_TASK_ALWAYS_EAGER = False

SWEEP_SECONDS = float(os.environ.get("FAULTS_SWEEP_SECONDS", "5"))
# The sweepers and the heartbeat only, every SWEEP_SECONDS; the daily reminders and pruning are not
# part of any scenario.
CELERY_BEAT_SCHEDULE = {
    name: {**entry, "schedule": SWEEP_SECONDS}
    for name, entry in TEST_BEAT_SCHEDULE.items()
    if name.startswith(("sweep-", "record-worker-heartbeat"))
}
