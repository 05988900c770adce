"""An open staff console socket lasts only as long as the sign-in it was opened with.

Signing out, a deactivated account or removed second-factor devices close the console's socket at
once (4403, which the page shows as "signed out"), and a frame that arrives first is refused: the
offer stays offered and the message is not stored. Through the full ASGI app and the Redis channel
layer, as in test_consumers.
"""

import asyncio
import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.cached_db import SessionStore
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django_otp import devices_for_user

from config.asgi import application
from helpline.chat import actions as chat_actions
from helpline.chat import consumers, presence
from helpline.models import ChatSession, Message, StaffProfile

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://testserver")
TIMEOUT = 3
AFTER_SIGN_OUT = "Still here once signed out?"

db = database_sync_to_async


def signed_in_browser(profile: StaffProfile) -> Client:
    """A browser signed in with password and second factor (tests/conftest.py patches force_login)."""
    client = Client()
    client.force_login(profile.user)
    return client


async def open_console(browser: Client) -> WebsocketCommunicator:
    cookie = browser.cookies["sessionid"].value
    console = WebsocketCommunicator(
        application, "/staff/ws/", headers=[ORIGIN, (b"cookie", f"sessionid={cookie}".encode())]
    )
    connected, _ = await console.connect(timeout=TIMEOUT)
    assert connected
    await receive_until(console, "ready")
    return console


async def receive_until(console: WebsocketCommunicator, frame_type: str, **match: Any) -> dict:
    while True:
        frame = await console.receive_json_from(timeout=TIMEOUT)
        if frame["type"] == frame_type and all(frame.get(k) == v for k, v in match.items()):
            return frame


async def frames_until_closed(console: WebsocketCommunicator) -> tuple[list[dict], int | None]:
    """Everything the socket sends until the server closes it; None as the code if it stays open."""
    frames: list[dict] = []
    while True:
        try:
            output = await console.receive_output(timeout=TIMEOUT)
        except TimeoutError:
            return frames, None
        if output["type"] == "websocket.close":
            return frames, output.get("code")
        frames.append(json.loads(output["text"]))


def calls_to(monkeypatch, owner: Any, name: str) -> list[tuple]:
    """Records each call of owner.name (which still does what it did) for the rest of the test."""
    calls: list[tuple] = []
    original = getattr(owner, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)
    return calls


def live_chat_with(profile: StaffProfile) -> ChatSession:
    chat, _token = chat_actions.do_start_chat("en", "")
    chat = ChatSession.objects.get(pk=chat.pk)
    chat_actions.do_accept_offer(chat, profile)
    return ChatSession.objects.get(pk=chat.pk)


def bodies(chat: ChatSession) -> list[str]:
    return list(Message.objects.filter(session=chat).order_by("seq").values_list("body", flat=True))


# The three ways a sign-in ends while the console is open.


def sign_out_in_the_same_browser(browser: Client, profile: StaffProfile) -> None:
    response = browser.post("/staff/logout/")
    assert response.status_code in (200, 302)


def deactivate_the_account(browser: Client, profile: StaffProfile) -> None:
    user = get_user_model().objects.get(pk=profile.user_id)
    user.is_active = False
    user.save()  # as the admin's change form does


def remove_all_second_factor_devices(browser: Client, profile: StaffProfile) -> None:
    for device in list(devices_for_user(profile.user, confirmed=None)):
        device.delete()


def delete_the_account(browser: Client, profile: StaffProfile) -> None:
    get_user_model().objects.get(pk=profile.user_id).delete()


@pytest.fixture
def staffer(make_staff) -> StaffProfile:
    return make_staff("sam", display_name="Sam")


@pytest.mark.parametrize(
    "end_sign_in",
    [sign_out_in_the_same_browser, deactivate_the_account, remove_all_second_factor_devices],
    ids=["signed_out", "account_deactivated", "devices_removed"],
)
async def test_an_open_console_stops_working_and_closes_when_the_sign_in_ends(
    staffer: StaffProfile, end_sign_in: Callable[[Client, StaffProfile], None]
):
    live = await db(live_chat_with)(staffer)
    browser = await db(signed_in_browser)(staffer)
    console = await open_console(browser)

    # While signed in, the console works as usual.
    await console.send_json_to({"type": "message", "chat": live.public_id.hex, "body": "Hello", "ref": "m1"})
    await receive_until(console, "sent", ref="m1")
    offered, _token = await db(chat_actions.do_start_chat)("en", "")
    await receive_until(console, "offer_made", chat=offered.public_id.hex)

    await db(end_sign_in)(browser, staffer)
    # Straight away, before the console could have heard anything, it tries to act.
    await console.send_json_to({"type": "accept", "chat": offered.public_id.hex, "ref": "a1"})
    await console.send_json_to(
        {"type": "message", "chat": live.public_id.hex, "body": AFTER_SIGN_OUT, "ref": "m2"}
    )
    frames, close_code = await frames_until_closed(console)

    offered = await db(ChatSession.objects.get)(pk=offered.pk)
    assert offered.status == ChatSession.Status.OFFERED
    assert offered.staff_id is None
    assert AFTER_SIGN_OUT not in await db(bodies)(live)
    assert not [f for f in frames if f["type"] == "sent" and f.get("ref") == "m2"]
    assert close_code == consumers.FORBIDDEN  # 4403: the page shows "signed out"
    refusals = [f for f in frames if f["type"] == "error" and f.get("code") == "signed_out"]
    assert refusals
    assert "sign in again" in refusals[0]["message"]
    await console.disconnect()


