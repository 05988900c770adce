"""A Redis Sentinel failover in the middle of a chat loses nothing (README, "Redis high availability
(Sentinel)").

A Redis master, a replica and three sentinels of the test's own (tests/sentinel_cluster.py), the site as
production runs it (uvicorn, a Celery worker and beat, each its own process) pointed at them only
through REDIS_SENTINELS, and the test database. A seeker and a staff member in a live chat write to each
other over WebSockets, as the pages do, every quarter of a second; midway `SENTINEL FAILOVER` moves the
master to the replica. The clients behave as static/js/chat.js does: a message not confirmed within
8 s makes the page reconnect and send it again with the same reference (the server stores it once),
and a reconnected page asks for what it missed.

Afterwards: every message either side wrote is stored once and reached the other side; every message
written once the failover was over reached the other side live, within seconds. The stall while the
master moved is printed (pytest -s) for docs/performance.md.

Marked `faults` (pytest -m faults runs the fault tests alone; `make faults` runs them with the fault
suite). Skipped only on a machine without the redis-server binary, which .ci/services.sh installs.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from bench.common import make_active_chats, make_staff, ws_connect
from tests.e2e.journeys.stack import Stack, environment, start_stack
from tests.sentinel_cluster import SentinelCluster, sentinel_binary

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        sentinel_binary() is None, reason="needs redis-server (or redis-sentinel) for the sentinels"
    ),
]

SEND_EVERY = 0.25  # seconds between one side's messages
BEFORE = 3.0  # writing before the failover
AFTER = 6.0  # writing after it is over
RESEND_AFTER = 8.0  # as static/js/chat.js: no "sent" by then, reconnect and send again
LIVE_WITHIN = 5.0  # a message written after the failover must reach the other side this soon


@dataclass
class Side:
    """One party's page: what it wrote and when, and what it was shown and how."""

    name: str
    other: str
    written: dict[str, float] = field(default_factory=dict)  # body -> when first written
    pending: dict[str, str] = field(default_factory=dict)  # ref -> body, not yet confirmed
    pending_since: dict[str, float] = field(default_factory=dict)
    acked: dict[str, int] = field(default_factory=dict)  # body -> seq
    live: dict[str, float] = field(default_factory=dict)  # body -> when pushed to this page
    caught_up: set[str] = field(default_factory=set)  # bodies this page had only by asking
    seqs: set[int] = field(default_factory=set)
    reconnects: list[float] = field(default_factory=list)
    resent: int = 0
    errors: list[str] = field(default_factory=list)
    refs: itertools.count[int] = field(default_factory=itertools.count)

    def contiguous(self) -> int:
        last = 0
        while last + 1 in self.seqs:
            last += 1
        return last

    def show(self, message: dict[str, Any], *, pushed: bool) -> None:
        seq = message.get("seq")
        if isinstance(seq, int):
            self.seqs.add(seq)
        body = str(message.get("body", ""))
        if message.get("sender") != self.other:
            return
        if pushed:
            self.live.setdefault(body, time.monotonic())
        elif body not in self.live:
            self.caught_up.add(body)


