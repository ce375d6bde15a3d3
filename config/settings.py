"""Settings for the shop, driven by environment variables.

With nothing set, the shop runs on the embedded default: a SQLite file in the
project folder, tasks run in-process, e-mail and texts printed to the console.
Production sets DATABASE_URL (PostgreSQL), REDIS_URL (broker, results, cache),
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and the mail/SMS provider settings.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.storage import default_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(make run sets DJANGO_DEBUG=true for local use)."
        )
    SECRET_KEY = "insecure-development-key-only-for-make-run-never-for-production-use"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "shop.apps.ShopAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "anymail",
    "axes",
    "shop",
    "customers",
    "outbox",
    "workorders",
    "messaging",
    "followups",
    "reports",
    "fleet",
    "integrations",
    "parts",
    "imports",
    "payments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view says otherwise.
    "shop.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into its own response.
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shop.context_processors.shop",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default: write-ahead logging lets the board read while the
    # counter writes, and IMMEDIATE transactions avoid "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

AUTH_USER_MODEL = "shop.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "shop.views.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Password reset links, and the activation links of new administrators.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("DJANGO_PASSWORD_RESET_SECONDS", 60 * 60 * 24))
ACTIVATION_LINK_MAX_AGE = timedelta(days=int(os.environ.get("SHOP_ACTIVATION_DAYS", "3")))

# django-axes: five wrong passwords for one username from one address lock
# that pair out for fifteen minutes; a good login clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("SHOP_TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# An uploaded image larger than this is refused from its header, before it is decoded: a small
# compressed file can hold a huge picture (12,000 x 12,000 pixels decode to over 400 MB).
# shop.apps sets Pillow's Image.MAX_IMAGE_PIXELS to the same value.
IMAGE_MAX_PIXELS = 40_000_000
# Photos and generated files: local disk, or an S3-compatible bucket when S3_BUCKET is
# set (config/storage.py), which web and worker on different hosts need.
STORAGES = {
    "default": default_storage_from_env(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Redis: broker, task results and the cache -------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A cache that is down must not hang a page: fail fast, and the
            # callers treat a cache error as a miss.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ------------------------------------------------------------------
# Settings use the CELERY_ namespace (see config/celery.py).
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without Redis (the embedded default) tasks run in-process, at once, and
# their errors surface where they were called.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# With debug off that would run a 10,000-label mailing inside a web request and
# count rate limits per process: config/checks.py refuses to start unless this
# says it is meant (a one-process trial, say).
TASKS_IN_PROCESS_ALLOWED = env_bool("SHOP_ALLOW_IN_PROCESS_TASKS")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = TIME_ZONE
# Acknowledge a task only after it has run, so a worker that dies mid-task
# (deploy, out of memory) leaves it on the queue for another worker. Tasks
# must therefore be idempotent: they claim their row before acting.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One task at a time per worker process: long mailing jobs must not hold
# short status texts hostage in a prefetch buffer.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers an unacknowledged task after the visibility timeout. It
# must exceed the longest task (a 10,000-label mailing), or the task would run
# twice; one hour leaves a wide margin over the hard limit below.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,
    # A broker that is down must raise at once in the request that enqueues,
    # not hang it: two-second socket timeouts and no publish retries. The
    # outbox relay picks the row up later.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"timeout": 2.0}}
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# A running output job whose worker has not moved its heartbeat for this long is dead
# (killed out of memory or by a deploy): the reaper fails it. Its slowest step, one
# batch of PDF pages or the query of a big mailing, takes well under a minute.
FOLLOWUPS_JOB_HEARTBEAT_TIMEOUT = int(os.environ.get("FOLLOWUPS_JOB_HEARTBEAT_TIMEOUT", 10 * 60))
CELERY_WORKER_SEND_TASK_EVENTS = False
# Keep a worker's database connection between tasks instead of reconnecting for
# each one (Celery's default); config/celery.py still drops a connection that is
# broken or past CONN_MAX_AGE before every task, as Django does per request.
CELERY_DB_REUSE_MAX = 1000
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "shop.tasks.worker_heartbeat", "schedule": 60.0},
    # The outbox relay: sends what the broker never got, unsticks what a worker dropped.
    "outbox-relay": {"task": "outbox.tasks.relay_outbound_messages", "schedule": 30.0},
    # Provider callbacks' replay guard only needs to outlive the providers' retries.
    "messaging-webhook-receipts-prune": {
        "task": "messaging.tasks.prune_webhook_receipts",
        "schedule": crontab(hour=4, minute=15),
    },
    # Output jobs whose worker died (out of memory, past the time limit) are marked failed.
    "followups-reap-output-jobs": {
        "task": "followups.tasks.reap_output_jobs",
        "schedule": 120.0,
    },
    # Statement runs whose worker died are marked failed (payments/services/statements.py).
    "payments-reap-statement-runs": {
        "task": "payments.tasks.reap_statement_runs",
        "schedule": 120.0,
    },
    # Imports whose worker died are marked stopped part-way, to be resumed or undone.
    "imports-reap": {"task": "imports.tasks.reap_imports", "schedule": 120.0},
    # Follow-ups due today, from every active follow-up list (followups/services/follow_ups.py).
    "followups-generate": {
        "task": "followups.tasks.generate_follow_ups",
        "schedule": crontab(hour=5, minute=30),
    },
}

# --- E-mail ------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "shop@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Provider keys for django-anymail, e.g. ANYMAIL_POSTMARK_SERVER_TOKEN; set
# DJANGO_EMAIL_BACKEND=anymail.backends.postmark.EmailBackend to use it.
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_")
}

# --- Text messages -----------------------------------------------------------
SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "")

# --- The outbox (outbox/): texts, e-mails and webhooks -----------------------


def _outbox_setting(name: str, default: str) -> str:
    # OUTBOX_*; the MESSAGING_* names these had before the outbox was its own app still work.
    return os.environ.get(f"OUTBOX_{name}", os.environ.get(f"MESSAGING_{name}", default))


# A queued message whose task has not run after this long is sent by the relay.
OUTBOX_RELAY_AFTER_SECONDS = float(_outbox_setting("RELAY_AFTER_SECONDS", "60"))
# A message left "sending" this long lost its worker mid-send.
OUTBOX_SENDING_TIMEOUT_SECONDS = float(_outbox_setting("SENDING_TIMEOUT_SECONDS", "600"))
# Provider errors: tries in all, and the first wait (doubled each time, at most an hour).
OUTBOX_MAX_ATTEMPTS = int(_outbox_setting("MAX_ATTEMPTS", "6"))
OUTBOX_RETRY_BASE_SECONDS = float(_outbox_setting("RETRY_BASE_SECONDS", "30"))

# --- Customer messages (messaging/) ------------------------------------------
# Phone numbers typed without a country code belong to this region.
SHOP_PHONE_REGION = os.environ.get("SHOP_PHONE_REGION", "US")
# How long a customer's link to their work order stays valid.
MESSAGING_CUSTOMER_LINK_DAYS = int(os.environ.get("MESSAGING_CUSTOMER_LINK_DAYS", "30"))
# Days a provider callback's receipt (the replay guard) is kept before it is pruned.
MESSAGING_WEBHOOK_RECEIPT_DAYS = int(os.environ.get("MESSAGING_WEBHOOK_RECEIPT_DAYS", "30"))

# --- Pay by link (payments/providers/) ---------------------------------------
# Where the customer's Pay button takes them: "stripe", "development" (a "Pretend to pay"
# page: never in production) or "none" (no Pay button). Debug defaults to development.
PAYMENTS_PROVIDER = os.environ.get("PAYMENTS_PROVIDER", "development" if DEBUG else "none")
# The development backend with debug off only where nothing is real (the tests).
PAYMENTS_DEVELOPMENT_ALLOWED = DEBUG
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_CURRENCY = os.environ.get("STRIPE_CURRENCY", "usd").lower()
# A webhook signed longer ago than this (seconds) is refused as a replay.
STRIPE_WEBHOOK_TOLERANCE = int(os.environ.get("STRIPE_WEBHOOK_TOLERANCE", "300"))

# --- REST API ----------------------------------------------------------------
REST_FRAMEWORK = {
    # Employees' sessions, and outside systems' Bearer tokens (integrations/).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "integrations.authentication.IntegrationTokenAuthentication",
    ],
    # JSON bodies holding a NUL character are refused with a 400 (shop/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "shop.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # A rate limit per integration token (integrations/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": ["integrations.throttling.IntegrationRateThrottle"],
    # Every endpoint names its security function; a view that forgets is refused.
    "DEFAULT_PERMISSION_CLASSES": ["shop.security.HasSecurityFunction"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shop API",
    "DESCRIPTION": "Customers, vehicles, work orders and more for outside systems.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page (/api/docs/) serves Swagger UI from our own static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a field called "kind"; name each choice set after its own.
    "ENUM_NAME_OVERRIDES": {
        "LineKindEnum": "workorders.models.LineKind",
        "OutputKindEnum": "followups.models.OutputKind",
    },
}

# Requests per token (integrations/throttling.py), e.g. "600/min".
INTEGRATION_API_RATE = os.environ.get("INTEGRATION_API_RATE", "600/min")

# --- Security headers (production) -------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # Behind a TLS-terminating proxy, set DJANGO_SECURE_PROXY_SSL_HEADER=true.
    if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Refusals (403) are logged as one line at warning, without the exception's traceback.
    "filters": {"refusals": {"()": "shop.log_filters.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["refusals"]},
    },
}

# Where the shop is reached from outside: links in e-mails and texts.
SHOP_BASE_URL = os.environ.get("SHOP_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
