"""Fault suite: the production stack under a chat load while one thing goes wrong (issue 13).

    make faults                                        # every fault, one run each, then the table
    .venv/bin/python -m bench.faults --fault redis-restart
    .venv/bin/python -m bench.faults --fault none      # the same load, nothing injected (a control)

What runs, for each fault: a redis-server of the suite's own on a spare port (no snapshot, no
append-only file: a restart starts empty, as a failover to an empty replica would), a PostgreSQL
database of its own (`helpline_faults`, copied from a migrated template, dropped at the end), and the
production processes as README "Production" and deploy/ run them, with PRODUCTION=1: uvicorn with two
worker processes, a Celery worker (two processes) and Celery beat. A small supervisor loop here restarts
whatever exits, one second later, as the production recipe's process manager does (deploy/).

The load, over real sockets from this process: 5 staff consoles (3 chats each) and 20 seekers. Staff
accept every offer, write to each live chat every few seconds and end a chat after a few messages,
then complete its wrap-up; seekers write every few seconds; a seeker whose chat ended starts another,
so the queue and the routing never rest. The clients behave as the pages' scripts do
(static/js/chat.js, static/js/staff-console.js): they reconnect with the same backoff, ask for
"anything after N" on reconnecting, on a gap in the sequence numbers, and every 25 s; a seeker's
unconfirmed message is sent again with the same reference; a console's is not (its person would check
the transcript).

At a set moment (WARMUP seconds in) one fault is injected; the load goes on, stops, and after a settle
time (longer than the pages' 25 s catch-up) the run counts, from the database and from what each client
was shown:

- acknowledged but not stored: a "sent" frame for a message the database does not hold;
- stored but never delivered: a message in the database that the other party never had on screen;
- stranded: waiting chats that waited more than 30 s in all while a staff member had a free slot;
- double assignments: chats written in by two staff members, or a staff member over their maximum;
- staff wrongly set offline: consoles that never left, seen as not available;
- seekers wrongly ended: chats that ended other than by their staff member;
- time to recover: from the fault until the site answers, the Celery worker answers, every client is
  connected again and a message sent after the fault has gone from one side to the other.

Bounded: at most ~15 PostgreSQL connections for the stack and this process (WEB_REQUEST_THREADS and
ASGI_THREADS are set low), every loop ends by count or time, and everything started is stopped on the
way out: normal end, failure, Ctrl+C, SIGTERM or the time limit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import functools
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import types
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bench import common
from bench.common import (
    BIN,
    HOST,
    PROXY_VARIABLES,
    RESULTS_DIR,
    ROOT,
    BenchTimeout,
    StaffLogin,
    _memory_gib,
    _secrets,
    collect_static,
    free_port,
    make_staff,
    process_tree,
    raise_fd_limit,
    setup_django,
    time_limit,
    ws_connect,
)
from bench.worker_redis_restart import RedisServer

T = TypeVar("T")

FAULTS = ("worker-kill", "redis-restart", "web-kill", "web-restart", "db-terminate")
DB_NAME = "helpline_faults"
TEMPLATE_DB = "helpline_faults_template"
PG_ADMIN_DSN = "postgres://postgres@127.0.0.1:5432/postgres"

STAFF = 5
CHATS_PER_STAFF = 3
SEEKERS = 20
WARMUP = 25.0  # seconds of load before the fault
LOAD_AFTER_FAULT = 45.0
SETTLE = 40.0  # longer than the pages' periodic catch-up (25 s)
REDIS_DOWN = 2.0
SEND_EVERY = (4.0, 7.0)  # seconds between one client's messages, at random in this range
STAFF_MESSAGES_PER_CHAT = 5  # then the staff member ends the chat
CATCH_UP_SECONDS = 25.0  # as the pages
STAFF_PING_SECONDS = 15.0
STRANDED_SECONDS = 30.0
RECOVERY_TARGET = 10.0
RESTART_DELAY = 1.0  # the process manager's pause before restarting what exited
# The service's grace periods (staff silent, seeker silent while waiting / in a chat: then gone) are
# minutes in production; a run lasts two. Shortened alike, a chat in the run is as old, measured in
# graces, as chats are on a real day, so a fault that makes presence look lost is judged as it would be.
GRACE_SECONDS = 20
# A busy moment for the Redis restart: tasks queued and not yet acknowledged when Redis goes (the state
# in which kombu's Redis transport restores them on reconnecting; issue 13 point 3).
TASKS_IN_FLIGHT = 200


@functools.cache
def suite_redis_port() -> int:
    """One port for the whole suite: this process's Django (the clients' set-up, the counts) is
    configured once, so each run's fresh redis-server listens where the last one did."""
    return free_port()


