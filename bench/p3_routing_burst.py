"""P3 routing burst: 1,000 seekers arrive within 10 s; 50 staff with 3 slots each take them.

    .venv/bin/python -m bench.p3_routing_burst                # 1000 seekers in 10 s, 50 staff x 3
    .venv/bin/python -m bench.p3_routing_burst --seekers 200 --staff 10
    .venv/bin/python -m bench.p3_routing_burst --smoke

Seekers arrive through chat_actions.do_start_chat (what the chat page's POST calls; each arrival asks for
a routing run) and open their socket. Staff consoles are real sockets: they accept every offer at
once, end the chat after a random 2-6 s, and record the wrap-up (chat_actions.do_record_wrap_up, what the
wrap-up form calls); that frees the slot. Routing runs in the Celery worker, coalesced, plus beat's
sweep. An auditor subscribes to the channel layer's Redis channels and sees every event in the order
it was published.

Figures: slot freed → next offer to that staff member (p50/p99; target p99 ≤ 500 ms; only slots freed
while someone was waiting), double assignments, lost sessions and FIFO violations (all must be 0).
Baseline (same run): one routing round trip with nobody else busy — a seeker arriving to an idle
staff member: do_start_chat committed → offer received.

With priorities and skills in play (issue #17):

    .venv/bin/python -m bench.p3_routing_burst --triaged 0.1 --skilled 0.3 --skilled-staff 0.3

a share of seekers tick "not safe right now" (a higher priority), a share choose a topic that needs a
skill ("after an arrest"), which a share of the staff have. The FIFO audit then judges each offer
against the queue order routing promises: priority first, then first come, and a seeker needing a skill
may be passed over while no one skilled is free until it has waited HELPLINE["SKILL_WAIT_SECONDS"].

Beyond one machine:

    .venv/bin/python -m bench.p3_routing_burst --sets 2

runs two complete sets of web and worker processes, standing for two hosts, on one PostgreSQL database
and one Redis: set A is the usual stack (uvicorn, Celery worker, beat), set B its own uvicorn on its own
port and its own Celery worker, and no beat (one per deployment). Staff consoles and seekers alternate
between A's and B's web port, so an offer made by either set's worker reaches a console on the other
set's web processes only through the shared Redis channel layer. The audits are the same, over both.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import msgpack
from websockets.exceptions import ConnectionClosed

from bench.common import (
    REDIS_DB_URL,
    CommitProbe,
    CpuMeter,
    Profiler,
    Report,
    Stack,
    StackOptions,
    StaffLogin,
    add_common_arguments,
    command_line,
    latency_summary,
    make_staff,
    ms,
    options_from,
    print_profile,
    run,
    time_limit,
    ws_connect,
)

MODULE = "bench.p3_routing_burst"
LAYER_PREFIX = "helpline-bench"  # bench.settings


@dataclass
class Audit:
    """Every staff-group event in publish order (Redis delivers one subscriber's messages in order)."""

    events: list[tuple[float, str, dict[str, Any]]] = field(default_factory=list)

    async def listen(self, ready: asyncio.Event) -> None:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(REDIS_DB_URL)
        pubsub = client.pubsub()
        await pubsub.psubscribe(f"{LAYER_PREFIX}__group__staff.*")
        ready.set()
        try:
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
                if message is None:
                    continue
                group = message["channel"].decode().rsplit("__group__", 1)[1]
                event = msgpack.unpackb(message["data"])
                self.events.append((time.time(), group, event))
        finally:
            await pubsub.aclose()
            await client.aclose()


def check_assignments(events: list[tuple[float, str, dict[str, Any]]], max_chats: int) -> dict[str, Any]:
    """Double assignments and over-capacity from the published events.

    A chat offered to a second person while its first offer was still open, or assigned twice, is a
    double assignment; a staff member holding more than max_chats offered+active chats is over capacity.
    """
    offered_to: dict[str, str] = {}
    assigned: dict[str, int] = {}
    holding: dict[str, set[str]] = {}
    doubles: set[str] = set()
    over = 0
    for _, group, event in events:
        kind, chat = event.get("type"), event.get("chat")
        if not isinstance(chat, str):
            continue
        if kind == "offer.made":
            if chat in offered_to and offered_to[chat] != group:
                doubles.add(chat)
            offered_to[chat] = group
            holding.setdefault(group, set()).add(chat)
            if len(holding[group]) > max_chats:
                over += 1
        elif kind == "chat.assigned":
            assigned[chat] = assigned.get(chat, 0) + 1
            if assigned[chat] > 1:
                doubles.add(chat)
        elif kind in ("offer.withdrawn", "chat.removed", "chat.ended"):
            offered_to.pop(chat, None)
            holding.get(group, set()).discard(chat)
    return {"double_assignments": len(doubles), "over_capacity": over, "assigned": len(assigned)}


def decision_order(events: list[tuple[float, str, dict[str, Any]]]) -> list[tuple[float, str]]:
    """Offers as (time of their routing run, chat), in publish order.

    A run publishes its offers one by one after it commits, which takes a while for a big batch, and
    the next run may commit and publish meanwhile. All offers of one run carry the same expires_at
    (the run's `now` + the offer timeout), so each offer is dated by the first publish of its run:
    the audit then compares decisions, not the interleaving of two runs' publishing."""
    run_started: dict[str, float] = {}
    offers = []
    for published, _, event in events:
        if event.get("type") != "offer.made" or event.get("transfer"):
            continue
        run = str(event.get("expires_at"))
        offers.append((run_started.setdefault(run, published), str(event["chat"])))
    return offers


@dataclass(frozen=True)
class SeekerKind:
    """What routing orders a seeker by besides arrival: its priority, and the skill it prefers."""

    priority: int = 0
    skill: str = ""


def check_fifo(
    offers: list[tuple[float, str]],
    arrivals: dict[str, tuple[float, float]],
    slack: float,
    details: list[dict[str, Any]] | None = None,
    kinds: dict[str, SeekerKind] | None = None,
    skill_wait: float = 0.0,
) -> int:
    """Seekers passed over: offers against arrival order (all one priority and language).

    A violation: chat c is offered while an earlier-queued chat w, committed at least `slack` seconds
    before (so any routing run could see it), is not offered within `slack` seconds after c either.
    `arrivals` maps chat -> (queued_at, committed_at); `offers` is (published_at, chat) in publish
    order. The slack forgives only arrivals racing a run already under way, and two routing runs
    committing side by side (their offers interleave by a few milliseconds).

    With `kinds` (chat -> SeekerKind), "earlier" is the queue's own order: higher priority first, then
    queued_at; and a seeker needing a skill that had waited less than `skill_wait` seconds when c was
    offered may rightly have been passed over (no skilled member of staff may have been free).
    """
    kinds = kinds or {}
    plain = SeekerKind()
    first_offer: dict[str, float] = {}
    for published, chat in offers:
        first_offer.setdefault(chat, published)
    order = sorted(arrivals, key=lambda c: (-kinds.get(c, plain).priority, arrivals[c][0]))
    violations = 0
    for published, chat in sorted((t, c) for c, t in first_offer.items() if c in arrivals):
        for earlier in order:
            if earlier == chat:
                break
            held = kinds.get(earlier, plain)
            if held.skill and published - arrivals[earlier][0] < skill_wait + slack:
                continue
            offered_at = first_offer.get(earlier)
            if offered_at is not None and offered_at <= published + slack:
                continue
            if arrivals[earlier][1] <= published - slack:
                violations += 1
                if details is not None:
                    details.append(
                        {
                            "offered": chat,
                            "offered_at": published,
                            "passed_over": earlier,
                            "its_commit_was_s_before": round(published - arrivals[earlier][1], 3),
                            "its_offer_came_s_later": None
                            if offered_at is None
                            else round(offered_at - published, 3),
                        }
                    )
                break
    return violations


@dataclass(frozen=True)
class Endpoint:
    """Where a socket connects: one set's web port (with --sets 2, A's or B's)."""

    label: str
    ws_url: str
    origin: str

    @classmethod
    def of(cls, stack: Stack) -> Endpoint:
        return cls(stack.options.label or "A", stack.ws_url, stack.base_url)


def spread(endpoints: list[Endpoint], n: int) -> Endpoint:
    """The n-th socket's endpoint: alternating over the sets."""
    return endpoints[n % len(endpoints)]


@dataclass
class Desk:
    """The staff consoles: accept at once, chat for a while, end, wrap up. Console i connects to
    endpoints[i % len(endpoints)]."""

    endpoints: list[Endpoint]
    chat_seconds: tuple[float, float]
    rng: random.Random = field(default_factory=lambda: random.Random(3))
    freed: dict[int, float] = field(default_factory=dict)  # staff → when a slot freed (queue waiting)
    free_to_offer: list[float] = field(default_factory=list)
    free_to_offer_by_set: dict[str, list[float]] = field(default_factory=dict)
    # (wall time the slot freed, chat offered next, wall time the console got the offer, the console's
    # set): to split the wait into routing (freed → offer published) and delivery (published → the
    # console has it)
    freed_offers: list[tuple[float, str, float, str]] = field(default_factory=list)
    set_of: dict[int, str] = field(default_factory=dict)  # staff → the set its console is on
    offers_by_set: Counter[str] = field(default_factory=Counter)  # offers received, by console's set
    first_offer_latency: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    sockets: list[Any] = field(default_factory=list)
    # callable(staff id) → int: seekers arrived and not yet offered that this person could be offered
    waiting_now: Any = None

    async def start(self, logins: list[StaffLogin]) -> None:
        for i, login in enumerate(logins):
            endpoint = spread(self.endpoints, i)
            self.set_of[login.profile_id] = endpoint.label
            socket = await ws_connect(endpoint.ws_url + "/staff/ws/", login.cookie, endpoint.origin)
            self.sockets.append(socket)
            self.tasks.append(asyncio.create_task(self.console(login, socket)))

    async def console(self, login: StaffLogin, socket: Any) -> None:
        async for raw in socket:
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "ready":
                await socket.send(json.dumps({"type": "availability", "value": "available"}))
            elif kind == "offer_made":
                now = time.perf_counter()
                self.offers_by_set[self.set_of[login.profile_id]] += 1
                freed = self.freed.pop(login.profile_id, None)
                if freed is not None:
                    label = self.set_of[login.profile_id]
                    self.free_to_offer.append(now - freed)
                    self.free_to_offer_by_set.setdefault(label, []).append(now - freed)
                    wall = time.time()
                    self.freed_offers.append((wall - (now - freed), frame["chat"], wall, label))
                await socket.send(json.dumps({"type": "accept", "chat": frame["chat"]}))
            elif kind == "chat_assigned":
                self.tasks.append(asyncio.create_task(self.converse(socket, frame["chat"])))
            elif kind == "chat_ended":
                self.tasks.append(asyncio.create_task(self.wrap_up(login, frame["chat"])))
            elif kind == "error":
                self.errors.append(str(frame.get("code")))

    async def converse(self, socket: Any, chat: str) -> None:
        await asyncio.sleep(self.rng.uniform(*self.chat_seconds))
        await socket.send(json.dumps({"type": "end", "chat": chat}))

    async def wrap_up(self, login: StaffLogin, chat: str) -> None:
        """The wrap-up form, as soon as the chat has ended; then the slot is free again."""
        await asyncio.to_thread(record_wrap_up, login.profile_id, chat)
        if self.waiting_now and self.waiting_now(login.profile_id) > 0:
            self.freed[login.profile_id] = time.perf_counter()

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await asyncio.gather(*(s.close() for s in self.sockets), return_exceptions=True)


def record_wrap_up(profile_id: int, chat: str) -> None:
    from django.db import close_old_connections

    from helpline.chat import actions as chat_actions
    from helpline.models import ChatSession, StaffProfile

    close_old_connections()
    answers = chat_actions.WrapUpAnswers(
        about="", topics=[], protective_actions=[], heard_from="", outcome=""
    )
    chat_actions.do_record_wrap_up(
        ChatSession.objects.get(public_id=chat), StaffProfile.objects.get(pk=profile_id), answers
    )


@dataclass
class Mix:
    """Which arriving seekers tick "not safe right now" and which choose a topic needing a skill."""

    triaged: float = 0.0
    skilled: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(17))
    kinds: dict[str, SeekerKind] = field(default_factory=dict)

    def answers(self) -> dict[str, Any]:
        return {
            "triage_answers": ["not_safe"] if self.rng.random() < self.triaged else [],
            "topic": "after_arrest" if self.rng.random() < self.skilled else "",
        }


