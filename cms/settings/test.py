"""The test suite: SQLite unless DATABASE_URL says otherwise, eager Celery, mail kept in memory."""

from cms.settings.base import *  # noqa: F403
from cms.settings.base import LOCAL_CACHE
from cms.settings.environment import env

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# A real Celery worker started by a test sends through the backend named in its environment
# (EMAIL_BACKEND and EMAIL_FILE_PATH, read in base.py).
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
# Tests never talk to a broker unless a test asks for a real worker (tests/cms/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = env("REDIS_URL", "memory://localhost/")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "local": LOCAL_CACHE}
# The production session engine: safe with a per-process cache here, as the tests run in one process.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AXES_ENABLED = True
CAPABILITY_DEMO_LOADER_ALLOWED = True
# Off unless a test turns it on (tests/cms/test_second_factor.py, tests/e2e/test_second_factor_journey.py), so that
# the many tests that sign in an administrator need no device; people who have set one up are still asked for it.
CAPABILITY_SECOND_FACTOR_REQUIRED = False
