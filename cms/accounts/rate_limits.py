"""Counters in the Django cache that stop one address from making the service send e-mail without end."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from cms.accounts.lockout import normalise_email

security_log = logging.getLogger("cms.security")


def _count(key: str) -> int:
    """Add one to a fixed-window counter and return the new count."""
    timeout = int(settings.PASSWORD_RESET_LIMIT_WINDOW.total_seconds())
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def password_reset_request_allowed(*, address: str | None, email: str) -> bool:
    """Count a password-reset request and say whether it may send an e-mail.

    Both counters move on every request, whether or not the account exists, so the answer never
    depends on (and so never reveals) whether there is an account. Keys are hashes: the cache
    holds no e-mail address.
    """
    address = address or "unknown"
    per_account = _count(f"password-reset:{_digest(address, normalise_email(email))}")
    per_address = _count(f"password-reset:{_digest(address)}")
    allowed = (
        per_account <= settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT
        and per_address <= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    )
    if not allowed:
        security_log.warning("password_reset_rate_limited address=%s", address)
    return allowed