async def arrive(
    endpoints: list[Endpoint],
    count: int,
    seconds: float,
    arrivals: dict[str, tuple[float, float]],
    mix: Mix | None = None,
    first: int = 0,
) -> list[Any]:
    """`count` seekers over `seconds`: do_start_chat, then the seeker's socket stays open, on
    spread(endpoints, first + n) for the n-th."""
    from helpline.chat import actions as chat_actions
    from helpline.chat import triage

    mix = mix or Mix()
    sockets: list[Any] = []
    gate = asyncio.Semaphore(8)

    async def one(n: int, due: float) -> None:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        answers = mix.answers()
        async with gate:
            chat, token = await asyncio.to_thread(chat_actions.do_start_chat, "en", "", **answers)
        arrivals[chat.public_id.hex] = (chat.queued_at.timestamp(), time.time())
        if chat.priority or chat.topic:
            mix.kinds[chat.public_id.hex] = SeekerKind(chat.priority, triage.skill_needed(chat))
        endpoint = spread(endpoints, first + n)
        socket = await ws_connect(endpoint.ws_url + "/chat/ws/", f"chat_token={token}", endpoint.origin)
        sockets.append(socket)

    start = time.perf_counter()
    await asyncio.gather(*(one(n, start + n * seconds / count) for n in range(count)))
    return sockets


