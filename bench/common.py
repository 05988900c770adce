"""The production-like stack for benchmarks, started and stopped as subprocesses on this machine.

    with Stack(StackOptions(web_workers=2)) as stack:
        ...  # stack.base_url, stack.ws_url, stack.server_pids(), Django ORM usable in this process

What runs: PostgreSQL database `helpline_bench` (re-created from a migrated template each run), Redis
database 6 (flushed), uvicorn (no access log), a Celery worker and Celery beat, all with PRODUCTION=1
and secrets made up for the run. The benchmark process itself is the load generator. Everything it
starts is stopped on leaving the `with` block: normal end, failure, Ctrl+C, SIGTERM, or the run's
own time limit (SIGALRM).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import json
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import types
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS_DIR = ROOT / "bench" / "results"
HOST = "127.0.0.1"  # every load goes to loopback, nowhere else
PG_ADMIN_DSN = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "helpline_bench"
TEMPLATE_DB = "helpline_bench_template"
REDIS_DB_URL = "redis://127.0.0.1:6379/6"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


class BenchTimeout(Exception):
    """The run's own time limit passed."""


# --- figures ------------------------------------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation): the value below which pct% of samples fall."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """Count and p50/p95/p99/max in milliseconds."""
    return {
        "n": len(seconds),
        "p50_ms": percentile(seconds, 50) * 1000,
        "p95_ms": percentile(seconds, 95) * 1000,
        "p99_ms": percentile(seconds, 99) * 1000,
        "max_ms": (max(seconds) * 1000) if seconds else math.nan,
    }


@dataclass
class Row:
    name: str
    target: str
    baseline: str
    result: str
    ok: bool | None  # None: reported, no target


@dataclass
class Report:
    benchmark: str
    command: str
    rows: list[Row] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, target: str, baseline: str, result: str, ok: bool | None) -> None:
        self.rows.append(Row(name, target, baseline, result, ok))

    def add_commit_probe(self, probe: dict[str, float], label: str = "") -> None:
        """The CommitProbe's figures: what one durable commit took on this machine during the run."""
        result = f"{ms(probe['p50_ms'])} / {ms(probe['p99_ms'])}"
        self.add(f"{label}PostgreSQL durable commit (probe) p50/p99", "-", "-", result, None)

    def print_and_save(self) -> Path:
        width = max([len(r.name) for r in self.rows] + [10])
        print()
        print(f"== {self.benchmark} ==  ({datetime.datetime.now().isoformat(timespec='seconds')})")
        print(f"   {'figure'.ljust(width)}  {'target':<22} {'baseline (same run)':<26} {'result':<26} met?")
        for r in self.rows:
            mark = "-" if r.ok is None else ("yes" if r.ok else "NO")
            print(f"   {r.name.ljust(width)}  {r.target:<22} {r.baseline:<26} {r.result:<26} {mark}")
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = RESULTS_DIR / f"{self.benchmark.split()[0].lower()}-{stamp}.json"
        payload = {
            "benchmark": self.benchmark,
            "command": self.command,
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "machine": f"{os.cpu_count()} cores, {_memory_gib()} GiB",
            "rows": [r.__dict__ for r in self.rows],
            "details": self.details,
        }
        path.write_text(json.dumps(payload, indent=2, default=str))
        print(f"   (saved {path.relative_to(ROOT)})")
        return path


def ms(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.1f} ms"


def _memory_gib() -> int:
    with open("/proc/meminfo") as meminfo:
        kib = int(meminfo.readline().split()[1])
    return round(kib / 1024 / 1024)


# --- processes ----------------------------------------------------------------------------------


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except FileNotFoundError:
        pass
    return 0


