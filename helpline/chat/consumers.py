"""WebSocket consumers for seekers and staff: thin shells that parse a frame, call an action, reply.

Frames are JSON objects with a "type". A frame the server cannot use gets an "error" frame back and
the connection stays open: a bad frame must never cost a seeker their chat.

Each frame makes at most one database call (`run_action`): a call is a hop to a worker thread and
back, and at hundreds of messages a second the hops, not the queries, were the cost.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.db import close_old_connections
from django.http import Http404
from django_otp import DEVICE_ID_SESSION_KEY

from helpline import events
from helpline.chat import access as chat_access
from helpline.chat import actions as chat_actions
from helpline.chat import queue, waiting_room
from helpline.errors import Refusal
from helpline.models import ChatSession, Message, StaffProfile
from helpline.staff import access as staff_access
from helpline.staff import actions as staff_actions
from helpline.staff import socket_access

T = TypeVar("T")
logger = logging.getLogger(__name__)

# channels' database_sync_to_async is thread-sensitive: every frame of every socket in a process ran
# on one thread, one after another, so 5,000 waiting seekers' pings queued behind live chats' messages.
# With PostgreSQL the frames run in the thread pool, each thread with its own connection. SQLite (the
# embedded demo) allows one writer at a time, so there a pool would only wait on its own locks.
_IN_POOL = settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"


async def run_action(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `func` (an action or a read) in a worker thread with its own database connection, then send
    the events it published from here, the event loop: sending from the thread would hold the thread
    until the event loop, itself busy with frames waiting for threads, got round to it."""
    batch: list[events.Event] = []

    def collecting() -> T:
        nonlocal batch
        # Here, not around the thread hop as channels' database_sync_to_async does: asgiref runs the
        # function in a copy of the caller's context, which can hold other connection objects than
        # the bare thread sees, and a connection never checked is never replaced when it breaks.
        close_old_connections()
        try:
            with events.collected() as batch:
                return func(*args, **kwargs)
        finally:
            close_old_connections()

    try:
        return await sync_to_async(collecting, thread_sensitive=not _IN_POOL)()
    finally:
        await events.send_collected(batch)


async def publish_from_loop(func: Callable[..., None], *args: Any) -> None:
    """Run an action that only publishes (no database, no I/O) right here, without a thread hop."""
    with events.collected() as batch:
        func(*args)
    await events.send_collected(batch)


NO_CHAT = 4404
FORBIDDEN = 4403
SERVER_ERROR = 1011
MAX_FRAME_BYTES = 16 * 1024
MAX_PENDING_FRAMES = 20
# Frames are flat objects. Python's JSON decoder recurses once per bracket, so "[" * 5000 (well under
# the size limit) used to end the sender's socket with a RecursionError; nothing deeper is decoded.
MAX_NESTING = 16
# Pages send "typing" at most every 3 s and show it for 5 s or more; a client sending it more often
# is relayed at most once in this many seconds per chat, from the event loop, with no database call.
TYPING_RELAY_SECONDS = 2.0
SIGNED_OUT = "You have been signed out. Please sign in again."


def staff_heartbeat_seconds() -> float:
    """How often an open console checks its person in: well inside the grace after which someone
    silent counts as gone (a quarter of it, at most 15 s), read each beat so a changed grace holds."""
    grace = float(settings.HELPLINE["STAFF_GRACE_SECONDS"])
    return max(0.25, min(15.0, grace / 4))


def too_deeply_nested(text: str, limit: int = MAX_NESTING) -> bool:
    """Whether a JSON text opens more than `limit` arrays or objects inside one another. The usual
    frame has fewer brackets than that in all and costs two counts; brackets inside strings are not
    counted."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def _without_lone_surrogates(value: Any) -> Any:
    """Nesting is at most MAX_NESTING deep here (checked before decoding)."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


class TypingThrottle:
    """When a socket last had "typing" relayed for each chat: one relay per TYPING_RELAY_SECONDS.
    A socket has one or a few chats; the table is trimmed so that made-up chat ids cannot grow it."""

    MAX_CHATS = 50

    def __init__(self) -> None:
        self.relayed_at: dict[str, float] = {}

    def allows(self, chat: str) -> bool:
        now = time.monotonic()
        last = self.relayed_at.get(chat)
        if last is not None and now - last < TYPING_RELAY_SECONDS:
            return False
        if len(self.relayed_at) >= self.MAX_CHATS:
            self.relayed_at = {
                key: at for key, at in self.relayed_at.items() if now - at < TYPING_RELAY_SECONDS
            }
        self.relayed_at[chat] = now
        return True