def log(text: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S')}] {text}", flush=True)


# --- the stack: processes under a supervisor loop ------------------------------------------------


@dataclass
class Program:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: list[float] = field(default_factory=list)
    exited_at: float | None = None


class FaultStack:
    """Redis, a database, and uvicorn + Celery worker + beat kept running by a supervisor thread."""

    def __init__(self, web_workers: int = 2) -> None:
        self.port = free_port()
        self.redis_port = suite_redis_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.ws_url = f"ws://{HOST}:{self.port}"
        self.run_dir = ROOT / "var" / "faults"
        self.log_dir = self.run_dir / "logs" / datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.redis = RedisServer(self.redis_port, self.log_dir / "redis.log")
        self.env = self._environment()
        celery = [str(BIN / "celery"), "-A", "config"]
        self.programs = {
            "web": Program(
                "web",
                [
                    str(BIN / "uvicorn"),
                    "config.asgi:application",
                    "--host",
                    HOST,
                    "--port",
                    str(self.port),
                    "--workers",
                    str(web_workers),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ],
            ),
            "worker": Program(
                "worker",
                [
                    *celery,
                    "worker",
                    "--loglevel=WARNING",
                    "--without-gossip",
                    "--without-mingle",
                    "--concurrency=2",
                ],
            ),
            "beat": Program(
                "beat",
                [*celery, "beat", "--loglevel=WARNING", "-s", str(self.run_dir / "celerybeat-schedule")],
            ),
        }
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.supervisor = threading.Thread(target=self._supervise, name="supervisor", daemon=True)

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
        env.update(
            {
                "PRODUCTION": "1",
                "DEBUG": "0",
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "ALLOWED_HOSTS": f"{HOST},localhost",
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
                "REDIS_URL": f"redis://{HOST}:{self.redis_port}/0",
                "CELERY_TASK_ALWAYS_EAGER": "0",
                "VAR_DIR": str(self.run_dir / "var"),
                "LOG_LEVEL": "WARNING",
                # Two web processes x (2 + 2 + 1) + two Celery processes + this one's two: ~14.
                "WEB_REQUEST_THREADS": "2",
                "ASGI_THREADS": "2",
                "RATE_LIMIT_CHAT_MESSAGE": "1000000/m",
                "HELPLINE_STAFF_GRACE_SECONDS": str(GRACE_SECONDS),
                "HELPLINE_SEEKER_QUEUE_GRACE_SECONDS": str(GRACE_SECONDS),
                "HELPLINE_SEEKER_CHAT_GRACE_SECONDS": str(GRACE_SECONDS),
                "PYTHONUNBUFFERED": "1",
                **_secrets(),
            }
        )
        return env

    def __enter__(self) -> FaultStack:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _interrupted)
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        raise_fd_limit()
        started = time.monotonic()
        self.redis.start()
        prepare_database(self.env)
        self._collectstatic()
        setup_django(self.env)
        for program in self.programs.values():
            self._spawn(program)
        self.supervisor.start()
        self.wait_ready(90)
        log(f"stack up in {time.monotonic() - started:.1f} s: {self.base_url}, redis :{self.redis_port}")

    def _collectstatic(self) -> None:
        collect_static(self.env, self.run_dir)

    def _spawn(self, program: Program) -> None:
        with (self.log_dir / f"{program.name}.log").open("ab") as out:
            program.process = subprocess.Popen(
                program.argv,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _supervise(self) -> None:
        """Restart any program that exited, RESTART_DELAY later; until stop()."""
        while not self.stopping.wait(0.2):
            with self.lock:
                for program in self.programs.values():
                    process = program.process
                    if process is None or process.poll() is None:
                        program.exited_at = None
                        continue
                    now = time.monotonic()
                    if program.exited_at is None:
                        program.exited_at = now
                        # What is left of its group (a killed master's children) goes with it.
                        with contextlib.suppress(ProcessLookupError, PermissionError):
                            os.killpg(process.pid, signal.SIGKILL)
                    if now - program.exited_at >= RESTART_DELAY:
                        log(f"supervisor: {program.name} exited ({process.returncode}); restarting")
                        self._spawn(program)
                        program.restarts.append(now)
                        program.exited_at = None

    def web_answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.base_url + "/", timeout=2) as response:
                return bool(response.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    def worker_answers(self) -> bool:
        from config.celery import app

        try:
            return bool(app.control.ping(timeout=0.5))
        except Exception:  # Redis down, or the broker connection being re-made
            return False

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not (self.web_answers() and self.worker_answers()):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the stack did not come up within {timeout} s; see {self.log_dir}")
            time.sleep(0.3)

    def web_children(self) -> list[int]:
        master = self.programs["web"].process
        return process_tree(master.pid)[1:] if master is not None else []

    def stop(self) -> None:
        self.stopping.set()
        if self.supervisor.is_alive():
            self.supervisor.join(timeout=5)
        with self.lock:
            for program in self.programs.values():
                if program.process is not None:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(program.process.pid, signal.SIGTERM)
            deadline = time.monotonic() + 15
            for program in self.programs.values():
                if program.process is None:
                    continue
                try:
                    program.process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(program.process.pid, signal.SIGKILL)
                    program.process.wait(timeout=5)
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        self.redis.stop()
        drop_database()

    # faults

    def inject(self, fault: str) -> None:
        if fault == "worker-kill":
            process = self.programs["worker"].process
            assert process is not None
            os.killpg(process.pid, signal.SIGKILL)
        elif fault == "redis-restart":
            from config.celery import app

            for _ in range(TASKS_IN_FLIGHT):
                app.send_task("helpline.tasks.route_waiting_seekers")
            time.sleep(0.2)  # for the worker to take its share
            self.redis.stop(signal.SIGKILL)
            time.sleep(REDIS_DOWN)
            self.redis.start()
        elif fault == "web-kill":
            children = self.web_children()
            if not children:
                raise RuntimeError("uvicorn has no worker process to kill")
            os.kill(random.choice(children), signal.SIGKILL)
        elif fault == "web-restart":
            process = self.programs["web"].process
            assert process is not None
            os.killpg(process.pid, signal.SIGTERM)  # the process manager's restart: stop, then start
            # Recovery is timed from here, but the site counts as back only once the new server answers.
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
        elif fault == "db-terminate":
            terminated = terminate_connections()
            log(f"terminated {terminated} database connections")
        elif fault != "none":
            raise ValueError(f"unknown fault {fault!r}")


def _interrupted(signum: int, frame: types.FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _admin() -> Any:
    import psycopg2

    connection = psycopg2.connect(PG_ADMIN_DSN)
    connection.autocommit = True
    return connection


def prepare_database(env: dict[str, str]) -> None:
    """A fresh `helpline_faults`, copied from a template migrated once per set of migration files."""
    common.prepare_database(env, db_name=DB_NAME, template_db=TEMPLATE_DB)


def drop_database(name: str = DB_NAME) -> None:
    with contextlib.suppress(Exception):
        connection = _admin()
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            connection.close()


def terminate_connections() -> int:
    connection = _admin()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [DB_NAME],
            )
            return int(cursor.fetchone()[0])
    finally:
        connection.close()


def database_connections() -> int:
    connection = _admin()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [DB_NAME])
            return int(cursor.fetchone()[0])
    finally:
        connection.close()


