"""Production: PostgreSQL, Redis, gunicorn behind TLS. Refuses to start without its secrets."""

from cms.settings.base import *  # noqa: F403
from cms.settings.environment import env_bool, env_int, env_list, env_required

SECRET_KEY = env_required("SECRET_KEY")
env_required("DATABASE_URL")
env_required("ALLOWED_HOSTS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

# Persistent database connections (decision 0017): a new PostgreSQL connection costs more than most pages' queries
# together. Each gunicorn sync worker keeps one open for up to this many seconds and checks it before each request
# uses it: at its socket, and with a round trip after an idle spell (decision 0226). Celery's Django fix-up closes
# a worker's connection before and after every task.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# The __Host- prefix binds the cookie to this exact host over HTTPS, so no subdomain can set it.
SESSION_COOKIE_NAME = "__Host-capability-session"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-capability-csrf"
CSRF_COOKIE_SECURE = True
CAPABILITY_DEMO_LOADER_ALLOWED = False
