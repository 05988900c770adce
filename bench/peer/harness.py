"""The load generator's side of P1's peer: its stack (one uvicorn) and its chats.

    with PeerStack("best", StackOptions(web_workers=2)) as stack:
        room = PeerRoom(stack.ws_url, stack.base_url, chats=200)
        ...  # await room.connect(); await room.run(rate, seconds, warmup), as for our ChatRoom

The peer shares our stack's machinery (bench.common.Stack): the bench database re-created from the
same template, Redis database 6 flushed, uvicorn in its own process group, stopped on every exit path.
It has no Celery: the tutorial's chat needs none.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from dataclasses import dataclass
from typing import Any

from websockets.exceptions import ConnectionClosed

from bench.chatload import ChatRoom, Exchange
from bench.common import (
    BIN,
    DB_NAME,
    HOST,
    PROXY_VARIABLES,
    REDIS_DB_URL,
    Stack,
    StackOptions,
    flush_redis,
    prepare_database,
    raise_fd_limit,
    ws_connect,
)

PEER_SIDES = ("seeker", "staff")


class PeerStack(Stack):
    """The peer's uvicorn (bench.peer.asgi, --web-workers of ours) on a port of its own.

    Of the options, web_workers and synchronous_commit apply; what `config` sets (the channel layer and
    CONN_MAX_AGE) is in bench/peer/settings.py."""

    def __init__(self, config: str, options: StackOptions) -> None:
        self.config = config  # read by _environment(), which Stack.__init__ calls
        super().__init__(options)
        self.log_dir = self.log_dir.with_name(f"{self.log_dir.name}-peer-{config}")

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "bench.peer.settings",
                "BENCH_PEER_CONFIG": self.config,
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
                "REDIS_URL": REDIS_DB_URL,
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def start(self) -> None:
        raise_fd_limit()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        # Our stack's environment: if the template is stale, it is migrated under the project's
        # settings first (prepare_database adds the peer's app after).
        prepare_database(super()._environment(), self.options.synchronous_commit)
        flush_redis()
        self._spawn(
            "uvicorn",
            [
                str(BIN / "uvicorn"),
                "bench.peer.asgi:application",
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--workers",
                str(self.options.web_workers),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
        )
        timeout = 60
        self._wait_http(time.monotonic() + timeout, timeout)
        print(
            f"[peer] up in {time.monotonic() - started:.1f} s: uvicorn x{self.options.web_workers} "
            f"on {self.base_url}, config={self.config}, synchronous_commit={self.options.synchronous_commit}",
            flush=True,
        )


def message_ref(body: str) -> int:
    """ChatRoom.run's bodies are "m<ref>" (measured) or "w<ref>" (warm-up)."""
    return int(body[1:])


async def _reader(socket: Any, side: str, exchange: Exchange) -> None:
    """The other side's messages are deliveries; this side's own echo is the peer's "ack"."""
    with contextlib.suppress(ConnectionClosed):
        async for raw in socket:
            frame = json.loads(raw)
            if frame["sender"] == side:
                exchange.confirmed(message_ref(frame["body"]))
            else:
                exchange.received(frame["body"])


@dataclass
class PeerRoom(ChatRoom):
    """`chats` tutorial rooms, each with two sockets: a seeker's and a staff member's.

    The tutorial's unit is a room and a socket per person in it, so a staff member with four chats
    would hold four sockets (ours multiplexes them on one). Sending is ChatRoom.run unchanged: the
    peer's consumer reads the frame's "body" and ignores the rest ("ref", "chat")."""

    def create(self) -> None:
        """Nothing in the database: a tutorial room is a name."""

    async def connect(self) -> None:
        for i in range(self.chats):
            room = f"room{i}"
            seeker, staff = [
                await ws_connect(f"{self.ws_url}/ws/chat/{room}/{side}/", "", self.origin)
                for side in PEER_SIDES
            ]
            self.sockets += [seeker, staff]
            self.pairs.append((seeker, staff, room))
        for seeker, staff, _ in self.pairs:
            for side, socket in zip(PEER_SIDES, (seeker, staff), strict=True):
                self.tasks.append(asyncio.create_task(_reader(socket, side, self.exchange)))
