"""Django's PostgreSQL backend, with a health check that costs no round trip while nothing is wrong.

Django's CONN_HEALTH_CHECKS sends "SELECT 1" before the first query after every close_old_connections,
and each socket frame's database call (helpline.chat.socket_frames.run_action) begins with one: at a
few hundred chat messages a second that ping was a tenth of a web process's time. Yet a connection the
server has ended is never silent: when PostgreSQL restarts, or a backend is terminated, or PgBouncer
drops a client, the server's farewell (an error message, then the end of the stream) is waiting on
the socket before the next query is sent. So the check looks first, without waiting, whether anything
has arrived on an idle connection. Nothing has: the connection is as it was left, and the query goes
ahead. Something has: it is asked properly (Django's "SELECT 1"), and replaced if that fails.

A connection whose network path has silently gone (no farewell at all) would not answer a "SELECT 1"
either; the query waits for the same TCP timeout as the ping would have.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    # Set by Django's base wrapper; django-stubs does not declare them.
    health_check_enabled: bool
    health_check_done: bool

    def close_if_health_check_failed(self) -> None:
        if self.connection is None or not self.health_check_enabled or self.health_check_done or self.pool:
            return
        if not self.quiet_since_last_use():
            super().close_if_health_check_failed()  # the full check: SELECT 1, and a close if it fails
        self.health_check_done = True

    def quiet_since_last_use(self) -> bool:
        """Whether the idle connection is open on our side with nothing from the server waiting on it."""
        connection = self.connection
        if connection is None or connection.closed:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # a socket already closed
            return False
        return not readable
