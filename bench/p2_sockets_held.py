"""P2 sockets held: thousands of waiting seekers' sockets open, and chat delivery among 50 live chats.

    .venv/bin/python -m bench.p2_sockets_held                   # 5,000 held, 50 chats at 100 msg/s
    .venv/bin/python -m bench.p2_sockets_held --held 500 --chats 10
    .venv/bin/python -m bench.p2_sockets_held --smoke

The held sockets are seekers waiting in the queue (no staff free), each receiving position updates
and pinging every 20 s like the chat page. During the measurement the queue moves (--churn seekers a
second join and as many leave), and every change is one routing run and one queue.snapshot
broadcast, as in production.
Baseline (same run): the same 50-chat exchange before the held sockets are opened.
Target: every socket held, p99 ≤ 50 ms, ≤ 100 KB of server memory (RSS) per held socket.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

from websockets.exceptions import ConnectionClosed

from bench.chatload import ChatRoom
from bench.common import (
    CommitProbe,
    CpuMeter,
    Profiler,
    Report,
    Stack,
    add_common_arguments,
    command_line,
    make_waiting_chats,
    ms,
    options_from,
    print_profile,
    run,
    time_limit,
    ws_connect,
)

MODULE = "bench.p2_sockets_held"
PAGE_PING_SECONDS = 20  # static/js/chat.js: a ping every 20 s keeps the seeker's presence fresh


@dataclass
class Waiting:
    """Held seekers' sockets: connected, told their place, then counting position updates."""

    ws_url: str
    origin: str
    sockets: list[Any] = field(default_factory=list)
    updates: list[int] = field(default_factory=list)  # queue frames per socket
    positions: list[int | None] = field(default_factory=list)
    closed: int = 0
    failed: int = 0
    not_tried: int = 0  # still unopened when the opening deadline passed
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def open(self, tokens: list[str], deadline: float, concurrency: int = 50) -> None:
        """Open a socket per token, `concurrency` at a time, giving up on the rest at `deadline`."""
        gate = asyncio.Semaphore(concurrency)

        async def one(token: str) -> None:
            async with gate:
                if time.perf_counter() > deadline:
                    self.not_tried += 1
                    return
                try:
                    socket = await ws_connect(self.ws_url + "/chat/ws/", f"chat_token={token}", self.origin)
                    async with asyncio.timeout(60):
                        while True:
                            frame = json.loads(await socket.recv())
                            if frame.get("type") == "state":
                                break
                except Exception:  # counted, not fatal: "all held" is the figure
                    self.failed += 1
                    return
                if frame.get("status") != "waiting":
                    self.failed += 1
                index = len(self.sockets)
                self.sockets.append(socket)
                self.updates.append(0)
                self.positions.append(frame.get("position"))
                self.tasks.append(asyncio.create_task(self.listen(index, socket)))

        await asyncio.gather(*(one(t) for t in tokens))

    async def listen(self, index: int, socket: Any) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for raw in socket:
                frame = json.loads(raw)
                if frame.get("type") == "queue":
                    self.updates[index] += 1
                    self.positions[index] = frame.get("position")
        self.closed += 1

    async def keep_pinging(self, every: float) -> None:
        """Each held socket pings once per `every` seconds, as the chat page does, spread evenly."""
        if not self.sockets:
            return
        gap = every / len(self.sockets)
        start = time.perf_counter()
        n = 0
        while True:
            delay = start + n * gap - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            with contextlib.suppress(ConnectionClosed):
                await self.sockets[n % len(self.sockets)].send('{"type": "ping"}')
            n += 1

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await asyncio.gather(*(s.close() for s in self.sockets), return_exceptions=True)


