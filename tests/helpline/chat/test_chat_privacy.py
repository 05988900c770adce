"""A whole chat, HTTP and socket, leaves no trace of the seeker's address or browser anywhere we keep."""

import logging

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from helpline.chat import actions as chat_actions
from helpline.models import ChatSession, Message
from tests.conftest import CANARY_ADDRESS, CANARY_USER_AGENT
from tests.privacy_audit import cache_text, database_text, find_canary

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_chat_over_http_leaves_no_identity(canary_client, make_staff, caplog):
    caplog.set_level(logging.DEBUG)
    sam = make_staff("sam")
    canary_client.get("/en/chat/")
    canary_client.post("/chat/start/", {"language": "en", "about": "self"})
    chat = ChatSession.objects.get()
    chat_actions.do_accept_offer(chat, sam)
    canary_client.get("/chat/session/")
    canary_client.get("/chat/session/live/")
    canary_client.post("/chat/session/send/", {"body": "hello"})
    canary_client.post("/chat/session/send/", {"body": ""})
    canary_client.get("/chat/session/poll/?after=0")
    chat_actions.do_send_message(chat, Message.Sender.STAFF, "Hello, thank you for getting in touch.", sam)
    canary_client.post("/chat/session/end/", {"step": "yes"})
    # The end stays with the seeker: the ended page, a copy, three answers, then closing it.
    canary_client.get("/chat/session/")
    canary_client.get("/chat/session/transcript.txt")
    canary_client.post("/chat/session/feedback/", {"helpful": "yes", "safer": "not_sure"})
    canary_client.post("/chat/session/close/")
    chat_actions.sweep()

    assert chat.messages.count() >= 4  # the flow really ran
    chat.refresh_from_db()
    assert chat.feedback_given
    assert find_canary(database_text()) == []
    assert find_canary(cache_text()) == []
    assert find_canary("\n".join(r.getMessage() for r in caplog.records)) == []


async def test_a_socket_connection_leaves_no_identity(make_staff, caplog):
    caplog.set_level(logging.DEBUG)
    _chat, token = await database_sync_to_async(chat_actions.do_start_chat)("en", "")
    communicator = WebsocketCommunicator(
        application,
        "/chat/ws/",
        headers=[
            (b"origin", b"http://testserver"),
            (b"cookie", f"chat_token={token}".encode()),
            (b"user-agent", CANARY_USER_AGENT.encode()),
            (b"x-forwarded-for", CANARY_ADDRESS.encode()),
        ],
    )
    communicator.scope["client"] = (CANARY_ADDRESS, 50123)
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    await communicator.send_json_to({"type": "ping"})
    while (await communicator.receive_json_from(timeout=3))["type"] != "pong":
        pass
    await communicator.disconnect()

    assert find_canary(await database_sync_to_async(database_text)()) == []
    assert find_canary(await database_sync_to_async(cache_text)()) == []
    assert find_canary("\n".join(r.getMessage() for r in caplog.records)) == []
