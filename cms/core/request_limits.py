"""Limits every request meets before it can reach the database.

RejectNullCharactersMiddleware: PostgreSQL refuses a NUL character (U+0000) in any text value, and the
driver raises on it, so one `%00` in a query parameter, a form field, the path or a cookie used to turn
into a 500 wherever that value reached a query. Nothing the service accepts can contain one, so the
request is refused with a 400 before any view runs: JSON under /api/, the site's error page elsewhere.

StatementTimeoutMiddleware: on PostgreSQL, no statement a web request runs may take longer than
WEB_STATEMENT_TIMEOUT_MS (settings; 0 turns it off), so a request whose client has gone cannot pin a
database backend for minutes. A web process (gunicorn, through cms.wsgi) starts its connections with it
(cms.settings.base, WEB_STATEMENT_TIMEOUT_ON_CONNECT); elsewhere (the dev server, the test client) it is set
for the request and reset when the response is closed (after a streamed response's last row). Celery
workers, which share the settings, are not limited: a task may legitimately run a long statement. A
request that hits the limit gets a 503 page that says so (decision 0009).
"""

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)

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


QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout


def _set_statement_timeout(milliseconds: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{milliseconds}ms"])


def _reset_statement_timeout() -> None:
    if connection.connection is None:
        return  # closed already: the next request's connection starts without one
    try:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
    except Exception:
        # An aborted transaction refuses the RESET; its rollback reverts the SET anyway.
        logger.debug("Could not reset statement_timeout", exc_info=True)


def _is_statement_timeout(exception: BaseException) -> bool:
    return isinstance(exception, OperationalError) and getattr(exception.__cause__, "sqlstate", None) == QUERY_CANCELED


class StatementTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        milliseconds = settings.WEB_STATEMENT_TIMEOUT_MS
        if connection.vendor != "postgresql" or milliseconds <= 0 or settings.WEB_STATEMENT_TIMEOUT_ON_CONNECT:
            # A web process's connections start with the timeout (cms.settings.base): nothing to set per request.
            return self.get_response(request)
        _set_statement_timeout(milliseconds)
        try:
            response = self.get_response(request)
        except BaseException:
            _reset_statement_timeout()
            raise
        # Reset when the response is closed, so a streamed export's queries stay under the limit too.
        response._resource_closers.append(_reset_statement_timeout)
        return response

    def process_exception(self, request, exception):
        if not _is_statement_timeout(exception):
            return None
        logger.warning("A statement of %s %s ran past the web statement timeout", request.method, request.path)
        message = (
            "Capability stopped preparing this because it was taking too long. Try again later. "
            "If it keeps happening, contact the Capability team."
        )
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": message}, status=503)
        # No context processors: the transaction that was cancelled cannot run their queries.
        html = loader.get_template("503_timeout.html").render({"service_name": "Capability", "message": message})
        return HttpResponse(html, status=503)
