"""Project-wide test set-up.

Tests that need a real service are marked: `postgres` (row locks, real concurrency), `redis` (a real
Celery worker) and `e2e` (Chromium through Playwright). Where the service is missing they skip with
the reason, except when CAPABILITY_REQUIRE_SERVICES=1 (as in CI): then a missing service fails the
test, so nothing silently skips.
"""

import os
import shutil

import pytest
from django.db import connection

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
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_collection_modifyitems(config, items):
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test must use django_db(transaction=True, serialized_rollback=True) "
                "so that the data the migrations created is there for the tests after it (see tests/conftest.py)"
            )
