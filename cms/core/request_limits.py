"""Limits every request meets before it can reach the database.

RejectNullCharactersMiddleware: PostgreSQL refuses a NUL character (U+0000) in any text value, and the
driver raises on it, so one `%00` in a query parameter, a form field, the path or a cookie used to turn
into a 500 wherever that value reached a query. Nothing the service accepts can contain one, so the
request is refused with a 400 before any view runs: JSON under /api/, the site's error page elsewhere.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import render

NUL = "\x00"
API_PREFIX = "/api/"


def _where_a_null_character_is(request) -> str | None:
    if NUL in request.path:
        return "the address"
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return f"the query parameter '{key.replace(NUL, '')}'"
    for key, value in request.COOKIES.items():
        if NUL in key or NUL in value:
            return "a cookie"
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            return "a request header"
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        try:
            post, files = request.POST, request.FILES
        except OSError:
            # The client went away mid-body; CsrfViewMiddleware treats it the same way. Anything else
            # (too big, too many fields) propagates as Django's own 400, as it did from CSRF's check.
            return None
        for key, values in post.lists():
            if NUL in key or any(NUL in value for value in values):
                return f"the form field '{key.replace(NUL, '')}'"
        for key, uploaded in files.items():
            if NUL in key or NUL in (uploaded.name or ""):
                return "the name of an uploaded file"
    return None


class RejectNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = _where_a_null_character_is(request)
        if where is None:
            return self.get_response(request)
        message = f"{where[0].upper()}{where[1:]} contains a null character (%00), which Capability does not accept."
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": message}, status=400)
        # This runs before sessions: the page is the anonymous visitor's, whoever sent the request.
        request.user = AnonymousUser()
        return render(request, "400_null_character.html", {"message": message}, status=400)
