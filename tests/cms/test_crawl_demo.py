"""Every page each demo role can reach, on the real DDaT release and the demo's 57 people: signed in as each
demo account, follow every link from the dashboard, the home page and (for admin roles) the admin, and require
each page to answer without a server error and well under a second."""

import re
import time
from collections import deque
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from cms.accounts.models import User
from cms.demo.site import DEMO_ACCOUNTS

pytestmark = pytest.mark.django_db

LIMIT_SECONDS = 1.0
PAGES_PER_ROLE = 120
SKIPPED = ("/static/", "/media/", "/documents/", "/accounts/sign-out/", "/admin/logout/")
# Wagtail admin areas with nothing of ours in them and hundreds of near-identical links.
SKIPPED_ADMIN = ("/admin/images/", "/admin/documents/", "/admin/locales/", "/admin/sites/", "/admin/redirects/")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module in a transaction rolled back at its end (each test runs inside it,
    in a savepoint of its own)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def _links(html: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"#]+)', html):
        parts = urlsplit(unescape(href))
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(SKIPPED) or path.startswith(SKIPPED_ADMIN):
            continue
        found.append(path)
    return found


def crawl(client: Client, starts: list[str]) -> list[tuple[str, int, float]]:
    seen: set[str] = set()
    queue = deque(starts)
    visited = []
    while queue and len(visited) < PAGES_PER_ROLE:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        if elapsed > LIMIT_SECONDS:  # the first page of its kind compiles its templates: time it warm
            started = time.perf_counter()
            client.get(path)
            elapsed = time.perf_counter() - started
        visited.append((path, response.status_code, elapsed))
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            queue.extend(link for link in _links(response.content.decode()) if link not in seen)
    return visited


@pytest.mark.parametrize("email", [account.email for account in DEMO_ACCOUNTS])
def test_every_page_a_demo_role_reaches_answers_quickly_without_a_server_error(demo, email):
    client = Client()
    user = User.objects.get(email=email)
    client.force_login(user)
    client.get("/")  # warm the per-process caches (site, content types, templates) outside the timings

    starts = ["/dashboard/", "/", "/skills/", "/frameworks/ddat/", "/accounts/"]
    if user.is_staff:
        starts.append("/admin/")
    visited = crawl(client, starts)

    errors = [(path, status) for path, status, _ in visited if status >= 500]
    slow = sorted(((round(seconds, 2), path) for path, _, seconds in visited if seconds > LIMIT_SECONDS), reverse=True)
    assert len(visited) >= 20, visited  # the crawl really went somewhere
    assert errors == []
    assert slow == []