async def churn(waiting: Waiting, stack: Stack, per_second: float, seconds: float) -> dict[str, int]:
    """Seekers join (do_start_chat, as the chat page does) and held seekers leave, at a steady rate."""
    from helpline.chat import actions as chat_actions

    joined = left = 0
    end = time.perf_counter() + seconds
    interval = 1 / per_second if per_second > 0 else seconds
    leavers = random.Random(7).sample(range(len(waiting.sockets)), k=min(len(waiting.sockets), 10**6))
    while time.perf_counter() < end:
        await asyncio.sleep(interval)
        await asyncio.to_thread(chat_actions.do_start_chat, "en", "")
        joined += 1
        if leavers:
            index = leavers.pop()
            with contextlib.suppress(ConnectionClosed):
                await waiting.sockets[index].send('{"type": "leave"}')
                left += 1
    return {"joined": joined, "left": left}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--held", type=int, default=5000, help="waiting seekers' sockets (default 5000)")
    parser.add_argument("--chats", type=int, default=50, help="live chats measured (default 50)")
    parser.add_argument("--rate", type=float, default=100, help="messages/s among them (default 100)")
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds, each phase")
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--churn", type=float, default=1, help="queue joins (and leaves) per second")
    parser.add_argument(
        "--open-seconds", type=float, default=300, help="stop opening sockets after this long (default 300)"
    )
    add_common_arguments(parser)
    args = parser.parse_args()
    if args.smoke:
        args.held, args.chats, args.rate, args.seconds, args.warmup, args.churn = 200, 5, 10, 3, 1, 1
    report = Report("P2 sockets held", command_line(MODULE))
    report.details["parameters"] = vars(args)
    args.time_limit = max(args.time_limit, int(args.open_seconds + 3 * args.seconds + 240))
    with time_limit(args.time_limit), Stack(options_from(args)) as stack:
        room = ChatRoom(stack.ws_url, stack.base_url, args.chats)
        room.create()
        tokens = make_waiting_chats(args.held)
        waiting = Waiting(stack.ws_url, stack.base_url)

        async def scenario() -> dict[str, Any]:
            await room.connect()
            try:
                baseline = await room.run(args.rate, args.seconds, args.warmup)
                rss_before = stack.server_rss()
                started = time.perf_counter()
                await waiting.open(tokens, started + args.open_seconds)
                opened_in = time.perf_counter() - started
                await asyncio.sleep(2)
                rss_after = stack.server_rss()
                pinger = asyncio.create_task(waiting.keep_pinging(PAGE_PING_SECONDS))
                await asyncio.sleep(min(PAGE_PING_SECONDS, 5))
                meter = CpuMeter(stack)
                meter.start()
                probe = CommitProbe()
                probe.start()
                profiler = Profiler("p2", stack.server_pids(), args.seconds + args.warmup)
                if args.profile:
                    profiler.start()
                updates_before = sum(waiting.updates)
                churned, result = await asyncio.gather(
                    churn(waiting, stack, args.churn, args.seconds + args.warmup),
                    room.run(args.rate, args.seconds, args.warmup),
                )
                result["cpu_cores"] = meter.stop()
                result["commit_probe"] = probe.stop()
                pinger.cancel()
                if args.profile:
                    print_profile(await asyncio.to_thread(profiler.stop))
                await asyncio.sleep(1)
                still_open = sum(1 for s in waiting.sockets if s.state.name == "OPEN")
                stack.check_alive()
                return {
                    "baseline": baseline,
                    "result": result,
                    "opened": len(waiting.sockets),
                    "failed": waiting.failed,
                    "not_tried": waiting.not_tried,
                    "still_open": still_open,
                    "opened_in_s": round(opened_in, 1),
                    "rss_before": rss_before,
                    "rss_after": rss_after,
                    "queue_updates": sum(waiting.updates) - updates_before,
                    "sockets_updated": sum(1 for u in waiting.updates if u),
                    "churn": churned,
                }
            finally:
                await waiting.close()
                await room.close()

        figures = asyncio.run(scenario())
    report.details.update(figures)
    base, res = figures["baseline"], figures["result"]
    per_socket = (figures["rss_after"] - figures["rss_before"]) / max(1, figures["opened"])
    left = figures["churn"]["left"]
    report.add(
        "sockets held",
        f"all {args.held}",
        "-",
        f"{figures['still_open']} open of {args.held} ({left} left on purpose, "
        f"{figures['failed']} failed, {figures['not_tried']} not opened in {args.open_seconds:g} s)",
        figures["failed"] == 0 and figures["not_tried"] == 0 and figures["still_open"] >= args.held - left,
    )
    report.add("opened in", "-", "-", f"{figures['opened_in_s']} s", None)
    report.add(
        "server RSS per socket",
        "≤ 100 KB",
        f"{figures['rss_before'] / 2**20:.0f} MiB before",
        f"{per_socket / 1024:.1f} KB ({figures['rss_after'] / 2**20:.0f} MiB)",
        per_socket <= 100 * 1024,
    )
    report.add(f"{args.chats} chats p50", "-", ms(base["p50_ms"]), ms(res["p50_ms"]), None)
    report.add(
        f"{args.chats} chats p99", "≤ 50 ms", ms(base["p99_ms"]), ms(res["p99_ms"]), res["p99_ms"] <= 50
    )
    report.add(
        "delivered",
        f"{args.rate:g}/s, none lost",
        f"{base['achieved_rate']}/s, {base['lost']} lost",
        f"{res['achieved_rate']}/s, {res['lost']} lost, {res['errors']} errors",
        res["lost"] == 0 and res["errors"] == 0,
    )
    report.add(
        "position updates",
        "-",
        "-",
        f"{figures['queue_updates']} frames; {figures['sockets_updated']} sockets updated",
        None,
    )
    report.add_commit_probe(res["commit_probe"])
    print(f"[P2] CPU in cores during the measurement: {res['cpu_cores']}", flush=True)
    report.print_and_save()


if __name__ == "__main__":
    run(main)
