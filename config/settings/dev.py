"""Local development: the embedded default (SQLite, eager tasks) unless DATABASE_URL / REDIS_URL are set."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

from config.env import env_bool
from config.settings.base import *  # noqa: F403
from config.settings.base import MIDDLEWARE as BASE_MIDDLEWARE

# `make run` is what a newcomer and demo users see: the site's own error pages (a wrong address gets the
# site's 404, not Django's debug page listing every URL). DEBUG=true turns Django's debug pages on.
DEBUG = env_bool("DEBUG", False)
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# Password-reset mails are printed in the terminal of `make run`.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Webhook receivers on this machine and plain http (never in production).
WEBHOOK_ALLOW_PRIVATE_TARGETS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come from the app directories here; WhiteNoise serves collected files in production only.
MIDDLEWARE = [m for m in BASE_MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