@pytest.mark.parametrize(
    "end_sign_in", [deactivate_the_account, remove_all_second_factor_devices, delete_the_account]
)
async def test_the_console_closes_without_waiting_for_a_frame(
    staffer: StaffProfile, end_sign_in: Callable[[Client, StaffProfile], None]
):
    browser = await db(signed_in_browser)(staffer)
    console = await open_console(browser)
    await db(end_sign_in)(browser, staffer)
    frames, close_code = await frames_until_closed(console)
    assert close_code == consumers.FORBIDDEN
    assert any(f.get("code") == "signed_out" for f in frames)
    await console.disconnect()


async def test_signing_out_in_one_browser_leaves_the_other_signed_in_browser_working(
    staffer: StaffProfile,
):
    live = await db(live_chat_with)(staffer)
    office = await db(signed_in_browser)(staffer)
    laptop = await db(signed_in_browser)(staffer)
    office_console = await open_console(office)
    laptop_console = await open_console(laptop)

    await db(sign_out_in_the_same_browser)(office, staffer)
    _frames, close_code = await frames_until_closed(office_console)
    assert close_code == consumers.FORBIDDEN

    await laptop_console.send_json_to(
        {"type": "message", "chat": live.public_id.hex, "body": "From the laptop", "ref": "l1"}
    )
    await receive_until(laptop_console, "sent", ref="l1")
    assert "From the laptop" in await db(bodies)(live)
    await office_console.disconnect()
    await laptop_console.disconnect()


def deactivate_without_signals(profile: StaffProfile) -> None:
    get_user_model().objects.filter(pk=profile.user_id).update(is_active=False)


def delete_the_session_without_signals(profile: StaffProfile, session_key: str) -> None:
    SessionStore(session_key=session_key).delete()  # as session expiry or clearsessions would


async def end_sign_in_unannounced(profile: StaffProfile, browser: Client, change: str) -> None:
    """A sign-in ended in a way no signal reports: "account_updated_in_bulk" or "session_gone"."""
    if change == "account_updated_in_bulk":
        await db(deactivate_without_signals)(profile)
    else:
        await db(delete_the_session_without_signals)(profile, browser.cookies["sessionid"].value)


@pytest.mark.parametrize("change", ["account_updated_in_bulk", "session_gone"])
async def test_each_acting_frame_checks_the_sign_in_even_when_nobody_announced_a_change(
    staffer: StaffProfile, change: str, monkeypatch
):
    """The per-frame check is the safety net for changes no signal reports (a bulk update, an
    expired session, the process's watch behind): here it is made to look every time, and the watch
    that would otherwise close the console first stays asleep."""
    monkeypatch.setattr("helpline.staff.socket_access.RECHECK_SECONDS", 0)
    monkeypatch.setattr("helpline.chat.sign_in_watch.SHORTEST_REST_SECONDS", 60)
    live = await db(live_chat_with)(staffer)
    browser = await db(signed_in_browser)(staffer)
    console = await open_console(browser)
    await end_sign_in_unannounced(staffer, browser, change)

    await console.send_json_to(
        {"type": "message", "chat": live.public_id.hex, "body": AFTER_SIGN_OUT, "ref": "m1"}
    )
    frames, close_code = await frames_until_closed(console)
    assert AFTER_SIGN_OUT not in await db(bodies)(live)
    assert [f.get("ref") for f in frames if f.get("code") == "signed_out"] == ["m1"]
    assert close_code == consumers.FORBIDDEN
    await console.disconnect()


async def test_message_frames_cost_no_extra_query_while_the_sign_in_holds(staffer: StaffProfile, monkeypatch):
    live = await db(live_chat_with)(staffer)
    browser = await db(signed_in_browser)(staffer)
    console = await open_console(browser)
    await console.send_json_to({"type": "message", "chat": live.public_id.hex, "body": "first", "ref": "m0"})
    await receive_until(console, "sent", ref="m0")  # the chat is now known to this console

    # Count every query on every thread (socket frames run in a pool of worker threads).
    counter = itertools.count()
    for name in ("execute", "executemany"):
        original = getattr(CursorWrapper, name)

        def counted(self, *args, _original=original, **kwargs):
            next(counter)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(CursorWrapper, name, counted)
    from helpline.staff import socket_access

    full_checks = calls_to(monkeypatch, socket_access, "still_holds")

    def queries() -> int:
        return next(counter)  # each reading counts one, taken off below

    start = queries()
    await db(chat_actions.do_send_message)(live, Message.Sender.STAFF, "sent directly", staffer)
    direct = queries() - start - 1

    frames = 5
    start = queries()
    for n in range(frames):
        await console.send_json_to(
            {"type": "message", "chat": live.public_id.hex, "body": f"socket {n}", "ref": f"s{n}"}
        )
        await receive_until(console, "sent", ref=f"s{n}")
    through_socket = queries() - start - 1

    assert through_socket == frames * direct
    assert full_checks == []
    await console.disconnect()


def test_the_console_heartbeat_stays_inside_a_short_grace(settings):
    settings.HELPLINE = {**settings.HELPLINE, "STAFF_GRACE_SECONDS": 60}
    assert consumers.staff_heartbeat_seconds() == 15
    settings.HELPLINE = {**settings.HELPLINE, "STAFF_GRACE_SECONDS": 4}
    assert consumers.staff_heartbeat_seconds() == 1


async def test_a_quiet_console_stays_present_with_a_short_grace(staffer: StaffProfile, settings):
    settings.HELPLINE = {**settings.HELPLINE, "STAFF_GRACE_SECONDS": 2}
    browser = await db(signed_in_browser)(staffer)
    console = await open_console(browser)
    connected_at = (await db(presence.staff_last_seen)([staffer.id]))[staffer.id]
    await asyncio.sleep(2.5)  # no frames at all: only the socket being open says they are here
    seen = (await db(presence.staff_last_seen)([staffer.id]))[staffer.id]
    assert seen > connected_at
    await console.disconnect()
