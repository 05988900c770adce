"""Quick checks of the benchmarks' measuring code (bench/), small enough for `make test`.

The benchmarks themselves start a whole stack and run for minutes; they are not run here. What is
checked: the statistics, the audits that decide P3's must-be-zero figures, the wrk and profile
parsers, P4's asset finder, the stack's environment, P3's two sets (--sets 2: one database and Redis,
one beat), that the bench-only view is reachable only under bench.settings with BENCH_BARE_VIEW=1,
one real Redis round trip of P1's baseline, and P1's peer (the tutorial's chat): its settings, its
stack's environment, and one message between two of its sockets.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connection

from bench.chatload import redis_round_trip
from bench.common import PROXY_VARIABLES, Stack, StackOptions, latency_summary, percentile, summarise_profile
from bench.p1_chat_latency import peer_list
from bench.p3_routing_burst import (
    Endpoint,
    SeekerKind,
    check_assignments,
    check_fifo,
    decision_order,
    parse_arguments,
    set_options,
    spread,
)
from bench.p4_content_page import Assets, parse_wrk
from bench.peer.harness import PeerStack

ROOT = Path(__file__).resolve().parents[2]


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([7.0], 99) == 7.0


def test_latency_summary_in_milliseconds():
    summary = latency_summary([0.001] * 98 + [0.010, 0.020])
    assert summary["n"] == 100
    assert summary["p50_ms"] == pytest.approx(1.0)
    assert summary["p99_ms"] == pytest.approx(10.0)
    assert summary["max_ms"] == pytest.approx(20.0)


def test_empty_latencies_are_not_a_number_not_zero():
    summary = latency_summary([])
    assert summary["n"] == 0
    assert summary["p99_ms"] != summary["p99_ms"]  # NaN: "nothing measured" never reads as "fast"


def event(kind, chat, **extra):
    return {"type": kind, "chat": chat, **extra}


def test_assignment_audit_counts_a_chat_offered_to_two_people():
    events = [
        (1.0, "staff.1", event("offer.made", "a")),
        (1.1, "staff.2", event("offer.made", "a")),
    ]
    assert check_assignments(events, max_chats=3)["double_assignments"] == 1


def test_assignment_audit_allows_a_new_offer_after_withdrawal():
    events = [
        (1.0, "staff.1", event("offer.made", "a")),
        (1.1, "staff.1", event("offer.withdrawn", "a")),
        (1.2, "staff.2", event("offer.made", "a")),
        (1.3, "staff.2", event("chat.assigned", "a")),
    ]
    checks = check_assignments(events, max_chats=3)
    assert checks["double_assignments"] == 0
    assert checks["assigned"] == 1


def test_assignment_audit_counts_over_capacity():
    events = [(float(i), "staff.1", event("offer.made", f"c{i}")) for i in range(4)]
    assert check_assignments(events, max_chats=3)["over_capacity"] == 1
    events.insert(3, (2.5, "staff.1", event("chat.ended", "c0")))
    assert check_assignments(events, max_chats=3)["over_capacity"] == 0


def test_fifo_audit():
    arrivals = {"a": (1.0, 1.0), "b": (2.0, 2.0), "c": (3.0, 3.0)}
    assert check_fifo([(5.0, "a"), (5.0, "b"), (5.0, "c")], arrivals, slack=1.0) == 0
    # b offered while a, visible for seconds, waited on for seconds more: passed over.
    assert check_fifo([(5.0, "b"), (8.0, "a"), (8.2, "c")], arrivals, slack=1.0) == 1
    # ... or was never offered at all.
    assert check_fifo([(5.0, "b")], arrivals, slack=1.0) == 1
    # Two routing runs committing side by side: a's offer lands 50 ms after b's. Not passed over.
    assert check_fifo([(5.0, "b"), (5.05, "a"), (5.1, "c")], arrivals, slack=1.0) == 0
    # a committed only just before b's offer: a routing run already under way could not see it.
    racing = {"a": (1.0, 4.9), "b": (2.0, 2.0)}
    assert check_fifo([(5.0, "b"), (7.5, "a")], racing, slack=1.0) == 0


def test_fifo_audit_follows_priority_and_forgives_a_skill_wait():
    arrivals = {"a": (1.0, 1.0), "b": (2.0, 2.0), "c": (3.0, 3.0)}
    urgent_c = {"c": SeekerKind(priority=10)}
    # c is urgent: offered before a and b, it passes nobody over.
    assert check_fifo([(5.0, "c"), (9.0, "a"), (9.0, "b")], arrivals, 1.0, kinds=urgent_c) == 0
    # Without knowing c's priority, the same offers look like two people passed over.
    assert check_fifo([(5.0, "c"), (9.0, "a"), (9.0, "b")], arrivals, 1.0) == 1
    # An urgent seeker left waiting behind a plain one is passed over.
    assert check_fifo([(5.0, "a"), (9.0, "c")], arrivals, 1.0, kinds=urgent_c) == 1
    # a needs a skill: passed over while it waits for someone skilled, not once its wait is up.
    skilled_a = {"a": SeekerKind(skill="after_arrest")}
    assert check_fifo([(5.0, "b"), (30.0, "a")], arrivals, 1.0, kinds=skilled_a, skill_wait=20) == 0
    assert check_fifo([(25.0, "b"), (30.0, "a")], arrivals, 1.0, kinds=skilled_a, skill_wait=20) == 1


def test_offers_are_dated_by_their_routing_run():
    events = [
        (1.0, "staff.1", event("offer.made", "a", expires_at="T1")),
        (1.4, "staff.2", event("offer.made", "c", expires_at="T2")),  # the next run, publishing already
        (1.6, "staff.3", event("offer.made", "b", expires_at="T1")),  # the first run's last offer
        (1.7, "staff.3", event("chat.assigned", "a")),
    ]
    assert decision_order(events) == [(1.0, "a"), (1.4, "c"), (1.0, "b")]
    arrivals = {"a": (0.1, 0.1), "b": (0.2, 0.2), "c": (0.3, 0.3)}
    assert check_fifo(decision_order(events), arrivals, slack=0.1) == 0


def test_wrk_output_is_parsed():
    output = """Running 5s test @ http://127.0.0.1:8000/bench/bare/
  Latency Distribution
     50%    3.10ms
     75%    4.00ms
     90%    5.00ms
     99%   12.50ms
  10000 requests in 5.00s, 1.50MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   2000.50
