"""A production-like site for the browser journeys: uvicorn (HTTP and WebSockets), a Celery worker and
Celery beat, each its own process, on the pytest test database and the same Redis as the tests.

pytest-django's `live_server` is a WSGI thread: it cannot carry the chat's WebSockets, and with it
Celery tasks run nowhere. Here every part runs as production runs it (README, "Production"), only on
a free port of 127.0.0.1 and with a few timings shortened.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from tests.processes import die_with_parent, free_port

ROOT = Path(__file__).resolve().parents[3]
# Where the quick exit goes while these tests run. The browser never reaches it: each journey answers
# it with a stand-in page, so no test ever touches a real third-party site.
NEUTRAL_URL = "https://neutral.example/"
# Every browser the journeys open says this, so the logs can be searched for it afterwards.
CANARY_USER_AGENT = "CanaryBrowser/7.7 (privacy-test; x77)"


def database_url(db: dict[str, Any]) -> str:
    user = quote(str(db.get("USER") or ""))
    password = db.get("PASSWORD") or ""
    credentials = f"{user}:{quote(str(password))}" if password else user
    return f"postgres://{credentials}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def environment(db: dict[str, Any], redis_url: str, settings: Any, var_dir: Path) -> dict[str, str]:
    """What every process of the stack is started with: the test database, the same Redis, the same
    encryption keys and passphrase secret as the test process (tests read what the site wrote)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTEST_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(db),
            "DB_CONN_MAX_AGE": "0",
            "REDIS_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "ENCRYPTION_KEYS": ",".join(settings.ENCRYPTION_KEYS),
            "PASSPHRASE_SECRET": settings.PASSPHRASE_SECRET,
            "VAR_DIR": str(var_dir),
            "QUICK_EXIT_URL": NEUTRAL_URL,
            # The no-JavaScript chat frame refreshes itself; quicker here so the journey is not slow.
            "HELPLINE_NO_JS_REFRESH_SECONDS": "2",
            "HELPLINE_SWEEP_SECONDS": "3",
            # Every browser here comes from 127.0.0.1, so every test shares one rate-limit key.
            "RATE_LIMIT_CHAT_START": "200/h",
            "RATE_LIMIT_SECURE_MESSAGE": "200/h",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    log_file: IO[str]

    def text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 20.0) -> None:
        if self.popen.poll() is None:
            # Each process leads its own group, so prefork children go with their parent.
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=timeout)
        self.log_file.close()


@dataclass
class Stack:
    url: str
    processes: list[Process] = field(default_factory=list)

    def start(self, name: str, args: list[str], env: dict[str, str], log_dir: Path) -> Process:
        log_path = log_dir / f"{name}.log"
        log_file = log_path.open("w")
        popen = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        process = Process(name, popen, log_path, log_file)
        self.processes.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.text()}" for p in self.processes)

    def log_sizes(self) -> dict[str, int]:
        return {p.name: p.log_path.stat().st_size for p in self.processes}

    def logs_since(self, sizes: dict[str, int]) -> str:
        parts = []
        for p in self.processes:
            with p.log_path.open("rb") as log:
                log.seek(sizes.get(p.name, 0))
                parts.append(log.read().decode(errors="replace"))
        return "\n".join(parts)

    def check_running(self) -> None:
        for p in self.processes:
            code = p.popen.poll()
            if code is not None:
                raise RuntimeError(f"{p.name} stopped with exit code {code}:\n{p.text()[-4000:]}")

    def stop(self) -> None:
        for p in reversed(self.processes):
            p.stop()


def wait_until(condition: Callable[[], bool], timeout: float, what: str, stack: Stack) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.check_running()
        if condition():
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not come up within {timeout:.0f} s:\n{stack.logs()[-4000:]}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def start_web_process(
    stack: Stack, port: int, env: dict[str, str], log_dir: Path, name: str = "uvicorn"
) -> str:
    """A web process of the stack on `port` (the stack has one; a journey may add another, as a second
    host behind the same address would be); its address once it answers."""
    url = f"http://127.0.0.1:{port}"
    # As in production: access log off, so no client address is ever written.
    stack.start(
        name,
        [
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env,
        log_dir,
    )
    wait_until(lambda: answers(url + "/en/browse-safely/"), 60, name, stack)
    return url


def start_stack(env: dict[str, str], log_dir: Path, *, beat: bool = True) -> Stack:
    port = free_port()
    stack = Stack(url=f"http://127.0.0.1:{port}")
    try:
        # The worker first: it starts while the web process gets ready.
        worker = stack.start(
            "worker",
            [
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            env,
            log_dir,
        )
        if beat:
            stack.start(
                "beat",
                ["celery", "-A", "config", "beat", "-s", str(log_dir / "beat-schedule"), "--loglevel=INFO"],
                env,
                log_dir,
            )
        start_web_process(stack, port, env, log_dir)
        wait_until(lambda: " ready." in worker.text(), 60, "the Celery worker", stack)
    except BaseException:
        stack.stop()
        raise
    return stack
