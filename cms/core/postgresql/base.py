"""Django's PostgreSQL backend, with a health check that costs no round trip while the connection is in use
(decision 0226).

With persistent connections (decision 0017) Django checks a kept connection before a request first uses it, by
running `SELECT 1`: a round trip, and a statement for PostgreSQL to run, on every request that reads the
database. Every signed-in page paid it; the anonymous pages, which read nothing, did not. A connection the server
has closed (a restart, a terminated backend, an idle-session timeout, a pooler closing it) has, by then, either
its socket at its end or the server's last message waiting on it, unasked: a connection that is idle between
requests receives nothing else. So the check looks at the socket instead, without waiting, and the connection is
replaced when the library knows it is broken, when it is in a failed transaction, or when anything is waiting.

What only a round trip finds is a peer that says nothing until it is sent something: a host that came back on the
same address without the connection, a fail-over that moved the address to another server, a firewall or NAT that
forgot the connection. Those come after an idle spell, so a connection that has not been checked for
`ROUND_TRIP_AFTER_SECONDS` is checked with Django's `SELECT 1` as before. Django's check after an error
(`close_if_unusable_or_obsolete` when `errors_occurred`) still runs `SELECT 1` too.
"""

import select
import time

from django.db.backends.postgresql import base
from psycopg import pq

# A connection in one of these states cannot run the request's statements.
_UNUSABLE = (pq.TransactionStatus.INERROR, pq.TransactionStatus.UNKNOWN, pq.TransactionStatus.ACTIVE)

# Without `poll` (Windows) the check is Django's round trip.
_CAN_POLL = hasattr(select, "poll")

# A connection idle for longer than this is checked with a round trip (`SELECT 1`): a busy worker's connection,
# used every few milliseconds, never is.
ROUND_TRIP_AFTER_SECONDS = 5.0


class DatabaseWrapper(base.DatabaseWrapper):
    checked_at: float | None = None

    def close_if_health_check_failed(self):
        if (
            not _CAN_POLL
            or self.pool
            or self.connection is None
            or not self.health_check_enabled
            or self.health_check_done
        ):
            return super().close_if_health_check_failed()
        now = time.monotonic()
        idle = self.checked_at is None or now - self.checked_at > ROUND_TRIP_AFTER_SECONDS
        if not self.is_open_and_quiet() or (idle and not self.is_usable()):
            self.close()
        self.health_check_done = True
        self.checked_at = now

    def connect(self):
        super().connect()
        self.checked_at = time.monotonic()

    def is_open_and_quiet(self) -> bool:
        """Whether the kept connection is open with nothing waiting on its socket: no round trip."""
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.pgconn.transaction_status in _UNUSABLE:
            return False
        try:
            waiting = select.poll()
            waiting.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            return not waiting.poll(0)
        except (OSError, ValueError):
            return False
