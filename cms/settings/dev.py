"""A laptop and the demo: SQLite, eager Celery, e-mail printed to the console."""

from cms.settings.base import *  # noqa: F403
from cms.settings.base import EVIDENCE_STORAGE
from cms.settings.environment import env, env_bool, env_list

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": EVIDENCE_STORAGE,
}
CAPABILITY_DEMO_LOADER_ALLOWED = True
# `make run PORT=8001` serves on another port: links in e-mails and the admin follow it.
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", f"http://127.0.0.1:{env('PORT', '8000')}")
CAPABILITY_BASE_URL = WAGTAILADMIN_BASE_URL.rstrip("/")
# Passkeys follow the port too (a site at 127.0.0.1 gets `localhost`: browsers refuse an IP address).
_PASSKEY_RP_ID, _PASSKEY_ORIGINS = passkey_relying_party(CAPABILITY_BASE_URL)  # noqa: F405
OTP_WEBAUTHN_RP_ID = env("OTP_WEBAUTHN_RP_ID", _PASSKEY_RP_ID)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS", ",".join(_PASSKEY_ORIGINS))
# The demo accounts sign in with their password alone (README, "Demo accounts"); a second factor set up by hand
# is still asked for.
CAPABILITY_SECOND_FACTOR_REQUIRED = env_bool("CAPABILITY_SECOND_FACTOR_REQUIRED", False)
