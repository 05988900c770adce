"""Live chats exchanging messages over real sockets, timed from send to receipt by the other party.

Shared by P1 (chat latency) and P2 (the same among 50 chats while thousands of sockets wait).
Each message carries a unique body; the time runs from just before the sender's frame is written to
the moment the other party's socket yields the message frame (database write, commit, channel layer
and both socket hops included). One process and one clock on both ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from websockets.exceptions import ConnectionClosed

from bench.common import StaffLogin, latency_summary, make_active_chats, make_staff, ws_connect

PING_SECONDS = 15  # staff consoles and seekers' pages check in like the real pages do


SLOW_SECONDS = 0.05  # messages slower than this are listed with their send time, to see when they bunch


@dataclass
class Exchange:
    sent: dict[str, float] = field(default_factory=dict)
    acked: dict[int, float] = field(default_factory=dict)  # ref -> send time, until "sent" comes back
    latencies: list[float] = field(default_factory=list)
    ack_latencies: list[float] = field(default_factory=list)
    slow: list[tuple[float, float]] = field(default_factory=list)  # (sent at, took) over SLOW_SECONDS
    errors: list[str] = field(default_factory=list)
    measuring: bool = False

    def received(self, body: str) -> None:
        started = self.sent.pop(body, None)
        if started is not None and self.measuring and not body.startswith("w"):
            took = time.perf_counter() - started
            self.latencies.append(took)
            if took > SLOW_SECONDS:
                self.slow.append((started, took))

    def confirmed(self, ref: object) -> None:
        """The sender's own "sent" frame: the message is in the database (the write half of the time)."""
        started = self.acked.pop(ref, None) if isinstance(ref, int) else None
        if started is not None and self.measuring:
            self.ack_latencies.append(time.perf_counter() - started)


async def _reader(socket: Any, side: str, exchange: Exchange) -> None:
    """Record every message frame written by the *other* side."""
    with contextlib.suppress(ConnectionClosed):
        await _read_frames(socket, side, exchange)


async def _read_frames(socket: Any, side: str, exchange: Exchange) -> None:
    async for raw in socket:
        frame = json.loads(raw)
        kind = frame.get("type")
        if kind == "sent":
            exchange.confirmed(frame.get("ref"))
        elif kind == "error":
            exchange.errors.append(str(frame.get("code")))
        elif (side == "seeker" and kind == "message" and frame["message"]["sender"] == "staff") or (
            side == "staff" and kind == "chat_message" and frame["message"]["sender"] == "seeker"
        ):
            exchange.received(frame["message"]["body"])


async def _pinger(sockets: list[Any]) -> None:
    # Each page pings at its own moment, so the pings are spread evenly over the interval: all of them
    # at once (as this did until 2026-12-02) made a burst of staff check-ins every 15 s that no real
    # set of consoles makes, and the messages of that second waited behind it.
    gap = PING_SECONDS / max(1, len(sockets))
    while True:
        for socket in sockets:
            await asyncio.sleep(gap)
            with contextlib.suppress(ConnectionClosed):
                await socket.send('{"type": "ping"}')


async def _loop_lag(lag: list[float]) -> None:
    """How late the load generator's own event loop wakes up (its timing error)."""
    while True:
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        lag.append(time.perf_counter() - started - 0.01)


async def _expect(socket: Any, kind: str, timeout: float = 30) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            frame: dict[str, Any] = json.loads(await socket.recv())
            if frame.get("type") == kind:
                return frame


