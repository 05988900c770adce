"""A web process holds a bounded number of PostgreSQL connections, whatever the traffic (issue 13,
point 4; config/database_budget.py).

With the production settings (persistent connections, DB_CONN_MAX_AGE=60) every HTTP request left its
connection open in a thread nobody used again: 300 `GET /chat/`, two at a time, against a role allowed
40 connections answered 500 ("too many connections") once the 40 were used up, and a burst of page
views took 95 of the server's 100, refusing every database on it. Here uvicorn runs as production runs
it, with the production default for DB_CONN_MAX_AGE, as a database role with CONNECTION LIMIT 40
(the limit binds only roles that are not superusers), while this test counts the role's connections
in pg_stat_activity every 50 ms.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.db import connection

from config.database_budget import connections_per_web_process
from tests.e2e.journeys.stack import Stack, answers, database_url, environment, wait_until
from tests.processes import free_port

pytestmark = pytest.mark.django_db(transaction=True)
CAP = 40


def admin_dsn(db: dict[str, Any]) -> str:
    return database_url({**db, "NAME": "postgres"})


@pytest.fixture
def capped_role() -> Iterator[str]:
    """A login role for the test database with CONNECTION LIMIT 40, named after that database so runs
    on other test databases never share it."""
    db = connection.settings_dict
    role = f"{db['NAME']}_capped"[:60]
    admin = psycopg2.connect(admin_dsn(db))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        cursor.execute(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT {CAP}')
    with connection.cursor() as cursor:  # the grants live in the test database itself
        cursor.execute(f'GRANT ALL ON SCHEMA public TO "{role}"')
        cursor.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
        cursor.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    try:
        yield role
    finally:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [role]
            )
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
        with admin.cursor() as cursor:
            cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        admin.close()


class PeakConnections:
    """The most connections `role` held at once, sampled every 50 ms from pg_stat_activity."""

    def __init__(self, role: str) -> None:
        self.role = role
        self.peak = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        probe = psycopg2.connect(admin_dsn(connection.settings_dict))
        probe.autocommit = True
        try:
            with probe.cursor() as cursor:
                while not self.stopping.wait(0.05):
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s", [self.role])
                    self.peak = max(self.peak, cursor.fetchone()[0])
        finally:
            probe.close()

    def __enter__(self) -> PeakConnections:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.2)
        self.stopping.set()
        self.thread.join(timeout=10)


@pytest.fixture
def web_process(capped_role: str, settings: Any, tmp_path: Path) -> Iterator[Stack]:
    """One uvicorn process as README "Production" runs it, connecting as the capped role, with the
    production default for persistent connections (nothing overrides DB_CONN_MAX_AGE)."""
    db = {**connection.settings_dict, "USER": capped_role, "PASSWORD": ""}
    env = environment(db, settings.REDIS_URL, settings, tmp_path)
    env.pop("DB_CONN_MAX_AGE")
    port = free_port()
    stack = Stack(url=f"http://127.0.0.1:{port}")
    stack.start(
        "uvicorn",
        ["uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        env,
        tmp_path,
    )
    try:
        wait_until(lambda: answers(stack.url + "/en/browse-safely/"), 60, "uvicorn", stack)
        yield stack
    finally:
        stack.stop()


def fetch_all(url: str, count: int, concurrency: int) -> Counter[int]:
    def one(_: int) -> int:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    with ThreadPoolExecutor(concurrency) as pool:
        return Counter(pool.map(one, range(count)))


def test_300_chat_pages_two_at_a_time_never_run_out_of_connections(web_process, capped_role):
    with PeakConnections(capped_role) as peak:
        statuses = fetch_all(web_process.url + "/en/chat/", 300, concurrency=2)

    assert statuses == Counter({200: 300}), f"{statuses}\n{web_process.logs()[-3000:]}"
    assert 0 < peak.peak <= 2 + 1, f"{peak.peak} connections held for 2 requests at a time"


def test_a_burst_of_page_views_stays_within_one_web_process_budget(web_process, capped_role):
    budget = connections_per_web_process()
    assert budget <= 20  # README "Production": the figure the connection budget is sized with

    with PeakConnections(capped_role) as peak:
        statuses = fetch_all(web_process.url + "/en/chat/", 150, concurrency=30)

    assert statuses == Counter({200: 150}), f"{statuses}\n{web_process.logs()[-3000:]}"
    assert 0 < peak.peak <= budget, f"{peak.peak} connections for one web process (budget {budget})"