# --- this process's own database calls -----------------------------------------------------------

_db_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="faults-db")


def _with_fresh_connection(fn: Callable[..., T], *args: Any) -> T:
    from django.db import OperationalError, close_old_connections, connections

    for attempt in range(5):
        close_old_connections()
        try:
            return fn(*args)
        except OperationalError:  # the db-terminate fault cut this thread's connection too
            connections.close_all()
            if attempt == 4:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


async def in_db(fn: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(_db_pool, _with_fresh_connection, fn, *args)


def http_json(url: str, cookie: str, timeout: float = 5) -> dict[str, Any] | None:
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            if response.status != 200:
                return None
            data: dict[str, Any] = json.loads(response.read())
            return data
    except (OSError, ValueError, urllib.error.URLError):
        return None


# --- the clients ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw, for the counts at the end."""

    acked: list[tuple[str, int, str]] = field(default_factory=list)  # chat, seq, body
    shown: dict[str, dict[str, set[int]]] = field(default_factory=lambda: {"seeker": {}, "staff": {}})
    sent_at: dict[str, float] = field(default_factory=dict)  # body -> when written to the socket
    delivered_at: dict[str, float] = field(default_factory=dict)  # body -> first shown to the other side
    reconnects: list[tuple[str, float]] = field(default_factory=list)  # client, when a lost socket came back
    closes: list[tuple[str, float, int | None]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bodies: itertools.count[int] = field(default_factory=itertools.count)

    def show(self, side: str, chat: str, message: dict[str, Any]) -> bool:
        """Record a message shown; True if it was new there."""
        seqs = self.shown[side].setdefault(chat, set())
        seq = message.get("seq")
        if not isinstance(seq, int) or seq in seqs:
            return False
        seqs.add(seq)
        body = message.get("body", "")
        other = "staff" if side == "seeker" else "seeker"
        if message.get("sender") == other and body in self.sent_at:
            self.delivered_at.setdefault(body, time.monotonic())
        return True

    def contiguous(self, side: str, chat: str) -> int:
        seqs = self.shown[side].get(chat, set())
        last = 0
        while last + 1 in seqs:
            last += 1
        return last

    def new_body(self, side: str) -> str:
        return f"{side}-{next(self.bodies)}"


def backoff(failures: int) -> float:
    return float(min(15, 2 ** min(failures, 4)))


class SocketClient:
    """What both kinds of scripted client share: every socket's close is tallied, however it ends."""

    name: str
    tally: Tally

    async def read_frames(self, socket: Any) -> None:
        raise NotImplementedError

    async def read(self, socket: Any) -> None:
        try:
            await self.read_frames(socket)
        finally:
            self.tally.closes.append((self.name, time.monotonic(), socket.close_code))


class SeekerClient(SocketClient):
    """static/js/chat.js, in short: one seeker, one chat after another."""

    def __init__(self, n: int, stack: FaultStack, tally: Tally, sending: asyncio.Event) -> None:
        self.name = f"seeker-{n}"
        self.stack = stack
        self.tally = tally
        self.sending = sending
        self.token = ""
        self.chat = ""
        self.status = "waiting"
        self.socket: Any = None
        self.pending: dict[str, str] = {}
        self.refs = itertools.count()
        self.last_catch_up = 0.0

    @property
    def cookie(self) -> str:
        return f"chat_token={self.token}"

    async def start_chat(self) -> None:
        from helpline.chat import actions as chat_actions

        chat, token = await in_db(chat_actions.do_start_chat, "en", "")
        self.token, self.chat, self.status = token, chat.public_id.hex, "waiting"
        self.pending.clear()

    async def run(self, until: float) -> None:
        await self.start_chat()
        failures = 0
        while time.monotonic() < until:
            try:
                async with ws_connect(
                    self.stack.ws_url + "/chat/ws/", self.cookie, self.stack.base_url
                ) as socket:
                    self.socket = socket
                    if failures:
                        self.tally.reconnects.append((self.name, time.monotonic()))
                    failures = 0
                    await socket.send(json.dumps({"type": "hello", "after": self.contiguous()}))
                    for ref, body in list(self.pending.items()):  # unconfirmed: again, same reference
                        await socket.send(json.dumps({"type": "message", "body": body, "ref": ref}))
                    await self.converse(socket, until)
            except Exception as error:
                if not _closed_error(error):
                    self.tally.errors.append(f"{self.name}: {type(error).__name__}: {error}")
            self.socket = None
            if self.status == "ended":
                await self.last_look()
                await asyncio.sleep(2)
                with contextlib.suppress(Exception):
                    await self.start_chat()
                continue
            failures += 1
            await asyncio.sleep(min(backoff(failures), max(0.0, until - time.monotonic())))

    def contiguous(self) -> int:
        return self.tally.contiguous("seeker", self.chat)

    async def converse(self, socket: Any, until: float) -> None:
        reader = asyncio.create_task(self.read(socket))
        try:
            next_send = time.monotonic() + random.uniform(*SEND_EVERY)
            while not reader.done() and time.monotonic() < until:
                await asyncio.wait({reader}, timeout=0.5)
                now = time.monotonic()
                if self.status == "active" and now - self.last_catch_up > CATCH_UP_SECONDS:
                    await self.catch_up()
                if self.sending.is_set() and self.status == "active" and now >= next_send:
                    next_send = now + random.uniform(*SEND_EVERY)
                    body = self.tally.new_body("seeker")
                    ref = f"{self.name}-{next(self.refs)}"
                    self.pending[ref] = body
                    self.tally.sent_at[body] = time.monotonic()
                    await socket.send(json.dumps({"type": "message", "body": body, "ref": ref}))
            if reader.done():
                reader.result()
        finally:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)

    async def read_frames(self, socket: Any) -> None:
        async for raw in socket:
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "state":
                self.status = frame.get("status", self.status)
                if self.status == "ended":
                    return
            elif kind == "message":
                self.tally.show("seeker", self.chat, frame["message"])
                if frame["message"]["seq"] > self.contiguous() or self.status == "waiting":
                    await self.catch_up()
            elif kind == "history":
                for message in frame.get("messages", []):
                    self.tally.show("seeker", self.chat, message)
            elif kind == "sent":
                body = self.pending.pop(frame.get("ref"), None)
                if body is not None and isinstance(frame.get("seq"), int):
                    self.tally.acked.append((self.chat, frame["seq"], body))
            elif kind == "error":
                self.tally.errors.append(f"{self.name}: error {frame.get('code')}")
                if frame.get("ref") is not None:
                    self.pending.pop(frame.get("ref"), None)
                if frame.get("code") == "no_chat":
                    self.status = "ended"
                    return

    async def catch_up(self) -> None:
        self.last_catch_up = time.monotonic()
        data = await asyncio.to_thread(
            http_json, f"{self.stack.base_url}/chat/session/poll/?after={self.contiguous()}", self.cookie
        )
        if data is None:
            return
        for message in data.get("messages", []):
            self.tally.show("seeker", self.chat, message)
        if data.get("status") in ("active", "offered", "waiting", "ended"):
            self.status = data["status"]

    async def last_look(self) -> None:
        for _ in range(10):
            data = await asyncio.to_thread(
                http_json, f"{self.stack.base_url}/chat/session/poll/?after={self.contiguous()}", self.cookie
            )
            if data is not None:
                for message in data.get("messages", []):
                    self.tally.show("seeker", self.chat, message)
                return
            await asyncio.sleep(3)


class StaffClient(SocketClient):
    """static/js/staff-console.js, in short: one staff member's console."""

    def __init__(
        self, login: StaffLogin, n: int, stack: FaultStack, tally: Tally, sending: asyncio.Event
    ) -> None:
        self.login = login
        self.name = f"staff-{n}"
        self.stack = stack
        self.tally = tally
        self.sending = sending
        self.chats: dict[str, dict[str, Any]] = {}  # hex -> {"sent": n, "next": t, "ending": bool}
        self.refs = itertools.count()
        self.bodies: dict[str, str] = {}  # ref -> body, until "sent"
        self.last_sync = 0.0
        self.last_ping = 0.0
        self.wrap_ups: set[asyncio.Task[None]] = set()

    async def run(self, until: float) -> None:
        failures = 0
        while time.monotonic() < until:
            try:
                async with ws_connect(
                    self.stack.ws_url + "/staff/ws/", self.login.cookie, self.stack.base_url
                ) as socket:
                    if failures:
                        self.tally.reconnects.append((self.name, time.monotonic()))
                    failures = 0
                    await self.converse(socket, until)
            except Exception as error:
                if not _closed_error(error):
                    self.tally.errors.append(f"{self.name}: {type(error).__name__}: {error}")
            failures += 1
            await asyncio.sleep(
                min(backoff(failures) * random.uniform(0.75, 1.25), max(0.0, until - time.monotonic()))
            )
        await asyncio.gather(*self.wrap_ups, return_exceptions=True)

    async def converse(self, socket: Any, until: float) -> None:
        reader = asyncio.create_task(self.read(socket))
        try:
            while not reader.done() and time.monotonic() < until:
                await asyncio.wait({reader}, timeout=0.5)
                now = time.monotonic()
                if now - self.last_sync > CATCH_UP_SECONDS:
                    await self.sync(socket)
                if now - self.last_ping > STAFF_PING_SECONDS:
                    self.last_ping = now
                    await socket.send('{"type": "ping"}')
                if self.sending.is_set():
                    await self.write(socket, now)
            if reader.done():
                reader.result()
        finally:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)

    async def write(self, socket: Any, now: float) -> None:
        for chat, info in list(self.chats.items()):
            if info["ending"] or now < info["next"]:
                continue
            info["next"] = now + random.uniform(*SEND_EVERY)
            if info["sent"] >= STAFF_MESSAGES_PER_CHAT:
                info["ending"] = True
                await socket.send(
                    json.dumps({"type": "history", "chat": chat, "after": self.contiguous(chat)})
                )
                await socket.send(json.dumps({"type": "end", "chat": chat}))
                continue
            info["sent"] += 1
            body = self.tally.new_body("staff")
            self.tally.sent_at[body] = time.monotonic()
            ref = f"{self.name}-{next(self.refs)}"
            self.bodies[ref] = body
            await socket.send(json.dumps({"type": "message", "chat": chat, "body": body, "ref": ref}))

    def contiguous(self, chat: str) -> int:
        return self.tally.contiguous("staff", chat)

    def hold(self, chat: str) -> None:
        if chat not in self.chats:
            self.chats[chat] = {
                "sent": 0,
                "next": time.monotonic() + random.uniform(*SEND_EVERY),
                "ending": False,
            }

    async def read_frames(self, socket: Any) -> None:
        async for raw in socket:
            frame = json.loads(raw)
            kind = frame.get("type")
            chat = frame.get("chat") if isinstance(frame.get("chat"), str) else ""
            if kind == "ready":
                await self.sync(socket)
            elif kind == "offer_made":
                await socket.send(json.dumps({"type": "accept", "chat": chat}))
            elif kind in ("offer_withdrawn", "chat_assigned", "chat_removed", "chat_state", "availability"):
                if kind == "chat_assigned":
                    self.hold(chat)
                await self.sync(socket, soon=True)
            elif kind == "chat_ended":
                await socket.send(
                    json.dumps({"type": "history", "chat": chat, "after": self.contiguous(chat)})
                )
                self.finish(chat)
            elif kind == "chat_message":
                self.tally.show("staff", chat, frame["message"])
                if frame["message"]["seq"] > self.contiguous(chat):
                    await socket.send(
                        json.dumps({"type": "history", "chat": chat, "after": self.contiguous(chat)})
                    )
            elif kind == "history":
                for message in frame.get("messages", []):
                    self.tally.show("staff", chat, message)
            elif kind == "sent":
                body = self.bodies.pop(str(frame.get("ref")), None)
                if body is not None and isinstance(frame.get("seq"), int):
                    self.tally.acked.append((chat, frame["seq"], body))
            elif kind == "error":
                self.tally.errors.append(f"{self.name}: error {frame.get('code')}")

    async def sync(self, socket: Any, soon: bool = False) -> None:
        """The console's state: offers to accept, chats to hold, each chat's last number."""
        if soon and time.monotonic() - self.last_sync < 1:
            return
        self.last_sync = time.monotonic()
        state = await asyncio.to_thread(http_json, f"{self.stack.base_url}/staff/state/", self.login.cookie)
        if state is None:
            return
        for offer in state.get("offers", []):
            await socket.send(json.dumps({"type": "accept", "chat": offer.get("chat")}))
        for info in state.get("chats", []):
            chat = info.get("chat", "")
            if info.get("status") == "active":
                self.hold(chat)
            if isinstance(info.get("last_seq"), int) and info["last_seq"] > self.contiguous(chat):
                await socket.send(
                    json.dumps({"type": "history", "chat": chat, "after": self.contiguous(chat)})
                )
            if info.get("status") == "ended":
                self.finish(chat)

    def finish(self, chat: str) -> None:
        """The chat ended: complete its wrap-up (as the form would), which frees the slot."""
        info = self.chats.get(chat)
        if info is None or info.get("wrapping"):
            return
        info["wrapping"] = True
        task = asyncio.create_task(self.wrap_up(chat))
        self.wrap_ups.add(task)
        task.add_done_callback(self.wrap_ups.discard)

    async def wrap_up(self, chat: str) -> None:
        for _ in range(10):
            try:
                await in_db(_record_wrap_up, chat, self.login.profile_id)
                self.chats.pop(chat, None)
                return
            except Exception as error:  # Redis or the database mid-fault: again shortly
                self.tally.errors.append(f"{self.name}: wrap-up {type(error).__name__}")
                await asyncio.sleep(2)