class Page:
    """A chat page's socket, reconnecting and resending as the page's script does."""

    def __init__(self, side: Side, url: str, cookie: str, origin: str, chat: str | None) -> None:
        self.side = side
        self.url = url
        self.cookie = cookie
        self.origin = origin
        self.chat = chat  # the staff console names the chat in each frame; the seeker's page does not
        self.socket: Any = None

    def frame(self, **fields: Any) -> str:
        if self.chat is not None:
            fields["chat"] = self.chat
        return json.dumps(fields)

    async def run(self, writing: asyncio.Event, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(Exception):  # the socket closed under us: reconnect, as the page does
                async with ws_connect(self.url, self.cookie, self.origin) as socket:
                    self.socket = socket
                    await self.opened(socket)
                    await self.converse(socket, writing, stop)
            self.socket = None
            if not stop.is_set():
                self.side.reconnects.append(time.monotonic())
                await asyncio.sleep(1)

    async def opened(self, socket: Any) -> None:
        if self.chat is None:
            await socket.send(self.frame(type="hello", after=self.side.contiguous()))
        else:
            await socket.send(self.frame(type="history", after=self.side.contiguous()))
        now = time.monotonic()
        for ref, body in list(self.side.pending.items()):  # unconfirmed: again, with the same reference
            self.side.resent += 1
            self.side.pending_since[ref] = now
            await socket.send(self.frame(type="message", body=body, ref=ref))

    async def converse(self, socket: Any, writing: asyncio.Event, stop: asyncio.Event) -> None:
        reader = asyncio.create_task(self.read(socket))
        try:
            next_write = time.monotonic()
            while not reader.done() and not stop.is_set():
                await asyncio.wait({reader}, timeout=0.05)
                now = time.monotonic()
                if any(now - since > RESEND_AFTER for since in self.side.pending_since.values()):
                    return  # no answer: the connection has probably stalled; reconnect
                if writing.is_set() and now >= next_write:
                    next_write = now + SEND_EVERY
                    ref = f"{self.side.name}-{next(self.side.refs)}"
                    body = f"{ref} says hello"
                    self.side.pending[ref] = body
                    self.side.pending_since[ref] = now
                    self.side.written[body] = now
                    await socket.send(self.frame(type="message", body=body, ref=ref))
        finally:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)

    async def read(self, socket: Any) -> None:
        async for raw in socket:
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind in ("message", "chat_message"):
                self.side.show(frame["message"], pushed=True)
                if frame["message"]["seq"] > self.side.contiguous():  # a gap: ask for what is missing
                    await socket.send(
                        self.frame(type="history" if self.chat else "hello", after=self.side.contiguous())
                    )
            elif kind == "history":
                for message in frame.get("messages", []):
                    self.side.show(message, pushed=False)
            elif kind == "sent":
                body = self.side.pending.pop(str(frame.get("ref")), None)
                self.side.pending_since.pop(str(frame.get("ref")), None)
                if body is not None and isinstance(frame.get("seq"), int):
                    self.side.acked[body] = frame["seq"]
                    self.side.seqs.add(frame["seq"])
            elif kind == "error":  # a refusal: the page shows it and stops waiting for "sent"
                self.side.errors.append(f"{frame.get('code')} for {frame.get('ref')}")
                self.side.pending.pop(str(frame.get("ref")), None)
                self.side.pending_since.pop(str(frame.get("ref")), None)


def transcript(base_url: str, cookie: str) -> list[dict[str, Any]]:
    """The whole chat as the seeker's page reads it when it polls."""
    request = urllib.request.Request(
        f"{base_url}/chat/session/poll/?after=0", headers={"Cookie": cookie, "Accept": "application/json"}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        messages: list[dict[str, Any]] = json.loads(response.read())["messages"]
    return messages


async def converse_through_a_failover(
    cluster: SentinelCluster, stack: Stack, seeker_cookie: str, staff_cookie: str, chat: str
) -> dict[str, Any]:
    base_url = stack.url
    ws_url = base_url.replace("http://", "ws://")
    seeker = Side("seeker", "staff")
    staff = Side("staff", "seeker")
    writing, stop = asyncio.Event(), asyncio.Event()
    pages = [
        Page(seeker, ws_url + "/chat/ws/", seeker_cookie, base_url, None),
        Page(staff, ws_url + "/staff/ws/", staff_cookie, base_url, chat),
    ]
    tasks = [asyncio.create_task(page.run(writing, stop)) for page in pages]
    try:
        # Both pages connected and heard from, before anyone writes.
        for _ in range(300):
            if all(page.socket is not None for page in pages):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1)
        writing.set()
        await asyncio.sleep(BEFORE)
        failover_started = time.monotonic()
        old, new = await asyncio.to_thread(cluster.failover)
        failover_over = time.monotonic()
        logs_then = stack.log_sizes()
        await asyncio.sleep(AFTER)
        writing.clear()
        # Let every message be confirmed (a page resends what was not) and arrive.
        for _ in range(300):
            if not seeker.pending and not staff.pending:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(3)
        # Then each page asks once for what it has not seen, as the pages do every few seconds.
        for page in pages:
            if page.socket is not None:
                with contextlib.suppress(Exception):
                    await page.socket.send(page.frame(type="history" if page.chat else "hello", after=0))
        await asyncio.sleep(2)
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "seeker": seeker,
        "staff": staff,
        "failover": (failover_started, failover_over),
        "ports": (old, new),
        # The Celery worker, through the new master: beat's sweeps queued and run since the failover.
        "tasks_after": len(
            re.findall(r"helpline\.tasks\.sweep\[[^]]+\] succeeded", stack.logs_since(logs_then))
        ),
    }


