from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.utils.cache import add_never_cache_headers


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
