"""Bad input that used to reach a 500 or end a socket (issue 13 point 6). Each gets a clear answer, and
the page or socket goes on working: a mistyped number, an odd browser or a broken client costs nobody
their chat."""

import asyncio
import json
import logging

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from helpline.chat import actions as chat_actions
from helpline.chat import socket_frames
from helpline.inbox import actions as inbox_actions
from helpline.models import CannedResponse, ChatSession, Message, SecureThread

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://testserver")
TIMEOUT = 3
SUPERSCRIPT_TWO = "²"  # str.isdigit() says yes; int() says no
NOT_NUMBERS = [SUPERSCRIPT_TWO, "1²", "9" * 40, "-1", "", "1.5", "٣"]  # last: Arabic-Indic three
UTF16_FORM = "application/x-www-form-urlencoded; charset=utf-16"


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)  # tests/conftest.py: counts as having passed the second factor
    return client


def live_chat(profile) -> ChatSession:
    chat, _token = chat_actions.do_start_chat("en", "")
    chat = ChatSession.objects.get(pk=chat.pk)
    chat_actions.do_accept_offer(chat, profile)
    return chat


def tracebacks(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


# --- HTTP ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["\x00", "help\x00me", "\x00" * 50, "a\x00\x01\x7f b"])
def test_a_search_holding_a_nul_character_shows_the_search_page(query, caplog):
    response = Client(raise_request_exception=False).get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()
    assert not tracebacks(caplog)


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/en/messages/new/", "body=I+need+to+talk&language=en"),
        ("/chat/start/", "language=en&about=self"),
        ("/en/messages/open/", "passphrase=one+two+three"),
        ("/staff/login/", "username=sam&password=x"),
    ],
)
def test_a_form_sent_in_a_charset_the_site_cannot_read_gets_a_calm_400_page(path, fields, caplog):
    """Browsers send forms as UTF-8; a client that says UTF-16 once a CSRF cookie is set used to get a
    500, because Django's own 400 page checks the CSRF token, which reads the body again."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/en/messages/")  # a page with a form: the CSRF cookie is set
    token = client.cookies["csrftoken"].value
    # The test client encodes the body in the charset the content type names.
    response = client.post(path, data=f"{fields}&csrfmiddlewaretoken={token}", content_type=UTF16_FORM)
    assert response.status_code == 400
    page = response.content.decode()
    assert "could not be read" in page
    assert "Quick exit" in page  # the site's own calm page, with its way out
    assert "Traceback" not in page and "UTF-8" not in page
    assert not tracebacks(caplog)


def test_a_broken_multipart_form_gets_the_same_calm_page(caplog):
    client = Client(raise_request_exception=False)
    response = client.post(
        "/en/messages/new/", data=b"--x\r\n", content_type="multipart/form-data; boundary="
    )
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    assert not tracebacks(caplog)


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_stock_reply_number_that_is_not_a_number_leaves_the_console_as_it_was(value, make_staff):
    sam = make_staff("sam")
    chat = live_chat(sam)
    canned = CannedResponse.objects.create(title="Thanks", body="Thank you for telling me.")
    client = signed_in(sam.user)
    in_the_box = f"data-body>{canned.body}</textarea>"
    response = client.get("/staff/", {"chat": chat.public_id.hex, "canned": value})
    assert response.status_code == 200
    assert in_the_box not in response.content.decode()
    # The same page with a real number still puts the stock reply in the box.
    chosen = client.get("/staff/", {"chat": chat.public_id.hex, "canned": str(canned.pk)})
    assert in_the_box in chosen.content.decode()


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_message_poll_with_a_position_that_is_not_a_number_sends_the_whole_conversation(value, make_staff):
    sam = make_staff("sam")
    chat = live_chat(sam)
    chat_actions.do_send_message(chat, Message.Sender.SEEKER, "Is anyone there?")
    response = signed_in(sam.user).get(f"/staff/chats/{chat.public_id}/messages/", {"after": value})
    assert response.status_code == 200
    bodies = [m["body"] for m in response.json()["messages"]]
    assert "Is anyone there?" in bodies
    assert response.json()["messages"][0]["seq"] == 1


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_transfer_to_a_colleague_number_that_is_not_a_number_is_refused_and_the_chat_stays(
    value, make_staff
):
    sam = make_staff("sam")
    chat = live_chat(sam)
    client = signed_in(sam.user)
    answer = client.post(
        f"/staff/chats/{chat.public_id}/transfer/", {"to": value}, headers={"accept": "application/json"}
    )
    chat.refresh_from_db()
    if value == "":
        assert answer.status_code == 200  # empty means "back to the queue", as the form's first choice
        return
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "bad_transfer"
    assert chat.status == ChatSession.Status.ACTIVE and chat.staff_id == sam.id


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_an_inbox_stock_reply_number_that_is_not_a_number_keeps_the_words_typed(value, make_staff, settings):
    settings.HELPLINE = {**settings.HELPLINE, "SECURE_THREADS_PER_STAFF": 0}
    sam = make_staff("sam")
    thread = inbox_actions.do_start_secure_thread("en", "I do not know who else to ask.").thread
    client = signed_in(sam.user)
    client.post(f"/staff/inbox/{thread.public_id}/take/")
    response = client.post(
        f"/staff/inbox/{thread.public_id}/reply/",
        {"body": "Thank you for writing.", "canned": value, "insert": "1"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a stock reply to insert." in page
    assert "Thank you for writing.</textarea>" in page
    assert SecureThread.objects.get(pk=thread.pk).messages.count() == 1  # nothing was sent


@pytest.mark.parametrize("until", ["0001-01-01", "0001-01-20", "1999-12-31"])
def test_statistics_asked_for_a_day_before_any_figures_show_the_figures_up_to_today(
    until, make_staff, caplog
):
    """Found by the fuzz suite: counting the chart's weeks back from 0001-01-01 left the calendar (a 500)."""
    alex = make_staff("alex", supervisor=True, available=False)
    response = signed_in(alex.user).get("/staff/stats/", {"until": until})
    assert response.status_code == 200
    assert "There are no figures from that long ago" in response.content.decode()
    assert not tracebacks(caplog)


