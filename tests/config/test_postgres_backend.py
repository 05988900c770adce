"""The database backend's health check (config/postgres): no round trip while nothing is wrong, and a
connection the server has ended is replaced before a frame's query can fail on it."""

import psycopg2
import pytest
from django.db import close_old_connections, connection
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

from tests.config.test_database_budget import admin_dsn

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kept_connection(monkeypatch):
    """As in production: connections kept between calls and checked before reuse (tests run with
    DB_CONN_MAX_AGE=0, which closes them instead)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    connection.close()
    connection.connect()
    yield connection
    connection.close()


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def test_a_connection_the_server_ended_is_replaced_before_the_next_query(kept_connection):
    first = backend_pid()
    close_old_connections()  # the end of one socket frame's call
    admin = psycopg2.connect(admin_dsn(connection.settings_dict))
    try:
        with admin.cursor() as cursor:
            # As a restart or PgBouncer would: the server ends the idle connection (and waits until it has).
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [first])
            assert cursor.fetchone()[0] is True
    finally:
        admin.close()

    close_old_connections()  # the start of the next frame's call
    second = backend_pid()  # no error: the check saw the server's farewell and reconnected

    assert second != first


def test_a_healthy_idle_connection_is_used_without_a_ping(kept_connection, monkeypatch):
    pings = []
    original = DjangoWrapper.is_usable

    def counted(self):
        pings.append(1)
        return original(self)

    monkeypatch.setattr(DjangoWrapper, "is_usable", counted)
    first = backend_pid()
    for _ in range(5):
        close_old_connections()
        assert backend_pid() == first

    assert pings == []
