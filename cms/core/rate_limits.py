"""A per-client-address request limit for public pages that look things up by a secret in the URL (the certificate
verification page, decision 0209): someone trying tokens meets 429 with a Retry-After long before they could find
one. Counted in the shared cache in fixed windows; the key is a hash, so the cache holds no address. The address is
the one decision 0006 trusts (`client_ip_address`), so a forged X-Forwarded-For moves nothing."""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from cms.accounts.client_address import client_ip_address

security_log = logging.getLogger("cms.security")


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def limited_per_address(*, scope: str, limit_setting: str, window_setting: str):
    """Allow a client address `settings.<limit_setting>` requests to the view in each window of
    `settings.<window_setting>` seconds; answer the rest 429 with Retry-After (the seconds until the window ends),
    before the view runs, so a refused request costs no query."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            limit, window = getattr(settings, limit_setting), max(1, getattr(settings, window_setting))
            address = client_ip_address(request) or "unknown"
            now = int(time.time())
            window_start = now - now % window
            digest = hashlib.sha256(address.encode()).hexdigest()
            if _count(f"rate:{scope}:{digest}:{window_start}", window + 1) > limit:
                security_log.warning("rate_limited scope=%s address=%s", scope, address)
                retry_after = window_start + window - now
                response = render(request, "429.html", {"retry_after": retry_after}, status=429)
                response["Retry-After"] = str(retry_after)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