def drain(sockets: list[Any]) -> list[asyncio.Task[None]]:
    """Seekers' sockets are read so they stay healthy (their frames are not needed), and ping every
    20 s as the chat page does, or the sweep would count them as gone after 90 s of silence."""

    async def read(socket: Any) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for _ in socket:
                pass

    async def ping(socket: Any) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                await asyncio.sleep(20)
                await socket.send('{"type": "ping"}')

    return [asyncio.create_task(read(s)) for s in sockets] + [asyncio.create_task(ping(s)) for s in sockets]


def outcome_counts() -> dict[str, int]:
    from django.db.models import Count

    from helpline.models import ChatSession

    rows = ChatSession.objects.values("status", "end_reason").annotate(n=Count("id"))
    return {f"{r['status']}/{r['end_reason'] or '-'}": r["n"] for r in rows}


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seekers", type=int, default=1000, help="seekers arriving (default 1000)")
    parser.add_argument(
        "--arrival-seconds", type=float, default=10, help="over this many seconds (default 10)"
    )
    parser.add_argument("--staff", type=int, default=50, help="staff members (default 50)")
    parser.add_argument("--slots", type=int, default=3, help="chats each (default 3)")
    parser.add_argument("--chat-min", type=float, default=2, help="shortest chat in s (default 2)")
    parser.add_argument("--chat-max", type=float, default=6, help="longest chat in s (default 6)")
    parser.add_argument("--max-seconds", type=float, default=240, help="give up after this long")
    parser.add_argument("--fifo-slack", type=float, default=1.0, help="see check_fifo (default 1 s)")
    parser.add_argument("--triaged", type=float, default=0.0, help="share of seekers not safe (priority)")
    parser.add_argument(
        "--skilled", type=float, default=0.0, help="share of seekers whose topic needs a skill"
    )
    parser.add_argument("--skilled-staff", type=float, default=0.0, help="share of staff with that skill")
    parser.add_argument(
        "--sets",
        type=int,
        choices=[1, 2],
        default=1,
        help="complete web+worker sets on one database and Redis, standing for hosts (default 1; "
        "2: set B is its own uvicorn and Celery worker, without beat; sockets alternate A/B)",
    )
    add_common_arguments(parser)
    args = parser.parse_args(argv)
    if args.smoke:
        args.seekers, args.arrival_seconds, args.staff, args.chat_min, args.chat_max = 40, 3, 5, 0.5, 1.5
    if args.layer != "pubsub":
        parser.error("P3's auditor reads the Redis pub/sub layer's channels: use --layer pubsub")
    return args


