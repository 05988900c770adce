"""What keeps sockets cheap when thousands wait: small queue broadcasts, no needless frames, no
socket held up behind another's slow database call, and a short message path."""

import asyncio
import time

import pytest
from channels.consumer import AsyncConsumer
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st
from uvicorn.protocols.utils import ClientDisconnected

from helpline import events, jobs, tasks
from helpline.chat import actions as chat_actions
from helpline.chat import consumers, presence, queue_news, socket_frames, waiting_room
from helpline.chat.queue import Lane, QueueSnapshot
from helpline.models import ChatSession, Message
from tests.helpline.chat.test_consumers import (
    TIMEOUT,
    logged_in_session,
    receive_until,
    seeker_socket,
    staff_socket,
)

pytestmark = pytest.mark.django_db(transaction=True)


class QuietSocket:
    """Stands in for a seeker's socket in the waiting room."""

    async def send_json(self, content: object, close: bool = False) -> None:
        return None


async def test_a_queue_change_broadcasts_a_version_not_the_whole_queue():
    for _ in range(30):
        await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    layer = get_channel_layer()
    listener = await layer.new_channel()
    await layer.group_add(events.QUEUE_GROUP, listener)
    try:
        await database_sync_to_async(queue_news.publish_queue_snapshot)()
        event = await asyncio.wait_for(layer.receive(listener), TIMEOUT)
    finally:
        await layer.group_discard(events.QUEUE_GROUP, listener)
    # Every waiting socket receives this event: it must not grow with the queue.
    assert set(event) == {"type", "version"}
    stored = await cache.aget(queue_news.QUEUE_SNAPSHOT_KEY.format(event["version"]))
    assert len(QueueSnapshot.from_bytes(stored).lanes["en"].keys) == 30


async def test_a_seeker_whose_place_did_not_change_is_not_sent_a_frame():
    first, _ = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    _second, second_token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    second = await seeker_socket(second_token)
    assert (await receive_until(second, "state"))["position"] == 2
    # Someone joins behind: the queue changed, this seeker's place and estimate did not.
    await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    await database_sync_to_async(queue_news.publish_queue_snapshot)()
    assert await second.receive_nothing(timeout=0.5)
    # The person in front leaves: now there is news.
    await database_sync_to_async(chat_actions.do_end_chat)(first)
    assert (await receive_until(second, "queue"))["position"] == 1
    await second.disconnect()


async def test_one_sockets_slow_database_call_does_not_hold_up_another_socket(monkeypatch):
    _a, slow_token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    _b, quick_token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    slow = await seeker_socket(slow_token)
    quick = await seeker_socket(quick_token)
    await receive_until(slow, "state")
    await receive_until(quick, "state")
    real_history = consumers._messages_after

    def slow_history(chat, after):
        time.sleep(1.5)  # a slow query, a lock wait
        return real_history(chat, after)

    monkeypatch.setattr(consumers, "_messages_after", slow_history)
    await slow.send_json_to({"type": "hello", "after": 0})
    await asyncio.sleep(0.1)
    started = time.monotonic()
    await quick.send_json_to({"type": "ping"})
    await receive_until(quick, "pong")
    assert time.monotonic() - started < 0.75
    await receive_until(slow, "history")
    await slow.disconnect()
    await quick.disconnect()


def test_sending_a_lone_chat_message_is_one_statement(make_staff):
    """Numbered, checked and stored in one round trip (its own commit, outside a test's transaction)."""
    profile = make_staff("sam")
    chat, _token = chat_actions.do_start_chat("en", "")
    chat = ChatSession.objects.get(pk=chat.pk)
    chat_actions.do_accept_offer(chat, profile)
    before = chat.messages.count()
    with CaptureQueriesContext(connection) as queries:
        message = chat_actions.do_send_message(chat, Message.Sender.SEEKER, "Hello, is this private?")
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    statements = [s for s in statements if s not in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")]
    assert statements == (["WITH"] if connection.vendor == "postgresql" else ["UPDATE", "INSERT"])
    assert message.seq == before + 1
    assert list(chat.messages.order_by("seq").values_list("body", flat=True))[-1] == "Hello, is this private?"


async def test_sockets_keep_working_after_the_database_drops_their_connections():
    """A restarted PostgreSQL (or a network blip) must not leave a web process with dead connections."""
    _chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    socket = await seeker_socket(token)
    await receive_until(socket, "state")
    for _ in range(3):  # spread over the pool's threads
        await socket.send_json_to({"type": "hello", "after": 0})
        await receive_until(socket, "history")

    def drop_other_connections() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]

    await database_sync_to_async(drop_other_connections)()
    for _ in range(3):
        await socket.send_json_to({"type": "hello", "after": 0})
        frame = await receive_until(socket, "history")
        assert frame["messages"] == []
    await socket.disconnect()


