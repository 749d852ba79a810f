"""Settings shared by every environment.

Secure by default: DEBUG is off here, and every value that differs between machines comes from an
environment variable (listed in `.env.example` and the README). `dev.py` and `test.py` relax what
a laptop needs; `production.py` refuses to start without its required variables. The helpers that read the
environment are in `environment.py`; accounts, sessions, sign-in and security headers in `security.py`.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from cms.settings.environment import env, env_bool, env_float, env_int, env_list
from cms.settings.security import *  # noqa: F403 — accounts, sessions, sign-in and security headers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps first so that their templates and management commands win.
    "cms.core",
    "cms.accounts",
    "cms.home",
    "cms.standard_pages",
    "cms.navigation",
    "cms.search",
    "cms.demo",
    "courses",
    "skills",
    "frameworks",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third party
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "django_filters",
    "crispy_forms",
    "crispy_forms_gds",
    "govuk_frontend_django",
    "rest_framework",
    "drf_spectacular",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: the health check answers the container's own address over plain HTTP (cms.core.health).
    "cms.core.health.HealthCheckMiddleware",
    # Only a trusted proxy may say how a request arrived (decision 0006).
    "cms.core.middleware.UntrustedForwardedHeadersMiddleware",
    # Before anything asks for the host: a foreign one must end the request quietly.
    "cms.core.middleware.AllowedHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that may query the database with a value from the request (cms.core.request_limits).
    "cms.core.request_limits.RejectNullCharactersMiddleware",
    "cms.core.request_limits.StatementTimeoutMiddleware",
    # 404 or 405 for admin requests that Wagtail answers with a 500 (cms.core.admin_guards).
    "cms.core.admin_guards.AdminGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Right after the sessions: pushes the idle expiry forward at most once a minute (decision 0021).
    "cms.accounts.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, reading the account with its session's record in one statement (decision 0223).
    "cms.accounts.middleware.AccountAuthenticationMiddleware",
    "cms.accounts.middleware.SignedInSessionMiddleware",
    # After the session checks: a signed-in person who still owes a second factor reaches only its pages.
    "cms.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.core.middleware.ContentSecurityPolicyMiddleware",
    "cms.core.middleware.NoStoreForSignedInMiddleware",
    "cms.core.middleware.RefusalLoggingMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The request's Wagtail site and route from the cache, before Wagtail routes (cms.navigation.frame).
    "cms.navigation.middleware.FrameRouteMiddleware",
    # django-axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.core.context_processors.service",
                "cms.navigation.context_processors.navigation",
            ],
        },
    },
    {
        # Plain-text e-mails: the same templates folders, rendered without HTML escaping (a name like
        # O'Brien must not arrive as O&#x27;Brien).
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Database ---------------------------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL (PostgreSQL in production and CI) overrides it.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'capability.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
# PostgreSQL through Django's backend with a health check that needs no round trip (decision 0226).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "cms.core.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server, eager tasks and management commands share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
# PostgreSQL: parameters bound by the server, and a statement a connection runs again and again prepared once:
# most of a small query's cost is planning it (a signed-in person with their role levels was 21 joins, ~9 ms to
# plan and under 1 ms to run), and persistent connections keep the plans. Off (DATABASE_SERVER_SIDE_BINDING=0)
# behind a pooler in transaction mode, which cannot keep prepared statements. docs/decisions/0023.
elif DATABASES["default"]["ENGINE"] == "cms.core.postgresql" and env_bool("DATABASE_SERVER_SIDE_BINDING", True):
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": env_int("DATABASE_PREPARE_THRESHOLD", 5),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL: the longest one statement of a web request may run, in milliseconds (0: no limit). In a web process
# (cms.wsgi says so before the settings load: gunicorn) every connection starts with it, in its options; elsewhere
# (the dev server, tests) each request sets and resets it (cms.core.request_limits). Celery workers and management
# commands, which share these settings, are not limited. Decision 0009, amendment of 7 December.
WEB_STATEMENT_TIMEOUT_MS = env_int("WEB_STATEMENT_TIMEOUT_MS", 5000)
WEB_STATEMENT_TIMEOUT_ON_CONNECT = (
    env_bool("CAPABILITY_WEB_PROCESS", False)
    and DATABASES["default"]["ENGINE"] == "cms.core.postgresql"
    and WEB_STATEMENT_TIMEOUT_MS > 0
)
if WEB_STATEMENT_TIMEOUT_ON_CONNECT:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c statement_timeout={WEB_STATEMENT_TIMEOUT_MS}"

# --- Cache ------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "cms.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Per process, in front of the shared cache: what every page shows and only publication changes (the frame, the
# framework pages), under keys that carry versions kept in the shared cache, so that a page reads the shared cache
# once rather than once for each part (decision 0017).
LOCAL_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "capability-local",
    "OPTIONS": {"MAX_ENTRIES": 500},
}
CACHES["local"] = LOCAL_CACHE
# Sessions are read from the shared cache and written through to the database (decision 0021), which keeps them
# across a cache restart and lets Django's `clearsessions` forget expired ones. Only with a cache every process
# shares: a per-process cache would keep serving a session another process has since signed out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# The compiled GOV.UK Frontend build (`make frontend`) is served from here.
STATICFILES_DIRS = [BASE_DIR / "frontend" / "build"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Files people upload as evidence (external certifications): outside MEDIA_ROOT, so that no URL serves them; only
# the views that check who may see them stream them (docs/decisions/0212).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
EVIDENCE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/no-public-url/"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "evidence": EVIDENCE_STORAGE,
}

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")  # for the file-based backend
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Capability <no-reply@capability.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The training team's mailbox: the ORGANIZER of calendar invites (courses.calendar), where replies go.
CAPABILITY_TRAINING_MAILBOX = env(
    "CAPABILITY_TRAINING_MAILBOX",
    "training@" + (DEFAULT_FROM_EMAIL.rstrip(">").rpartition("@")[2] or "capability.invalid"),
)

# --- Celery -----------------------------------------------------------------------------------
# Eager tasks still pass through a (never used) producer, which wants a host name in the URL.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", REDIS_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
# Carry-forward of levels into a new framework release (skills.services.carry_forward): people per committed
# chunk, and how long one task carries chunks before it queues the next task, well inside the soft limit.
CARRY_FORWARD_CHUNK_PEOPLE = env_int("CARRY_FORWARD_CHUNK_PEOPLE", 2000)
CARRY_FORWARD_TASK_SECONDS = env_int("CARRY_FORWARD_TASK_SECONDS", 240)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# HR's capability reports read a summary rebuilt this often (and each night, for the trends); docs/decisions/0213.
CAPABILITY_REPORTS_REFRESH_MINUTES = env_int("CAPABILITY_REPORTS_REFRESH_MINUTES", 15)

# Subject-access exports (docs/decisions/0218): days a finished export's zip is kept before it is deleted.
CAPABILITY_SUBJECT_ACCESS_EXPORT_DAYS = env_int("CAPABILITY_SUBJECT_ACCESS_EXPORT_DAYS", 7)
# How long each kind of record is kept, in days, by retention class of the personal data register
# (skills.personal_data.Retention; docs/decisions/0217). `apply_retention` and its nightly task apply them.
CAPABILITY_RETENTION_DAYS = {
    # A leaver's personal data is erased (anonymised in place) this long after the day they left.
    "person_record": env_int("CAPABILITY_RETENTION_LEAVERS_DAYS", 2 * 365),
    # Messages sent (the outbox), deleted this long after they were sent.
    "notification": env_int("CAPABILITY_RETENTION_NOTIFICATIONS_DAYS", 365),
    # Audit log entries about records other than pages, deleted this long after they were written.
    "audit": env_int("CAPABILITY_RETENTION_AUDIT_DAYS", 7 * 365),
    # Unsent self-assessment answers (drafts of evidence) nobody has touched for this long are deleted.
    "evidence": env_int("CAPABILITY_RETENTION_DRAFTS_DAYS", 365),
}

# The HR feed's full-file mode (docs/decisions/0217): a file that leaves out more than this share of the people in
# the uploader's units is refused as incomplete; a checked file nobody confirms is deleted after this many days.
CAPABILITY_FULL_FILE_MAX_LEAVERS_SHARE = env_float("CAPABILITY_FULL_FILE_MAX_LEAVERS_SHARE", 0.2)
CAPABILITY_FULL_FILE_CONFIRM_DAYS = env_int("CAPABILITY_FULL_FILE_CONFIRM_DAYS", 7)

CELERY_BEAT_SCHEDULE = {
    "skills-stale-reminders": {"task": "skills.tasks.stale_reminders_send", "schedule": timedelta(days=1)},
    "skills-notifications-sweep": {"task": "skills.tasks.notifications_sweep", "schedule": timedelta(minutes=1)},
    "skills-certificate-reminders": {
        "task": "skills.tasks.certificate_reminders_send",
        "schedule": timedelta(days=1),
    },
    "frameworks-import-sweep-stale": {
        "task": "frameworks.tasks.framework_import_jobs_sweep_stale",
        "schedule": timedelta(minutes=5),
    },
    "skills-capability-summary-refresh": {
        "task": "skills.tasks.capability_summary_refresh",
        "schedule": timedelta(minutes=CAPABILITY_REPORTS_REFRESH_MINUTES),
    },
    "skills-subject-access-exports-expire": {
        "task": "skills.tasks.subject_access_exports_expire",
        "schedule": timedelta(hours=1),
    },
    "courses-bookings-lapse": {"task": "courses.tasks.bookings_lapse", "schedule": timedelta(minutes=15)},
    "courses-booking-reminders": {"task": "courses.tasks.booking_reminders_send", "schedule": timedelta(hours=1)},
    "skills-retention-apply": {"task": "skills.tasks.retention_apply", "schedule": timedelta(days=1)},
}

# --- Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Capability"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The address people reach the service at: links in e-mails sent by workers, which have no request to ask.
CAPABILITY_BASE_URL = WAGTAILADMIN_BASE_URL.rstrip("/")
# Passkeys (decision 0216): the relying party id (a domain: passkeys made for it work only there), the name a
# browser shows when one is made, and the origins allowed to use them; by default the site's own host and origin.
_PASSKEY_RP_ID, _PASSKEY_ORIGINS = passkey_relying_party(CAPABILITY_BASE_URL)  # noqa: F405
OTP_WEBAUTHN_RP_ID = env("OTP_WEBAUTHN_RP_ID", _PASSKEY_RP_ID)
OTP_WEBAUTHN_RP_NAME = env("OTP_WEBAUTHN_RP_NAME", "Capability")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS", ",".join(_PASSKEY_ORIGINS))
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "txt", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Gravatar would send a hash of every editor's e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = True
WAGTAIL_PASSWORD_RESET_ENABLED = False  # password reset is the site's own, at /accounts/password-reset/

# --- The frameworks -----------------------------------------------------------------------------
# The framework people are assessed against by default: the one whose current release a person without a role
# level works in, and whose roles the HR feed names (its `--framework` and the admin upload's first choice).
CAPABILITY_DEFAULT_FRAMEWORK = "ddat"

# Training reports: a group with fewer people (or answers) than this is shown as "[c]", never as a figure, so that
# no one's answer or progress can be read off a small group.
CAPABILITY_SMALL_GROUP_THRESHOLD = 5

# --- Open Badges credentials (docs/decisions/0211) ----------------------------------------------
# The directory holding the private signing keys, one PEM file per key (`manage.py credential_keys` makes them):
# outside the repository and the database. The public halves and their retirement are in the database.
CAPABILITY_CREDENTIAL_KEYS_DIR = Path(env("CAPABILITY_CREDENTIAL_KEYS_DIR", str(BASE_DIR / "var" / "credential-keys")))
# The organisation that issues the credentials, as their issuer profile names it.
CAPABILITY_ISSUER_NAME = env("CAPABILITY_ISSUER_NAME", WAGTAIL_SITE_NAME)
CAPABILITY_ISSUER_URL = CAPABILITY_BASE_URL
# Seconds a verifier (or a cache between) may keep the revocation status list: a revocation shows within this.
CAPABILITY_STATUS_LIST_MAX_AGE = 300

# --- Forms and front end ----------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CAPABILITY_PHASE = env("CAPABILITY_PHASE", "Beta")
CAPABILITY_FEEDBACK_URL = env("CAPABILITY_FEEDBACK_URL", "mailto:capability-feedback@capability.invalid")

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Capability API",
    "DESCRIPTION": "Read-only access to the published skills frameworks.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["cms.core.api_schema.public_api_endpoints_only"],
}

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Security events of the service itself: refusals, rate limits, sessions ended (no personal data).
        "cms.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django_tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "celery.app.trace": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "wagtail": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint notes each of a PDF's seven steps at INFO: seven lines for every certificate drawn.
        "weasyprint.progress": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
