"""Seekers and staff talking over real WebSockets, through the full ASGI app and the Redis channel layer."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from helpline import events
from helpline.chat import actions as chat_actions
from helpline.models import ChatSession, Message

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://testserver")
TIMEOUT = 3


async def seeker_socket(token: str | None) -> WebsocketCommunicator:
    headers = [ORIGIN]
    if token:
        headers.append((b"cookie", f"chat_token={token}".encode()))
    communicator = WebsocketCommunicator(application, "/chat/ws/", headers=headers)
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    return communicator


async def staff_socket(session_cookie: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application, "/staff/ws/", headers=[ORIGIN, (b"cookie", f"sessionid={session_cookie}".encode())]
    )
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    return communicator


async def receive_until(communicator: WebsocketCommunicator, frame_type: str, **match) -> dict:
    """Read frames until one of the wanted type (and matching fields) arrives."""
    while True:
        frame = await communicator.receive_json_from(timeout=TIMEOUT)
        if frame["type"] == frame_type and all(frame.get(k) == v for k, v in match.items()):
            return frame


def logged_in_session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def staffer(make_staff):
    profile = make_staff("sam", display_name="Sam")
    return profile, logged_in_session(profile.user)


async def test_a_seeker_and_staff_member_chat_over_sockets(staffer):
    _profile, cookie = staffer
    staff = await staff_socket(cookie)
    assert (await staff.receive_json_from(timeout=TIMEOUT))["type"] == "ready"

    chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "self")
    seeker = await seeker_socket(token)
    state = await receive_until(seeker, "state")
    assert state["status"] in ("waiting", "offered")

    offer = await receive_until(staff, "offer_made")
    assert offer["chat"] == chat.public_id.hex
    await staff.send_json_to({"type": "accept", "chat": chat.public_id.hex})

    active = await receive_until(seeker, "state", status="active")
    assert active["staff"] == "Sam"
    statement = await receive_until(seeker, "message")
    assert statement["message"]["seq"] == 1
    assert "anonymous and confidential" in statement["message"]["body"]

    await seeker.send_json_to({"type": "message", "body": "I don't know where to start.", "ref": "a1"})
    sent = await receive_until(seeker, "sent")
    assert sent["ref"] == "a1"
    heard = await receive_until(staff, "chat_message", chat=chat.public_id.hex)
    while heard["message"]["sender"] != "seeker":
        heard = await receive_until(staff, "chat_message", chat=chat.public_id.hex)
    assert heard["message"]["body"] == "I don't know where to start."

    await seeker.send_json_to({"type": "typing"})
    assert (await receive_until(staff, "chat_typing"))["sender"] == "seeker"

    await staff.send_json_to(
        {"type": "message", "chat": chat.public_id.hex, "body": "Take your time.", "ref": "s1"}
    )
    reply = await receive_until(seeker, "message")
    while reply["message"]["sender"] != "staff":
        reply = await receive_until(seeker, "message")
    assert reply["message"]["body"] == "Take your time."
    assert reply["message"]["author"] == "Sam"

    await staff.send_json_to({"type": "end", "chat": chat.public_id.hex})
    ended = await receive_until(seeker, "state", status="ended")
    assert ended["status"] == "ended"
    await seeker.disconnect()
    await staff.disconnect()


async def test_reconnecting_loses_nothing_and_repeats_nothing(staffer):
    profile, _cookie = staffer
    chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    chat = await database_sync_to_async(ChatSession.objects.get)(pk=chat.pk)
    await database_sync_to_async(chat_actions.do_accept_offer)(chat, profile)

    seeker = await seeker_socket(token)
    await seeker.send_json_to({"type": "hello", "after": 0})
    first = await receive_until(seeker, "history")
    seen = [m["seq"] for m in first["messages"]]
    assert seen == [1, 2]
    await seeker.disconnect()

    # While the seeker's connection is down, the conversation goes on.
    for text in ("Are you still there?", "No rush, I'm here."):
        await database_sync_to_async(chat_actions.do_send_message)(chat, Message.Sender.STAFF, text, profile)

    again = await seeker_socket(token)
    await again.send_json_to({"type": "hello", "after": seen[-1]})
    missed = await receive_until(again, "history")
    assert [m["seq"] for m in missed["messages"]] == [3, 4]
    assert [m["body"] for m in missed["messages"]] == ["Are you still there?", "No rush, I'm here."]
    await again.disconnect()


async def test_bad_frames_get_a_clear_error_and_the_connection_stays_usable(staffer):
    _profile, _cookie = staffer
    _chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    seeker = await seeker_socket(token)
    await receive_until(seeker, "state")
    for bad in ["not json", json.dumps([1, 2]), json.dumps({"no": "type"}), "x" * 20_000]:
        await seeker.send_to(text_data=bad)
        error = await receive_until(seeker, "error")
        assert error["code"] == "bad_frame"
    await seeker.send_json_to({"type": "launch"})
    assert (await receive_until(seeker, "error"))["code"] == "unknown_frame"
    await seeker.send_json_to({"type": "message", "body": "", "ref": 7})
    empty = await receive_until(seeker, "error")
    assert empty["code"] == "empty_message"
    assert empty["ref"] == 7
    await seeker.send_json_to({"type": "ping"})
    assert (await receive_until(seeker, "pong"))["type"] == "pong"
    await seeker.disconnect()


async def test_a_socket_without_a_valid_token_is_refused_plainly():
    for token in (None, "someone-elses-guess"):
        seeker = await seeker_socket(token)
        error = await seeker.receive_json_from(timeout=TIMEOUT)
        assert error["code"] == "no_chat"
        closed = await seeker.receive_output(timeout=TIMEOUT)
        assert closed == {"type": "websocket.close", "code": 4404}


async def test_staff_socket_refuses_people_who_are_not_helpline_staff(django_user_model):
    editor = await database_sync_to_async(django_user_model.objects.create_user)("ed", password="x" * 16)
    cookie = await database_sync_to_async(logged_in_session)(editor)
    communicator = WebsocketCommunicator(
        application, "/staff/ws/", headers=[ORIGIN, (b"cookie", f"sessionid={cookie}".encode())]
    )
    connected, code = await communicator.connect(timeout=TIMEOUT)
    assert not connected
    assert code == 4403


async def test_staff_cannot_act_on_a_chat_that_is_not_theirs(staffer, make_staff):
    profile, _cookie = staffer
    kim = await database_sync_to_async(make_staff)("kim", available=False)
    chat, _token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    chat = await database_sync_to_async(ChatSession.objects.get)(pk=chat.pk)
    await database_sync_to_async(chat_actions.do_accept_offer)(chat, profile)
    kim_socket = await staff_socket(await database_sync_to_async(logged_in_session)(kim.user))
    await receive_until(kim_socket, "ready")
    await kim_socket.send_json_to({"type": "message", "chat": chat.public_id.hex, "body": "hi"})
    assert (await receive_until(kim_socket, "error"))["code"] == "no_chat"
    await kim_socket.send_json_to({"type": "end", "chat": "not-a-uuid"})
    assert (await receive_until(kim_socket, "error"))["code"] == "no_chat"
    await kim_socket.disconnect()


async def test_waiting_seekers_hear_their_position_change(make_staff):
    _first, first_token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    _second, second_token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    second = await seeker_socket(second_token)
    state = await receive_until(second, "state")
    assert state["position"] == 2
    first = await seeker_socket(first_token)
    await receive_until(first, "state")
    await first.send_json_to({"type": "leave"})
    update = await receive_until(second, "queue")
    assert update["position"] == 1
    assert update["estimate"]["kind"] == "nobody_on_duty"
    await first.disconnect()
    await second.disconnect()


async def test_staff_socket_refuses_a_session_without_the_second_factor(make_staff):
    profile = await database_sync_to_async(make_staff)("sam")

    def password_only_session() -> str:
        client = Client()
        client.post("/staff/login/", {"username": "sam", "password": "a-long-test-password"})
        return client.cookies["sessionid"].value

    cookie = await database_sync_to_async(password_only_session)()
    communicator = WebsocketCommunicator(
        application, "/staff/ws/", headers=[ORIGIN, (b"cookie", f"sessionid={cookie}".encode())]
    )
    connected, code = await communicator.connect(timeout=TIMEOUT)
    assert not connected
    assert code == 4403
    assert profile.user.username == "sam"


async def test_a_message_sent_again_after_a_dropped_connection_is_stored_once(staffer):
    profile, _cookie = staffer
    chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    chat = await database_sync_to_async(ChatSession.objects.get)(pk=chat.pk)
    await database_sync_to_async(chat_actions.do_accept_offer)(chat, profile)
    first = await seeker_socket(token)
    await first.send_json_to({"type": "message", "body": "Is anyone there?", "ref": "mabc123"})
    sent = await receive_until(first, "sent")
    await first.disconnect()
    # The browser never heard "sent" (say), reconnects and sends the same message again.
    again = await seeker_socket(token)
    await again.send_json_to({"type": "message", "body": "Is anyone there?", "ref": "mabc123"})
    resent = await receive_until(again, "sent")
    assert resent["seq"] == sent["seq"]
    bodies = await database_sync_to_async(lambda: [m.body for m in chat.messages.all()])()
    assert bodies.count("Is anyone there?") == 1
    await again.disconnect()


async def test_an_event_of_a_kind_this_process_does_not_know_leaves_every_socket_open(staffer, caplog):
    """While a new version is rolled out, newer web processes can send an event older ones have no
    handler for: the sockets those processes hold must not close over it."""
    _profile, cookie = staffer
    staff = await staff_socket(cookie)
    assert (await staff.receive_json_from(timeout=TIMEOUT))["type"] == "ready"
    chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    seeker = await seeker_socket(token)
    await receive_until(seeker, "state")

    layer = get_channel_layer()
    await layer.group_send(chat.group_name, {"type": "chat.something_newer"})
    await layer.group_send(events.STAFF_ALL_GROUP, {"type": "staff.something_newer"})

    for _ in range(50):  # both events have arrived (and were let go) once both are in the log
        if "chat.something_newer" in caplog.text and "staff.something_newer" in caplog.text:
            break
        await asyncio.sleep(0.05)
    assert "chat.something_newer" in caplog.text and "staff.something_newer" in caplog.text
    await seeker.send_json_to({"type": "ping"})
    assert (await receive_until(seeker, "pong"))["type"] == "pong"
    await staff.send_json_to({"type": "ping"})
    assert (await receive_until(staff, "pong"))["type"] == "pong"
    await seeker.disconnect()
    await staff.disconnect()