async def test_a_chat_taken_away_cannot_be_written_to_even_by_a_console_that_wrote_there_before(make_staff):
    sam = await database_sync_to_async(make_staff)("sam", display_name="Sam")
    kim = await database_sync_to_async(make_staff)("kim", display_name="Kim")
    chat, _token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    chat = await database_sync_to_async(ChatSession.objects.get)(pk=chat.pk)
    await database_sync_to_async(chat_actions.do_accept_offer)(chat, sam)
    console = await staff_socket(await database_sync_to_async(logged_in_session)(sam.user))
    await receive_until(console, "ready")
    await console.send_json_to({"type": "message", "chat": chat.public_id.hex, "body": "Hello.", "ref": "s1"})
    await receive_until(console, "sent", ref="s1")
    # Reassigned behind the console's back (no event reaches it).
    await database_sync_to_async(ChatSession.objects.filter(pk=chat.pk).update)(staff=kim)
    await console.send_json_to(
        {"type": "message", "chat": chat.public_id.hex, "body": "Still here?", "ref": "s2"}
    )
    refused = await receive_until(console, "error", ref="s2")
    assert refused["code"] == "not_your_chat"
    bodies = await database_sync_to_async(lambda: list(chat.messages.values_list("body", flat=True)))()
    assert "Still here?" not in bodies
    await console.disconnect()


async def test_queue_news_reaches_waiting_sockets_while_the_shared_database_thread_is_busy():
    """channels' default hops to one shared thread before every event; a busy thread held up every
    waiting seeker's position update (and every chat message) behind it."""
    first, _ = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    _second, second_token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    second = await seeker_socket(second_token)
    assert (await receive_until(second, "state"))["position"] == 2
    busy = asyncio.ensure_future(database_sync_to_async(time.sleep)(2))  # the shared thread, busy
    await asyncio.sleep(0.1)
    started = time.monotonic()
    await socket_frames.run_action(chat_actions.do_end_chat, first)  # in the pool, as a socket frame does
    assert (await receive_until(second, "queue"))["position"] == 1
    assert time.monotonic() - started < 1
    await busy
    await second.disconnect()


def test_a_burst_of_queue_changes_is_told_to_waiting_seekers_at_most_about_once_a_second(
    monkeypatch, settings
):
    """In a surge every offer moves everyone up one place; telling thousands of sockets after each
    offer froze the service. The first change is told at once, the rest once at the window's end."""
    settings.HELPLINE = {**settings.HELPLINE, "QUEUE_NEWS_SECONDS": 1}
    for _ in range(3):
        chat_actions.do_start_chat("en", "")
    cache.clear()
    told: list[str] = []
    monkeypatch.setattr(events, "send_now", lambda group, event: told.append(event["type"]))
    scheduled: list[dict] = []
    monkeypatch.setattr(
        tasks.publish_queue_snapshot, "apply_async", lambda **options: scheduled.append(options)
    )
    for _ in range(20):
        jobs.request_queue_news()
    assert told.count("queue.snapshot") == 1
    assert scheduled == [{"countdown": 1}]
    # The run at the end of the window tells the state as it is then; after it, a change is scheduled again.
    tasks.publish_queue_snapshot()
    assert told.count("queue.snapshot") == 2
    jobs.request_queue_news()
    assert len(scheduled) == 2


async def test_an_offer_reaches_a_console_while_its_last_frame_still_waits_for_the_database(
    make_staff, monkeypatch
):
    sam = await database_sync_to_async(make_staff)("sam", display_name="Sam")
    console = await staff_socket(await database_sync_to_async(logged_in_session)(sam.user))
    await receive_until(console, "ready")
    first, _ = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    await receive_until(console, "offer_made", chat=first.public_id.hex)
    real_history = consumers._messages_after

    def slow_history(chat, after):
        time.sleep(1.5)
        return real_history(chat, after)

    monkeypatch.setattr(consumers, "_messages_after", slow_history)
    await console.send_json_to({"type": "history", "chat": first.public_id.hex, "after": 0})
    await asyncio.sleep(0.1)
    started = time.monotonic()
    second, _ = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    await receive_until(console, "offer_made", chat=second.public_id.hex)
    assert time.monotonic() - started < 0.75
    await receive_until(console, "history")
    await console.disconnect()