def set_options(args: argparse.Namespace) -> list[StackOptions]:
    """One StackOptions per set. Set A is the usual stack: it prepares the database and Redis and runs
    beat. Set B joins A's database and Redis and runs no beat: one beat per deployment, however many
    hosts. Each set has --web-workers uvicorn processes and --celery-concurrency worker processes;
    at the defaults, 2 x (2 + 2) of them stay far below PostgreSQL's 100 connections for the machine."""
    if args.sets == 1:
        return [options_from(args)]
    return [options_from(args, label="A"), options_from(args, label="B", prepare=False, beat=False)]


def tasks_by_worker(stacks: list[Stack]) -> dict[str, dict[str, int]]:
    """Tasks each set's Celery worker has run since it started (Celery's own count), by set and task:
    with two sets, both workers take routing runs, and each run's offers go to consoles on both."""
    from config.celery import app

    labels = {stack.worker_name: stack.options.label for stack in stacks}
    stats = app.control.inspect(destination=list(labels), timeout=2).stats() or {}
    return {
        labels[node]: {task.rsplit(".", 1)[-1]: n for task, n in sorted(figures.get("total", {}).items())}
        for node, figures in sorted(stats.items())
        if node in labels
    }


def main() -> None:
    args = parse_arguments()
    report = Report("P3 routing burst", command_line(MODULE))
    report.details["parameters"] = vars(args)
    stacks = [Stack(options) for options in set_options(args)]
    with time_limit(args.time_limit), contextlib.ExitStack() as running:
        # In order: set A prepares the database and Redis that set B then joins. Whatever fails or
        # interrupts, each set that started is stopped on the way out (Stack.__exit__, in reverse).
        for one_set in stacks:
            running.enter_context(one_set)
        endpoints = [Endpoint.of(one_set) for one_set in stacks]
        logins = make_staff(args.staff, max_chats=args.slots)
        from django.conf import settings

        from helpline.models import StaffProfile

        skill_wait = float(settings.HELPLINE["SKILL_WAIT_SECONDS"])
        mix = Mix(args.triaged, args.skilled)
        skilled = {login.profile_id for login in logins[: round(args.staff * args.skilled_staff)]}
        StaffProfile.objects.filter(pk__in=skilled).update(skills=["after_arrest"])
        audit = Audit()
        arrivals: dict[str, tuple[float, float]] = {}

        def waiting_now(staff_id: int) -> int:
            offered = {e[2].get("chat") for e in audit.events if e[2].get("type") == "offer.made"}
            waiting = set(arrivals) - offered
            if staff_id in skilled:
                return len(waiting)
            # Someone without the skill is rightly offered nobody who still waits for a skilled colleague.
            now = time.time()
            plain = SeekerKind()
            return sum(
                1
                for chat in waiting
                if not (mix.kinds.get(chat, plain).skill and now - arrivals[chat][0] < skill_wait)
            )

        desk = Desk(endpoints, (args.chat_min, args.chat_max), waiting_now=waiting_now)
        baseline_seekers = 5
        sockets_on = {
            endpoint.label: {
                "web": endpoint.ws_url,
                "staff consoles": sum(1 for i in range(args.staff) if spread(endpoints, i) == endpoint),
                "seekers": sum(
                    1
                    for n in [*range(baseline_seekers), *range(args.seekers)]
                    if spread(endpoints, n) == endpoint
                ),
            }
            for endpoint in endpoints
        }
        if args.sets > 1:
            report.details["sockets_on"] = sockets_on
            for label, on in sockets_on.items():
                print(
                    f"[P3] set {label} ({on['web']}): {on['staff consoles']} staff consoles, "
                    f"{on['seekers']} seekers",
                    flush=True,
                )

        async def scenario() -> dict[str, Any]:
            # The load generator's own ORM calls (arrivals, wrap-ups) need more than the default 6
            # threads, or its queue, not the server, would set the pace. Each thread holds a connection.
            asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=24))
            ready = asyncio.Event()
            listener = asyncio.create_task(audit.listen(ready))
            await ready.wait()
            await desk.start(logins)
            seeker_sockets: list[Any] = []
            readers: list[asyncio.Task[None]] = []
            try:
                # Baseline: one seeker, idle staff — the plain routing round trip.
                await asyncio.sleep(2)
                baseline = []
                for n in range(baseline_seekers):
                    mark = len(audit.events)
                    sockets = await arrive(endpoints, 1, 0, arrivals, first=n)
                    seeker_sockets += sockets
                    readers += drain(sockets)
                    committed = time.time()
                    while not any(e[2].get("type") == "offer.made" for e in audit.events[mark:]):
                        await asyncio.sleep(0.002)
                    offer_at = next(e[0] for e in audit.events[mark:] if e[2].get("type") == "offer.made")
                    baseline.append(offer_at - committed)
                    await asyncio.sleep(0.5)
                desk.free_to_offer.clear()
                desk.free_to_offer_by_set.clear()
                desk.freed_offers.clear()
                meter = CpuMeter(*stacks)
                meter.start()
                probe = CommitProbe()
                probe.start()
                lag: list[float] = []

                async def sample_lag() -> None:
                    # The load generator's own event loop: if it is late, so are the consoles' clocks.
                    while True:
                        before = time.perf_counter()
                        await asyncio.sleep(0.01)
                        lag.append(time.perf_counter() - before - 0.01)

                lag_sampler = asyncio.create_task(sample_lag())
                profiler = Profiler("p3", [pid for s in stacks for pid in s.server_pids()], 40)
                if args.profile:
                    profiler.start()
                started = time.perf_counter()
                sockets = await arrive(endpoints, args.seekers, args.arrival_seconds, arrivals, mix)
                seeker_sockets += sockets
                readers += drain(sockets)
                arrived_in = time.perf_counter() - started
                deadline = started + args.max_seconds
                total = len(arrivals)
                while time.perf_counter() < deadline:
                    counts = await asyncio.to_thread(outcome_counts)
                    if counts.get("ended/staff_ended", 0) >= total:
                        break
                    await asyncio.sleep(1)
                drained_in = time.perf_counter() - started
                cpu = meter.stop()
                commit_probe = probe.stop()
                lag_sampler.cancel()
                if args.profile:
                    print_profile(await asyncio.to_thread(profiler.stop))
                await asyncio.sleep(1)
                for one_set in stacks:
                    one_set.check_alive()
                published = {e[2]["chat"]: e[0] for e in audit.events if e[2].get("type") == "offer.made"}
                split = [
                    (published[c] - f, got - published[c], label)
                    for f, c, got, label in desk.freed_offers
                    if c in published
                ]
                by_set = {
                    endpoint.label: {
                        "free_to_offer": latency_summary(desk.free_to_offer_by_set.get(endpoint.label, [])),
                        "published_to_console": latency_summary(
                            [delivery for _, delivery, label in split if label == endpoint.label]
                        ),
                        "offers_received": desk.offers_by_set[endpoint.label],
                    }
                    for endpoint in endpoints
                }
                return {
                    **(
                        {
                            "by_set": by_set,
                            "tasks_by_worker": await asyncio.to_thread(tasks_by_worker, stacks),
                        }
                        if args.sets > 1
                        else {}
                    ),
                    "baseline": latency_summary(baseline),
                    "free_to_offer": latency_summary(desk.free_to_offer),
                    "free_to_published": latency_summary([routing for routing, _, _ in split]),
                    "published_to_console": latency_summary([delivery for _, delivery, _ in split]),
                    "load_generator_lag": latency_summary(lag),
                    "arrived_in_s": round(arrived_in, 1),
                    "drained_in_s": round(drained_in, 1),
                    "cpu_cores": cpu,
                    "commit_probe": commit_probe,
                    "outcomes": await asyncio.to_thread(outcome_counts),
                    "staff_errors": sorted(set(desk.errors)),
                    "staff_error_count": len(desk.errors),
                }
            finally:
                await desk.close()
                for task in readers:
                    task.cancel()
                await asyncio.gather(*readers, return_exceptions=True)
                await asyncio.gather(*(s.close() for s in seeker_sockets), return_exceptions=True)
                listener.cancel()
                await asyncio.gather(listener, return_exceptions=True)

        figures = asyncio.run(scenario())
    checks = check_assignments(audit.events, args.slots)
    offers = decision_order(audit.events)
    fifo_details: list[dict[str, Any]] = []
    fifo = check_fifo(offers, arrivals, args.fifo_slack, fifo_details, mix.kinds, skill_wait)
    report.details["mix"] = {
        "triaged": sum(1 for k in mix.kinds.values() if k.priority),
        "skilled": sum(1 for k in mix.kinds.values() if k.skill),
        "skill_wait_s": skill_wait,
    }
    outcomes = figures["outcomes"]
    served = outcomes.get("ended/staff_ended", 0)
    # Lost: ended any other way (abandoned by the sweep, closed, ...) — the service dropped them.
    # Unserved: still in the queue or a chat when the run gave up (--max-seconds): too slow, not lost.
    lost = sum(n for key, n in outcomes.items() if key.startswith("ended/") and key != "ended/staff_ended")
    unserved = sum(n for key, n in outcomes.items() if not key.startswith("ended/"))
    report.details.update(
        figures, checks=checks, fifo_violations=fifo, fifo_details=fifo_details[:50], events=len(audit.events)
    )
    free, base = figures["free_to_offer"], figures["baseline"]
    report.add("slot freed → next offer p50", "-", ms(base["p50_ms"]), ms(free["p50_ms"]), None)
    report.add(
        "slot freed → next offer p99",
        "≤ 500 ms",
        ms(base["p99_ms"]),
        f"{ms(free['p99_ms'])} (n={free['n']})",
        free["p99_ms"] <= 500,
    )
    for name, key in (
        ("  of which freed → offer published", "free_to_published"),
        ("  of which published → console has it", "published_to_console"),
    ):
        part = figures[key]
        report.add(f"{name} p50/p99", "-", "-", f"{ms(part['p50_ms'])} / {ms(part['p99_ms'])}", None)
    for label, part in figures.get("by_set", {}).items():
        # Which set's sockets each figure used: consoles on A's web port, then on B's.
        free_on, delivered_on = part["free_to_offer"], part["published_to_console"]
        port = next(e.ws_url for e in endpoints if e.label == label).rsplit(":", 1)[1]
        report.add(
            f"  consoles on set {label} (:{port}) slot freed → offer p50/p99",
            "-",
            "-",
            f"{ms(free_on['p50_ms'])} / {ms(free_on['p99_ms'])} (n={free_on['n']})",
            None,
        )
        report.add(
            f"  consoles on set {label}: published → console has it p50/p99",
            "-",
            "-",
            f"{ms(delivered_on['p50_ms'])} / {ms(delivered_on['p99_ms'])}",
            None,
        )
    lag = figures["load_generator_lag"]
    report.add(
        "load generator's event-loop lag p99/max",
        "-",
        "-",
        f"{ms(lag['p99_ms'])} / {ms(lag['max_ms'])}",
        None,
    )
    report.add(
        "double assignments", "0", "-", str(checks["double_assignments"]), checks["double_assignments"] == 0
    )
    report.add("over capacity", "0", "-", str(checks["over_capacity"]), checks["over_capacity"] == 0)
    report.add("lost sessions", "0", "-", f"{lost} of {len(arrivals)}", lost == 0)
    report.add(
        "served / unserved at the end",
        f"all served within {args.max_seconds:g} s",
        "-",
        f"{served} / {unserved}",
        unserved == 0,
    )
    report.add("FIFO violations", "0", "-", str(fifo), fifo == 0)
    report.add(
        "all served in",
        "-",
        "-",
        f"{figures['drained_in_s']} s (arrivals took {figures['arrived_in_s']} s)",
        None,
    )
    report.add_commit_probe(figures["commit_probe"])
    if args.sets > 1:
        cpu, tasks = figures["cpu_cores"], figures["tasks_by_worker"]
        for label in figures["by_set"]:
            parts = "uvicorn + worker + beat" if label == "A" else "uvicorn + worker"
            report.add(
                f"CPU set {label} ({parts}), cores",
                "-",
                "-",
                f"{cpu[f'uvicorn {label}'] + cpu[f'celery {label}']:.2f} "
                f"(uvicorn {cpu[f'uvicorn {label}']}, celery {cpu[f'celery {label}']})",
                None,
            )
        report.add(
            "CPU shared: postgres / redis / load gen / others",
            "-",
            "-",
            f"{cpu['postgres']} / {cpu['redis']} / {cpu['load generator']} / {cpu['others']}",
            None,
        )
        report.add(
            "routing runs by worker A / B",
            "-",
            "-",
            " / ".join(
                str(tasks.get(label, {}).get("route_waiting_seekers", 0)) for label in figures["by_set"]
            ),
            None,
        )
        report.add(
            "offers received by consoles on A / B",
            "-",
            "-",
            " / ".join(str(part["offers_received"]) for part in figures["by_set"].values()),
            None,
        )
        print(f"[P3] tasks run by each set's worker: {tasks}", flush=True)
    print(f"[P3] outcomes: {outcomes}; staff errors: {figures['staff_errors']}", flush=True)
    print(f"[P3] CPU in cores during the burst: {figures['cpu_cores']}", flush=True)
    report.print_and_save()


if __name__ == "__main__":
    run(main)
