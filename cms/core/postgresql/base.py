"""Django's PostgreSQL backend, with a health check that costs no round trip (decision 0226).

With persistent connections (decision 0017) Django checks a kept connection before a request first uses it, by
running `SELECT 1`: a round trip, and a statement for PostgreSQL to run, on every request that reads the
database. Every signed-in page paid it; the anonymous pages, which read nothing, did not. A connection the server
has closed (a restart, a terminated backend, an idle-session timeout, a pooler closing it) has, by then, either
its socket at its end or the server's last message waiting on it, unasked: a connection that is idle between
requests receives nothing else. So the check looks at the socket instead, without waiting, and the connection is
replaced when the library knows it is broken, when it is in a failed transaction, or when anything is waiting.

What only a round trip would find is a connection whose server vanished without a word (a host lost with no
reset): `SELECT 1` would wait for it as long as the page's first statement does. Django's check after an error
(`close_if_unusable_or_obsolete`) still runs `SELECT 1`.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq

# A connection in one of these states cannot run the request's statements.
_UNUSABLE = (pq.TransactionStatus.INERROR, pq.TransactionStatus.UNKNOWN, pq.TransactionStatus.ACTIVE)


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if self.pool or self.connection is None or not self.health_check_enabled or self.health_check_done:
            return super().close_if_health_check_failed()
        if not self.is_open_and_quiet():
            self.close()
        self.health_check_done = True

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