async def test_a_flood_of_frames_is_told_to_slow_down_and_the_rest_keep_their_order(make_staff):
    sam = await database_sync_to_async(make_staff)("sam", display_name="Sam")
    chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    chat = await database_sync_to_async(ChatSession.objects.get)(pk=chat.pk)
    await database_sync_to_async(chat_actions.do_accept_offer)(chat, sam)
    socket = await seeker_socket(token)
    await receive_until(socket, "state")
    for n in range(socket_frames.MAX_PENDING_FRAMES + 10):
        await socket.send_json_to({"type": "message", "body": f"line {n}", "ref": f"r{n}"})
    replies: list[dict] = []
    while len(replies) < socket_frames.MAX_PENDING_FRAMES + 10:
        frame = await socket.receive_json_from(timeout=TIMEOUT)
        if frame["type"] in ("sent", "error"):
            replies.append(frame)
    refused = [f["ref"] for f in replies if f["type"] == "error"]
    assert refused and all(f["code"] == "slow_down" for f in replies if f["type"] == "error")
    stored = await database_sync_to_async(
        lambda: list(chat.messages.filter(sender="seeker").order_by("seq").values_list("body", flat=True))
    )()
    sent_in_order = [
        f"line {n}" for n in range(socket_frames.MAX_PENDING_FRAMES + 10) if f"r{n}" not in refused
    ]
    assert stored == sent_in_order
    await socket.disconnect()


async def test_an_open_seeker_socket_keeps_the_seeker_present_without_a_write_per_ping(monkeypatch):
    monkeypatch.setattr(waiting_room, "PRESENCE_SECONDS", 0.2)
    chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    socket = await seeker_socket(token)
    await receive_until(socket, "state")
    await database_sync_to_async(presence.forget_seeker)(chat.id)
    await asyncio.sleep(0.7)
    assert chat.id in await database_sync_to_async(presence.seekers_last_seen)([chat.id])
    await socket.disconnect()
    await database_sync_to_async(presence.forget_seeker)(chat.id)
    await asyncio.sleep(0.7)
    assert chat.id not in await database_sync_to_async(presence.seekers_last_seen)([chat.id])


async def test_twenty_waiting_sockets_share_one_fetch_of_each_queue_snapshot(monkeypatch):
    chats = [await database_sync_to_async(chat_actions.do_start_chat)("en", "") for _ in range(20)]
    sockets = [await seeker_socket(token) for _chat, token in chats]
    for socket in sockets:
        await receive_until(socket, "state")
    fetches = []
    real_fetch = waiting_room._fetch_snapshot

    async def counted_fetch(version):
        fetches.append(version)
        return await real_fetch(version)

    monkeypatch.setattr(waiting_room, "_fetch_snapshot", counted_fetch)
    await sockets[0].send_json_to({"type": "leave"})
    for place, socket in enumerate(sockets[1:], start=1):
        assert (await receive_until(socket, "queue"))["position"] == place
    assert len(fetches) == len(set(fetches)) >= 1
    for socket in sockets:
        await socket.disconnect()


@given(
    keys=st.lists(
        st.tuples(st.integers(-10, 10), st.floats(0, 4e9, allow_nan=False), st.integers(1, 2**62)),
        max_size=50,
    ),
    other_keys=st.lists(
        st.tuples(st.integers(-10, 10), st.floats(0, 4e9, allow_nan=False), st.integers(1, 2**62)),
        max_size=10,
    ),
    handling=st.lists(st.floats(0, 1e6, allow_nan=False), max_size=60),
    capacity=st.integers(0, 10_000),
    free=st.integers(0, 10_000),
    on_duty=st.integers(0, 10_000),
)
def test_a_snapshot_reads_back_exactly_as_it_was_stored(keys, other_keys, handling, capacity, free, on_duty):
    snapshot = QueueSnapshot(
        lanes={
            "en": Lane(keys=sorted(keys), capacity=capacity, free_slots=free),
            "ar": Lane(keys=sorted(other_keys), capacity=0, free_slots=0),
        },
        on_duty=on_duty,
        handling_seconds=handling,
    )
    again = QueueSnapshot.from_bytes(snapshot.to_bytes())
    assert again == snapshot
    for key in snapshot.lanes["en"].keys:
        assert again.position_of(key, "en") == snapshot.lanes["en"].keys.index(key) + 1
    for key in snapshot.lanes["ar"].keys:
        assert again.position_of(key, "ar") == snapshot.lanes["ar"].keys.index(key) + 1


def test_far_back_in_a_long_queue_only_a_real_move_is_news():
    estimate = {"kind": "range", "low": 60, "high": 90}
    seat = waiting_room.Seat(key=(0, 0.0, 1), position=300, estimate=estimate, told_at=1000.0)
    assert not seat.worth_telling(299, estimate, now=1001.0)  # one place in three hundred
    assert seat.worth_telling(297, estimate, now=1001.0)  # 1 % of the place
    assert seat.worth_telling(299, {**estimate, "low": 55}, now=1001.0)  # a new estimate
    assert seat.worth_telling(299, estimate, now=1000.0 + waiting_room.RETELL_SECONDS)  # a while since
    assert not seat.worth_telling(300, estimate, now=5000.0)  # no move, no news
    near = waiting_room.Seat(key=(0, 0.0, 1), position=40, estimate=estimate, told_at=1000.0)
    assert near.worth_telling(39, estimate, now=1000.5)  # near the front every move counts


