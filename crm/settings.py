"""Rapport's settings: one module, read from the environment.

Every variable is documented in `.env.example` and `docs/configuration.md`.
Without any configuration Rapport runs on SQLite and Celery's filesystem
broker under `./var/`, which is what `make run` uses.
"""

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP

from crm.account_limits import account_rate_limits
from crm.env import ConfigurationError, envbool, envint, envlist, envsecret, envstr
from crm.sso import form_action_origins, oidc_apps, password_login

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("RAPPORT_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)


def _secret_key() -> str:
    key = envsecret("SECRET_KEY").strip()
    if key:
        return key
    # `make run` generates a key into ./var/ once, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    if DEBUG:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key
    raise ConfigurationError(
        "SECRET_KEY is not set. Set it (or SECRET_KEY_FILE) in the environment "
        "(see .env.example); generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )


SECRET_KEY = _secret_key()
# Rotating the key: move the old one here (comma-separated) and set a new SECRET_KEY;
# sessions and reset links signed with an old key stay valid until you remove it.
SECRET_KEY_FALLBACKS = [
    key.strip() for key in envsecret("SECRET_KEY_FALLBACKS").split(",") if key.strip()
]
FIELD_ENCRYPTION_KEYS = envsecret("FIELD_ENCRYPTION_KEY").split(",")  # see crm/encryption.py

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

BASE_URL = envstr("BASE_URL", "http://localhost:8000").rstrip("/")
_base = urlsplit(BASE_URL)
if _base.scheme not in {"http", "https"} or not _base.netloc:
    raise ConfigurationError(
        f"BASE_URL must be an absolute http(s) URL such as https://crm.example.com "
        f"(got {BASE_URL!r})."
    )

ALLOW_SIGNUP = envbool("ALLOW_SIGNUP", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "django.forms",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Accounts (docs/authentication.md): log-in, two-factor, single sign-on, sessions.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "crm",
    "contacts",
    "reminders",
    "api",
    # Serves the API docs' Swagger UI from its own static files (never a CDN).
    "ninja",
    "carddav",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "crm.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "crm.languages.UserLanguageMiddleware",  # theirs, else the browser's (after sessions)
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: a phone's PROPFIND on / is a redirect to the address book, not a form.
    "carddav.middleware.DavRootMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "crm.headers.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "crm.data_version.DataChangedMiddleware",  # a person's POST: their data changed
    "crm.timezones.UserTimeZoneMiddleware",  # every time in the person's own zone (after sessions)
    "allauth.account.middleware.AccountMiddleware",
    # Password log-in off (PASSWORD_LOGIN=false), two-factor required (REQUIRE_TWO_FACTOR),
    # and each session's last-seen time for Settings → Security.
    "crm.account_policy.AccountPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "crm.urls"
# Every form field renders through templates/forms/field.html: label, help, errors.
FORM_RENDERER = "crm.forms.FormRenderer"
WSGI_APPLICATION = "crm.wsgi.application"

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
                "django.template.context_processors.csp",
                "crm.context_processors.rapport",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

# Blank counts as unset, as for REDIS_URL: `DATABASE_URL=` in a .env means the default.
DATABASE_URL = envsecret("DATABASE_URL").strip() or f"sqlite:///{VAR_DIR / 'rapport.sqlite3'}"
try:
    _db = dj_database_url.parse(DATABASE_URL)
except ValueError as exc:
    raise ConfigurationError(f"DATABASE_URL is not a database URL we understand: {exc}") from None
if _db["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool keeps connections warm; Django needs CONN_MAX_AGE = 0 with it.
    if envbool("DATABASE_POOL", True):
        _db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": envint("DATABASE_POOL_MIN", 1, minimum=0),
            "max_size": envint("DATABASE_POOL_MAX", 10, minimum=1),
        }
    else:
        _db["CONN_MAX_AGE"] = envint("DATABASE_CONN_MAX_AGE", 60, minimum=0)
elif _db["ENGINE"] == "django.db.backends.sqlite3":
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while the worker writes.
    _db.setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    _db["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    _db["OPTIONS"]["timeout"] = 20
else:
    raise ConfigurationError("DATABASE_URL must point at PostgreSQL or SQLite.")
if _db["ENGINE"] == "django.db.backends.postgresql" and not _db.get("PASSWORD"):
    # A URL without a password takes the bundled PostgreSQL's (compose passes it, or its
    # Docker secret through POSTGRES_PASSWORD_FILE), so it is never URL-escaped by hand.
    _db["PASSWORD"] = envsecret("POSTGRES_PASSWORD")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = _db["ENGINE"] == "django.db.backends.postgresql"

# --- Redis, cache and Celery ----------------------------------------------------

REDIS_URL = envsecret("REDIS_URL")
if REDIS_URL and urlsplit(REDIS_URL).scheme not in {"redis", "rediss"}:
    raise ConfigurationError(
        f"REDIS_URL must start with redis:// or rediss:// (got {REDIS_URL!r})."
    )

if REDIS_URL:
    # Fail-soft: with Redis unreachable, pages use process memory instead of answering 500
    # (crm/cache.py). Short timeouts, so a Redis that hangs costs a request one second.
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "crm.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # A file cache is shared by every process of `make run` (login rate limits, status).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Keys of this install's own, for a Redis database shared with something else (the test
# suite gives every session its own prefix and deletes only those keys).
CACHES["default"]["KEY_PREFIX"] = envstr("CACHE_KEY_PREFIX")

BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    CELERY_BROKER_URL = "filesystem://"
    for _sub in ("queue", "processed", "control"):
        (BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Exchange tables; kombu's default is ./control in the working directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 30 * 60, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
if REDIS_URL:
    # A message a worker took but never acknowledged (its process was killed) goes back
    # on the queue after this long: just above the longest a task may run, so a live
    # task is never handed out twice and a dead one waits minutes, not Redis's hour.
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = CELERY_TASK_TIME_LIMIT + 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when the broker is down: fail fast,
# and the next daily scan recomputes whatever was not queued.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE_FILENAME = envstr(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(VAR_DIR / "celerybeat-schedule")
)
# One beat per installation: it holds a lock for its whole life (crm/beat.py).
CELERY_BEAT_SCHEDULER = "crm.beat:SingleBeatScheduler"
# Beat answers `celery inspect ping` while it ticks: compose's health check of beat.
CELERY_BEAT_ENABLE_REMOTE_CONTROL = bool(REDIS_URL)
REMINDER_SCAN_HOUR = envint("REMINDER_SCAN_HOUR", 5, minimum=0, maximum=23)
# Scheduled backups (crm/backups.py): a folder per day, the newest BACKUP_KEEP kept.
BACKUP_DIR = Path(envstr("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = envint("BACKUP_KEEP", 7, minimum=1)
BACKUP_HOUR = envint("BACKUP_HOUR", 3, minimum=0, maximum=23)
CELERY_BEAT_SCHEDULE = {
    # A database dump and every account's JSON backup; a doubled run only takes one
    # more backup, which the pruning absorbs.
    "backup-daily": {
        "task": "crm.tasks.run_backup",
        "schedule": crontab(hour=BACKUP_HOUR, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
    # Beat's own heartbeat: the worker records each run, so the status page shows
    # whether beat is alive instead of inferring it from the daily scan.
    "beat-heartbeat": {
        "task": "reminders.tasks.record_beat_heartbeat",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The daily scan turns the next 14 days of occasions into reminders for every
    # user. It is idempotent, so a missed or doubled run is harmless.
    "scan-reminders-daily": {
        "task": "reminders.tasks.scan_all_users",
        "schedule": crontab(hour=REMINDER_SCAN_HOUR, minute=0),
        "options": {"expires": 6 * 60 * 60},
    },
    # Digests go out on each user's chosen weekday; the hourly check sends the
    # ones that are due and records them so a week's digest is sent once.
    "send-weekly-digests": {
        "task": "reminders.tasks.send_due_digests",
        "schedule": crontab(minute=15),
        "options": {"expires": 50 * 60},
    },
    # Reminders on the users' own channels (ntfy, Telegram, …): what is due is recorded
    # once per channel and day or week, so a doubled or late run sends nothing twice,
    # and a failed send is retried by the next run (reminders/notify.py).
    "send-channel-notifications": {
        "task": "reminders.tasks.send_due_notifications",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    # Imports still "running" past the task time limit lost their worker: fail them
    # ("nothing was imported; try again"). Idempotent; a late run is superseded.
    "fail-stuck-imports": {
        "task": "contacts.tasks.fail_stuck_imports",
        "schedule": 5 * 60.0,
        "options": {"expires": 4 * 60},
    },
    # Previews nobody confirmed are deleted a day later, and uploads kept for "Try
    # again" are dropped then too. Idempotent; a late run is superseded by the next.
    "forget-abandoned-imports": {
        "task": "contacts.tasks.forget_abandoned_imports",
        "schedule": crontab(minute=40),
        "options": {"expires": 50 * 60},
    },
    # Tasks recorded while the broker was down (crm/outbox.py) go out within a minute of
    # its return. A flush that waited longer than its minute is superseded by the next.
    "flush-task-outbox": {
        "task": "crm.tasks.flush_outbox",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}

# --- Auth (django-allauth; docs/authentication.md) ----------------------------------
# What does not depend on the environment is in crm/account_settings.py.
from crm.account_settings import *  # noqa: E402, F403

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-up, when open, proves the email address; accounts an admin made are trusted.
ACCOUNT_EMAIL_VERIFICATION = "mandatory" if ALLOW_SIGNUP else "optional"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _base.scheme
# Failed log-ins per username (normalised: NFKC and case-folded, crm/account_adapter.py)
# and client address (an IPv6 /64 counts as one), and the window they are counted in;
# the limits built from them: crm/account_limits.py.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_SECONDS = envint("LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=1)
ACCOUNT_RATE_LIMITS = account_rate_limits(LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_SECONDS)

# Two-factor: authenticator apps (TOTP) with recovery codes, and passkeys / security keys.
# Passkeys need https, except on http://localhost while developing.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Every account must set up two-factor before it can use Rapport (crm/account_policy.py).
REQUIRE_TWO_FACTOR = envbool("REQUIRE_TWO_FACTOR", False)

# Single sign-on with OpenID Connect, any number of providers (crm/sso.py).
OIDC_APPS = oidc_apps(os.environ)
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": OIDC_APPS}}
# Password log-in can be turned off once single sign-on is configured.
PASSWORD_LOGIN = password_login(os.environ, OIDC_APPS)

# --- Email -------------------------------------------------------------------

EMAIL_URL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
_email_backend = envstr("EMAIL_BACKEND", "console")
if _email_backend not in EMAIL_URL_BACKENDS:
    raise ConfigurationError(f"EMAIL_BACKEND must be 'console' or 'smtp' (got {_email_backend!r}).")
if _email_backend == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": EMAIL_URL_BACKENDS["smtp"],
            "OPTIONS": {
                "host": envstr("EMAIL_HOST", "localhost"),
                "port": envint("EMAIL_PORT", 587, minimum=1, maximum=65535),
                "username": envstr("EMAIL_HOST_USER"),
                "password": envsecret("EMAIL_HOST_PASSWORD"),
                "use_tls": envbool("EMAIL_USE_TLS", True),
                "use_ssl": envbool("EMAIL_USE_SSL", False),
                "timeout": envint("EMAIL_TIMEOUT", 20, minimum=1),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": EMAIL_URL_BACKENDS["console"]}}
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", f"Rapport <rapport@{_base.hostname}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages and time (the languages: crm/language_settings.py) ------------------
from crm.language_settings import *  # noqa: E402, F403

TIME_ZONE = envstr("TIME_ZONE", "UTC")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ConfigurationError(f"TIME_ZONE is not a known time zone (got {TIME_ZONE!r}).") from None
CELERY_TIMEZONE = TIME_ZONE
USE_TZ = True

# --- Static files ------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# WhiteNoise warns on every start when the folder is missing (before collectstatic).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security --------------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    # Single sign-on's log-in form sends the browser on to the provider.
    "form-action": [CSP.SELF, *form_action_origins(OIDC_APPS)],
    "frame-ancestors": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
# Django's default, stated: a page opened from Rapport cannot reach back into it.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
_https = _base.scheme == "https"
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", _https)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", _https)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
if envbool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Container health checks call /healthz over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a reverse proxy: the client address for login rate limits is the last
# X-Forwarded-For entry (the one the proxy added), not the proxy's own address.
USE_X_FORWARDED_FOR = envbool("USE_X_FORWARDED_FOR", False)
# Requests one personal access token may make per minute (REST API and assistant alike).
API_REQUESTS_PER_MINUTE = envint("API_REQUESTS_PER_MINUTE", 120, minimum=1)

# --- Rapport -----------------------------------------------------------------------

# Uploads larger than this are refused before they are read (bytes).
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# People per LinkedIn or vCard import.
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 50_000, minimum=1)
# Uploads up to this size are previewed in the request (an unreadable file is answered
# at once); larger ones by the worker, with progress, so no web process waits on them.
IMPORT_PREVIEW_INLINE_BYTES = envint("IMPORT_PREVIEW_INLINE_BYTES", 256 * 1024, minimum=0)
# Previews nobody confirmed, per person: at most this many, holding this many bytes;
# the oldest go first.
IMPORT_MAX_PREVIEWS = envint("IMPORT_MAX_PREVIEWS", 3, minimum=1)
IMPORT_MAX_PREVIEW_BYTES = envint("IMPORT_MAX_PREVIEW_BYTES", 2 * IMPORT_MAX_BYTES, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The first handler stops keeping a file once it passes IMPORT_MAX_BYTES (crm/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "crm.uploads.OversizedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
CONTACTS_PER_PAGE = 50

# One format for every process (crm/logs.py): plain lines, or JSON with LOG_FORMAT=json.
LOG_FORMAT = envstr("LOG_FORMAT", "plain").strip().lower() or "plain"
if LOG_FORMAT not in {"plain", "json"}:
    raise ConfigurationError(f"LOG_FORMAT must be plain or json (got {LOG_FORMAT!r}).")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"rapport": {"()": "crm.logs.formatter"}},
    "filters": {
        # Calendar feed and password-reset tokens are parts of URLs: never log them.
        "redact_secrets": {"()": "crm.logredact.RedactSecretsFilter"},
        "one_line_warning": {"()": "crm.logs.OneLineWarning"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "rapport",
            "filters": ["redact_secrets"],
        },
        "discard": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        # Listing "django" drops Django's default handlers: its console handler (DEBUG
        # only) would log request paths unredacted. Records go on to the root handler.
        "django": {"propagate": True},
        "django.db.backends": {"level": "INFO"},
        # A wrong Host header is the client's mistake: one WARNING line, no traceback.
        "django.security.DisallowedHost": {"filters": ["one_line_warning"]},
        # Apprise quotes notification URLs, secrets and all, in its own lines: they go
        # nowhere. Sending records each failure, redacted, itself (reminders/notify.py).
        "apprise": {"handlers": ["discard"], "propagate": False, "level": "WARNING"},
    },
}
# Celery logs through the same handler instead of installing its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
