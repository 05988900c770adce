"""A seeker's chat open in two tabs whose sockets two different web processes hold (each process has
its own waiting room). Closing one tab leaves that process with no socket for the chat, and it notes a
departure; the seeker is still there in the other tab and must not read as away or gone: staff could
close the chat as "seeker left", and routing would pass them over in the queue."""

import asyncio
import time

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from helpline.chat import actions as chat_actions
from helpline.chat import consumers, presence
from helpline.chat.actions.offers import gone_seekers
from tests.helpline.chat.test_consumers import receive_until, seeker_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def open_in_another_process(token: str, monkeypatch) -> WebsocketCommunicator:
    """A socket for the chat held by a second web process: a waiting room of its own."""
    this_process = consumers.seekers_room
    other_process_room = this_process.make()
    monkeypatch.setattr(consumers, "seekers_room", lambda: other_process_room)
    try:
        socket = await seeker_socket(token)
        await receive_until(socket, "state")
    finally:
        monkeypatch.setattr(consumers, "seekers_room", this_process)
    return socket


def state_of(chat_id: int) -> presence.SeekerState:
    return presence.seeker_presence([chat_id], time.time())[chat_id].state


@pytest.mark.parametrize("closed", ["the_other_process_tab", "a_tab_reloaded_into_the_other_process"])
async def test_closing_a_tab_another_process_held_leaves_the_seeker_here(closed, monkeypatch):
    monkeypatch.setattr(presence, "SEEKER_DEPARTURE_SECONDS", 0.5)
    chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    if closed == "the_other_process_tab":
        staying = await seeker_socket(token)
        await receive_until(staying, "state")
        leaving = await open_in_another_process(token, monkeypatch)
    else:  # the reload's new socket opened (in the other process) before the old one's close arrived
        leaving = await seeker_socket(token)
        await receive_until(leaving, "state")
        staying = await open_in_another_process(token, monkeypatch)

    await leaving.disconnect()
    await asyncio.sleep(0.3)
    assert await database_sync_to_async(state_of)(chat.id) is presence.SeekerState.HERE
    await asyncio.sleep(presence.SEEKER_DEPARTURE_SECONDS + 0.2)  # past the grace a reload gets
    assert await database_sync_to_async(state_of)(chat.id) is presence.SeekerState.HERE
    assert await database_sync_to_async(gone_seekers)([chat.id], timezone.now()) == set()

    await staying.disconnect()
    await asyncio.sleep(presence.SEEKER_DEPARTURE_SECONDS + 0.2)
    # Closing the last tab still counts as leaving.
    assert await database_sync_to_async(state_of)(chat.id) is presence.SeekerState.GONE


async def test_the_check_in_wins_even_when_the_other_hosts_clock_is_ahead():
    """The departure was noted on a host whose clock runs two seconds ahead of this one's."""
    chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    staying = await seeker_socket(token)
    await receive_until(staying, "state")
    left_at = time.time() + 2
    await database_sync_to_async(presence.seeker_departed)(chat.id, left_at)
    await get_channel_layer().group_send(chat.group_name, {"type": "seeker.departed", "at": left_at})
    await asyncio.sleep(0.3)
    assert await database_sync_to_async(state_of)(chat.id) is presence.SeekerState.HERE
    await staying.disconnect()


async def test_a_failed_check_in_after_another_tab_closed_leaves_the_socket_open(monkeypatch, caplog):
    chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    staying = await seeker_socket(token)
    await receive_until(staying, "state")

    def redis_down(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    monkeypatch.setattr(presence, "touch_seekers", redis_down)
    await get_channel_layer().group_send(chat.group_name, {"type": "seeker.departed", "at": time.time()})
    for _ in range(50):
        if "could not be checked in" in caplog.text:
            break
        await asyncio.sleep(0.05)
    assert "could not be checked in" in caplog.text
    await staying.send_json_to({"type": "ping"})  # and the socket still answers
    assert (await receive_until(staying, "pong"))["type"] == "pong"
    await staying.disconnect()
