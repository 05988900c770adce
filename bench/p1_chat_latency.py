"""P1 chat latency: N live chats exchanging messages at a total rate; send → receipt by the other party.

    .venv/bin/python -m bench.p1_chat_latency                 # 200 chats, 400 msg/s, 30 s
    .venv/bin/python -m bench.p1_chat_latency --chats 20 --rate 40 --seconds 5
    .venv/bin/python -m bench.p1_chat_latency --compare-layers  # also the core Redis layer, same run
    .venv/bin/python -m bench.p1_chat_latency --smoke

Baseline (same run, same rate): a raw Redis publish → subscriber round trip.
Target: p99 ≤ 20 ms and ≤ 10x the raw Redis p99.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bench.chatload import ChatRoom, redis_round_trip
from bench.common import (
    REDIS_DB_URL,
    CommitProbe,
    CpuMeter,
    Profiler,
    Report,
    Stack,
    command_line,
    ms,
    options_from,
    print_profile,
    run,
    time_limit,
)
from bench.common import add_common_arguments as add_stack_arguments

MODULE = "bench.p1_chat_latency"


def measure(args: argparse.Namespace, layer: str) -> dict[str, Any]:
    args.layer = layer
    with Stack(options_from(args)) as stack:
        room = ChatRoom(stack.ws_url, stack.base_url, args.chats)
        room.create()

        async def scenario() -> dict[str, Any]:
            await room.connect()
            try:
                baseline = await redis_round_trip(REDIS_DB_URL, args.rate, min(args.seconds, 10))
                meter = CpuMeter(stack)
                meter.start()
                probe = CommitProbe()
                probe.start()
                profiler = Profiler(f"p1-{layer}", stack.server_pids(), args.seconds + args.warmup)
                if args.profile:
                    profiler.start()
                result = await room.run(args.rate, args.seconds, args.warmup)
                result["cpu_cores"] = meter.stop()
                result["commit_probe"] = probe.stop()
                if args.profile:
                    print_profile(await asyncio.to_thread(profiler.stop))
                stack.check_alive()
                return {"baseline": baseline, "result": result}
            finally:
                await room.close()

        return asyncio.run(scenario())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chats", type=int, default=200, help="concurrent live chats (default 200)")
    parser.add_argument("--rate", type=float, default=400, help="messages per second in total (default 400)")
    parser.add_argument("--seconds", type=float, default=30, help="measured seconds (default 30)")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds first (default 3)")
    parser.add_argument(
        "--compare-layers", action="store_true", help="run again with channels_redis.core.RedisChannelLayer"
    )
    add_stack_arguments(parser)
    args = parser.parse_args()
    if args.smoke:
        args.chats, args.rate, args.seconds, args.warmup = 10, 20, 3, 1
    layers = [args.layer] + (["core" if args.layer == "pubsub" else "pubsub"] if args.compare_layers else [])
    report = Report("P1 chat latency", command_line(MODULE))
    report.details["parameters"] = {
        "chats": args.chats,
        "rate": args.rate,
        "seconds": args.seconds,
        "web_workers": args.web_workers,
        "celery_concurrency": args.celery_concurrency,
        "conn_max_age": args.conn_max_age,
    }
    with time_limit(args.time_limit):
        for layer in layers:
            figures = measure(args, layer)
            report.details[layer] = figures
            base, res = figures["baseline"], figures["result"]
            label = f"[{layer}] " if len(layers) > 1 else ""
            bound = min(20.0, 10 * base["p99_ms"])
            report.add(f"{label}p50", "-", ms(base["p50_ms"]), ms(res["p50_ms"]), None)
            report.add(f"{label}p95", "-", ms(base["p95_ms"]), ms(res["p95_ms"]), None)
            report.add(
                f"{label}p99",
                f"≤ 20 ms and ≤ 10x base ({bound:.1f} ms)",
                ms(base["p99_ms"]),
                ms(res["p99_ms"]),
                res["p99_ms"] <= bound,
            )
            report.add(
                f"{label}delivered",
                f"{args.rate:g}/s, none lost",
                f"{base['n']} msgs, {base['lost']} lost",
                f"{res['achieved_rate']}/s, {res['lost']} lost, {res['errors']} errors, "
                f"{res['sockets_closed_by_server']} sockets dropped",
                res["lost"] == 0 and res["errors"] == 0 and res["sockets_closed_by_server"] == 0,
            )
            report.add(
                f"{label}of which DB write (sender ack) p50/p99",
                "-",
                "-",
                f"{ms(res['sender_ack_p50_ms'])} / {ms(res['sender_ack_p99_ms'])}",
                None,
            )
            report.add_commit_probe(res["commit_probe"], label)
            print(f"[P1 {layer}] CPU in cores during the measurement: {res['cpu_cores']}", flush=True)
    report.print_and_save()


if __name__ == "__main__":
    run(main)
