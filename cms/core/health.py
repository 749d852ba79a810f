"""The health check: can this instance serve pages?

Each check is one function in CHECKS that returns None (or a dict of figures to report) when all is well
or raises HealthCheckFailed with a short, non-sensitive reason. An unexpected exception also counts as a
failure: it is logged with its traceback, and the caller sees only that the check failed. `/healthz/` answers 200 when
every check passes and 503 otherwise, with the result of each check as JSON.

The endpoint is answered by HealthCheckMiddleware, ahead of every other middleware, because a load
balancer or a container health check asks for it by the container's address over plain HTTP: host
validation would refuse that address and the HTTPS redirect would send it away.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from skills.selectors import outbox_health

logger = logging.getLogger(__name__)


class HealthCheckFailed(Exception):
    """A check's expected failure; its message is shown in the health check's answer."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""
    figures: dict | None = None

    def as_json(self) -> dict:
        return {"ok": self.ok, **({"detail": self.detail} if self.detail else {}), **(self.figures or {})}


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _a_host_this_instance_serves() -> str:
    for host in settings.ALLOWED_HOSTS:
        name = host.lstrip(".")
        if name and "*" not in name:
            return name
    return "localhost"


def check_pages() -> None:
    """Render the not-found page as an anonymous visitor would get it.

    That page extends the template every page uses, so this needs what any page needs: every static
    file the page links to listed in the production manifest (a missing entry raises, where the
    home page would answer 500), the templates, the navigation settings and site in the database.
    The request is made up here with a host this instance serves, because the health check itself
    may be asked for under the container's address.
    """
    request = RequestFactory().get("/healthz/page/", HTTP_HOST=_a_host_this_instance_serves(), secure=True)
    request.user = AnonymousUser()
    html = render_to_string("404.html", request=request)
    if "</html>" not in html:
        raise HealthCheckFailed("the page template rendered incompletely")


def check_background_work() -> dict:
    """Report, never fail: the outbox's backlog, its retrying and failed messages, and how long ago the beat
    scheduler last ran the sweep. A mail server or worker outage must not take the web tier out of service;
    monitoring alerts on these figures instead (docs/decisions/0012)."""
    return outbox_health()


CHECKS: list[tuple[str, Callable[[], dict | None]]] = [
    ("database", check_database),
    ("pages", check_pages),
    ("background_work", check_background_work),
]


def run_checks() -> list[CheckResult]:
    results = []
    for name, check in CHECKS:
        try:
            figures = check()
        except HealthCheckFailed as failure:
            logger.error("Health check %s failed: %s", name, failure)
            results.append(CheckResult(name, ok=False, detail=str(failure)))
        except Exception:
            logger.exception("Health check %s failed", name)
            results.append(CheckResult(name, ok=False, detail="failed; the reason is in the log"))
        else:
            results.append(CheckResult(name, ok=True, figures=figures))
    return results


class HealthCheckMiddleware:
    """Answers `/healthz/` before host validation, the HTTPS redirect and sessions run (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == reverse("health"):
            from cms.core.views import health  # noqa: PLC0415 — a cycle: cms.core.views imports this module

            return health(request)
        return self.get_response(request)