def _record_wrap_up(chat_hex: str, profile_id: int) -> None:
    from helpline.chat import actions as chat_actions
    from helpline.errors import Refusal
    from helpline.models import ChatSession, StaffProfile, WrapUp

    chat = ChatSession.objects.get(public_id=chat_hex)
    if chat.status != ChatSession.Status.ENDED or chat.staff_id != profile_id:
        return
    answers = chat_actions.WrapUpAnswers(
        about=ChatSession.About.SELF,
        topics=[WrapUp.Topic.THOUGHTS],
        protective_actions=[],
        heard_from="",
        outcome=WrapUp.Outcome.SUBSTANTIVE,
    )
    with contextlib.suppress(Refusal):
        chat_actions.do_record_wrap_up(chat, StaffProfile.objects.get(pk=profile_id), answers)


def _closed_error(error: BaseException) -> bool:
    from websockets.exceptions import ConnectionClosed, InvalidStatus

    return isinstance(error, (ConnectionClosed, InvalidStatus, ConnectionRefusedError, ConnectionResetError))


# --- watching the service from the database -------------------------------------------------------


@dataclass
class Watch:
    free_wait: dict[int, float] = field(
        default_factory=dict
    )  # waiting chat -> seconds waited with a slot free
    offline_staff: set[int] = field(default_factory=set)
    over_capacity: set[int] = field(default_factory=set)
    peak_connections: int = 0
    samples: int = 0