"""
    parsed = parse_wrk(output)
    assert parsed["rps"] == pytest.approx(2000.5)
    assert parsed["p50_ms"] == pytest.approx(3.1)
    assert parsed["p99_ms"] == pytest.approx(12.5)
    assert parsed["errors"] == 7
    assert parse_wrk("     99%  850.00us\nRequests/sec: 1.0\n")["p99_ms"] == pytest.approx(0.85)


def test_page_assets_are_found():
    finder = Assets()
    finder.feed(
        '<link rel="stylesheet" href="/static/css/site.css"><link rel="icon" href="/favicon.ico">'
        '<script src="/static/js/quick-exit.js" defer></script><script>inline()</script>'
    )
    assert finder.urls == ["/static/css/site.css", "/static/js/quick-exit.js"]


def test_profile_summary(tmp_path):
    out = tmp_path / "profile.txt"
    out.write_text("main (a.py:1);work (helpline/actions.py:2) 3\nmain (a.py:1);wait (b.py:3) 1\n")
    rows = {name: (own, inclusive) for name, own, inclusive in summarise_profile([out])}
    assert rows["main (a.py:1)"] == (0.0, 1.0)
    assert rows["work (helpline/actions.py:2)"] == (0.75, 0.75)


def test_stack_environment_is_production_like_and_loopback_only(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    stack = Stack(StackOptions(web_workers=3, conn_max_age=0))
    env = stack.env
    assert env["PRODUCTION"] == "1" and env["DEBUG"] == "0"
    assert len(env["SECRET_KEY"]) >= 40 and len(env["PASSPHRASE_SECRET"]) >= 32
    assert env["DJANGO_SETTINGS_MODULE"] == "bench.settings"
    assert env["DATABASE_URL"].endswith("/helpline_bench") and env["REDIS_URL"].endswith("/6")
    assert env["DB_CONN_MAX_AGE"] == "0"
    assert not any(name in env for name in PROXY_VARIABLES)
    assert stack.base_url.startswith("http://127.0.0.1:")


def test_p3_one_set_is_the_usual_stack():
    (options,) = set_options(parse_arguments(["--smoke"]))
    stack = Stack(options)
    assert list(stack.commands()) == ["uvicorn", "worker", "beat"]
    assert options.prepare and not options.label and not stack.worker_name
    assert not any(arg.startswith("--hostname") for arg in stack.commands()["worker"])


def test_p3_second_set_shares_the_database_and_redis_and_runs_no_beat():
    args = parse_arguments(["--sets", "2", "--smoke"])
    first, second = (Stack(options) for options in set_options(args))
    assert list(first.commands()) == ["uvicorn", "worker", "beat"]
    assert list(second.commands()) == ["uvicorn", "worker"]  # one beat per deployment
    assert first.options.prepare and not second.options.prepare  # the database is prepared once
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ENCRYPTION_KEYS", "DJANGO_SETTINGS_MODULE"):
        assert first.env[name] == second.env[name]
    assert first.port != second.port and first.log_dir != second.log_dir
    assert first.worker_name != second.worker_name
    assert f"--hostname={second.worker_name}" in second.commands()["worker"]
    endpoints = [Endpoint.of(first), Endpoint.of(second)]
    assert [spread(endpoints, n).label for n in range(4)] == ["A", "B", "A", "B"]
    with pytest.raises(SystemExit):
        parse_arguments(["--sets", "3"])


def bench_root_urlconf(bare: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_BARE_VIEW": bare,
        "PRODUCTION": "0",
        "VAR_DIR": str(settings.VAR_DIR),
    }
    return printed_by(env, "from django.conf import settings; print(settings.ROOT_URLCONF)").strip()


def printed_by(env: dict[str, str], code: str) -> str:
    """What `code` prints in a fresh interpreter with `env`: settings are read once per process."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_bare_view_only_under_bench_settings_when_asked():
    assert bench_root_urlconf("1") == "bench.urls"
    assert bench_root_urlconf("0") == "config.urls"
    assert "bench" not in (ROOT / "config" / "urls.py").read_text()
    assert settings.ROOT_URLCONF == "config.urls"


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
def test_redis_baseline_round_trip():
    result = asyncio.run(redis_round_trip(settings.REDIS_URL, rate=200, seconds=0.1))
    assert result["n"] == 20
    assert result["lost"] == 0
    assert 0 < result["p50_ms"] < 1000


