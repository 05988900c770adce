"""WebSocket consumers for seekers and staff: thin shells that parse a frame, call an action, reply.

Frames are JSON objects with a "type". A frame the server cannot use gets an "error" frame back and
the connection stays open: a bad frame must never cost a seeker their chat.

Each frame makes at most one database call (`run_action`): a call is a hop to a worker thread and
back, and at hundreds of messages a second the hops, not the queries, were the cost.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext
from django_otp import DEVICE_ID_SESSION_KEY

from helpline import events
from helpline.chat import access as chat_access
from helpline.chat import actions as chat_actions
from helpline.chat import queue, waiting_room
from helpline.chat.actions.notes import notes_on
from helpline.chat.group_commit import group_commit
from helpline.chat.sign_in_watch import sign_in_watch
from helpline.chat.socket_frames import (
    FORBIDDEN,
    NO_CHAT,
    SIGNED_OUT,
    JsonFrames,
    PerEventLoop,
    publish_from_loop,
    run_action,
    staff_heartbeat_seconds,
)
from helpline.errors import Refusal
from helpline.models import ChatSession, Escalation, Message, StaffProfile
from helpline.staff import access as staff_access
from helpline.staff import actions as staff_actions
from helpline.staff import socket_access

T = TypeVar("T")
logger = logging.getLogger(__name__)


class SeekerConsumer(JsonFrames):
    chat: ChatSession
    room: waiting_room.Room | None = None

    async def connect(self) -> None:
        token = self.scope.get("cookies", {}).get(settings.SEEKER_COOKIE_NAME)
        chat = await run_action(chat_access.access_seeker_chat, token)
        await self.accept()
        if chat is None:
            self.refused = True
            await self.send_error("no_chat", gettext("This chat has ended or could not be found."))
            await self.close(code=NO_CHAT)
            return
        self.chat = chat
        self.language = chat.language
        # Join the chat's group before reading its state, so nothing that happens in between is missed.
        await self.channel_layer.group_add(chat.group_name, self.channel_name)
        self.room = seekers_room()
        self.room.enter(self, chat.id)
        with self.speaking():
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
            message = await group_commit().send(
                self.chat, Message.Sender.SEEKER, content.get("body"), client_ref=content.get("ref")
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
            await self.send_error(
                "unknown_frame", gettext("That could not be understood."), ref=content.get("ref")
            )

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
            seat = waiting_room.Seat(
                queue.queue_key(self.chat), state.get("position"), state.get("estimate"), self.chat.language
            )
            self.room.seat(self, seat if waiting else None)
        await self.send_json({"type": "state", **state})

    # Channel-layer events
    async def chat_message(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "message", "message": event["message"]})

    async def seeker_departed(self, event: dict[str, Any]) -> None:
        """Another web process's last socket for this chat closed (chat_actions.seeker_departed); this
        one is still open, so the seeker is still here."""
        left_at = event.get("at")
        not_before = float(left_at) if isinstance(left_at, (int, float)) else 0.0
        try:
            await run_action(chat_actions.check_in_seekers, [self.chat.id], not_before)
        except Exception:  # a Redis blip must not end the socket; the room's next round checks them in
            logger.warning("A seeker could not be checked in after another tab closed")

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


async def _seeker_departed(chat_id: int) -> None:
    await run_action(chat_actions.seeker_departed, chat_id)


# This web process's waiting room (made on first use): checks its seekers in, notes their departures.
seekers_room = PerEventLoop(functools.partial(waiting_room.Room, _check_in_seekers, _seeker_departed))


def _messages_after(chat: ChatSession, after: int) -> list[dict[str, object]]:
    return [m.as_event() for m in chat.messages.filter(seq__gt=after).select_related("staff").order_by("seq")]


def _staff_history(chat: ChatSession, after: int) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Staff catch up with the messages after `after` and every note on the chat (few; the console
    shows each once). The seeker's history is _messages_after alone: notes are for staff only."""
    return _messages_after(chat, after), [note.as_event() for note in notes_on(chat)]


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
        # Everything this console is told in words (refusals, the queue's wait) is in the language
        # this person chose for their staff pages; the chats' own words stay in each chat's language.
        self.language = self.profile.interface_language or ""
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
        sign_in_watch().add(self)
        await self.send_json({"type": "ready", "availability": self.profile.availability})

    def forget(self) -> None:
        sign_in_watch().discard(self)
        heartbeat = getattr(self, "heartbeat", None)
        if heartbeat is not None:
            heartbeat.cancel()

    async def check_in_while_connected(self) -> None:
        # Checked like a frame: a console left open and silent still closes once its sign-in has ended.
        # The first beat comes at a random point of the interval: consoles that opened together (every
        # console reconnecting after a restart) would otherwise check in together for as long as they
        # stay open, each beat a burst of sign-in checks and writes for the chat messages of the
        # process to wait behind.
        await asyncio.sleep(random.uniform(0, staff_heartbeat_seconds()))
        while True:
            try:
                await self.act(staff_actions.check_in_staff, self.profile)
            except socket_access.SignedOut:
                await self.sign_out()
                return
            except Exception:  # a Redis blip must not end the heartbeat (and so, later, the session)
                logger.warning("A staff check-in failed; trying again at the next beat", exc_info=True)
            await asyncio.sleep(staff_heartbeat_seconds())

    async def act(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """run_action for this socket, once its sign-in is known to hold. Mostly that costs nothing
        more: a look at the revocations this process has heard of, and at the process's watch having
        confirmed it lately (helpline.chat.sign_in_watch). If the watch has fallen behind, it is a full
        check, made in the same database call as `func` rather than a hop of its own."""
        if self.checked_lately():
            return await run_action(func, *args, **kwargs)
        return await run_action(socket_access.checked, self.access, func, *args, **kwargs)

    def checked_lately(self) -> bool:
        """Whether this socket's sign-in was fully checked within RECHECK_SECONDS (raises SignedOut if
        this process has heard it ended)."""
        if self.signed_out or self.access.revoked_here():
            raise socket_access.SignedOut
        return self.access.fresh()

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
            await self.send_error("signed_out", str(SIGNED_OUT), ref=ref)
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
        """Every handler that reads or changes anything goes through `act` (via on_chat or directly)."""
        handler = self.FRAME_HANDLERS.get(content["type"])
        if handler is None:
            await self.send_error(
                "unknown_frame", gettext("That could not be understood."), ref=content.get("ref")
            )
            return
        await handler(self, content)

    # --- one handler per frame a console sends ---------------------------------------------------

    async def on_ping(self, content: dict[str, Any]) -> None:
        await self.act(staff_actions.check_in_staff, self.profile)
        await self.send_json({"type": "pong"})

    async def on_availability(self, content: dict[str, Any]) -> None:
        self.profile = await self.act(staff_actions.do_set_availability, self.profile, content.get("value"))

    async def on_accept(self, content: dict[str, Any]) -> None:
        await self.on_chat(content.get("chat"), chat_actions.do_accept_offer, self.profile)

    async def on_decline(self, content: dict[str, Any]) -> None:
        await self.on_chat(content.get("chat"), chat_actions.do_decline_offer, self.profile)

    async def on_message(self, content: dict[str, Any]) -> None:
        chat_id, body, staff = content.get("chat"), content.get("body"), self.profile
        chat = self.known_chats.get(str(chat_id))
        if chat is None:
            chat, message = await self.on_chat(
                chat_id, chat_actions.do_send_message, Message.Sender.STAFF, body, staff
            )
        elif self.checked_lately():
            message = await group_commit().send(chat, Message.Sender.STAFF, body, staff)
        else:  # the periodic full check of the sign-in rides with this message, written alone
            message = await self.act(chat_actions.do_send_message, chat, Message.Sender.STAFF, body, staff)
        await self.send_json(
            {"type": "sent", "ref": content.get("ref"), "chat": chat.public_id.hex, "seq": message.seq}
        )

    async def on_typing(self, content: dict[str, Any]) -> None:
        await self.relay_typing(content.get("chat"))

    async def on_history(self, content: dict[str, Any]) -> None:
        after = content.get("after") if isinstance(content.get("after"), int) else 0
        chat, (messages, notes) = await self.on_chat(content.get("chat"), _staff_history, after)
        await self.send_json(
            {"type": "history", "chat": chat.public_id.hex, "messages": messages, "notes": notes}
        )

    async def on_end(self, content: dict[str, Any]) -> None:
        await self.on_chat(content.get("chat"), chat_actions.do_end_chat, by_staff=self.profile)

    async def on_transfer(self, content: dict[str, Any]) -> None:
        await self.on_chat(
            content.get("chat"), _transfer, self.profile, content.get("to"), content.get("note", "")
        )

    async def on_escalate(self, content: dict[str, Any]) -> None:
        reason = content.get("reason")
        chat, _ = await self.on_chat(content.get("chat"), chat_actions.do_escalate, self.profile, reason)
        await self.send_json({"type": "escalated", "chat": chat.public_id.hex, "ref": content.get("ref")})

    FRAME_HANDLERS: ClassVar[dict[str, Callable[[StaffConsumer, dict[str, Any]], Awaitable[None]]]] = {
        "ping": on_ping,
        "availability": on_availability,
        "accept": on_accept,
        "decline": on_decline,
        "message": on_message,
        "typing": on_typing,
        "history": on_history,
        "end": on_end,
        "transfer": on_transfer,
        "escalate": on_escalate,
    }

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

    async def seeker_departed(self, event: dict[str, Any]) -> None:
        """Not for consoles: the seeker's sockets answer it, and consoles read presence from the cache."""

    async def staff_access_revoked(self, event: dict[str, Any]) -> None:
        """A sign-in of this person's has ended (helpline.staff.socket_access): if it is this socket's, close
        now rather than at its next frame."""
        if self.access.ended_by(socket_access.Revocation.from_event(event)):
            await self.sign_out()

    chat_message = forward
    # A private note (a supervisor's whisper, a handover note): only ever sent to staff groups.
    chat_note = forward
    chat_state = forward
    chat_ended = forward
    offer_made = forward
    offer_withdrawn = forward
    availability = forward
    wrap_up_done = forward

    async def queue_overview(self, event: dict[str, Any]) -> None:
        """The wait is put in words once for everyone; each console says it in its own person's
        language (dispatch runs this inside `speaking`)."""
        frame = dict(event)
        frame["oldest_wait_words"] = queue.longest_wait_words(event.get("oldest_wait_seconds"))
        await self.forward(frame)

    async def escalation_raised(self, event: dict[str, Any]) -> None:
        """The reason in this supervisor's language (dispatch runs this inside `speaking`)."""
        frame = dict(event)
        if frame.get("reason_code") in Escalation.Reason.values:
            frame["reason"] = str(Escalation.Reason(frame["reason_code"]).label)
        await self.forward(frame)

    escalation_decided = forward
    inbox_changed = forward
    # Staff wellbeing, to supervisors (helpline.staff.actions): their board shows the new state.
    debrief_requested = forward
    debrief_arranged = forward
    team_changed = forward


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
        raise Refusal("no_chat", gettext("That chat is not open to you.")) from None
    return chat, action(chat, *args, **kwargs)


def _no_action(chat: ChatSession) -> None:
    return None


def _transfer(chat: ChatSession, profile: StaffProfile, to: object, note: object = "") -> None:
    chat_actions.do_transfer_chat(chat, profile, chat_access.transfer_target(to), note)


def _own_chat_groups(profile: StaffProfile) -> list[str]:
    return [chat.group_name for chat in ChatSession.objects.live_with(profile)]