def _sample(watch: Watch, dt: float) -> None:
    from django.db.models import Q

    from helpline.chat import queue
    from helpline.models import Availability, ChatSession, StaffProfile

    staff = list(StaffProfile.objects.values("id", "availability", "max_chats"))
    load: dict[int, int] = {}
    for chat in ChatSession.objects.filter(Q(status="active") | Q(status="offered")).values(
        "status", "staff_id", "offered_to_id"
    ):
        holder = chat["staff_id"] if chat["status"] == "active" else chat["offered_to_id"]
        if holder:
            load[holder] = load.get(holder, 0) + 1
    owing = queue.staff_with_wrap_up_due([s["id"] for s in staff])
    free = 0
    for s in staff:
        if s["availability"] != Availability.AVAILABLE:
            watch.offline_staff.add(s["id"])
            continue
        if load.get(s["id"], 0) > s["max_chats"]:
            watch.over_capacity.add(s["id"])
        if s["id"] not in owing:
            free += max(0, s["max_chats"] - load.get(s["id"], 0))
    if free:
        for chat_id in ChatSession.objects.filter(status=ChatSession.Status.WAITING).values_list(
            "id", flat=True
        ):
            watch.free_wait[chat_id] = watch.free_wait.get(chat_id, 0.0) + dt
    watch.samples += 1


