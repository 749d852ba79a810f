"""Finding 5 of issue 7 (second half): a slow query ran on in PostgreSQL for minutes after its client left.

Every web request now runs its statements under WEB_STATEMENT_TIMEOUT_MS; Celery tasks, which share the
connection settings, do not. These tests make a real page and a real API endpoint run a slow query.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import shared_task
from django.db import connection
from django.test import override_settings

from cms.search import views
from frameworks import selectors
from tests.cms.processes import this_test_database_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TIMEOUT_MS = 300
SLOW_SECONDS = 5


def _slow_query(*args, **kwargs):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [SLOW_SECONDS])


def _backends_still_sleeping() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%%' AND state = 'active' "
            "AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@override_settings(WEB_STATEMENT_TIMEOUT_MS=TIMEOUT_MS)
def test_a_slow_query_in_a_page_is_cancelled_with_a_page_that_says_so(client, monkeypatch):

    monkeypatch.setattr(views, "framework_search", _slow_query)
    started = time.monotonic()

    response = client.get("/search/?q=anything")

    assert time.monotonic() - started < SLOW_SECONDS
    assert response.status_code == 503
    assert "This took too long to load" in response.content.decode()
    assert "stopped preparing this because it was taking too long" in response.content.decode()
    assert _backends_still_sleeping() == 0
    assert _statement_timeout() == "0"


@override_settings(WEB_STATEMENT_TIMEOUT_MS=TIMEOUT_MS)
def test_a_slow_query_in_the_api_is_cancelled_with_a_json_503(client, monkeypatch):

    monkeypatch.setattr(selectors, "frameworks_published", _slow_query)

    response = client.get("/api/frameworks/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "taking too long" in response.json()["detail"]
    assert _statement_timeout() == "0"


@override_settings(WEB_STATEMENT_TIMEOUT_MS=TIMEOUT_MS)
def test_a_request_under_the_limit_is_served_and_leaves_the_connection_unlimited(client):
    response = client.get("/search/?q=anything")

    assert response.status_code == 200
    assert _statement_timeout() == "0"


@shared_task
def _report_statement_timeout_after_a_slow_query() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [TIMEOUT_MS * 2 / 1000])
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@override_settings(WEB_STATEMENT_TIMEOUT_MS=TIMEOUT_MS)
def test_a_celery_task_is_not_limited_by_the_web_statement_timeout(client):
    client.get("/search/?q=anything")  # a web request on the same connection first

    result = _report_statement_timeout_after_a_slow_query.delay().get()

    assert result == "0"


# A web process (gunicorn loads cms.wsgi before the settings) starts its connections with the timeout; a process
# that does not load it (a Celery worker, a management command) is not limited. Each run in its own interpreter.
PROCESS_SCRIPT = """
import sys
if sys.argv[1] == "web":
    import cms.wsgi  # as gunicorn starts a worker
else:
    import django
    django.setup()
from django.conf import settings
from django.db import connection
from django.db.utils import OperationalError
with connection.cursor() as cursor:
    cursor.execute("SHOW statement_timeout")
    print(cursor.fetchone()[0], settings.WEB_STATEMENT_TIMEOUT_ON_CONNECT)
    try:
        cursor.execute("SELECT pg_sleep(%s)", [0.6])
        print("slept")
    except OperationalError as error:
        print("cancelled", error.__cause__.sqlstate)
"""


def _process_run(kind: str) -> list[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": this_test_database_url(),
        "WEB_STATEMENT_TIMEOUT_MS": str(TIMEOUT_MS),
    }
    env.pop("CAPABILITY_WEB_PROCESS", None)
    done = subprocess.run(
        [sys.executable, "-c", PROCESS_SCRIPT, kind],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.split("\n")[:2]


def test_a_web_process_starts_its_connections_with_the_timeout_and_cancels_a_slow_statement():
    assert _process_run("web") == [f"{TIMEOUT_MS}ms True", "cancelled 57014"]


def test_a_process_that_serves_no_web_requests_is_not_limited():
    assert _process_run("worker") == ["0 False", "slept"]