def stalls(writer: Side, reader: Side, start: float, end: float) -> dict[str, float]:
    """How late the messages `writer` wrote between start and end reached `reader` live."""
    late = [
        reader.live[body] - at
        for body, at in writer.written.items()
        if start <= at <= end and body in reader.live
    ]
    return {"messages": len(late), "worst_s": round(max(late, default=0.0), 2)}


def test_a_sentinel_failover_mid_chat_loses_no_message(tmp_path: Path) -> None:
    staff_login = make_staff(1, max_chats=3)[0]
    token, chat, _ = make_active_chats([staff_login], 1)[0]
    seeker_cookie = f"{settings.SEEKER_COOKIE_NAME}={token}"
    servers = tmp_path / "redis"
    servers.mkdir()
    logs = tmp_path / "logs"
    logs.mkdir()
    with SentinelCluster(servers) as cluster:
        env = environment(connection.settings_dict, "", settings, tmp_path / "var")
        env.update(cluster.environment(db=5))
        env["RATE_LIMIT_CHAT_MESSAGE"] = "5000/m"  # four messages a second is a flood for a person
        stack = start_stack(env, logs)
        try:
            outcome = asyncio.run(
                converse_through_a_failover(cluster, stack, seeker_cookie, staff_login.cookie, chat)
            )
            stored = transcript(stack.url, seeker_cookie)
            stack.check_running()  # nothing crashed or had to be restarted
            site_logs = "\n".join(
                f"--- {p.name} ---\n{p.text()[-3000:]}" for p in stack.processes if p.name != "beat"
            )
        finally:
            stack.stop()

    seeker: Side = outcome["seeker"]
    staff: Side = outcome["staff"]
    started, over = outcome["failover"]
    old, new = outcome["ports"]
    assert old != new
    assert outcome["tasks_after"] >= 1, f"the worker ran no task after the failover\n{site_logs}"

    summary = {
        "failover_s": round(over - started, 2),
        "tasks_after": outcome["tasks_after"],
        "written": {"seeker": len(seeker.written), "staff": len(staff.written)},
        "only_by_asking": {"seeker": len(seeker.caught_up), "staff": len(staff.caught_up)},
        "resent": {"seeker": seeker.resent, "staff": staff.resent},
        "reconnects": {"seeker": len(seeker.reconnects), "staff": len(staff.reconnects)},
        "before": stalls(seeker, staff, started - BEFORE, started),
        "during_seeker_to_staff": stalls(seeker, staff, started, over),
        "during_staff_to_seeker": stalls(staff, seeker, started, over),
        "after": stalls(seeker, staff, over, over + AFTER),
    }
    print("sentinel failover:", json.dumps(summary))

    assert not seeker.errors and not staff.errors, (seeker.errors, staff.errors)
    bodies = [str(m["body"]) for m in stored]
    written = list(seeker.written) + list(staff.written)
    # Stored once each: a message sent again with its reference is not stored twice.
    assert len(bodies) == len(set(bodies)), "a message was stored twice"
    missing = [body for body in written if body not in bodies]
    assert not missing, f"written but never stored: {missing}\n{site_logs}"
    # Every confirmed message is stored under the number it was confirmed with.
    by_body = {str(m["body"]): m["seq"] for m in stored}
    for side in (seeker, staff):
        assert all(by_body[body] == seq for body, seq in side.acked.items())
    # Each side had every message of the other's, live or by asking.
    for writer, reader in ((seeker, staff), (staff, seeker)):
        unseen = [body for body in writer.written if body not in reader.live and body not in reader.caught_up]
        assert not unseen, f"{reader.name} never had {unseen}\n{site_logs}"
    # Written after the failover: pushed to the other side at once, none had to be asked for.
    for writer, reader in ((seeker, staff), (staff, seeker)):
        after = {body: at for body, at in writer.written.items() if at > over}
        assert len(after) >= AFTER / SEND_EVERY / 2, "too few messages were written after the failover"
        slow = {
            body: round(reader.live[body] - at, 2) if body in reader.live else None
            for body, at in after.items()
            if body not in reader.live or reader.live[body] - at > LIVE_WITHIN
        }
        assert not slow, f"{reader.name} did not have these live within {LIVE_WITHIN} s: {slow}"