# --- sockets ---------------------------------------------------------------------------------


async def seeker_socket(token: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application, "/chat/ws/", headers=[ORIGIN, (b"cookie", f"chat_token={token}".encode())]
    )
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    return communicator


async def staff_socket(user) -> WebsocketCommunicator:
    def session_cookie() -> str:
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value

    cookie = await database_sync_to_async(session_cookie)()
    communicator = WebsocketCommunicator(
        application, "/staff/ws/", headers=[ORIGIN, (b"cookie", f"sessionid={cookie}".encode())]
    )
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    return communicator


async def frames_until(communicator: WebsocketCommunicator, frame_type: str) -> list[dict]:
    """Every frame up to and including the first of `frame_type`. A close on the way fails the test
    with the code the server closed with."""
    seen = []
    while True:
        output = await communicator.receive_output(timeout=TIMEOUT)
        assert output["type"] == "websocket.send", f"the server closed the socket: {output}"
        frame = json.loads(output["text"])
        seen.append(frame)
        if frame["type"] == frame_type:
            return seen


async def frames_for(communicator: WebsocketCommunicator, seconds: float) -> list[dict]:
    """Every frame that arrives within `seconds` (none is fine)."""
    seen = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while (left := deadline - loop.time()) > 0:
        if await communicator.receive_nothing(timeout=min(left, 0.05), interval=0.01):
            continue
        output = await communicator.receive_output(timeout=TIMEOUT)
        assert output["type"] == "websocket.send", f"the server closed the socket: {output}"
        seen.append(json.loads(output["text"]))
    return seen


@pytest.fixture
def chat_with_staff(make_staff):
    """A live chat between a seeker and Sam, and Alex, a supervisor who is not taking chats."""
    sam = make_staff("sam", display_name="Sam")
    alex = make_staff("alex", display_name="Alex", supervisor=True, available=False)
    chat, token = chat_actions.do_start_chat("en", "")
    chat = ChatSession.objects.get(pk=chat.pk)
    chat_actions.do_accept_offer(chat, sam)
    return chat, token, sam, alex


NESTED = [
    "[" * 5000,
    "{" + '"a":[' * 3000,
    '{"type": "message", "body": "hi", "ref": ' + "[" * 900 + "]" * 900 + "}",
]


async def test_a_deeply_nested_frame_gets_an_error_and_the_seeker_socket_stays_open(chat_with_staff):
    _chat, token, _sam, _alex = chat_with_staff
    seeker = await seeker_socket(token)
    await frames_until(seeker, "state")
    for frame in NESTED:
        assert len(frame.encode()) < socket_frames.MAX_FRAME_BYTES
        await seeker.send_to(text_data=frame)
        error = (await frames_until(seeker, "error"))[-1]
        assert error["code"] == "bad_frame"
    await seeker.send_json_to({"type": "ping"})
    await frames_until(seeker, "pong")
    await seeker.disconnect()


async def test_a_deeply_nested_frame_gets_an_error_and_the_staff_socket_stays_open(chat_with_staff):
    chat, _token, sam, _alex = chat_with_staff
    staff = await staff_socket(sam.user)
    await frames_until(staff, "ready")
    for frame in NESTED:
        await staff.send_to(text_data=frame)
        error = (await frames_until(staff, "error"))[-1]
        assert error["code"] == "bad_frame"
    await staff.send_json_to(
        {"type": "message", "chat": chat.public_id.hex, "body": "Still here.", "ref": "s1"}
    )
    sent = (await frames_until(staff, "sent"))[-1]
    assert sent["ref"] == "s1"
    await staff.disconnect()


async def round_trip(communicator: WebsocketCommunicator) -> list[dict]:
    """Every frame the server sent before it answered a ping: all frames sent before the ping have
    been carried out (they run in order). A ping refused with slow_down is sent again."""
    seen: list[dict] = []
    while True:
        await communicator.send_json_to({"type": "ping"})
        while True:
            output = await communicator.receive_output(timeout=TIMEOUT)
            assert output["type"] == "websocket.send", f"the server closed the socket: {output}"
            frame = json.loads(output["text"])
            seen.append(frame)
            if frame["type"] == "pong":
                return seen
            if frame["type"] == "error" and frame["code"] == "slow_down":
                break


