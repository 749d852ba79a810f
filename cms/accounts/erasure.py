"""Erasing one person's part of what signing in keeps and no field leads to (the `matched_by` entries and the
session cache of cms.accounts.personal_data), and the passkeys, which are deleted rather than anonymised: called by
skills' erasure engine through the register's ERASERS, before the account's address is anonymised (docs/decisions/
0217)."""

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as CACHED_SESSION_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential, WebAuthnUserHandle

from cms.accounts.lockout import normalise_email
from skills.services.accounts import user_sessions_end


def _username(user) -> str:
    return normalise_email(user.email) or ""


def access_attempts_erase(*, person, user) -> int:
    """Delete the failed-sign-in counters kept under the account's address (their expiries go with them)."""
    return AccessAttempt.objects.filter(username__iexact=_username(user)).delete()[1].get("axes.AccessAttempt", 0)


def access_attempt_expirations_erase(*, person, user) -> int:
    return AccessAttemptExpiration.objects.filter(access_attempt__username__iexact=_username(user)).delete()[0]


def access_logs_erase(*, person, user) -> int:
    return AccessLog.objects.filter(username__iexact=_username(user)).delete()[0]


def access_failure_logs_erase(*, person, user) -> int:
    return AccessFailureLog.objects.filter(username__iexact=_username(user)).delete()[0]


def sessions_erase(*, person, user) -> int:
    """Delete the account's sessions; each deletion also removes the session's copy in the shared cache
    (cms.accounts.signals.forget_cached_session), which is how the session-cache store is erased."""
    return user_sessions_end(user_ids={user.pk})


def session_cache_erase(*, person, user) -> int:
    """Delete the cached copies of the account's sessions (run before `sessions_erase`, whose deletions remove
    them again through cms.accounts.signals.forget_cached_session: a copy never outlives its session)."""
    keys = [
        CACHED_SESSION_PREFIX + session.session_key
        for session in Session.objects.iterator(chunk_size=500)
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk)
    ]
    caches[settings.SESSION_CACHE_ALIAS].delete_many(keys)
    return len(keys)


# Passkeys are deleted: their public keys and ids are binary, and a passkey kept with its key would still sign in.
def passkeys_erase(*, person, user) -> int:
    """Delete the account's passkeys (their attestations go with them)."""
    return WebAuthnCredential.objects.filter(user=user).delete()[1].get(WebAuthnCredential._meta.label, 0)


def passkey_attestations_erase(*, person, user) -> int:
    return WebAuthnAttestation.objects.filter(credential__user=user).delete()[0]


def passkey_user_handles_erase(*, person, user) -> int:
    return WebAuthnUserHandle.objects.filter(user=user).delete()[0]
