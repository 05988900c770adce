"""A throwaway Redis Sentinel setup for the tests: a master, a replica and three sentinels, each a
process of the test's own on a spare port of 127.0.0.1, keeping nothing on disk but the sentinels'
own configuration files in a temporary folder. `with SentinelCluster(folder) as cluster:` starts them
and always stops them again, also when the test fails.

The sentinels run from the redis-server binary in sentinel mode (`redis-server FILE --sentinel`, what
Debian's redis-sentinel package runs too), so redis-server is all it needs: `sentinel_binary()` says
whether it is there (.ci/services.sh installs it on a machine without it).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import redis

from tests.processes import die_with_parent, free_port

HOST = "127.0.0.1"
MASTER_NAME = "helpline-test"
# A master that stops answering is judged down after this long; a forced failover does not wait for it.
DOWN_AFTER_MS = 1000


def sentinel_binary() -> list[str] | None:
    """The command that starts a sentinel, or None if this machine has no Redis server binary."""
    if shutil.which("redis-sentinel"):
        return [str(shutil.which("redis-sentinel"))]
    if shutil.which("redis-server"):
        return [str(shutil.which("redis-server")), "--sentinel"]
    return None


def client(port: int) -> redis.Redis:
    """A short-lived client to the server or sentinel on `port` (it gives up after two seconds)."""
    return redis.Redis(HOST, port, socket_timeout=2, socket_connect_timeout=2, decode_responses=True)


def replication(port: int) -> dict[str, Any]:
    """INFO replication of the server on `port` ({} if it does not answer)."""
    try:
        with client(port) as server:
            return dict(server.info("replication"))
    except redis.RedisError:
        return {}


def named_master(port: int) -> int | None:
    """The master's port as the sentinel on `port` names it (None if it does not answer)."""
    try:
        with client(port) as sentinel:
            address = sentinel.sentinel_get_master_addr_by_name(MASTER_NAME)
    except redis.RedisError:
        return None
    return int(address[1]) if address else None


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} not within {seconds:.0f} s")


class SentinelCluster:
    """A master, one replica and three sentinels watching them under MASTER_NAME."""

    def __init__(self, folder: Path, sentinels: int = 3) -> None:
        self.folder = folder
        self.master_port = free_port()
        self.replica_port = free_port()
        self.sentinel_ports = [free_port() for _ in range(sentinels)]
        self.processes: list[subprocess.Popen[bytes]] = []

    # --- what the site is given -------------------------------------------------------------------

    @property
    def sentinels_setting(self) -> str:
        """REDIS_SENTINELS for these sentinels."""
        return ",".join(f"{HOST}:{port}" for port in self.sentinel_ports)

    @property
    def sentinels(self) -> list[tuple[str, int]]:
        return [(HOST, port) for port in self.sentinel_ports]

    def environment(self, db: int = 0) -> dict[str, str]:
        """The variables that point the site at this setup, through Sentinel."""
        return {
            "REDIS_URL": f"redis://sentinel/{db}",
            "REDIS_SENTINELS": self.sentinels_setting,
            "REDIS_SENTINEL_MASTER": MASTER_NAME,
        }

    # --- starting and stopping --------------------------------------------------------------------

    def _spawn(self, name: str, args: list[str]) -> None:
        log = (self.folder / f"{name}.log").open("ab")
        try:
            self.processes.append(
                subprocess.Popen(
                    args,
                    cwd=self.folder,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=die_with_parent,
                )
            )
        finally:
            log.close()

    def _server(self, name: str, port: int, *extra: str) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self._spawn(
            name,
            [binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no", *extra],
        )

    def start(self) -> None:
        command = sentinel_binary()
        if command is None:
            raise RuntimeError("no redis-server binary for the sentinels")
        self._server("master", self.master_port)
        self._server("replica", self.replica_port, "--replicaof", HOST, str(self.master_port))
        for port in self.sentinel_ports:
            conf = self.folder / f"sentinel-{port}.conf"
            conf.write_text(
                f"port {port}\nbind {HOST}\ndir {self.folder}\n"
                f"sentinel monitor {MASTER_NAME} {HOST} {self.master_port} 2\n"
                f"sentinel down-after-milliseconds {MASTER_NAME} {DOWN_AFTER_MS}\n"
                f"sentinel failover-timeout {MASTER_NAME} 10000\n"
                f"sentinel parallel-syncs {MASTER_NAME} 1\n"
            )
            executable, *mode = command
            self._spawn(f"sentinel-{port}", [executable, str(conf), *mode])
        # Ready: the replica has caught up, and every sentinel knows the replica and the other sentinels
        # (they find each other through the master within a few seconds).
        wait_for(lambda: replication(self.replica_port).get("master_link_status") == "up", 20, "the replica")
        others = len(self.sentinel_ports) - 1
        for port in self.sentinel_ports:
            wait_for(
                functools.partial(self._sees, port, others),
                30,
                f"sentinel {port} seeing the replica and the other sentinels",
            )

    def _sees(self, port: int, others: int) -> bool:
        try:
            with client(port) as sentinel:
                state = sentinel.sentinel_master(MASTER_NAME)
        except redis.RedisError:
            return False
        return bool(state.get("num-slaves") == 1 and state.get("num-other-sentinels") == others)

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self.processes.clear()

    def __enter__(self) -> SentinelCluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    # --- the failover -----------------------------------------------------------------------------

    def master_port_now(self) -> int:
        """The master's port as the first sentinel that answers names it."""
        for port in self.sentinel_ports:
            named = named_master(port)
            if named is not None:
                return named
        raise RuntimeError("no sentinel names a master")

    def failover(self, seconds: float = 30) -> tuple[int, int]:
        """SENTINEL FAILOVER, then wait until every sentinel names the new master, it takes writes and
        the old master follows it. Returns (old master's port, new master's port)."""
        old = self.master_port_now()
        new = self.replica_port if old == self.master_port else self.master_port
        deadline = time.monotonic() + seconds
        while True:
            try:
                with client(self.sentinel_ports[0]) as sentinel:
                    sentinel.sentinel_failover(MASTER_NAME)
                break
            except redis.ResponseError as error:
                # NOGOODSLAVE: the sentinel has not yet heard from the replica itself; it will shortly.
                if "NOGOODSLAVE" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        for port in self.sentinel_ports:
            names_new = functools.partial(lambda port: named_master(port) == new, port)
            wait_for(names_new, seconds, f"sentinel {port} naming the new master")
        wait_for(lambda: replication(new).get("role") == "master", seconds, "the new master")
        wait_for(
            lambda: (
                replication(old).get("role") == "slave" and replication(old).get("master_link_status") == "up"
            ),
            seconds,
            "the old master following the new one",
        )
        return old, new