async def test_a_flood_of_typing_frames_is_relayed_at_most_once_per_window(chat_with_staff, monkeypatch):
    """2,000 typing frames in used to be 1,722 out: every keystroke event went to the other side."""
    chat, token, sam, _alex = chat_with_staff
    monkeypatch.setattr(socket_frames, "TYPING_RELAY_SECONDS", 60.0)
    seeker = await seeker_socket(token)
    await frames_until(seeker, "state")
    staff = await staff_socket(sam.user)
    await frames_until(staff, "ready")

    heard_by_staff, heard_by_seeker = [], []
    for _ in range(20):
        for _ in range(10):
            await seeker.send_json_to({"type": "typing"})
            await staff.send_json_to({"type": "typing", "chat": chat.public_id.hex})
        heard_by_seeker += await round_trip(seeker)
        heard_by_staff += await round_trip(staff)
    heard_by_staff += await frames_for(staff, 0.5)
    heard_by_seeker += await frames_for(seeker, 0.5)
    assert len([f for f in heard_by_staff if f["type"] == "chat_typing"]) == 1
    assert len([f for f in heard_by_seeker if f["type"] == "typing"]) == 1

    # Once the window has passed, typing shows again.
    monkeypatch.setattr(socket_frames, "TYPING_RELAY_SECONDS", 0.2)
    await asyncio.sleep(0.3)
    await seeker.send_json_to({"type": "typing"})
    assert (await frames_until(staff, "chat_typing"))[-1]["sender"] == "seeker"
    await staff.send_json_to({"type": "typing", "chat": chat.public_id.hex})
    assert (await frames_until(seeker, "typing"))[-1]["sender"] == "staff"
    await seeker.disconnect()
    await staff.disconnect()


async def test_a_supervisor_reading_in_never_shows_typing_to_the_seeker(chat_with_staff):
    chat, token, sam, alex = chat_with_staff
    seeker = await seeker_socket(token)
    await frames_until(seeker, "state")
    supervisor = await staff_socket(alex.user)
    await frames_until(supervisor, "ready")
    await supervisor.send_json_to({"type": "history", "chat": chat.public_id.hex})  # reading in
    await frames_until(supervisor, "history")
    await supervisor.send_json_to({"type": "typing", "chat": chat.public_id.hex})
    await supervisor.send_json_to({"type": "ping"})
    await frames_until(supervisor, "pong")
    assert not [f for f in await frames_for(seeker, 0.5) if f["type"] == "typing"]

    # The chat's own staff member's typing does show: the seeker's page would have seen the other.
    staff = await staff_socket(sam.user)
    await frames_until(staff, "ready")
    await staff.send_json_to({"type": "typing", "chat": chat.public_id.hex})
    assert (await frames_until(seeker, "typing"))[-1]["sender"] == "staff"
    for communicator in (seeker, supervisor, staff):
        await communicator.disconnect()


async def test_half_an_emoji_in_a_frame_is_shown_as_a_replacement_character_and_the_socket_stays_open(
    chat_with_staff,
):
    """Found by the fuzz suite. A script that cuts a string in the middle of an emoji sends a lone
    surrogate ("\\ud83d"); it cannot be written as UTF-8 (database, cache), and the frame ended the socket."""
    chat, token, _sam, _alex = chat_with_staff
    seeker = await seeker_socket(token)
    await frames_until(seeker, "state")
    await seeker.send_to(text_data='{"type": "message", "body": "I feel \\ud83d", "ref": "r\\udfff"}')
    sent = (await frames_until(seeker, "sent"))[-1]
    assert sent["ref"] == "r\ufffd"
    stored = await database_sync_to_async(lambda: chat.messages.get(seq=sent["seq"]).body)()
    assert stored == "I feel \ufffd"
    await seeker.send_json_to({"type": "ping"})
    await frames_until(seeker, "pong")
    await seeker.disconnect()


async def test_a_frame_sent_before_the_browser_reads_that_its_chat_has_ended_is_ignored_quietly(caplog):
    """Found by the fuzz suite: a page that reconnects sends its first frame at once; if the chat had
    ended meanwhile, the server refused the socket and then failed on the frame, with a traceback."""
    seeker = WebsocketCommunicator(
        application, "/chat/ws/", headers=[ORIGIN, (b"cookie", b"chat_token=a-chat-that-has-ended")]
    )
    connected, _ = await seeker.connect(timeout=TIMEOUT)
    assert connected  # accepted, so the page can be told why it is closed
    await seeker.send_json_to({"type": "hello", "after": 3})
    await seeker.send_json_to({"type": "typing"})
    error = await seeker.receive_json_from(timeout=TIMEOUT)
    assert error["code"] == "no_chat"
    assert await seeker.receive_output(timeout=TIMEOUT) == {"type": "websocket.close", "code": 4404}
    await asyncio.sleep(0.2)  # the frames have been read by now
    assert await seeker.receive_nothing(timeout=0.2)
    assert not tracebacks(caplog)
    await seeker.disconnect()
