"""The production recipe restarts whatever dies (issue 13, point 3; deploy/supervisord.conf).

Before it, a Celery worker killed by a Redis restart stayed dead: routing, offer expiry and the sweep
stopped and seekers waited beside free slots. Here the single-host recipe runs as README "Production"
says (supervisord with uvicorn, the Celery worker and beat), on the test database and a Redis server of
the test's own, and its processes are killed with SIGKILL, the way a crash or the kernel's OOM killer
ends them. Each must be running again, as a new process doing its work, within seconds.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from bench.worker_redis_restart import SUCCEEDED, RedisServer, ping, spare_port
from tests.e2e.journeys.stack import database_url
from tests.processes import die_with_parent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server binary"),
]
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONF = ROOT / "deploy" / "supervisord.conf"
BACK_WITHIN_SECONDS = 30


def wait_for(condition: Callable[[], Any], seconds: float, what: str, log: Callable[[], str]) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError(f"{what} not within {seconds:.0f} s\n{log()[-4000:]}")


def process_exists(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (FileNotFoundError, ProcessLookupError, ValueError):
                continue
    return found


@dataclass
class Recipe:
    """supervisord from deploy/supervisord.conf, its control socket and logs in `var`."""

    env: dict[str, str]
    var: Path
    web_url: str
    broker_url: str
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with (self.var / "supervisord.out").open("wb") as out:
            self.process = subprocess.Popen(
                [str(BIN / "supervisord"), "-c", str(CONF)],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )

    def ctl(self, *args: str) -> str:
        result = subprocess.run(
            [str(BIN / "supervisorctl"), "-c", str(CONF), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        return result.stdout

    def running_pid(self, name: str) -> int | None:
        """The pid of a program that supervisord reports RUNNING, else None."""
        found = re.search(rf"^{re.escape(name)}\s+RUNNING\s+pid (\d+)", self.ctl("status", name), re.M)
        return int(found.group(1)) if found else None

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name} ---\n{path.read_text(errors='replace')[-1500:]}"
            for path in sorted(self.var.glob("*.log"))
        )

    def page_answers(self) -> bool:
        try:
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            with opener.open(self.web_url + "/en/browse-safely/", timeout=5) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def tasks_succeeded(self) -> int:
        log = self.var / "worker.log"
        return len(SUCCEEDED.findall(log.read_bytes())) if log.exists() else 0

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # what systemd or Ctrl+C sends: stops everything
            try:
                self.process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture
def recipe(settings: Any, tmp_path: Path) -> Iterator[Recipe]:
    redis_server = RedisServer(spare_port(), tmp_path / "redis.log")
    redis_server.start()
    broker_url = f"redis://127.0.0.1:{redis_server.port}/0"
    web_port = spare_port()
    var = tmp_path / "var"
    var.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(connection.settings_dict),
            "REDIS_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "ENCRYPTION_KEYS": ",".join(settings.ENCRYPTION_KEYS),
            "PASSPHRASE_SECRET": settings.PASSPHRASE_SECRET,
            "VAR_DIR": str(var),
            "WEB_PORT": str(web_port),
            "HELPLINE_SWEEP_SECONDS": "1",  # beat queues a sweep every second: work for the worker
            "PYTHONUNBUFFERED": "1",
        }
    )
    recipe = Recipe(env, var, f"http://127.0.0.1:{web_port}", broker_url)
    recipe.start()
    pids: list[int] = []
    try:
        for name in ("web:web-0", "web:web-1", "worker", "beat"):
            running: Callable[[], int | None] = functools.partial(recipe.running_pid, name)
            pids.append(wait_for(running, 90, f"{name} running", recipe.logs))
        wait_for(recipe.page_answers, 60, "the site answering", recipe.logs)
        wait_for(lambda: ping(broker_url), 60, "the worker answering a ping", recipe.logs)
        yield recipe
    finally:
        everything = [p for pid in pids for p in [pid, *children_of(pid)]]
        recipe.stop()
        redis_server.stop()
        left = [pid for pid in everything if process_exists(pid)]
        assert not left, f"still running after supervisord stopped: {left}"


def test_a_killed_worker_is_running_and_working_again_within_seconds(recipe):
    old = recipe.running_pid("worker")
    assert old is not None
    pool = children_of(old)
    assert pool, "the worker's pool processes"

    os.kill(old, signal.SIGKILL)
    killed_at = time.monotonic()

    new = wait_for(
        lambda: (pid := recipe.running_pid("worker")) and pid != old and pid,
        BACK_WITHIN_SECONDS,
        "a new worker process",
        recipe.logs,
    )
    before = recipe.tasks_succeeded()
    wait_for(
        lambda: ping(recipe.broker_url), BACK_WITHIN_SECONDS, "the new worker answering a ping", recipe.logs
    )
    wait_for(lambda: recipe.tasks_succeeded() > before, BACK_WITHIN_SECONDS, "a task run", recipe.logs)
    assert time.monotonic() - killed_at <= BACK_WITHIN_SECONDS * 2
    assert process_exists(new)
    # The dead worker's pool processes do not linger, holding database connections or messages.
    wait_for(lambda: not any(process_exists(p) for p in pool), 20, "the old pool processes gone", recipe.logs)


def test_a_killed_web_process_comes_back_and_the_site_never_stops_answering(recipe):
    old = recipe.running_pid("web:web-0")
    assert old is not None

    os.kill(old, signal.SIGKILL)
    assert recipe.page_answers()  # the other web process serves meanwhile, on the same socket

    wait_for(
        lambda: (pid := recipe.running_pid("web:web-0")) and pid != old,
        BACK_WITHIN_SECONDS,
        "web-0 running again",
        recipe.logs,
    )
    assert recipe.page_answers()


def test_a_killed_beat_comes_back(recipe):
    old = recipe.running_pid("beat")
    os.kill(old, signal.SIGKILL)
    wait_for(
        lambda: (pid := recipe.running_pid("beat")) and pid != old,
        BACK_WITHIN_SECONDS,
        "beat running again",
        recipe.logs,
    )
