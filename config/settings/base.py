"""Settings safe for production as they stand.

DEBUG is off, there is no default secret, no host is allowed until ALLOWED_HOSTS says so, and cookies
are secure. ``dev.py`` and ``test.py`` build on this module and relax what they must.

Services: with DATABASE_URL unset the embedded SQLite database is used; with REDIS_URL unset Celery
runs tasks eagerly in-process. Both are set in CI, docker-compose and production.
"""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

from config.env import env_bool, env_int, env_list, env_optional, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "api.apps.DjangoWordingConfig",  # Django's translations win over DRF's where both translate a text
    "rest_framework",
    "oauth2_provider",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",  # country names in the user's language (its translation catalogues)
    "core",
    "reference",
    "projects",
    "candidates",
    "vacancies",
    "agreements",
    "concentric",
    "recruitment",
    "internships",
    "selection",
    "costs",
    "webhooks",
    "api",
    "candidate_space",
    "welcome",
    "privacy",
    "exports",
    "imports",
    "reports",
    "fairness",
    "duplicates",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "api.middleware.ApiProblemMiddleware",  # problem details for errors under /api/ (before Common)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.SessionTimeoutMiddleware",
    "core.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recruitment.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = env_optional("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    # The embedded default serves requests and runs long tasks in threads of one process, each with
    # its own connection: WAL lets readers go on while one writes; IMMEDIATE takes the write lock when
    # a transaction begins, so two transactions that read then write wait on each other (up to
    # ``timeout`` seconds) instead of one failing at once with "database is locked".
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(BASE_DIR / env_str("SQLITE_NAME", "db.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account:login"
LOGIN_REDIRECT_URL = "work_start"  # each role on to its own work page
LOGOUT_REDIRECT_URL = "home"
# Failed sign-ins per username (and per address) within the window before further attempts are refused.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_IP = env_int("LOGIN_FAILURE_LIMIT_PER_IP", 30)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60)
# Second factor (TOTP, django-otp): required for staff roles (core.security), optional for others.
OTP_TOTP_ISSUER = "Talentbrug"
OTP_TOTP_THROTTLE_FACTOR = 1  # seconds, doubled after each wrong code
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60)

# --- E-mail (password reset) ----------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Talentbrug <no-reply@talentbrug.invalid>")
# The site's address for links in e-mails sent outside a request (reminders), e.g. https://talentbrug.be;
# empty: the e-mails carry the path only.
SITE_URL = env_str("SITE_URL", "").rstrip("/")

# Seconds a worker's candidate snapshot stays good enough between recomputes run back to back (the daily
# pass): a refresh reads every visible candidate's version (docs/adr/0008). 0 refreshes before each one.
MATCH_SNAPSHOT_MAX_AGE = env_int("MATCH_SNAPSHOT_MAX_AGE", 5)

# Near-misses (conditional matches) scoring below this are not stored (docs/adr/0008): every eligible
# match always is. 0 stores every near-miss.
MATCH_NEAR_MISS_MIN_SCORE = env_int("MATCH_NEAR_MISS_MIN_SCORE", 0)
# At most about this many near-misses stored per vacancy, the best ones (ties at the cut all kept); the
# page counts the others. 0: no limit. At national scale a pool holds hundreds of thousands (ADR 0008).
MATCH_NEAR_MISS_LIMIT = env_int("MATCH_NEAR_MISS_LIMIT", 0)
# How long the dashboard's hourly counts of changed matches are kept (a dashboard last marked as read
# earlier shows this window), and how long a partner can ask which of its matches were removed.
MATCH_CHANGE_RETENTION_DAYS = env_int("MATCH_CHANGE_RETENTION_DAYS", 90)
# How long each web process keeps a list's filter choices (core.memo): a new value shows within this.
READ_CACHE_SECONDS = env_int("READ_CACHE_SECONDS", 60)
MATCH_REMOVAL_RETENTION_DAYS = env_int("MATCH_REMOVAL_RETENTION_DAYS", 30)

# --- Data lifecycle (docs/privacy.md): the retention job (privacy.services.retention) -------------
# A candidate without activity (profile change, sign-in, case move, consent change) for this many months
# is reminded by e-mail; one still inactive this many days after the reminder is anonymised. Ended
# unsuccessful cases older than the same period are pruned (their funnel counts are kept).
RETENTION_INACTIVE_MONTHS = env_int("RETENTION_INACTIVE_MONTHS", 24)
RETENTION_REMINDER_GRACE_DAYS = env_int("RETENTION_REMINDER_GRACE_DAYS", 60)

# --- Languages: Dutch first, then French and English ----------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security -------------------------------------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"  # login keeps working while Redis is down
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
# Enforced by core.middleware.SessionTimeoutMiddleware: signed out after this long without a request,
# and in any case this long after the password was given.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 8 * 60 * 60)
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles from our own origin only (htmx is served from the django-htmx package): no inline
# script, no eval, no CDN. The QR code of the second-factor enrolment is inline SVG markup, not an image.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# --- Redis: the broker and the cache live in separate databases -----------------------------------
# A cache may evict keys under memory pressure; a broker must never lose a message to that.
REDIS_URL = env_optional("REDIS_URL")


def _redis_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_CACHE_URL", _redis_db(REDIS_URL, 1)),
            # Only limit counters live here, and they fall back to each process's memory when Redis fails
            # (core.counters): a hung Redis may cost a request half a second per call, never the default 5 s.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The rendered explanations of the matches a page shows (recruitment.explanation_fragments): in each web
# process's memory, never in Redis, so that a page neither fails nor waits when Redis does (ADR 0009).
# About 5 KB an entry: at most some 25 MB a process.
CACHES["explanations"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "explanations",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# --- Celery: at-least-once delivery, exactly-once effect (docs/adr/0002-celery-delivery.md) -------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # the database is the source of truth, not a result backend
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
# Redis re-delivers an unacknowledged message after the visibility timeout: keep it well above the
# hard time limit so a slow but healthy task is never run twice in parallel.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
# Webhook deliveries have a queue and a worker of their own (`celery -A config worker -Q webhooks`): a
# slow partner endpoint holds webhook worker processes, never the recomputes' (docs/adr/0009).
WEBHOOK_QUEUE = env_str("WEBHOOK_QUEUE", "webhooks")
# The recomputes' messages have a queue of their own, consumed by the default worker with the default
# queue (`-Q celery,matches`, which a worker started without -Q consumes too). Its length then counts
# recompute messages only, which the sweeper's lost-message rule relies on (core.broker): periodic
# tasks waiting beside them made it keep the newest lost job waiting (docs/adr/0009).
MATCH_QUEUE = env_str("MATCH_QUEUE", "matches")
CELERY_TASK_ROUTES = {
    "webhooks.tasks.deliver_webhook_task": {"queue": WEBHOOK_QUEUE},
    "recruitment.tasks.recompute_vacancy_matches_task": {"queue": MATCH_QUEUE},
    "recruitment.tasks.recompute_candidate_matches_task": {"queue": MATCH_QUEUE},
}
# What a worker started without -Q consumes: the default queue and the recomputes'. Each bound under
# its own name, as Celery binds a queue it creates for a route (webhooks): left out, the routing key
# would be the default queue's, and a message sent to that key would reach both queues.
CELERY_TASK_DEFAULT_QUEUE = "celery"  # Celery's own default, named here for the queues below
CELERY_TASK_QUEUES = tuple(
    Queue(name, Exchange(name), routing_key=name) for name in (CELERY_TASK_DEFAULT_QUEUE, MATCH_QUEUE)
)
# The default worker's -Q (`make worker`, docker-compose's worker, the fault scenarios' and the bench's).
DEFAULT_WORKER_QUEUES = ",".join(queue.name for queue in CELERY_TASK_QUEUES)
CELERY_BEAT_SCHEDULE = {
    "record-worker-heartbeat": {"task": "core.tasks.record_heartbeat_task", "schedule": 60.0},
    # Re-queues stale matches and stuck jobs (docs/adr/0003-match-recompute.md); recruitment.services.jobs
    # assumes this period (SWEEP_PERIOD) in its "stuck job" check.
    "sweep-stale-matches": {"task": "recruitment.tasks.sweep_stale_matches_task", "schedule": 60.0},
    # Re-sends due webhook deliveries and heals expired leases (docs/webhooks.md); webhooks.services
    # assumes this period (SWEEP_PERIOD) when it chooses between a countdown and the sweeper.
    "sweep-webhook-deliveries": {"task": "webhooks.tasks.sweep_webhook_deliveries_task", "schedule": 60.0},
    # Flags and reports cases hidden from their employer since a consent to share ended (a consent that ran
    # out, a lost wake-up message); idempotent (Placement.hidden_from_employer_at).
    "sync-employer-sharing": {"task": "recruitment.tasks.sync_employer_sharing_task", "schedule": 60.0},
    # Prunes the dashboard's change counts and the partners' match removals past their retention.
    "prune-match-history": {
        "task": "recruitment.tasks.prune_match_history_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Tells employers of the proposals whose own e-mail task was lost; idempotent (Placement.notified_at).
    "sweep-proposal-notices": {"task": "recruitment.tasks.sweep_proposal_notices_task", "schedule": 300.0},
    # Reminds employers of proposals due within two days or overdue; idempotent (Placement.reminded_at).
    "send-proposal-reminders": {
        "task": "recruitment.tasks.send_proposal_reminders_task",
        "schedule": crontab(hour=8, minute=0),
    },
    # Tells candidates of information pages newly applying to their stage; idempotent (welcome.PageNotice).
    "send-welcome-notices": {
        "task": "welcome.tasks.send_welcome_notices_task",
        "schedule": crontab(minute=15),
    },
    # Reminds inactive candidates, anonymises those still inactive after the grace days, prunes ended
    # unsuccessful cases (docs/privacy.md); idempotent (privacy.services.retention).
    "apply-retention": {"task": "privacy.tasks.apply_retention_task", "schedule": crontab(hour=2, minute=45)},
    # Tells agencies of candidates' correction requests whose own e-mail task was lost; idempotent
    # (CorrectionRequest.notified_at).
    "sweep-correction-notices": {
        "task": "candidate_space.tasks.sweep_correction_notices_task",
        "schedule": 300.0,
    },
    # Fails spreadsheet imports whose worker died (deleting their upload), re-queues lost ones; idempotent.
    "sweep-imports": {"task": "imports.tasks.sweep_imports_task", "schedule": 300.0},
    # Fills the review queue of probable duplicate candidates (docs/duplicates.md); idempotent.
    "detect-duplicates": {
        "task": "duplicates.tasks.detect_duplicates_task",
        "schedule": crontab(hour=4, minute=15),
    },
    # Re-syncs the vacancies shared under agreements: periods that start or end today, lost messages;
    # idempotent (docs/pathways/agreements.md).
    "sync-agreements": {
        "task": "agreements.tasks.sync_all_agreements_task",
        "schedule": crontab(hour=0, minute=20),
    },
}

# --- Outgoing webhooks to partner agencies (docs/webhooks.md) -------------------------------------
# Private, loopback and link-local targets (and plain http) only where this is true: dev and test.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5)  # all of one attempt: connect to response
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
# Backoff before attempt n+1: base * 2**(n-1), capped, then jittered down by up to half. With the
# defaults, 5, 10, 20 ... 320 minutes: a delivery gives up after 5 to 11 hours (an outage overnight).
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 300)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 6 * 60 * 60)
WEBHOOK_DISABLE_AFTER_FAILING_DAYS = env_int("WEBHOOK_DISABLE_AFTER_FAILING_DAYS", 5)  # 0: never
WEBHOOK_SECRET_ROTATION_GRACE_SECONDS = env_int("WEBHOOK_SECRET_ROTATION_GRACE_SECONDS", 24 * 60 * 60)
WEBHOOK_RETENTION_DAYS = env_int("WEBHOOK_RETENTION_DAYS", 30)  # finished events, then pruned
# At most this many attempts in flight to one subscription's endpoint at once; its other due deliveries
# wait in the database, not in a worker process (webhooks.services.deliveries). Run the webhook worker
# with more processes than this, so one slow endpoint cannot hold them all.
WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT = env_int("WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT", 2)

# --- Partner API (docs/api.md): OAuth2 client credentials, problem details, per-client limits -----
# Reverse proxies whose X-Forwarded-For the token endpoint's per-address limit believes: addresses or
# networks ("10.0.0.0/8"). Empty: the connecting address is the client (anyone can forge the header).
TRUSTED_PROXIES = [str(ipaddress.ip_network(proxy, strict=False)) for proxy in env_list("TRUSTED_PROXIES")]
REST_FRAMEWORK = {
    # Bearer tokens only: a browser session never authenticates the API (no SessionAuthentication).
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.PartnerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.PartnerScopePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.StrictJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"client": "600/minute", "bulk": "30/minute", "token": "60/minute"},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiPagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "DEFAULT_METADATA_CLASS": None,  # no OPTIONS introspection: the OpenAPI schema describes the API
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
OAUTH2_PROVIDER = {
    "SCOPES": {
        "candidates:read": "Read the candidates your organisation registered",
        "candidates:write": "Register, change and withdraw your candidates",
        "vacancies:read": "Read the vacancies open to your projects",
        "matches:read": "Read the matches of your candidates",
        "placements:read": "Read the placements of your candidates",
        "webhooks:manage": "Manage your webhook subscriptions",
    },
    "SCOPES_BACKEND_CLASS": "api.scopes.PartnerClientScopes",  # each client only its own scopes
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("API_ACCESS_TOKEN_SECONDS", 15 * 60),
    # RFC 9700: tokens stored as SHA-256 checksums only (the token column stays empty), never taken
    # from a query string; the grants and options partners do not use are off.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"  # api.models refers to it
SPECTACULAR_SETTINGS = {
    "TITLE": "Talentbrug partner API",
    "DESCRIPTION": "Candidates, vacancies, matches, placements and webhooks for partner agencies.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",  # served by the app itself, never from a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,  # request bodies: minLength, no read-only fields
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.close_request_bodies",
    ],
    # One name per choice set used by several fields (the schema is regenerated with `make schema`).
    "ENUM_NAME_OVERRIDES": {
        "CEFRLevelEnum": "core.choices.CEFRLevel",
        "LanguageEnum": "core.choices.Language",
        "RegionEnum": "core.choices.Region",
        "RecognitionOutcomeEnum": "candidates.models.qualifications.RecognitionOutcome",
        "TrainingStatusEnum": "candidates.models.TrainingEnrolment.Status",
        "CandidateStatusEnum": "candidates.models.Candidate.Status",
        "LicenceKindEnum": "candidates.models.Licence.Kind",
        "PlacementStageEnum": "recruitment.models.PlacementStage",
        "DeliveryStatusEnum": "webhooks.models.DeliveryStatus",
    },
}

# --- Logging: no personal data in logs; task arguments are ids only ------------------------------
# Every record goes to the root's console, whose filter drops exception messages and logged values
# (core/logging.py, docs/adr/0009). Django's own handlers for "django" are removed: its e-mail to ADMINS
# would carry the full error report with the request's data, and its DEBUG console would print records
# twice, the second time unfiltered. Celery's processes use this configuration too (config/celery.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "core.logging.PersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_personal_data"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}