async def watch_service(watch: Watch, until: float) -> None:
    last = time.monotonic()
    while time.monotonic() < until:
        await asyncio.sleep(1)
        now = time.monotonic()
        with contextlib.suppress(Exception):  # mid-fault: the next sample
            await in_db(_sample, watch, now - last)
        with contextlib.suppress(Exception):
            watch.peak_connections = max(
                watch.peak_connections, await asyncio.to_thread(database_connections)
            )
        last = now


@dataclass
class Recovery:
    web_at: float | None = None
    worker_at: float | None = None


async def watch_recovery(stack: FaultStack, fault_at: float, recovery: Recovery, until: float) -> None:
    """From the fault: when the site and the worker answer again (each checked every 0.25 s)."""
    while time.monotonic() < until and (recovery.web_at is None or recovery.worker_at is None):
        if recovery.web_at is None and await asyncio.to_thread(stack.web_answers):
            recovery.web_at = time.monotonic()
        if recovery.worker_at is None and await asyncio.to_thread(stack.worker_answers):
            recovery.worker_at = time.monotonic()
        await asyncio.sleep(0.25)


# --- one run --------------------------------------------------------------------------------------


def run_fault(fault: str) -> dict[str, Any]:
    with FaultStack() as stack:
        logins = make_staff(STAFF, max_chats=CHATS_PER_STAFF, available=True)
        return asyncio.run(_scenario(stack, fault, logins))


