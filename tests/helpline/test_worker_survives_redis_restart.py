"""The Celery worker lives through Redis restarts under load (issue 13, point 3).

With celery 5.7.0 and kombu 5.7.0 as pinned, a Redis restart while the worker had messages delivered and
not yet acknowledged killed it ("Unrecoverable error: AttributeError(\"'NoneType' object has no
attribute 'hostname'\")"): routing, offer expiry and the sweep stopped, and seekers waited beside free
slots. config/broker.py is the fix; bench/worker_redis_restart.py runs the same scenario by hand.

Here: a redis-server of the test's own on a spare port, the worker as production starts it against the
test database, tasks queued faster than it runs them, and Redis restarted three times (about 1.5 s
down each). After each restart the same worker process must answer a ping and run new tasks.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.db import connection

from bench.worker_redis_restart import run_restarts
from tests.e2e.journeys.stack import database_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server binary"),
]


def test_the_worker_keeps_running_tasks_through_three_redis_restarts_under_load(tmp_path: Path) -> None:
    outcome = run_restarts(
        database_url(connection.settings_dict),
        restarts=3,
        rate=60,
        load_seconds=3,
        down_seconds=1.5,
        recover_seconds=30,
        work_dir=tmp_path,
    )

    log = Path(outcome.log_path).read_text(errors="replace")
    assert not outcome.unrecoverable, f"the worker died: {outcome.unrecoverable}\n{log[-3000:]}"
    assert len(outcome.restarts) == 3, outcome.restarts
    for restart in outcome.restarts:
        # The same process, not a replacement: nothing has to notice and restart it.
        assert restart["alive"] and restart["same_pid"], (restart, log[-3000:])
        assert restart["recovered_in_s"] is not None and restart["recovered_in_s"] <= 30, restart
        assert restart["tasks_after"] >= 3, restart
    # Load really was on when Redis went: tasks ran before each restart, so messages were in flight.
    assert all(restart["tasks_before"] > 0 for restart in outcome.restarts)