async def test_a_browser_that_leaves_mid_frame_is_let_go_and_no_longer_counted_present(monkeypatch):
    """Replies to a browser that has gone fail (as uvicorn's do); the frames still queued must not
    keep the consumer, and so the seeker's presence, alive for ever."""
    _chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    socket = await seeker_socket(token)
    await receive_until(socket, "state")
    real_history, real_send = consumers._messages_after, consumers.SeekerConsumer.send_json

    def slow_history(chat, after):
        time.sleep(0.4)
        return real_history(chat, after)

    async def send_like_uvicorn(self, content, close=False):
        if self.gone:
            raise RuntimeError("Unexpected ASGI message 'websocket.send', after sending 'websocket.close'")
        await real_send(self, content, close)

    monkeypatch.setattr(consumers, "_messages_after", slow_history)
    monkeypatch.setattr(consumers.SeekerConsumer, "send_json", send_like_uvicorn)
    for _ in range(3):
        await socket.send_json_to({"type": "hello", "after": 0})
    await asyncio.sleep(0.1)
    await socket.disconnect(timeout=5)  # raises if the consumer never finishes
    room = consumers.seekers_room()
    assert room.present == {} and room.waiting == {}


async def test_every_open_socket_is_checked_in_every_round_while_others_come_and_go(monkeypatch):
    monkeypatch.setattr(waiting_room, "PRESENCE_SECONDS", 0.1)
    checked: list[list[int]] = []

    async def record(chat_ids):
        checked.append(chat_ids)
        if len(checked) == 3:
            raise ConnectionError("a Redis blip")  # must not end the checking in

    room = waiting_room.Room(record, lambda chat_id: asyncio.sleep(0))
    sockets = [QuietSocket() for _ in range(400)]
    for chat_id, socket in enumerate(sockets, start=1):
        room.enter(socket, chat_id)
    started = time.monotonic()
    while time.monotonic() - started < 0.45:  # four rounds, the lowest ids leaving all the while
        room.leave(sockets.pop(0))
        await asyncio.sleep(0.002)
    rounds_seen = {chat_id: sum(chat_id in batch for batch in checked) for chat_id in range(1, 401)}
    for socket in sockets:
        chat_id = room.present[socket]
        assert rounds_seen[chat_id] >= 3, chat_id
    for socket in sockets:
        room.leave(socket)
    assert room.tasks == []


async def test_people_leaving_never_shift_anyone_out_of_their_presence_turn():
    room = waiting_room.Room(lambda chat_ids: asyncio.sleep(0), lambda chat_id: asyncio.sleep(0))
    sockets = {chat_id: QuietSocket() for chat_id in range(1, 2001)}
    for chat_id, socket in sockets.items():
        room.enter(socket, chat_id)
    for _round in range(5):
        seen: list[int] = []
        for turn in range(waiting_room.PRESENCE_SLICES):
            room.leave(sockets.pop(min(sockets)))  # the longest-waiting one leaves before every turn
            seen += room.presence_slice(turn)
        still_here = set(sockets)
        assert still_here <= set(seen)
    for socket in sockets.values():
        room.leave(socket)


async def test_a_browser_that_closes_while_its_reply_is_on_the_way_leaves_no_error_behind(
    monkeypatch, caplog
):
    """The browser's close can reach the server before the consumer hears of it: uvicorn then refuses
    the reply with its ClientDisconnected (an OSError, as the ASGI spec asks). Nobody is there to read
    it, so that is no failure: nothing is logged as one and the socket is not closed as broken."""
    _chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    socket = await seeker_socket(token)
    await receive_until(socket, "state")
    real_send = AsyncConsumer.send
    browser_closed = asyncio.Event()

    async def send_like_uvicorn_to_a_closing_socket(self, message):
        if browser_closed.is_set():
            raise ClientDisconnected()
        await real_send(self, message)

    monkeypatch.setattr(AsyncConsumer, "send", send_like_uvicorn_to_a_closing_socket)
    browser_closed.set()
    with caplog.at_level("ERROR"):
        await socket.send_json_to({"type": "hello", "after": 0})
        await asyncio.sleep(0.3)
        assert [record.getMessage() for record in caplog.records if record.levelname == "ERROR"] == []
    await socket.disconnect(timeout=5)