async def _scenario(stack: FaultStack, fault: str, logins: list[StaffLogin]) -> dict[str, Any]:
    tally = Tally()
    sending = asyncio.Event()
    sending.set()
    start = time.monotonic()
    fault_at = start + WARMUP
    load_until = fault_at + LOAD_AFTER_FAULT
    until = load_until + SETTLE
    staff = [StaffClient(login, n, stack, tally, sending) for n, login in enumerate(logins)]
    seekers = [SeekerClient(n, stack, tally, sending) for n in range(SEEKERS)]
    watch = Watch()
    recovery = Recovery()
    tasks = [asyncio.create_task(client.run(until)) for client in staff]
    for seeker in seekers:
        tasks.append(asyncio.create_task(seeker.run(until)))
        await asyncio.sleep(0.2)
    tasks.append(asyncio.create_task(watch_service(watch, until)))
    try:
        await asyncio.sleep(max(0.0, fault_at - time.monotonic()))
        log(f"{fault}: injecting")
        fault_at = time.monotonic()
        await asyncio.to_thread(stack.inject, fault)
        tasks.append(asyncio.create_task(watch_recovery(stack, fault_at, recovery, until)))
        await asyncio.sleep(max(0.0, load_until - time.monotonic()))
        sending.clear()
        log(f"{fault}: load stopped; settling for {SETTLE:.0f} s")
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return await in_db(_count, fault, stack, tally, watch, recovery, fault_at)