def process_tree(root: int) -> list[int]:
    """root and all its descendants (uvicorn's master spawns its workers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def raise_fd_limit() -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise BenchTimeout in the main thread after `seconds`, so every run stops by itself."""

    def expired(signum: int, frame: types.FrameType | None) -> None:
        raise BenchTimeout(f"the run passed its limit of {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- the stack ----------------------------------------------------------------------------------


@dataclass
class StackOptions:
    web_workers: int = 2
    celery_concurrency: int = 2
    channel_layer: str = "pubsub"  # or "stock-pubsub", "core" (bench/settings.py)
    bare_view: bool = False
    conn_max_age: int = 60
    # PostgreSQL's synchronous_commit for the bench database: "on" is the durable default; "off"
    # shows what the WAL flush (fsync on this machine's virtual disk) costs each message.
    synchronous_commit: str = "on"
    extra_env: dict[str, str] = field(default_factory=dict)
    # A set of web + worker processes among several on one database and Redis, standing for one host
    # of a deployment (P3 --sets 2). `label` ("A", "B") names the set in its log folder, its worker's
    # Celery nodename and the figures; empty for the usual single stack.
    label: str = ""
    # Re-create the bench database, flush Redis, collectstatic. A second set leaves them to the first:
    # it joins the database and Redis the first one prepared (and now uses).
    prepare: bool = True
    # Only one Celery beat may run in a deployment, however many hosts run web and worker processes:
    # two beats would each send the sweep and the purge on their own schedule. A second set runs none.
    beat: bool = True


@functools.cache
def _secrets() -> dict[str, str]:
    """Made up once per benchmark process: the load generator signs staff sessions with SECRET_KEY,
    so every stack it starts (--compare-layers starts two) must share it."""
    from cryptography.fernet import Fernet

    return {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "PASSPHRASE_SECRET": secrets.token_urlsafe(32),
    }


class Stack:
    """PostgreSQL database, Redis database, uvicorn, Celery worker and beat, for one benchmark run."""

    def __init__(self, options: StackOptions | None = None) -> None:
        self.options = options or StackOptions()
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.ws_url = f"ws://{HOST}:{self.port}"
        self.run_dir = ROOT / "var" / "bench"
        self.log_dir = self.run_dir / "logs" / datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        if self.options.label:
            self.log_dir = self.log_dir.with_name(f"{self.log_dir.name}-set-{self.options.label}")
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.env = self._environment()
        self.proposed = bool(self.env.get("BENCH_PROPOSED"))

    def _environment(self) -> dict[str, str]:
        o = self.options
        env = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
        env.update(
            {
                "PRODUCTION": "1",
                "DEBUG": "0",
                "ALLOWED_HOSTS": f"{HOST},localhost",
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
                "DB_CONN_MAX_AGE": str(o.conn_max_age),
                "REDIS_URL": REDIS_DB_URL,
                "CELERY_TASK_ALWAYS_EAGER": "0",
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "BENCH_CHANNEL_LAYER": o.channel_layer,
                "BENCH_BARE_VIEW": "1" if o.bare_view else "0",
                "VAR_DIR": str(self.run_dir / "var"),
                "LOG_LEVEL": "WARNING",
                # The per-chat flood limit (30/min) is a safety net for staff; the benchmark's chats
                # deliberately send faster than any person, so it is lifted for the run.
                "RATE_LIMIT_CHAT_MESSAGE": "1000000/m",
                # Surge benchmarks put thousands in the queue on purpose.
                "HELPLINE_QUEUE_LIMIT": "0",
                "PYTHONUNBUFFERED": "1",
                **_secrets(),
            }
        )
        env.update(o.extra_env)
        return env

    # lifecycle

    def __enter__(self) -> Stack:
        self._install_signal_handlers()
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _install_signal_handlers(self) -> None:
        def terminate(signum: int, frame: types.FrameType | None) -> None:
            raise KeyboardInterrupt(f"signal {signum}")

        # SIGINT too: a run started in the background of a script inherits SIGINT ignored.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, terminate)

    @property
    def worker_name(self) -> str:
        """The Celery worker's nodename: its own per set (two workers on one machine must differ);
        empty (Celery's default, celery@host) for the usual single stack."""
        label = self.options.label
        return f"set-{label.lower()}@{socket.gethostname()}" if label else ""

    def commands(self) -> dict[str, list[str]]:
        """What start() spawns, in order: process name → argv."""
        commands = {
            "uvicorn": [
                str(BIN / "uvicorn"),
                "bench.asgi:application" if self.proposed else "config.asgi:application",
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--workers",
                str(self.options.web_workers),
                "--no-access-log",
                "--log-level",
                "warning",
            ]
        }
        celery = [str(BIN / "celery"), "-A", "bench.celery_app" if self.proposed else "config"]
        commands["worker"] = [
            *celery,
            "worker",
            "--loglevel=" + os.environ.get("BENCH_CELERY_LOGLEVEL", "WARNING"),
            "--without-gossip",
            "--without-mingle",
            f"--concurrency={self.options.celery_concurrency}",
            *([f"--hostname={self.worker_name}"] if self.worker_name else []),
        ]
        if self.options.beat:  # one beat per deployment: see StackOptions.beat
            commands["beat"] = [
                *celery,
                "beat",
                "--loglevel=WARNING",
                "-s",
                str(self.run_dir / "celerybeat-schedule"),
            ]
        return commands

    def start(self) -> None:
        raise_fd_limit()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        if self.options.prepare:
            prepare_database(self.env, self.options.synchronous_commit)
            flush_redis()
            self._collectstatic()
        setup_django(self.env)
        for name, argv in self.commands().items():
            self._spawn(name, argv)
        self._wait_ready()
        label = self.options.label
        print(
            f"[stack] {f'set {label} ' if label else ''}up in {time.monotonic() - started:.1f} s: "
            f"uvicorn x{self.options.web_workers} on {self.base_url}, "
            f"celery worker x{self.options.celery_concurrency}"
            + (" + beat" if self.options.beat else " (no beat: one per deployment, the first set's)")
            + (f" as {self.worker_name}" if self.worker_name else "")
            + ", "
            f"layer={self.options.channel_layer}, CONN_MAX_AGE={self.options.conn_max_age}, "
            f"synchronous_commit={self.options.synchronous_commit}"
            + (f", proposed: {self.env['BENCH_PROPOSED']}" if self.proposed else ""),
            flush=True,
        )

    def _collectstatic(self) -> None:
        collect_static(self.env, self.run_dir)

    def _spawn(self, name: str, argv: list[str]) -> None:
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 (the child keeps it)
        self.processes[name] = subprocess.Popen(
            argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        self._wait_http(deadline, timeout)
        from config.celery import app

        # With several sets, this set's own worker must answer: any other set's would too.
        destination = [self.worker_name] if self.worker_name else None
        while not app.control.ping(timeout=0.5, destination=destination):
            self.check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not answer within {timeout} s")

    def _wait_http(self, deadline: float, timeout: float) -> None:
        """Until uvicorn answers its home page with 200."""
        while True:
            self.check_alive()
            try:
                with urllib.request.urlopen(self.base_url + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not answer within {timeout} s; see {self.log_dir}")
            time.sleep(0.2)

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                tail = (self.log_dir / f"{name}.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{tail}")

    def stop(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.processes.clear()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()

    # measuring

    def server_pids(self) -> list[int]:
        return process_tree(self.processes["uvicorn"].pid)

    def server_rss(self) -> int:
        return sum(rss_bytes(pid) for pid in self.server_pids())


def collect_static(env: dict[str, str], run_dir: Path) -> None:
    """collectstatic for a stack's VAR_DIR, skipped while static/ is unchanged since the last one."""
    manifest = Path(env["VAR_DIR"]) / "static" / "staticfiles.json"
    stamp = run_dir / "static.stamp"
    digest = _tree_digest(ROOT / "static")
    if manifest.exists() and stamp.exists() and stamp.read_text() == digest:
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    stamp.write_text(digest)


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _admin_connection() -> Any:
    import psycopg2

    connection = psycopg2.connect(PG_ADMIN_DSN)
    connection.autocommit = True
    return connection


# Migrated into the bench template under their own settings module, after the project's migrations:
# P1's peer (bench/peer) is a separate Django project sharing the bench database.
BENCH_APPS_SETTINGS = ("bench.peer.settings",)


def migrations_digest() -> str:
    digest = hashlib.sha256()
    paths = [*ROOT.glob("*/migrations/*.py"), *ROOT.glob("bench/*/migrations/*.py")]
    for path in sorted(paths):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def prepare_database(
    env: dict[str, str],
    synchronous_commit: str = "on",
    *,
    db_name: str = DB_NAME,
    template_db: str = TEMPLATE_DB,
) -> None:
    """A fresh `db_name` (helpline_bench unless told), copied from a template migrated once per set of
    migration files."""
    digest = migrations_digest()
    connection = _admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [template_db],
            )
            row = cursor.fetchone()
            if row is None or row[0] != digest:
                cursor.execute(f'DROP DATABASE IF EXISTS "{template_db}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{template_db}"')
                template_env = {
                    **env,
                    "DATABASE_URL": env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + template_db,
                }
                for settings_module in (template_env["DJANGO_SETTINGS_MODULE"], *BENCH_APPS_SETTINGS):
                    subprocess.run(
                        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                        cwd=ROOT,
                        env={**template_env, "DJANGO_SETTINGS_MODULE": settings_module},
                        check=True,
                        timeout=300,
                    )
                cursor.execute(f"COMMENT ON DATABASE \"{template_db}\" IS '{digest}'")
            cursor.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{db_name}" TEMPLATE "{template_db}"')
            if synchronous_commit not in ("on", "off"):
                raise ValueError("synchronous_commit is on or off")
            cursor.execute(f'ALTER DATABASE "{db_name}" SET synchronous_commit = {synchronous_commit}')
    finally:
        connection.close()


def flush_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_DB_URL)
    try:
        client.flushdb()
    finally:
        client.close()


_django_ready = False


def setup_django(env: dict[str, str]) -> None:
    """Let this process (the load generator) use the ORM and actions against the bench database."""
    global _django_ready
    os.environ.update(env)
    for name in PROXY_VARIABLES:
        os.environ.pop(name, None)
    if _django_ready:
        return
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    _django_ready = True


# --- fixtures (ORM, in the load generator's process) -------------------------------------------


@dataclass
class StaffLogin:
    profile_id: int
    cookie: str  # the Cookie header for the staff socket


def make_staff(count: int, *, max_chats: int = 3, available: bool = False) -> list[StaffLogin]:
    """Staff accounts signed in with a verified second factor, as django-otp records it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from helpline.models import STAFF_GROUP, Availability, StaffProfile

    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    user_model = get_user_model()
    logins = []
    for i in range(count):
        user = user_model.objects.create_user(f"bench-staff-{i}", password=None)
        user.groups.add(group)
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        profile = StaffProfile.objects.create(
            user=user,
            display_name=f"Staff {i}",
            languages=["en"],
            max_chats=max_chats,
            availability=Availability.AVAILABLE if available else Availability.AWAY,
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        logins.append(StaffLogin(profile.id, f"sessionid={session.session_key}"))
    return logins


def make_active_chats(staff: Sequence[StaffLogin], count: int) -> list[tuple[str, str, int]]:
    """`count` live chats spread over `staff`: (seeker token, chat public id hex, staff profile id)."""
    from django.utils import timezone

    from helpline.models import ChatSession, hash_token

    now = timezone.now()
    chats = []
    rows = []
    for i in range(count):
        token = secrets.token_urlsafe(32)
        owner = staff[i % len(staff)].profile_id
        chat = ChatSession(
            token_hash=hash_token(token),
            status=ChatSession.Status.ACTIVE,
            staff_id=owner,
            answered_at=now,
        )
        rows.append(chat)
        chats.append((token, chat.public_id.hex, owner))
    ChatSession.objects.bulk_create(rows)
    return chats


def make_waiting_chats(count: int) -> list[str]:
    """`count` waiting seekers (tokens), queued one millisecond apart, without routing runs."""
    from django.utils import timezone

    from helpline.chat import presence
    from helpline.models import ChatSession, hash_token

    now = timezone.now()
    tokens, rows = [], []
    for i in range(count):
        token = secrets.token_urlsafe(32)
        stamp = now + datetime.timedelta(milliseconds=i)
        rows.append(ChatSession(token_hash=hash_token(token), queued_at=stamp, created_at=stamp))
        tokens.append(token)
    for chat in ChatSession.objects.bulk_create(rows, batch_size=1000):
        presence.touch_seeker(chat.id, time.time())
    return tokens


# --- sockets ------------------------------------------------------------------------------------


def ws_connect(url: str, cookie: str, origin: str) -> Any:
    """A client socket as a browser opens it (Origin and cookie), straight to loopback, no proxy."""
    from websockets.asyncio.client import connect
    from websockets.typing import Origin

    return connect(
        url,
        origin=Origin(origin),
        additional_headers={"Cookie": cookie} if cookie else {},
        proxy=None,
        compression=None,
        open_timeout=30,
        ping_interval=None,
        max_size=2**22,
        max_queue=None,
    )


def add_common_arguments(parser: Any) -> None:
    parser.add_argument("--web-workers", type=int, default=2, help="uvicorn worker processes (default 2)")
    parser.add_argument("--celery-concurrency", type=int, default=2, help="Celery worker processes")
    parser.add_argument(
        "--layer",
        choices=["pubsub", "stock-pubsub", "core"],
        default="pubsub",
        help="channel layer (default pubsub; bench/settings.py)",
    )
    parser.add_argument("--conn-max-age", type=int, default=60, help="DB_CONN_MAX_AGE for the stack")
    parser.add_argument(
        "--synchronous-commit",
        choices=["on", "off"],
        default="on",
        help="PostgreSQL synchronous_commit for the bench database (default on: durable)",
    )
    parser.add_argument(
        "--no-health-checks",
        action="store_true",
        help="CONN_HEALTH_CHECKS off (measures a proposed settings change)",
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, under 60 s, for a quick check")
    parser.add_argument("--time-limit", type=int, default=600, help="stop the whole run after this many s")
    parser.add_argument("--profile", action="store_true", help="py-spy the web workers while measuring")
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="extra environment for the stack"
    )
    parser.add_argument(
        "--proposed", default="", help="comma-separated proposed changes to measure (bench/proposed.py)"
    )


PROJECT_CODE = ("helpline/", "config/", "resources/")


def print_profile(rows: list[tuple[str, float, float]], top: int = 15) -> None:
    """Where the sampled (non-idle) time went: the leaves, and the project's own functions."""
    if not rows:
        return
    print("[profile] self time (leaf functions), % of samples:")
    for function, own, _ in sorted(rows, key=lambda r: r[1], reverse=True)[:top]:
        print(f"   {own * 100:5.1f}%  {function[:140]}")
    print("[profile] the project's own functions, inclusive %:")
    ours = [r for r in rows if any(p in r[0] for p in PROJECT_CODE)]
    for function, _, inclusive in sorted(ours, key=lambda r: r[2], reverse=True)[:top]:
        print(f"   {inclusive * 100:5.1f}%  {function[:140]}")


def options_from(args: Any, **extra: Any) -> StackOptions:
    return StackOptions(
        web_workers=args.web_workers,
        celery_concurrency=args.celery_concurrency,
        channel_layer=args.layer,
        conn_max_age=args.conn_max_age,
        synchronous_commit=args.synchronous_commit,
        extra_env={
            "BENCH_CONN_HEALTH_CHECKS": "0" if args.no_health_checks else "1",
            "BENCH_PROPOSED": args.proposed,
            **dict(item.split("=", 1) for item in args.env),
        },
        **extra,
    )


def command_line(module: str) -> str:
    """How this run was started, for the report."""
    return " ".join([".venv/bin/python -m", module, *sys.argv[1:]])


# --- CPU accounting (what the two cores were spent on during a measurement) ---------------------


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return 0


def _pids_named(*names: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as comm:
                    if comm.read().strip() in names:
                        found.append(int(entry))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return found


def _machine_busy_ticks() -> int:
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait


class CpuMeter:
    """CPU seconds used by each part of the stack between start() and stop().

    With more than one stack (P3 --sets 2), each set's parts are named by its label ("uvicorn A",
    "celery B"); PostgreSQL, Redis and the load generator are shared and counted once."""

    def __init__(self, stack: Stack, *more: Stack) -> None:
        self.stack = stack
        self.stacks = [stack, *more]
        self.before: dict[str, dict[int, int]] = {}
        self.wall = 0.0

    def _groups(self) -> dict[str, list[int]]:
        groups = {}
        for stack in self.stacks:
            suffix = f" {stack.options.label}" if len(self.stacks) > 1 else ""
            processes = stack.processes
            groups["uvicorn" + suffix] = stack.server_pids()
            # P1's peer runs no Celery: its "celery" is empty. A second set's has no beat.
            groups["celery" + suffix] = [
                pid
                for name in ("worker", "beat")
                if name in processes
                for pid in process_tree(processes[name].pid)
            ]
        return {
            **groups,
            "postgres": _pids_named("postgres"),
            "redis": _pids_named("redis-server"),
            "load generator": [os.getpid()],
        }

    def _sample(self) -> dict[str, dict[int, int]]:
        return {name: {pid: _cpu_ticks(pid) for pid in pids} for name, pids in self._groups().items()}

    def start(self) -> None:
        self.before = self._sample()
        self.machine_before = _machine_busy_ticks()
        self.wall = time.monotonic()

    def stop(self) -> dict[str, float]:
        """Cores busy per part (1.0 = one core), and "others": the rest of the machine's busy time,
        which is someone else's load on this shared 2-core box and makes a run less trustworthy."""
        after = self._sample()
        wall = time.monotonic() - self.wall
        hz = os.sysconf("SC_CLK_TCK")
        used = {}
        for name, ticks in after.items():
            start = self.before.get(name, {})
            used[name] = sum(t - start.get(pid, 0) for pid, t in ticks.items()) / hz / wall
        machine = (_machine_busy_ticks() - self.machine_before) / hz / wall
        used["others"] = max(0.0, machine - sum(used.values()))
        return {name: round(cores, 2) for name, cores in used.items()}


# --- profiling (py-spy, optional) -------------------------------------------------------------


class Profiler:
    """`py-spy record` on chosen processes during a measurement; collapsed stacks in bench/results/.

    py-spy is not in requirements: `.venv/bin/pip install py-spy` (it samples without stopping the
    process, --nonblocking, so the figures move little)."""

    def __init__(self, name: str, pids: Sequence[int], seconds: float) -> None:
        self.name = name
        self.pids = list(pids)
        self.seconds = seconds
        self.outputs: list[Path] = []
        self.children: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        py_spy = BIN / "py-spy"
        if not py_spy.exists():
            print("[profile] py-spy is not installed in the venv: skipped", flush=True)
            return
        for pid in self.pids:
            out = RESULTS_DIR / f"profile-{self.name}-{pid}.txt"
            self.outputs.append(out)
            self.children.append(
                subprocess.Popen(
                    [
                        str(py_spy),
                        "record",
                        "--pid",
                        str(pid),
                        "--duration",
                        str(int(self.seconds)),
                        "--rate",
                        "200",
                        "--nonblocking",
                        # Only the thread holding the GIL: where the process's Python time goes. Without
                        # it a thread waiting in a C call (the database, epoll) counts as busy.
                        "--gil",
                        "--format",
                        "raw",
                        "--output",
                        str(out),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )

    def stop(self) -> list[tuple[str, float, float]]:
        """Wait for py-spy; (function, self share, inclusive share) of every sampled function."""
        for child in self.children:
            try:
                child.wait(timeout=self.seconds + 30)
            except subprocess.TimeoutExpired:
                child.kill()
        return summarise_profile(self.outputs)


def summarise_profile(outputs: Sequence[Path]) -> list[tuple[str, float, float]]:
    own: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    total = 0
    for out in outputs:
        if not out.exists():
            continue
        for line in out.read_text().splitlines():
            stack, _, count_text = line.rpartition(" ")
            frames = [f for f in stack.split(";") if f]
            if not count_text.isdigit() or not frames:
                continue
            count = int(count_text)
            total += count
            own[frames[-1]] = own.get(frames[-1], 0) + count
            for frame in set(frames):
                inclusive[frame] = inclusive.get(frame, 0) + count
    if not total:
        return []
    return [(f, own.get(f, 0) / total, inclusive[f] / total) for f in inclusive]


class CommitProbe:
    """A tiny durable write (INSERT + COMMIT) to the bench database every 50 ms while a benchmark runs:
    how long PostgreSQL's WAL flush takes right now on this machine's disk, shared with everyone."""

    def __init__(self, interval: float = 0.05) -> None:
        import threading

        self.interval = interval
        self.latencies: list[float] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg2

        connection = psycopg2.connect(f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
        try:
            with connection.cursor() as cursor:
                cursor.execute("CREATE TABLE IF NOT EXISTS bench_commit_probe (at double precision)")
                cursor.execute("SET synchronous_commit = on")
            connection.commit()
            while not self.stopping.wait(self.interval):
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO bench_commit_probe VALUES (%s)", [started])
                connection.commit()
                self.latencies.append(time.perf_counter() - started)
        finally:
            connection.close()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> dict[str, float]:
        self.stopping.set()
        self.thread.join(timeout=30)
        return latency_summary(self.latencies)


def run(main: Any) -> None:
    """Run a benchmark's main(); an interruption or the time limit ends it with a short message
    (the stack has been stopped by then: Stack.__exit__ ran on the way out)."""
    try:
        main()
    except KeyboardInterrupt as stop:
        print(f"[bench] interrupted ({stop or 'Ctrl+C'}); everything it started was stopped", file=sys.stderr)
        sys.exit(130)
    except BenchTimeout as stop:
        print(f"[bench] {stop}; everything it started was stopped", file=sys.stderr)
        sys.exit(3)


# --- database connections (issue 13, point 4) -------------------------------------------------------

POSTGRES_PORT_HEX = f"{5432:04X}"


def _postgres_socket_inodes() -> set[str]:
    """Inodes of this machine's established TCP connections to PostgreSQL's port (/proc/net/tcp*)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as lines:
                next(lines)
                for line in lines:
                    fields = line.split()
                    # remote address "IP:PORT" in hex, state 01 = ESTABLISHED, inode in field 9
                    if fields[2].endswith(":" + POSTGRES_PORT_HEX) and fields[3] == "01":
                        inodes.add(fields[9])
        except FileNotFoundError:
            continue
    return inodes


def _socket_inodes_of(pid: int) -> set[str]:
    found = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                found.add(target[8:-1])
    except (FileNotFoundError, PermissionError, ProcessLookupError):
        pass
    return found


def _is_spawned_worker(pid: int) -> bool:
    """A uvicorn worker process (multiprocessing's spawn), not its resource tracker."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return b"spawn_main" in cmdline.read()
    except (FileNotFoundError, ProcessLookupError):
        return False


class ConnectionProbe:
    """Every 0.2 s while a benchmark runs: the connections PostgreSQL has open to the bench database
    (`SELECT count(*) FROM pg_stat_activity WHERE datname = ...`, the probe's own left out), and how
    many each process of the stack holds: its TCP sockets to port 5432, read from /proc. The peak of
    each is the figure; "web N" is one uvicorn worker process."""

    def __init__(self, stack: Stack, interval: float = 0.2) -> None:
        import threading

        self.stack = stack
        self.interval = interval
        self.samples = 0
        self.started = 0.0
        self.peak_total = 0
        self.peaks: dict[str, int] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _groups(self) -> dict[str, list[int]]:
        master = self.stack.processes["uvicorn"].pid
        web = [pid for pid in self.stack.server_pids() if pid != master and _is_spawned_worker(pid)]
        groups = {f"web {i + 1}": [pid] for i, pid in enumerate(sorted(web))}
        groups["uvicorn master"] = [master]
        groups["celery worker"] = process_tree(self.stack.processes["worker"].pid)
        groups["celery beat"] = process_tree(self.stack.processes["beat"].pid)
        groups["load generator"] = [os.getpid()]
        return groups

    def _run(self) -> None:
        import psycopg2

        connection = psycopg2.connect(f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                while not self.stopping.wait(self.interval):
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE datname = %s AND pid <> pg_backend_pid()",
                        [DB_NAME],
                    )
                    self.peak_total = max(self.peak_total, int(cursor.fetchone()[0]))
                    postgres = _postgres_socket_inodes()
                    for name, pids in self._groups().items():
                        held = sum(len(_socket_inodes_of(pid) & postgres) for pid in pids)
                        self.peaks[name] = max(self.peaks.get(name, 0), held)
                    self.samples += 1
        finally:
            connection.close()

    def start(self) -> None:
        self.started = time.monotonic()
        self.thread.start()

    def stop(self) -> dict[str, Any]:
        self.stopping.set()
        self.thread.join(timeout=30)
        web = [peak for name, peak in self.peaks.items() if name.startswith("web ")]
        seconds = time.monotonic() - self.started
        return {
            "samples": self.samples,
            # Reading /proc/net/tcp with thousands of sockets open takes time: the real interval.
            "seconds_per_sample": round(seconds / max(1, self.samples), 2),
            "peak_total": self.peak_total,
            "peak_per_web_process": max(web, default=0),
            "peaks": dict(sorted(self.peaks.items())),
        }