@dataclass
class ChatRoom:
    """`chats` live chats between seekers and staff (chats_per_staff each), all connected."""

    ws_url: str
    origin: str
    chats: int
    chats_per_staff: int = 4
    staff: list[StaffLogin] = field(default_factory=list)
    pairs: list[tuple[Any, Any, str]] = field(default_factory=list)  # seeker socket, staff socket, chat
    sockets: list[Any] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    exchange: Exchange = field(default_factory=Exchange)
    counter: itertools.count[int] = field(default_factory=itertools.count)  # unique refs across runs

    def create(self) -> None:
        """Database rows (synchronous ORM: call before the event loop runs or in a thread)."""
        self.staff = make_staff(math.ceil(self.chats / self.chats_per_staff), max_chats=self.chats_per_staff)
        self.rows = make_active_chats(self.staff, self.chats)

    async def connect(self) -> None:
        staff_sockets = {}
        for login in self.staff:
            socket = await ws_connect(self.ws_url + "/staff/ws/", login.cookie, self.origin)
            await _expect(socket, "ready")
            staff_sockets[login.profile_id] = socket
            self.sockets.append(socket)
        for token, chat, owner in self.rows:
            seeker = await ws_connect(self.ws_url + "/chat/ws/", f"chat_token={token}", self.origin)
            state = await _expect(seeker, "state")
            if state.get("status") != "active":
                raise RuntimeError(f"a benchmark chat is {state.get('status')!r}, not active")
            self.sockets.append(seeker)
            self.pairs.append((seeker, staff_sockets[owner], chat))
        for socket in staff_sockets.values():
            self.tasks.append(asyncio.create_task(_reader(socket, "staff", self.exchange)))
        for seeker, _, _ in self.pairs:
            self.tasks.append(asyncio.create_task(_reader(seeker, "seeker", self.exchange)))
        self.tasks.append(asyncio.create_task(_pinger(self.sockets)))

    async def run(self, rate: float, seconds: float, warmup: float) -> dict[str, Any]:
        """Send `rate` messages a second in total, round robin over chats, alternating sides."""
        exchange = self.exchange
        exchange.latencies.clear()
        exchange.ack_latencies.clear()
        exchange.slow.clear()
        exchange.errors.clear()
        exchange.sent.clear()
        exchange.acked.clear()
        counter = self.counter
        order = itertools.cycle(range(len(self.pairs)))
        interval = 1 / rate
        start = time.perf_counter()
        end = start + warmup + seconds
        lag: list[float] = []
        send_failures = 0
        monitor = asyncio.create_task(_loop_lag(lag))
        sent = 0
        behind_max = 0.0
        while (now := time.perf_counter()) < end:
            exchange.measuring = now >= start + warmup
            due = start + sent * interval
            if due > now:
                await asyncio.sleep(due - now)
            behind_max = max(behind_max, time.perf_counter() - due)
            n = next(counter)
            seeker, staff, chat = self.pairs[next(order)]
            body = f"{'m' if exchange.measuring else 'w'}{n}"
            exchange.sent[body] = exchange.acked[n] = time.perf_counter()
            try:
                if (n // len(self.pairs)) % 2 == 0:  # each chat's turns alternate between the two sides
                    await seeker.send(json.dumps({"type": "message", "body": body, "ref": n}))
                else:
                    await staff.send(json.dumps({"type": "message", "chat": chat, "body": body, "ref": n}))
            except ConnectionClosed:
                exchange.sent.pop(body, None)  # counted below as a send failure, not as lost
                send_failures += 1
            sent += 1
        # Let the last messages arrive, then count what never did.
        deadline = time.perf_counter() + 5
        while any(b.startswith("m") for b in exchange.sent) and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        lost = sum(1 for b in exchange.sent if b.startswith("m"))
        monitor.cancel()
        result: dict[str, Any] = dict(latency_summary(exchange.latencies))
        acks = latency_summary(exchange.ack_latencies)
        result.update(
            sender_ack_p50_ms=acks["p50_ms"],
            sender_ack_p99_ms=acks["p99_ms"],
            sent=sent,
            measured_seconds=seconds,
            achieved_rate=round(len(exchange.latencies) / seconds, 1),
            lost=lost,
            errors=len(exchange.errors),
            error_codes=sorted(set(exchange.errors)),
            sender_behind_max_ms=round(behind_max * 1000, 1),
            send_failures=send_failures,
            sockets_closed_by_server=sum(1 for s in self.sockets if s.state.name != "OPEN"),
            load_generator_loop_lag_p99_ms=round(latency_summary(lag)["p99_ms"], 1),
            # When the slow ones were sent (s into the measurement) and how long they took (ms).
            slow_messages=[[round(at - start - warmup, 2), round(took * 1000)] for at, took in exchange.slow],
        )
        return result

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await asyncio.gather(*(s.close() for s in self.sockets), return_exceptions=True)


async def redis_round_trip(redis_url: str, rate: float, seconds: float) -> dict[str, Any]:
    """Baseline: publish on one connection, receive on a subscribed one, at the same rate."""
    import redis.asyncio as aioredis

    publisher = aioredis.Redis.from_url(redis_url)
    subscriber = aioredis.Redis.from_url(redis_url)
    pubsub = subscriber.pubsub()
    channel = f"helpline-bench:baseline:{uuid.uuid4().hex}"  # runs side by side must not cross
    await pubsub.subscribe(channel)
    await pubsub.get_message(timeout=1)  # the subscribe confirmation
    sent: dict[bytes, float] = {}
    latencies: list[float] = []

    async def listen() -> None:
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
            started = sent.pop(message["data"], None) if message is not None else None
            if started is not None:
                latencies.append(time.perf_counter() - started)

    listener = asyncio.create_task(listen())
    total = max(1, int(rate * seconds))
    start = time.perf_counter()
    try:
        for n in range(total):
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            payload = json.dumps({"type": "message", "body": f"b{n}"}).encode()
            sent[payload] = time.perf_counter()
            await publisher.publish(channel, payload)
        deadline = time.perf_counter() + 2
        while sent and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
    finally:
        listener.cancel()
        await asyncio.gather(listener, return_exceptions=True)
        await pubsub.aclose()
        await subscriber.aclose()
        await publisher.aclose()
    result = latency_summary(latencies)
    result["lost"] = len(sent)
    return result
