import logging

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.core.exceptions import DisallowedHost, PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

from cms.accounts.client_address import is_trusted_proxy

disallowed_host_log = logging.getLogger("django.security.DisallowedHost")
security_log = logging.getLogger("cms.security")


class UntrustedForwardedHeadersMiddleware:
    """Drop the X-Forwarded-* headers of a request that did not come from a trusted proxy.

    Django believes X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) from whoever sends it, so a client reaching
    the app directly could claim HTTPS. Only the proxies in FORWARDED_ALLOW_IPS may say how a request
    arrived (decision 0006).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            for header in [name for name in request.META if name.startswith("HTTP_X_FORWARDED_")]:
                del request.META[header]
        return self.get_response(request)


class AllowedHostMiddleware:
    """Answer a request for a host not in ALLOWED_HOSTS with a plain 400, before anything else runs.

    Left to Django, the first `request.get_host()` (in SecurityMiddleware or CommonMiddleware) raises
    DisallowedHost, which is logged with a traceback and handed to the 400 page; that page's context
    processors need `request.user` and the host again, so the visitor got a 500. Such requests come
    from scanners and misdirected clients: one log line, no page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.get_host()
        except DisallowedHost:
            disallowed_host_log.warning(
                "Refused a request for a host not in ALLOWED_HOSTS: %r", request.META.get("HTTP_HOST")
            )
            response = HttpResponseBadRequest("Bad request: unknown host.\n", content_type="text/plain; charset=utf-8")
            response["X-Content-Type-Options"] = "nosniff"
            return response
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site's strict policy everywhere except the Wagtail admin.

    Wagtail's admin still relies on inline scripts and styles, so it gets `'unsafe-inline'` for
    those two directives; only signed-in editors reach it and every other directive stays strict.
    """

    admin_prefix = "/admin/"

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(self.admin_prefix):
            parts.replace = {
                **(parts.replace or {}),
                "script-src": [SELF, UNSAFE_INLINE],
                "style-src": [SELF, UNSAFE_INLINE],
                "img-src": [SELF, "data:", "blob:"],
            }
            parts.nonce = None
        return parts


class NoStoreForSignedInMiddleware:
    """Pages served to a signed-in person can hold personal data: no cache may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class RefusalLoggingMiddleware:
    """Log every authorisation refusal as a security event: who (user id) and which route.

    Views answer "not yours" with a 404, the same as "does not exist", so as not to reveal what exists; a 404
    raised on a route that names an object (it has URL parameters) is therefore logged as
    `object_not_found_or_refused`, and any PermissionDenied as `permission_denied`. Wagtail's page serving is
    left out: its 404s are for paths, not for someone's data. The Wagtail admin turns its refusals into a
    redirect with an error message instead of raising (`wagtail.admin.auth`), so such a redirect is logged
    too. The log holds no path, parameter, name or address: only the user id, the route name and the method.
    """

    unlogged_routes = frozenset({"wagtail_serve"})
    # Wagtail's own wording (translated as Wagtail translates it) for "you may not see this admin page".
    wagtail_refusals = (
        "Sorry, you do not have permission to access this area.",
        "You do not have permission to access the admin.",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code in (301, 302)
            and request.path_info.startswith("/admin/")
            and self._wagtail_refused(request)
        ):
            self._log(request, "permission_denied")
        return response

    def _wagtail_refused(self, request) -> bool:
        storage = getattr(request, "_messages", None)
        if storage is None:
            return False
        refusals = {gettext(text) for text in self.wagtail_refusals}
        refused = any(str(message).strip() in refusals for message in storage)
        storage.used = False  # looking must not use up the message the next page shows
        return refused

    def process_exception(self, request, exception):
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name in self.unlogged_routes:
            return None
        if isinstance(exception, PermissionDenied):
            self._log(request, "permission_denied")
        elif isinstance(exception, Http404) and (match.args or match.kwargs):
            self._log(request, "object_not_found_or_refused")
        return None

    def _log(self, request, kind: str) -> None:
        match = getattr(request, "resolver_match", None)
        route = match.view_name if match is not None else "unresolved"
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        security_log.warning(
            "access_refused kind=%s user_id=%s route=%s method=%s",
            kind,
            user_id if user_id is not None else "anonymous",
            route,
            request.method,
            extra={"event": "access_refused", "kind": kind, "user_id": user_id, "route": route},
        )