def peer_settings(config: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.peer.settings", "BENCH_PEER_CONFIG": config}
    code = (
        "import json; from django.conf import settings as s; layer = s.CHANNEL_LAYERS['default']; "
        "figures = [layer['BACKEND'], layer['CONFIG']['prefix'], s.DATABASES['default']['CONN_MAX_AGE']]; "
        "print(json.dumps([*figures, s.INSTALLED_APPS]))"
    )
    return dict(
        zip(["layer", "prefix", "conn_max_age", "apps"], json.loads(printed_by(env, code)), strict=True)
    )


def test_peer_settings_name_the_layers_and_connections_wanted():
    best, tutorial = peer_settings("best"), peer_settings("tutorial")
    assert best["layer"] == "channels_redis.pubsub.RedisPubSubChannelLayer" and best["conn_max_age"] == 60
    assert tutorial["layer"] == "channels_redis.core.RedisChannelLayer" and tutorial["conn_max_age"] == 0
    # Its own prefix: the peer never hears our stack's events, nor ours its.
    assert best["prefix"] == tutorial["prefix"] == "helpline-bench-peer"
    assert "bench.peer" in best["apps"] and "helpline" not in best["apps"]


def test_peer_choice_on_the_command_line():
    assert peer_list("best") == ["best"]
    assert peer_list("best,tutorial") == ["best", "tutorial"]
    assert peer_list("none") == []
    with pytest.raises(argparse.ArgumentTypeError):
        peer_list("fastest")


def test_peer_stack_environment(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    stack = PeerStack("tutorial", StackOptions(web_workers=3))
    assert stack.env["DJANGO_SETTINGS_MODULE"] == "bench.peer.settings"
    assert stack.env["BENCH_PEER_CONFIG"] == "tutorial"
    assert stack.env["DATABASE_URL"].endswith("/helpline_bench") and stack.env["REDIS_URL"].endswith("/6")
    assert not any(name in stack.env for name in PROXY_VARIABLES)
    assert stack.log_dir.name.endswith("-peer-tutorial")


@pytest.mark.django_db(transaction=True)
async def test_peer_consumer_saves_and_delivers_a_message_to_the_other_socket(settings):
    """The peer's whole ASGI app (origin check, auth stack, router, consumer) on the in-memory layer."""
    from channels.db import database_sync_to_async

    from bench.peer.asgi import application
    from bench.peer.models import Message

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

    def create_table(create: bool) -> None:
        # The test database is migrated for the project's apps only; the peer's table is made here.
        with connection.schema_editor() as editor:
            (editor.create_model if create else editor.delete_model)(Message)

    await database_sync_to_async(create_table)(True)
    sockets = [
        WebsocketCommunicator(
            application, f"/ws/chat/room1/{side}/", headers=[(b"origin", b"http://testserver")]
        )
        for side in ("seeker", "staff")
    ]
    try:
        for socket in sockets:
            connected, _ = await socket.connect(timeout=3)
            assert connected
        seeker, staff = sockets
        await seeker.send_json_to({"type": "message", "body": "m1", "ref": 1})
        delivered = await staff.receive_json_from(timeout=3)
        echo = await seeker.receive_json_from(timeout=3)
        assert (delivered["sender"], delivered["body"]) == ("seeker", "m1")
        assert echo == delivered
        saved = await database_sync_to_async(
            lambda: list(Message.objects.values_list("room", "sender", "body"))
        )()
        assert saved == [("room1", "seeker", "m1")]
    finally:
        for socket in sockets:
            await socket.disconnect()
        await database_sync_to_async(create_table)(False)
