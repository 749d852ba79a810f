"""Project-wide test set-up.

Tests that need a real service are marked: `postgres` (row locks, real concurrency), `redis` (a real
Celery worker) and `e2e` (Chromium through Playwright). Where the service is missing they skip with
the reason, except when CAPABILITY_REQUIRE_SERVICES=1 (as in CI): then a missing service fails the
test, so nothing silently skips.
"""

import os
import shutil
from contextlib import contextmanager
from functools import partial

import pytest
from django.core.cache import caches
from django.db import connection
from django.db import connection as default
from django.test.utils import CaptureQueriesContext

REQUIRE_SERVICES = os.environ.get("CAPABILITY_REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _missing_service(marker_name: str) -> str | None:
    if marker_name == "postgres" and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if marker_name == "redis" and not os.environ.get("REDIS_URL"):
        return "needs Redis: set REDIS_URL=redis://..."
    if marker_name == "e2e" and not shutil.which(CHROMIUM):
        return f"needs Chromium at {CHROMIUM}: apt-get install chromium"
    return None


@pytest.fixture(autouse=True)
def _require_services(request):
    for marker_name in ("postgres", "redis", "e2e"):
        if request.node.get_closest_marker(marker_name) is None:
            continue
        reason = _missing_service(marker_name)
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason} (CAPABILITY_REQUIRE_SERVICES=1 forbids skipping)")
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with empty caches, the shared one and the per-process one in front of it."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


def pytest_collection_modifyitems(config, items):
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test must use django_db(transaction=True, serialized_rollback=True) "
                "so that the data the migrations created is there for the tests after it (see tests/conftest.py)"
            )


# Every web request on PostgreSQL sets and then resets its statement timeout (cms.core.request_limits): two
# statements of the request's frame, not of the page. Pinned query counts leave them out, so that a page's
# count is the same on SQLite and PostgreSQL.
REQUEST_FRAME_STATEMENTS = ("SELECT set_config('statement_timeout'", "RESET statement_timeout")


def page_queries(captured: list[dict]) -> list[dict]:
    return [query for query in captured if not query["sql"].startswith(REQUEST_FRAME_STATEMENTS)]


def _default_connection():
    return default


@contextmanager
def _assert_page_queries(config, num: int, *, exact: bool = True, connection=None, info=None):
    with CaptureQueriesContext(connection or _default_connection()) as context:
        yield context
    performed = page_queries(context.captured_queries)
    if (len(performed) != num) if exact else (len(performed) > num):
        message = f"Expected to perform {num} queries {'' if exact else 'or less '}but {len(performed)} were done"
        if info:
            message += f"\n{info}"
        if config.getoption("verbose") > 0:
            message += "\n\nQueries:\n========\n\n" + "\n\n".join(query["sql"] for query in performed)
        pytest.fail(message)


@pytest.fixture
def django_assert_num_queries(pytestconfig):
    """pytest-django's fixture, counting the page's queries only (see REQUEST_FRAME_STATEMENTS)."""
    return partial(_assert_page_queries, pytestconfig)


@pytest.fixture
def django_assert_max_num_queries(pytestconfig):
    return partial(_assert_page_queries, pytestconfig, exact=False)
