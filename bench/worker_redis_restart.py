"""Does the Celery worker survive a Redis restart under load? (issue 13, point 3)

    .venv/bin/python -m bench.worker_redis_restart                    # 3 restarts, own Redis on a spare port
    .venv/bin/python -m bench.worker_redis_restart --restarts 1 --rate 100 --kill

What runs: a redis-server of its own on a spare port (no persistence, as a restart that loses the
queue), and a Celery worker as production runs it (`celery -A config worker`, README "Production"),
against DATABASE_URL (default: this machine's `helpline` database; it must be migrated). This process
queues the worker's real, harmless tasks (`helpline.tasks.sweep`, `helpline.tasks.route_waiting_seekers`)
faster than it runs them, so messages are always delivered but not yet acknowledged when Redis goes:
the state in which kombu 5.7.0's redis transport restores them on reconnecting, and where the worker
died with `Unrecoverable error: AttributeError("'NoneType' object has no attribute 'hostname'")`.
Then Redis is stopped (SIGTERM, or SIGKILL with --kill) and started again on the same port within
--down seconds, and the run checks that the worker process is still the same one, still alive, and
runs tasks again: it answers `celery inspect ping` and new tasks succeed.

Prints one line per restart and a verdict; exits 1 if the worker died or stopped working.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
TASKS = ("helpline.tasks.sweep", "helpline.tasks.route_waiting_seekers")
SUCCEEDED = re.compile(rb"Task helpline\.tasks\.\w+\[[0-9a-f-]+\] succeeded")


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def port_answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5) as conn:
        conn.sendall(b"PING\r\n")
        return conn.recv(16).startswith(b"+PONG")
    return False


@dataclass
class RedisServer:
    """A redis-server of our own: no snapshot, no append-only file, so a restart starts empty."""

    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while not port_answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {self.port} did not start; see {self.log_path}")
            time.sleep(0.05)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


@dataclass
class Worker:
    """`celery -A config worker` as README "Production" runs it, its log in a file."""

    env: dict[str, str]
    log_path: Path
    concurrency: int = 2
    process: subprocess.Popen[bytes] | None = None
    log: IO[bytes] | None = None

    def start(self, timeout: float = 90) -> None:
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while b" ready." not in self.text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the worker did not start:\n{self.text()[-3000:].decode(errors='replace')}"
                )
            time.sleep(0.1)

    def text(self) -> bytes:
        return self.log_path.read_bytes()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def succeeded(self, since: int = 0) -> int:
        return len(SUCCEEDED.findall(self.text()[since:]))

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.log is not None:
            self.log.close()


class Load:
    """Queues tasks by name at a steady rate from a thread, shrugging off the moments Redis is gone."""

    def __init__(self, broker_url: str, rate: float) -> None:
        from celery import Celery

        # Not the current app: shared tasks queued later in this process (a test's) must still go to
        # the project's broker, not to this run's Redis, long gone by then.
        self.app = Celery("worker-redis-restart-load", broker=broker_url, set_as_current=False)
        self.app.conf.update(
            task_serializer="json",
            broker_connection_retry_on_startup=True,
            broker_transport_options={"socket_connect_timeout": 1, "socket_timeout": 2},
        )
        self.rate = rate
        self.sent = 0
        self.refused = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        gap = 1 / self.rate
        n = 0
        while not self.stopping.wait(gap):
            try:
                self.app.send_task(TASKS[n % len(TASKS)], retry=False)
                self.sent += 1
            except Exception:  # Redis is down right now: counted, and the load goes on
                self.refused += 1
                time.sleep(0.2)
            n += 1

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=10)
        with contextlib.suppress(Exception):
            self.app.close()


def ping(broker_url: str, timeout: float = 1.0) -> bool:
    """`celery inspect ping` through the given broker: does any worker answer?"""
    from celery import Celery

    app = Celery("worker-redis-restart-ping", broker=broker_url, set_as_current=False)
    try:
        return bool(app.control.ping(timeout=timeout))
    except Exception:
        return False
    finally:
        with contextlib.suppress(Exception):
            app.close()


@dataclass
class Outcome:
    restarts: list[dict[str, Any]] = field(default_factory=list)
    survived: bool = True
    unrecoverable: str = ""
    log_path: str = ""


def run_restarts(
    database_url: str,
    *,
    restarts: int = 3,
    rate: float = 60,
    load_seconds: float = 4,
    down_seconds: float = 1.5,
    recover_seconds: float = 30,
    kill: bool = False,
    port: int | None = None,
    work_dir: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> Outcome:
    """Start Redis and a worker, then restart Redis `restarts` times under load. The worker survives
    a restart if it is the same process afterwards, answers a ping, and runs newly queued tasks, all
    within `recover_seconds`."""
    work_dir = work_dir or Path(tempfile.mkdtemp(prefix="worker-redis-restart-"))
    port = port or spare_port()
    broker_url = f"redis://{HOST}:{port}/0"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": "0",
            "REDIS_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "VAR_DIR": str(work_dir / "var"),
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
    )
    redis_server = RedisServer(port, work_dir / "redis.log")
    worker = Worker(env, work_dir / "worker.log")
    outcome = Outcome(log_path=str(worker.log_path))
    load = Load(broker_url, rate)
    try:
        redis_server.start()
        worker.start()
        pid = worker.process.pid if worker.process else 0
        load.start()
        for attempt in range(1, restarts + 1):
            time.sleep(load_seconds)
            before = worker.succeeded()
            redis_server.stop(signal.SIGKILL if kill else signal.SIGTERM)
            down_at = time.monotonic()
            time.sleep(down_seconds)
            redis_server.start()
            offset = len(worker.text())
            recovered_in = None
            deadline = time.monotonic() + recover_seconds
            while time.monotonic() < deadline and worker.alive():
                if worker.succeeded(offset) >= 3 and ping(broker_url):
                    recovered_in = time.monotonic() - down_at
                    break
                time.sleep(0.5)
            row = {
                "restart": attempt,
                "tasks_before": before,
                "alive": worker.alive(),
                "same_pid": bool(worker.process and worker.process.pid == pid),
                "tasks_after": worker.succeeded(offset),
                "recovered_in_s": None if recovered_in is None else round(recovered_in, 1),
            }
            outcome.restarts.append(row)
            print(
                f"[restart {attempt}] worker alive={row['alive']} same pid={row['same_pid']} "
                f"tasks run after={row['tasks_after']} recovered in "
                + ("NEVER" if recovered_in is None else f"{recovered_in:.1f} s"),
                flush=True,
            )
            if recovered_in is None:
                outcome.survived = False
                break
    finally:
        load.stop()
        worker.stop()
        redis_server.stop()
        text = worker.text().decode(errors="replace") if worker.log_path.exists() else ""
        found = re.search(r"Unrecoverable error: .*", text)
        outcome.unrecoverable = found.group(0) if found else ""
    print(f"[load] {load.sent} tasks queued, {load.refused} refused while Redis was down", flush=True)
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpline"),
        help="a migrated PostgreSQL database for the worker (default: $DATABASE_URL or helpline)",
    )
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--rate", type=float, default=60, help="tasks queued per second (default 60)")
    parser.add_argument("--load-seconds", type=float, default=4, help="load before each restart")
    parser.add_argument("--down", type=float, default=1.5, help="seconds Redis stays down")
    parser.add_argument("--recover", type=float, default=30, help="seconds the worker has to recover")
    parser.add_argument("--kill", action="store_true", help="SIGKILL Redis instead of SIGTERM")
    parser.add_argument("--port", type=int, default=None, help="Redis port (default: a spare one)")
    parser.add_argument("--keep", action="store_true", help="keep the logs' folder")
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="extra environment for the worker"
    )
    args = parser.parse_args()
    work_dir = Path(tempfile.mkdtemp(prefix="worker-redis-restart-"))
    outcome = run_restarts(
        args.database_url,
        restarts=args.restarts,
        rate=args.rate,
        load_seconds=args.load_seconds,
        down_seconds=args.down,
        recover_seconds=args.recover,
        kill=args.kill,
        port=args.port,
        work_dir=work_dir,
        extra_env=dict(item.split("=", 1) for item in args.env),
    )
    if outcome.unrecoverable:
        print(f"[worker] {outcome.unrecoverable}", flush=True)
    verdict = "SURVIVED" if outcome.survived else "DIED OR STOPPED WORKING"
    print(f"[verdict] worker {verdict} {len(outcome.restarts)} Redis restart(s) under load")
    print(f"[worker] log: {outcome.log_path}")
    if not args.keep and outcome.survived:
        shutil.rmtree(work_dir, ignore_errors=True)
    sys.exit(0 if outcome.survived else 1)


if __name__ == "__main__":
    main()
