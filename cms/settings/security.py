"""Accounts, sessions, sign-in limits, the client address and the security headers: the settings a security review
reads together (decisions 0005, 0006 and 0007). Imported by `base.py`; environments override them there."""

import ipaddress
from datetime import timedelta
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from cms.settings.environment import env, env_bool, env_int, env_list

# --- Accounts, sessions and sign-in -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, refusing every password but the break-glass superuser's when
    # LOCAL_SIGN_IN_ENABLED is off (decision 0215).
    "cms.accounts.backends.LocalPasswordBackend",
    # Reloads the user of a session signed in through the identity provider; checks no credential itself.
    "cms.accounts.backends.SingleSignOnBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cms.accounts.password_validation.RepeatedCharactersValidator"},
    {"NAME": "cms.accounts.password_validation.SequentialCharactersValidator"},
    {"NAME": "cms.accounts.password_validation.ForbiddenWordsValidator"},
]
# The service's and the organisation's names: the first words an attacker tries here. Matched ignoring case,
# spaces, punctuation and digits or symbols used for letters.
PASSWORD_FORBIDDEN_WORDS = env_list(
    "PASSWORD_FORBIDDEN_WORDS", "capability,ddat,digital data and technology,civil service,government,gov.uk"
)
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:signed-out"
WAGTAILADMIN_LOGIN_URL = "/accounts/sign-in/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Sessions end after a period of inactivity: requests push the expiry forward, saving the session when it has
# moved by more than SESSION_IDLE_RESOLUTION (cms.accounts.middleware.SessionIdleTimeoutMiddleware, decision 0021),
# so a session ends at most that much before SESSION_COOKIE_AGE of inactivity, never after.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30) * 60
SESSION_IDLE_RESOLUTION = timedelta(minutes=1)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# However active, a session ends this long after sign-in (cms.accounts.middleware.SignedInSessionMiddleware).
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=env_int("SESSION_ABSOLUTE_LIFETIME_HOURS", 12))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock an account-and-address pair after repeated failures, and an address after
# repeated failures across accounts (password spraying); every failure is logged. Decision 0005.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "cms.accounts.lockout.CapabilityAxesHandler"
AXES_RESET_ON_SUCCESS = True
# The sign-in form keeps Django's field name `username` (it holds the e-mail address); every
# spelling of an address counts as one.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "cms.accounts.lockout.normalised_username"
# Password-reset requests: at most this many e-mails per address-and-account, and per address,
# in each window; further requests get the same "check your email" page and send nothing.
PASSWORD_RESET_LIMIT_PER_ACCOUNT = env_int("PASSWORD_RESET_LIMIT_PER_ACCOUNT", 3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 20)
PASSWORD_RESET_LIMIT_WINDOW = timedelta(minutes=env_int("PASSWORD_RESET_LIMIT_WINDOW_MINUTES", 60))
# The public certificate verification page (/certificates/<token>/): at most this many requests per client
# address in each window; more get 429 with Retry-After (decision 0209). Enough for a person checking a pile of
# certificates by hand, too few to try tokens.
CERTIFICATE_VERIFY_LIMIT_PER_ADDRESS = 30
CERTIFICATE_VERIFY_LIMIT_WINDOW_SECONDS = 60
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# A second factor (decision 0216): authenticator-app codes (django-otp's TOTP device) with recovery codes (its
# static device). Required, when this is on, of every account with an admin role and of superusers: after the
# password they set one up (the first time) or enter a code before reaching anything else. Anyone else may set one
# up, and then enters it at every sign-in whatever this says. Off in the dev and demo settings and, by default, in
# the test settings (tests that need it turn it on).
CAPABILITY_SECOND_FACTOR_REQUIRED = env_bool("CAPABILITY_SECOND_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "Capability"
# Wrong codes: django-otp refuses the next try for 1, 2, 4, 8 … seconds after each successive failure (per device;
# a right code resets it), so guessing a six-digit code is hopeless.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# How many recovery codes a set-up gives (each works once).
CAPABILITY_RECOVERY_CODES = 10
# Passkeys (WebAuthn, through django-otp-webauthn) count as the second factor too; base.py sets the relying party
# (OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_RP_NAME, OTP_WEBAUTHN_ALLOWED_ORIGINS) from the environment, defaulting to the
# site's own address (passkey_relying_party). A passkey is a second factor only: signing in with a passkey alone
# (no password) is off, and the library's own authentication backend is not installed.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "cms.security"


def passkey_relying_party(base_url: str) -> tuple[str, list[str]]:
    """The WebAuthn relying party id and allowed origins for a site at `base_url`: its host name and its origin.
    Browsers refuse an IP address as the id, so a site at 127.0.0.1 (the dev server's default) gets `localhost`:
    passkeys then work at http://localhost:<port>, and the rest of the site at either address."""
    parts = urlsplit(base_url)
    host = parts.hostname or "localhost"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host, [f"{parts.scheme}://{parts.netloc}"]
    port = f":{parts.port}" if parts.port else ""
    return "localhost", [f"{parts.scheme}://localhost{port}"]


# The client address (decision 0006): REMOTE_ADDR, unless the request came from one of the trusted proxies
# (FORWARDED_ALLOW_IPS, the variable gunicorn reads for the same purpose); then the address
# AXES_PROXY_COUNT entries from the right of X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
TRUSTED_PROXY_ADDRESSES = env_list("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
AXES_CLIENT_IP_CALLABLE = "cms.accounts.client_address.client_ip_address"
for _address in TRUSTED_PROXY_ADDRESSES:
    try:
        ipaddress.ip_network(_address, strict=False)
    except ValueError as exc:
        # `*` above all: trusting every peer's X-Forwarded-For lets anyone choose their address.
        raise ImproperlyConfigured(
            f"FORWARDED_ALLOW_IPS must list the proxies' addresses or networks, not {_address!r}"
        ) from exc

# --- Single sign-on with the organisation's OpenID Connect provider (decision 0215) ------------
# Off unless OIDC_ISSUER is set. The provider's endpoints and keys come from its discovery document
# (<issuer>/.well-known/openid-configuration), whose `issuer` must equal OIDC_ISSUER.
OIDC_ISSUER = (env("OIDC_ISSUER") or "").rstrip("/") or None
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID")
# How the service proves itself at the token endpoint: client_secret_basic or client_secret_post (with
# OIDC_CLIENT_SECRET), or private_key_jwt (a JWT signed with the PEM private key in OIDC_CLIENT_PRIVATE_KEY_FILE,
# whose public half is registered with the provider; OIDC_CLIENT_PRIVATE_KEY_ID names it, as `kid`).
OIDC_CLIENT_AUTH_METHOD = env("OIDC_CLIENT_AUTH_METHOD", "client_secret_basic")
OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET")
OIDC_CLIENT_PRIVATE_KEY_FILE = env("OIDC_CLIENT_PRIVATE_KEY_FILE")
OIDC_CLIENT_PRIVATE_KEY_ID = env("OIDC_CLIENT_PRIVATE_KEY_ID")
OIDC_SCOPES = env("OIDC_SCOPES", "openid email profile")
# The name on the sign-in button: "Sign in with <name>".
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", "your organisation account")
# A claim carrying the HR feed's staff number (e.g. employee_id), matched before the e-mail address. Optional.
OIDC_STAFF_NUMBER_CLAIM = env("OIDC_STAFF_NUMBER_CLAIM")
# `amr` values that count as a second factor (RFC 8176): recorded on the session (SECOND_FACTOR_SESSION_KEY).
OIDC_SECOND_FACTOR_AMR = env_list("OIDC_SECOND_FACTOR_AMR", "mfa,otp,hwk,swk,sms,fpt,face,iris,retina,sc,tel,vbm")
# The provider's groups to Capability's roles, `group=Role;group=Role` (roles by name). Off when empty; when on,
# every sign-in gives the mapped roles of the groups in OIDC_GROUPS_CLAIM and takes away the mapped roles of the
# groups missing; roles no group maps are never touched.
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", "groups")
OIDC_GROUP_ROLES = {
    group.strip(): role.strip()
    for group, _, role in (item.partition("=") for item in (env("OIDC_GROUP_ROLES") or "").split(";") if item.strip())
}
OIDC_CLOCK_LEEWAY_SECONDS = env_int("OIDC_CLOCK_LEEWAY_SECONDS", 60)
# Local (e-mail and password) sign-in. Off: only the superuser named in BREAK_GLASS_SUPERUSER_EMAIL signs in with
# a password, at /accounts/sign-in/break-glass/, for when the identity provider is down or misconfigured.
LOCAL_SIGN_IN_ENABLED = env_bool("LOCAL_SIGN_IN_ENABLED", True)
BREAK_GLASS_SUPERUSER_EMAIL = (env("BREAK_GLASS_SUPERUSER_EMAIL") or "").lower() or None
if OIDC_ISSUER and not OIDC_CLIENT_ID:
    raise ImproperlyConfigured("OIDC_CLIENT_ID is required when OIDC_ISSUER is set.")
if OIDC_CLIENT_AUTH_METHOD not in {"client_secret_basic", "client_secret_post", "private_key_jwt"}:
    raise ImproperlyConfigured(
        "OIDC_CLIENT_AUTH_METHOD must be client_secret_basic, client_secret_post or private_key_jwt, "
        f"not {OIDC_CLIENT_AUTH_METHOD!r}"
    )
if not LOCAL_SIGN_IN_ENABLED and not OIDC_ISSUER:
    raise ImproperlyConfigured("LOCAL_SIGN_IN_ENABLED=false needs single sign-on (OIDC_ISSUER), or nobody signs in.")

# --- Security headers -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# No inline script without the per-request nonce; the Wagtail admin gets its own, looser policy
# (see cms.core.middleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
