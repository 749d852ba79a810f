"""The kept database connection is checked before a request uses it without a statement for the server to run
while it is in use, and with one after an idle spell (decision 0226); a connection the server has ended is still
replaced before the request meets it."""

import select
import time

import psycopg
import pytest
from django.db import connection

from cms.core.postgresql.base import ROUND_TRIP_AFTER_SECONDS, DatabaseWrapper

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def kept():
    """A connection to the test database of its own (outside the test's transaction), kept between requests as
    production keeps it: CONN_MAX_AGE 60 with health checks."""
    wrapper = DatabaseWrapper(
        {**connection.settings_dict, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}, alias="kept-connection"
    )
    yield wrapper
    wrapper.close()


@pytest.fixture
def server():
    """A second connection, to look at and act on the first from the server's side."""
    with psycopg.connect(**_connection_params(), autocommit=True) as other:
        yield other


def _connection_params():
    params = connection.get_connection_params()
    return {key: params[key] for key in ("dbname", "user", "host", "port", "password") if params.get(key)}


def _backend_pid(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _request(wrapper) -> int:
    """What a request does with the connection: Django's request_started handler, then the first statement."""
    wrapper.close_if_unusable_or_obsolete()
    return _backend_pid(wrapper)


def test_a_kept_connection_is_checked_without_sending_the_server_a_statement(kept, server):
    pid = _request(kept)

    kept.close_if_unusable_or_obsolete()  # the next request begins
    kept.close_if_health_check_failed()  # and checks the connection before its first statement

    assert kept.health_check_done
    last = server.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0]
    assert last == "SELECT pg_backend_pid()"  # not a SELECT 1
    assert _backend_pid(kept) == pid  # and the connection was kept


def test_a_connection_idle_for_a_while_is_checked_with_a_round_trip(kept, server):
    pid = _request(kept)
    kept.checked_at -= ROUND_TRIP_AFTER_SECONDS + 1  # as if the worker had served nothing since

    kept.close_if_unusable_or_obsolete()
    kept.close_if_health_check_failed()

    last = server.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0]
    assert last == "SELECT 1"  # a peer that answers only when asked is asked
    assert _backend_pid(kept) == pid


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(kept, server):
    pid = _request(kept)

    server.execute("SELECT pg_terminate_backend(%s)", [pid])
    # The server's last word reaches the kept connection's socket (as it has long before the worker's next
    # request, in production).
    waiting = select.poll()
    waiting.register(kept.connection.fileno(), select.POLLIN)
    assert waiting.poll(5000), "the terminated connection heard nothing from the server"

    new_pid = _request(kept)  # no error: the request never meets the dead connection

    assert new_pid != pid
    deadline = time.monotonic() + 10
    while server.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0]:
        assert time.monotonic() < deadline, "the terminated backend is still there"
        time.sleep(0.05)


def test_a_connection_left_in_a_failed_transaction_is_replaced(kept):
    pid = _request(kept)
    kept.connection.execute("BEGIN")
    with pytest.raises(psycopg.errors.DivisionByZero):
        kept.connection.execute("SELECT 1 / 0")

    assert _request(kept) != pid


def test_a_connection_closed_by_the_library_is_replaced(kept):
    pid = _request(kept)
    kept.connection.close()

    assert _request(kept) != pid
