"""Tests: the same services as dev (SQLite and eager tasks by default, the real ones when URLs are set)."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from config.settings.base import *  # noqa: F403
from config.settings.base import MIDDLEWARE as BASE_MIDDLEWARE

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never outside tests
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Code under test queues tasks on commit and expects them to run; the real-worker tests send their
# messages through the broker explicitly (tests/core/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
# Webhook receivers on this machine (tests start one on 127.0.0.1) and plain http.
WEBHOOK_ALLOW_PRIVATE_TARGETS = True

# Static files come from the app directories here; WhiteNoise serves collected files in production only.
MIDDLEWARE = [m for m in BASE_MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
# Every recompute reads the candidates' versions first, so a scenario's job counts do not depend on how
# fast the test runs (tests/recruitment/test_daily_pass.py covers a snapshot reused between recomputes).
MATCH_SNAPSHOT_MAX_AGE = 0
# Tests create data between two page views: choices are read afresh (tests/core/test_memo.py keeps them).
READ_CACHE_SECONDS = 0

# On SQLite the test database is a file, not Django's shared in-memory one. In shared-cache memory a
# thread's connection (the live server's requests, an import's thread) that meets another's write
# fails at once with "database table is locked": SQLite's busy timeout does not apply there. A file
# behaves as ``make run``'s database does. One per test process, so parallel runs do not meet.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"talentbrug-test-{os.getpid()}.sqlite3")
    }