class JsonFrames(AsyncJsonWebsocketConsumer):
    """Shared frame handling: size limit, JSON errors answered, never fatal."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frames: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.frame_worker: asyncio.Task[None] | None = None
        self.gone = False
        # Set when the socket is refused after accepting it (a seeker whose chat has ended): frames the
        # browser sent before it read the close are not carried out.
        self.refused = False
        self.typing = TypingThrottle()

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        """JSON as the browser wrote it, but with any lone surrogate (half an emoji: a script that cut
        a string in the middle of one, or a crafted frame) made U+FFFD. Left in, it cannot be encoded
        as UTF-8 for the database, the cache or the other side, and the frame failed mid-way."""
        content = json.loads(text_data)
        if _SURROGATE_ESCAPE.search(text_data) or _LONE_SURROGATE.search(text_data):
            content = _without_lone_surrogates(content)
        return content

    async def dispatch(self, message: dict[str, Any]) -> None:
        # channels hops to its single database thread before *every* handler to close stale
        # connections: each frame, each chat message, and each queue broadcast once per waiting socket
        # (5,000 hops in one line for one queue change). These consumers reach the database only
        # through run_action, which does that check in the thread it uses.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        """Frames are read here and carried out one after another, in the order sent, by a task of their
        own: events for this socket (an offer, the other side's message) go out while a frame waits for
        the database, instead of queueing behind it. Past MAX_PENDING_FRAMES the sender is asked to slow
        down: a client that floods is told so, and its backlog cannot grow without bound."""
        if self.refused:
            return
        if text_data is None or len(text_data) > MAX_FRAME_BYTES or too_deeply_nested(text_data):
            await self.send_error("bad_frame", "That could not be read. Please try again.")
            return
        try:
            content = await self.decode_json(text_data)
        except (ValueError, RecursionError):
            await self.send_error("bad_frame", "That could not be read. Please try again.")
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error("bad_frame", "That could not be read. Please try again.")
            return
        if self.frames.qsize() >= MAX_PENDING_FRAMES:
            await self.send_error(
                "slow_down",
                "That was a lot at once. Please wait a moment and try again.",
                ref=content.get("ref"),
            )
            return
        self.frames.put_nowait(content)
        if self.frame_worker is None:
            self.frame_worker = asyncio.create_task(self.carry_out_frames())

    async def carry_out_frames(self) -> None:
        """Never ends by itself: every frame taken is marked done, so a disconnect waiting for the
        queue to empty always goes on."""
        broken = False
        while True:
            content = await self.frames.get()
            try:
                if not broken:
                    try:
                        await self.receive_json(content)
                    except Refusal as error:
                        await self.send_error(error.code, error.message, ref=content.get("ref"))
            except Exception:
                if not self.gone:  # once the browser has gone, a reply failing to send is expected
                    logger.exception("A socket frame failed; closing the socket")  # no frame text, no address
                    broken = True  # what is still queued is dropped, as a failed consumer used to drop it
                    with contextlib.suppress(Exception):
                        await self.close(code=SERVER_ERROR)
            finally:
                self.frames.task_done()

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        # Frames received before the disconnect are still carried out (a "leave", a last message).
        self.gone = True
        try:
            if self.frame_worker is not None and not self.frame_worker.done():
                await self.frames.join()
        finally:
            await super().websocket_disconnect(message)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # However the consumer ends (a disconnect, or an error in connect or a handler, after which
        # channels never calls disconnect), nothing of it is left running or counted as present.
        try:
            await super().__call__(scope, receive, send)
        finally:
            if self.frame_worker is not None:
                self.frame_worker.cancel()
            self.forget()

    def forget(self) -> None:
        """Subclasses drop what the process holds for this socket (called once it has ended)."""

    async def send_error(self, code: str, message: str, ref: object = None) -> None:
        await self.send_json({"type": "error", "code": code, "message": message, "ref": ref})


class SeekerConsumer(JsonFrames):
    chat: ChatSession
    room: waiting_room.Room | None = None

    async def connect(self) -> None:
        token = self.scope.get("cookies", {}).get(settings.SEEKER_COOKIE_NAME)
        chat = await run_action(chat_access.access_seeker_chat, token)
        await self.accept()
        if chat is None:
            self.refused = True
            await self.send_error("no_chat", "This chat has ended or could not be found.")
            await self.close(code=NO_CHAT)
            return
        self.chat = chat
        # Join the chat's group before reading its state, so nothing that happens in between is missed.
        await self.channel_layer.group_add(chat.group_name, self.channel_name)
        self.room = waiting_room.room(_check_in_seekers)
        self.room.enter(self, chat.id)
        await self.send_state(check_in=True)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "chat"):
            try:
                await self.channel_layer.group_discard(self.chat.group_name, self.channel_name)
            except Exception:  # Redis is down: the group membership expires by itself
                logger.warning("Leaving a chat's group failed; it expires by itself")

    def forget(self) -> None:
        if self.room is not None:
            self.room.leave(self)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        kind = content["type"]
        if kind == "hello":
            await self.send_history(content.get("after"))
        elif kind == "message":
            message = await run_action(
                chat_actions.do_send_message,
                self.chat,
                Message.Sender.SEEKER,
                content.get("body"),
                client_ref=content.get("ref"),
            )
            await self.send_json({"type": "sent", "ref": content.get("ref"), "seq": message.seq})
        elif kind == "typing":
            if self.typing.allows(self.chat.group_name):
                await publish_from_loop(chat_actions.do_typing, self.chat, Message.Sender.SEEKER)
        elif kind == "ping":
            # Nothing to write: while this socket is open the room checks the seeker in (waiting_room).
            await self.send_json({"type": "pong"})
        elif kind == "leave":
            await run_action(chat_actions.do_end_chat, self.chat)
        else:
            await self.send_error("unknown_frame", "That could not be understood.", ref=content.get("ref"))

    async def send_history(self, after: object) -> None:
        if not isinstance(after, int) or after < 0:
            after = 0
        messages = await run_action(_messages_after, self.chat, after)
        await self.send_json({"type": "history", "messages": messages})

    async def send_state(self, check_in: bool = False) -> None:
        state = await run_action(_seeker_state, self.chat, check_in)
        self.chat = state.pop("chat")
        if self.room is not None:
            waiting = self.chat.status == ChatSession.Status.WAITING
            seat = waiting_room.Seat(queue.queue_key(self.chat), state.get("position"), state.get("estimate"))
            self.room.seat(self, seat if waiting else None)
        await self.send_json({"type": "state", **state})

    # Channel-layer events
    async def chat_message(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "message", "message": event["message"]})

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event["sender"] != Message.Sender.SEEKER:
            await self.send_json({"type": "typing", "sender": event["sender"]})

    async def chat_state(self, event: dict[str, Any]) -> None:
        if event["status"] == ChatSession.Status.WAITING:
            await self.send_state()  # back in the queue: its place comes from the database
        else:
            # The event says all the page shows (offered, live with whom, ended): no database call, so a
            # surge's hundreds of offers a minute do not queue for the web processes' database threads.
            if self.room is not None:
                self.room.seat(self, None)
            state = {"type": "state", "status": event["status"]}
            if event.get("staff"):
                state["staff"] = event["staff"]
            await self.send_json(state)
        if event["status"] == ChatSession.Status.ENDED:
            await self.close()


async def _check_in_seekers(chat_ids: list[int]) -> None:
    await run_action(chat_actions.check_in_seekers, chat_ids)


def _messages_after(chat: ChatSession, after: int) -> list[dict[str, object]]:
    return [m.as_event() for m in chat.messages.filter(seq__gt=after).select_related("staff").order_by("seq")]


def _seeker_state(chat: ChatSession, check_in: bool = False) -> dict[str, Any]:
    if check_in:
        chat_actions.check_in_seeker(chat)
    chat.refresh_from_db()
    state: dict[str, Any] = {"chat": chat, "status": chat.status, "last_seq": chat.last_seq}
    if chat.status == ChatSession.Status.WAITING:
        state["position"] = queue.queue_position(chat)
        state["estimate"] = queue.wait_estimate(chat).as_event()
    if chat.status == ChatSession.Status.ACTIVE and chat.staff_id:
        state["staff"] = StaffProfile.objects.get(pk=chat.staff_id).display_name
    return state


class StaffConsumer(JsonFrames):
    profile: StaffProfile
    supervisor: bool = False
    # The sign-in this socket was let in with (see helpline.staff.socket_access); once it has ended, nothing
    # more is carried out and the socket closes.
    access: socket_access.Access
    signed_out: bool = False
    # Chats this console has been let into, by the id the browser uses. A message to one of them skips
    # the access lookup: sending checks in the same statement that the chat is live and still theirs.
    known_chats: dict[str, ChatSession]

    async def connect(self) -> None:
        opened = await run_action(_open_staff_console, self.scope.get("user"), self.scope.get("session"))
        if opened is None:
            await self.close(code=FORBIDDEN)
            return
        self.profile, self.supervisor, chat_groups, self.access = opened
        self.known_chats = {}
        await self.accept()
        groups = [events.staff_group(self.profile.id), events.STAFF_ALL_GROUP, events.INBOX_GROUP]
        if self.supervisor:
            groups.append(events.SUPERVISORS_GROUP)
        groups += chat_groups
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined = groups
        # While the socket is open the person is here, even if the browser throttles the page's own
        # pings in a background tab; the server's WebSocket pings notice a connection that has died.
        self.heartbeat = asyncio.create_task(self.check_in_while_connected())
        await self.send_json({"type": "ready", "availability": self.profile.availability})

    def forget(self) -> None:
        heartbeat = getattr(self, "heartbeat", None)
        if heartbeat is not None:
            heartbeat.cancel()

    async def check_in_while_connected(self) -> None:
        # Checked like a frame: a console left open and silent still closes once its sign-in has ended.
        while True:
            await asyncio.sleep(staff_heartbeat_seconds())
            try:
                await self.act(staff_actions.check_in_staff, self.profile)
            except socket_access.SignedOut:
                await self.sign_out()
                return
            except Exception:  # a Redis blip must not end the heartbeat (and so, later, the session)
                logger.warning("A staff check-in failed; trying again at the next beat", exc_info=True)

    async def act(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """run_action for this socket, once its sign-in is known to hold. Mostly that costs nothing
        more: a look at the revocations this process has heard of. Every RECHECK_SECONDS it is a full
        check, made in the same database call as `func` rather than a hop of its own."""
        if self.signed_out or self.access.revoked_here():
            raise socket_access.SignedOut
        if self.access.fresh():
            return await run_action(func, *args, **kwargs)
        return await run_action(socket_access.checked, self.access, func, *args, **kwargs)

    async def sign_out(self, ref: object = None) -> None:
        """The sign-in has ended: say so in plain words, then close with 4403 (the page then shows
        that the person has been signed out). Frames still queued are dropped."""
        if self.signed_out:
            return
        self.signed_out = True
        heartbeat = getattr(self, "heartbeat", None)
        if heartbeat is not None and heartbeat is not asyncio.current_task():
            heartbeat.cancel()
        with contextlib.suppress(Exception):  # the browser may have gone already
            await self.send_error("signed_out", SIGNED_OUT, ref=ref)
            await self.close(code=FORBIDDEN)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        if self.signed_out:
            return  # the socket is closing; a frame sent meanwhile is not carried out
        try:
            await self.carry_out(content)
        except socket_access.SignedOut:
            await self.sign_out(ref=content.get("ref"))

    async def carry_out(self, content: dict[str, Any]) -> None:
        """Every branch that reads or changes anything goes through `act` (via on_chat or directly)."""
        kind = content["type"]
        ref = content.get("ref")
        chat_id = content.get("chat")
        staff = self.profile
        if kind == "ping":
            await self.act(staff_actions.check_in_staff, staff)
            await self.send_json({"type": "pong"})
        elif kind == "availability":
            self.profile = await self.act(staff_actions.do_set_availability, staff, content.get("value"))
        elif kind == "accept":
            await self.on_chat(chat_id, chat_actions.do_accept_offer, staff)
        elif kind == "decline":
            await self.on_chat(chat_id, chat_actions.do_decline_offer, staff)
        elif kind == "message":
            body = content.get("body")
            known = self.known_chats.get(str(chat_id))
            if known is None:
                chat, message = await self.on_chat(
                    chat_id, chat_actions.do_send_message, Message.Sender.STAFF, body, staff
                )
            else:
                chat = known
                message = await self.act(
                    chat_actions.do_send_message, chat, Message.Sender.STAFF, body, staff
                )
            await self.send_json({"type": "sent", "ref": ref, "chat": chat.public_id.hex, "seq": message.seq})
        elif kind == "typing":
            await self.relay_typing(chat_id)
        elif kind == "history":
            after = content.get("after") if isinstance(content.get("after"), int) else 0
            chat, messages = await self.on_chat(chat_id, _messages_after, after)
            await self.send_json({"type": "history", "chat": chat.public_id.hex, "messages": messages})
        elif kind == "end":
            await self.on_chat(chat_id, chat_actions.do_end_chat, by_staff=staff)
        elif kind == "transfer":
            await self.on_chat(chat_id, _transfer, staff, content.get("to"))
        elif kind == "escalate":
            chat, _ = await self.on_chat(chat_id, chat_actions.do_escalate, staff, content.get("reason"))
            await self.send_json({"type": "escalated", "chat": chat.public_id.hex, "ref": ref})
        else:
            await self.send_error("unknown_frame", "That could not be understood.", ref=ref)

    async def relay_typing(self, public_id: object) -> None:
        """Only the chat's own staff member shows as typing: a supervisor reading in is a silent
        reader, and the person seeking help must never see "typing…" from someone not talking to them.
        A chat this console already holds is taken as it is, without the database (a transfer or a
        requeue removes it from known_chats); any other is looked up, at most once per relay window."""
        if not self.typing.allows(str(public_id)):
            return
        chat = self.known_chats.get(str(public_id))
        if chat is None or not self.holds(chat):
            chat, _ = await self.on_chat(public_id, _no_action)
        if self.holds(chat):
            await publish_from_loop(chat_actions.do_typing, chat, Message.Sender.STAFF)

    def holds(self, chat: ChatSession) -> bool:
        return chat.staff_id == self.profile.id and chat.status == ChatSession.Status.ACTIVE

    async def on_chat(
        self, public_id: object, action: Callable[..., T], *args: Any, **kwargs: Any
    ) -> tuple[ChatSession, T]:
        """Find a chat open to this staff member and act on it, in one database call."""
        chat, result = await self.act(
            _act_on_staff_chat, self.profile, self.supervisor, public_id, action, *args, **kwargs
        )
        self.known_chats[str(public_id)] = chat
        return chat, result

    # Channel-layer events, forwarded as they are (they hold opaque ids and chat text only).
    async def forward(self, event: dict[str, Any]) -> None:
        frame = dict(event)
        frame["type"] = event["type"].replace(".", "_")
        await self.send_json(frame)

    async def chat_assigned(self, event: dict[str, Any]) -> None:
        group = events.chat_group(event["chat"])
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.append(group)
        await self.forward(event)

    async def chat_removed(self, event: dict[str, Any]) -> None:
        await self.channel_layer.group_discard(events.chat_group(event["chat"]), self.channel_name)
        self.known_chats.pop(event["chat"], None)
        await self.forward(event)

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event["sender"] == Message.Sender.SEEKER:
            await self.forward(event)

    async def staff_access_revoked(self, event: dict[str, Any]) -> None:
        """A sign-in of this person's has ended (helpline.staff.socket_access): if it is this socket's, close
        now rather than at its next frame."""
        if self.access.ended_by(socket_access.Revocation.from_event(event)):
            await self.sign_out()

    chat_message = forward
    chat_state = forward
    chat_ended = forward
    offer_made = forward
    offer_withdrawn = forward
    availability = forward
    wrap_up_done = forward
    queue_overview = forward
    escalation_raised = forward
    escalation_decided = forward
    inbox_changed = forward


def _open_staff_console(
    user: Any, session: Any
) -> tuple[StaffProfile, bool, list[str], socket_access.Access] | None:
    started = time.monotonic()  # a revocation from now on may have come too late for this check
    profile = socket_access.staff_profile_for(user, session)
    if profile is None or not session.session_key:
        return None
    access = socket_access.Access(
        user_id=user.id,
        profile_id=profile.id,
        session_key=session.session_key,
        device_id=session[DEVICE_ID_SESSION_KEY],
        opened_at=started,
        checked_at=started,
    )
    staff_actions.check_in_staff(profile)
    return profile, staff_access.is_supervisor(user), _own_chat_groups(profile), access


def _act_on_staff_chat(
    profile: StaffProfile,
    supervisor: bool,
    public_id: object,
    action: Callable[..., T],
    *args: Any,
    **kwargs: Any,
) -> tuple[ChatSession, T]:
    try:
        chat = chat_access.access_staff_chat(profile, str(public_id), supervisor=supervisor)
    except Http404:
        raise Refusal("no_chat", "That chat is not open to you.") from None
    return chat, action(chat, *args, **kwargs)


def _no_action(chat: ChatSession) -> None:
    return None


def _transfer(chat: ChatSession, profile: StaffProfile, to: object) -> None:
    chat_actions.do_transfer_chat(chat, profile, _transfer_target(to))


def _own_chat_groups(profile: StaffProfile) -> list[str]:
    return [
        chat.group_name
        for chat in ChatSession.objects.filter(staff=profile, status=ChatSession.Status.ACTIVE)
    ]


def _transfer_target(value: object) -> StaffProfile | None:
    if value in (None, "", "queue"):
        return None
    try:
        return StaffProfile.objects.get(pk=int(str(value)))
    except (StaffProfile.DoesNotExist, ValueError):
        raise Refusal("bad_transfer", "That colleague could not be found.") from None