def _count(
    fault: str, stack: FaultStack, tally: Tally, watch: Watch, recovery: Recovery, fault_at: float
) -> dict[str, Any]:
    from helpline.models import ChatSession, Message

    stored: dict[tuple[str, int], tuple[str, str, int | None]] = {}
    for message in Message.objects.select_related("session").all():
        stored[(message.session.public_id.hex, message.seq)] = (
            message.sender,
            message.body,
            message.staff_id,
        )
    not_stored = [a for a in tally.acked if stored.get((a[0], a[1]), ("", "", None))[1] != a[2]]
    undelivered = []
    writers: dict[str, set[int]] = {}
    for (chat, seq), (sender, body, staff_id) in stored.items():
        side = "staff" if sender == Message.Sender.SEEKER else "seeker"
        if seq not in tally.shown[side].get(chat, set()):
            undelivered.append((chat[:8], seq, sender, body))
        if sender == Message.Sender.STAFF and staff_id:
            writers.setdefault(chat, set()).add(staff_id)
    doubles = sum(1 for ids in writers.values() if len(ids) > 1) + len(watch.over_capacity)
    wrongly_ended = ChatSession.objects.filter(status=ChatSession.Status.ENDED).exclude(
        end_reason=ChatSession.EndReason.STAFF_ENDED
    )
    ended_reasons = sorted(wrongly_ended.values_list("end_reason", flat=True))
    stranded = sum(1 for seconds in watch.free_wait.values() if seconds > STRANDED_SECONDS)
    # Recovery: the site and the worker answer, every client that lost its socket has one again, and a
    # message written after the fault reached the other side.
    reconnected = [at for _, at in tally.reconnects if at > fault_at]
    flowing = [
        tally.delivered_at[b] for b, at in tally.sent_at.items() if at > fault_at and b in tally.delivered_at
    ]
    moments = [
        recovery.web_at,
        recovery.worker_at,
        max(reconnected) if reconnected else fault_at,
        min(flowing) if flowing else None,
    ]
    recovered = (
        None if any(m is None for m in moments) else max(m for m in moments if m is not None) - fault_at
    )
    closes_1011 = sum(1 for _, at, code in tally.closes if code == 1011)
    restarts = {name: len(p.restarts) for name, p in stack.programs.items()}
    return {
        "fault": fault,
        "acked": len(tally.acked),
        "stored": len(stored),
        "acked_not_stored": len(not_stored),
        "stored_not_delivered": len(undelivered),
        "undelivered_examples": undelivered[:10],
        "stranded": stranded,
        "double_assignments": doubles,
        "staff_wrongly_offline": len(watch.offline_staff),
        "seekers_wrongly_ended": len(ended_reasons),
        "wrongly_ended_reasons": ended_reasons,
        "recovery_seconds": None if recovered is None else round(recovered, 1),
        "recovery_parts": {
            "web": None if recovery.web_at is None else round(recovery.web_at - fault_at, 1),
            "worker": None if recovery.worker_at is None else round(recovery.worker_at - fault_at, 1),
            "sockets": round((max(reconnected) if reconnected else fault_at) - fault_at, 1),
            "message": round(min(flowing) - fault_at, 1) if flowing else None,
        },
        "chats": ChatSession.objects.count(),
        "sockets_closed_1011": closes_1011,
        "restarts": restarts,
        "peak_db_connections": watch.peak_connections,
        "client_errors": sorted(set(e.split(":", 1)[1].strip() for e in tally.errors))[:12],
    }


# --- the table ------------------------------------------------------------------------------------

COLUMNS = (
    ("fault", "fault"),
    ("acked_not_stored", "acked, not stored"),
    ("stored_not_delivered", "stored, not delivered"),
    ("stranded", "stranded > 30 s"),
    ("double_assignments", "double assigned"),
    ("staff_wrongly_offline", "staff set offline"),
    ("seekers_wrongly_ended", "seekers ended"),
    ("recovery_seconds", "recovered in (s)"),
)


def passed(row: dict[str, Any]) -> bool:
    zero = all(row[key] == 0 for key, _ in COLUMNS[1:-1])
    recovered = row["recovery_seconds"] is not None and row["recovery_seconds"] <= RECOVERY_TARGET
    return zero and recovered


def table(rows: list[dict[str, Any]]) -> str:
    header = [title for _, title in COLUMNS] + ["met?"]
    lines = [header]
    for row in rows:
        cells = ["-" if row[key] is None else str(row[key]) for key, _ in COLUMNS]
        lines.append([*cells, "yes" if passed(row) else "NO"])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = ["| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)) + " |" for line in lines]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def machine() -> str:
    load1, load5, _ = os.getloadavg()
    return (
        f"{os.cpu_count()} cores, {_memory_gib()} GiB, load average {load1:.1f} (1 min) / {load5:.1f} (5 min)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fault", action="append", choices=(*FAULTS, "none"), help="one fault (repeatable)")
    parser.add_argument("--time-limit", type=int, default=1800, help="stop the whole suite after this many s")
    args = parser.parse_args()
    faults = args.fault or list(FAULTS)
    rows = []
    started = datetime.datetime.now()
    before = machine()
    try:
        with time_limit(args.time_limit):
            for fault in faults:
                log(f"{fault}: starting a fresh stack")
                row = run_fault(fault)
                rows.append(row)
                print(json.dumps(row, indent=1, default=str), flush=True)
    finally:
        drop_database(TEMPLATE_DB)
    print()
    print(
        f"Fault suite, {started.isoformat(timespec='minutes')}; machine before: {before}; after: {machine()}"
    )
    print(table(rows))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"faults-{started.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(
        json.dumps(
            {"date": started.isoformat(), "machine_before": before, "machine_after": machine(), "runs": rows},
            indent=1,
            default=str,
        )
    )
    print(f"(saved {path.relative_to(ROOT)})")
    if not all(passed(row) for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt as stop:
        print(
            f"[faults] interrupted ({stop or 'Ctrl+C'}); everything it started was stopped", file=sys.stderr
        )
        sys.exit(130)
    except BenchTimeout as stop:
        print(f"[faults] {stop}; everything it started was stopped", file=sys.stderr)
        sys.exit(3)
