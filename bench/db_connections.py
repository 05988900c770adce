"""Database connections held by one production stack under P2's load, and under a burst of page views
(issue 13, point 4).

    .venv/bin/python -m bench.db_connections           # P2's sizes: 5,000 held, 50 chats at 100 msg/s
    .venv/bin/python -m bench.db_connections --held 1000 --chats 20 --rate 50
    .venv/bin/python -m bench.db_connections --smoke

The stack is P2's (bench/common.py: uvicorn with 2 worker processes, a Celery worker with 2 processes,
beat; production settings, DB_CONN_MAX_AGE=60 as in production). The load is P2's: waiting seekers'
sockets held and pinging, seekers joining and leaving, and live chats exchanging messages. While it
runs, a burst of page views arrives: --burst GET requests to the chat, home and self-help pages,
--burst-concurrency at a time (the burst that took 95 of PostgreSQL's 100 connections before).
A probe (common.ConnectionProbe) samples every 0.2 s: pg_stat_activity for the bench database, and each
process's sockets to PostgreSQL.

Target: ≤ 20 connections per web process at the peak (its bound is WEB_REQUEST_THREADS + ASGI_THREADS
+ 1 = 17 by default), no page answered 500.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.chatload import ChatRoom
from bench.common import (
    ConnectionProbe,
    Report,
    Stack,
    add_common_arguments,
    command_line,
    make_waiting_chats,
    ms,
    options_from,
    run,
    time_limit,
)
from bench.p2_sockets_held import PAGE_PING_SECONDS, Waiting, churn

MODULE = "bench.db_connections"
PAGES = ("/en/chat/", "/en/", "/en/self-help/", "/en/messages/", "/en/browse-safely/")
TARGET_PER_WEB_PROCESS = 20


def page_burst(base_url: str, count: int, concurrency: int) -> Counter[int]:
    """`count` GETs spread over PAGES, `concurrency` at a time, straight to loopback."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def one(i: int) -> int:
        try:
            with opener.open(base_url + PAGES[i % len(PAGES)], timeout=60) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except OSError:
            return 0  # refused or timed out: counted as a failure

    with ThreadPoolExecutor(concurrency) as pool:
        return Counter(pool.map(one, range(count)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--held", type=int, default=5000, help="waiting seekers' sockets (default 5000)")
    parser.add_argument("--chats", type=int, default=50, help="live chats (default 50)")
    parser.add_argument("--rate", type=float, default=100, help="messages/s among them (default 100)")
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--churn", type=float, default=1, help="queue joins (and leaves) per second")
    parser.add_argument("--burst", type=int, default=600, help="page views in the burst (default 600)")
    parser.add_argument("--burst-concurrency", type=int, default=60, help="page views at a time (default 60)")
    parser.add_argument(
        "--open-seconds", type=float, default=300, help="stop opening sockets after this long"
    )
    add_common_arguments(parser)
    args = parser.parse_args()
    if args.smoke:
        args.held, args.chats, args.rate, args.seconds, args.warmup, args.churn = 200, 5, 10, 4, 1, 1
        args.burst, args.burst_concurrency = 100, 20
    report = Report("DB connections under P2 load", command_line(MODULE))
    report.details["parameters"] = vars(args)
    args.time_limit = max(args.time_limit, int(args.open_seconds + 2 * args.seconds + 300))
    with time_limit(args.time_limit), Stack(options_from(args)) as stack:
        room = ChatRoom(stack.ws_url, stack.base_url, args.chats)
        room.create()
        tokens = make_waiting_chats(args.held)
        waiting = Waiting(stack.ws_url, stack.base_url)

        async def scenario() -> dict[str, Any]:
            await room.connect()
            try:
                await waiting.open(tokens, time.perf_counter() + args.open_seconds)
                pinger = asyncio.create_task(waiting.keep_pinging(PAGE_PING_SECONDS))
                probe = ConnectionProbe(stack)
                probe.start()

                async def burst_midway() -> tuple[Counter[int], float]:
                    await asyncio.sleep(args.warmup + args.seconds / 3)
                    started = time.perf_counter()
                    statuses = await asyncio.to_thread(
                        page_burst, stack.base_url, args.burst, args.burst_concurrency
                    )
                    return statuses, time.perf_counter() - started

                churned, chat, (statuses, burst_seconds) = await asyncio.gather(
                    churn(waiting, stack, args.churn, args.seconds + args.warmup),
                    room.run(args.rate, args.seconds, args.warmup),
                    burst_midway(),
                )
                connections = probe.stop()
                pinger.cancel()
                stack.check_alive()
                return {
                    "connections": connections,
                    "chat": chat,
                    "burst": dict(statuses),
                    "burst_seconds": round(burst_seconds, 1),
                    "held": len(waiting.sockets),
                    "failed_sockets": waiting.failed,
                    "churn": churned,
                    "settings": {
                        name: stack.env.get(name, "default")
                        for name in ("DB_CONN_MAX_AGE", "WEB_REQUEST_THREADS", "ASGI_THREADS")
                    },
                }
            finally:
                await waiting.close()
                await room.close()

        figures = asyncio.run(scenario())
    report.details.update(figures)
    connections, chat, burst = figures["connections"], figures["chat"], figures["burst"]
    per_web = connections["peak_per_web_process"]
    report.add(
        "peak connections, one web process",
        f"≤ {TARGET_PER_WEB_PROCESS}",
        "-",
        str(per_web),
        per_web <= TARGET_PER_WEB_PROCESS,
    )
    for name, peak in connections["peaks"].items():
        if not name.startswith("web "):
            report.add(f"peak connections, {name}", "-", "-", str(peak), None)
    report.add(
        "peak connections, bench database (pg_stat_activity)", "-", "-", str(connections["peak_total"]), None
    )
    failed = sum(n for status, n in burst.items() if status != 200)
    report.add(
        f"burst: {args.burst} page views, {args.burst_concurrency} at a time",
        "all 200",
        "-",
        f"{burst.get(200, 0)} answered 200, {failed} not ({burst}) in {figures['burst_seconds']} s",
        failed == 0,
    )
    report.add(
        f"sockets held / {args.chats} chats p99 meanwhile",
        "-",
        "-",
        f"{figures['held']} held, {figures['failed_sockets']} failed / "
        f"{ms(chat['p99_ms'])}, {chat['lost']} lost",
        None,
    )
    print(f"[connections] {connections}", flush=True)
    report.print_and_save()


if __name__ == "__main__":
    run(main)
