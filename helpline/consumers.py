"""WebSocket consumers for seekers and staff: thin shells that parse a frame, call an action, reply.

Frames are JSON objects with a "type". A frame the server cannot use gets an "error" frame back and
the connection stays open: a bad frame must never cost a seeker their chat.
"""

from __future__ import annotations

import asyncio
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from helpline import actions, events, selectors
from helpline.models import ChatSession, Message, StaffProfile
from helpline.selectors import QueueKey, QueueSnapshot

NO_CHAT = 4404
FORBIDDEN = 4403
MAX_FRAME_BYTES = 16 * 1024
STAFF_HEARTBEAT_SECONDS = 15


class JsonFrames(AsyncJsonWebsocketConsumer):
    """Shared frame handling: size limit, JSON errors answered, never fatal."""

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if text_data is None or len(text_data) > MAX_FRAME_BYTES:
            await self.send_error("bad_frame", "That could not be read. Please try again.")
            return
        try:
            content = await self.decode_json(text_data)
        except ValueError:
            await self.send_error("bad_frame", "That could not be read. Please try again.")
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error("bad_frame", "That could not be read. Please try again.")
            return
        try:
            await self.receive_json(content)
        except actions.ChatError as error:
            await self.send_error(error.code, error.message, ref=content.get("ref"))

    async def send_error(self, code: str, message: str, ref: object = None) -> None:
        await self.send_json({"type": "error", "code": code, "message": message, "ref": ref})


class SeekerConsumer(JsonFrames):
    chat: ChatSession
    queue_key: QueueKey | None = None
    last_position: int | None = None

    async def connect(self) -> None:
        token = self.scope.get("cookies", {}).get(settings.SEEKER_COOKIE_NAME)
        chat = await database_sync_to_async(selectors.access_seeker_chat)(token)
        await self.accept()
        if chat is None:
            await self.send_error("no_chat", "This chat has ended or could not be found.")
            await self.close(code=NO_CHAT)
            return
        self.chat = chat
        await self.channel_layer.group_add(chat.group_name, self.channel_name)
        await database_sync_to_async(actions.check_in_seeker)(chat)
        await self.send_state()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "chat"):
            await self.channel_layer.group_discard(self.chat.group_name, self.channel_name)
            await self.channel_layer.group_discard(events.QUEUE_GROUP, self.channel_name)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        kind = content["type"]
        if kind == "hello":
            await self.send_history(content.get("after"))
        elif kind == "message":
            message = await database_sync_to_async(actions.send_message)(
                self.chat, Message.Sender.SEEKER, content.get("body"), client_ref=content.get("ref")
            )
            await self.send_json({"type": "sent", "ref": content.get("ref"), "seq": message.seq})
        elif kind == "typing":
            await database_sync_to_async(actions.typing)(self.chat, Message.Sender.SEEKER)
        elif kind == "ping":
            await database_sync_to_async(actions.check_in_seeker)(self.chat)
            await self.send_json({"type": "pong"})
        elif kind == "leave":
            await database_sync_to_async(actions.end_chat)(self.chat)
        else:
            await self.send_error("unknown_frame", "That could not be understood.", ref=content.get("ref"))

    async def send_history(self, after: object) -> None:
        if not isinstance(after, int) or after < 0:
            after = 0
        messages = await database_sync_to_async(_messages_after)(self.chat, after)
        await self.send_json({"type": "history", "messages": messages})

    async def send_state(self) -> None:
        state = await database_sync_to_async(_seeker_state)(self.chat)
        self.chat = state.pop("chat")
        if self.chat.status == ChatSession.Status.WAITING:
            self.queue_key = selectors.queue_key(self.chat)
            self.last_position = state.get("position")
            await self.channel_layer.group_add(events.QUEUE_GROUP, self.channel_name)
        else:
            self.queue_key = None
            await self.channel_layer.group_discard(events.QUEUE_GROUP, self.channel_name)
        await self.send_json({"type": "state", **state})

    # Channel-layer events
    async def chat_message(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "message", "message": event["message"]})

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event["sender"] != Message.Sender.SEEKER:
            await self.send_json({"type": "typing", "sender": event["sender"]})

    async def chat_state(self, event: dict[str, Any]) -> None:
        await self.send_state()
        if event["status"] == ChatSession.Status.ENDED:
            await self.close()

    async def queue_snapshot(self, event: dict[str, Any]) -> None:
        if self.queue_key is None:
            return
        snapshot = QueueSnapshot.from_event(event["snapshot"])
        position = snapshot.position_of(self.queue_key)
        if position is None:
            return
        self.last_position = position
        await self.send_json(
            {"type": "queue", "position": position, "estimate": snapshot.estimate_for(position).as_event()}
        )


def _messages_after(chat: ChatSession, after: int) -> list[dict[str, object]]:
    return [m.as_event() for m in chat.messages.filter(seq__gt=after).select_related("staff").order_by("seq")]


def _seeker_state(chat: ChatSession) -> dict[str, Any]:
    chat.refresh_from_db()
    state: dict[str, Any] = {"chat": chat, "status": chat.status, "last_seq": chat.last_seq}
    if chat.status == ChatSession.Status.WAITING:
        state["position"] = selectors.queue_position(chat)
        state["estimate"] = selectors.wait_estimate(chat).as_event()
    if chat.status == ChatSession.Status.ACTIVE and chat.staff_id:
        state["staff"] = StaffProfile.objects.get(pk=chat.staff_id).display_name
    return state


class StaffConsumer(JsonFrames):
    profile: StaffProfile
    supervisor: bool = False

    async def connect(self) -> None:
        user = self.scope.get("user")
        profile = await database_sync_to_async(_staff_profile_for)(user, self.scope.get("session"))
        if profile is None:
            await self.close(code=FORBIDDEN)
            return
        self.profile = profile
        self.supervisor = await database_sync_to_async(selectors.is_supervisor)(user)
        await self.accept()
        groups = [events.staff_group(profile.id), events.STAFF_ALL_GROUP, actions.INBOX_GROUP]
        if self.supervisor:
            groups.append(events.SUPERVISORS_GROUP)
        groups += await database_sync_to_async(_own_chat_groups)(profile)
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined = groups
        await database_sync_to_async(actions.check_in_staff)(profile)
        # While the socket is open the person is here, even if the browser throttles the page's own
        # pings in a background tab; the server's WebSocket pings notice a connection that has died.
        self.heartbeat = asyncio.create_task(self.check_in_while_connected())
        await self.send_json({"type": "ready", "availability": profile.availability})

    async def check_in_while_connected(self) -> None:
        while True:
            await asyncio.sleep(STAFF_HEARTBEAT_SECONDS)
            await database_sync_to_async(actions.check_in_staff)(self.profile)

    async def disconnect(self, code: int) -> None:
        heartbeat = getattr(self, "heartbeat", None)
        if heartbeat is not None:
            heartbeat.cancel()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        kind = content["type"]
        ref = content.get("ref")
        if kind == "ping":
            await database_sync_to_async(actions.check_in_staff)(self.profile)
            await self.send_json({"type": "pong"})
            return
        if kind == "availability":
            self.profile = await database_sync_to_async(actions.set_availability)(
                self.profile, content.get("value")
            )
            return
        chat = await self.access_chat(content.get("chat"))
        if kind == "accept":
            await database_sync_to_async(actions.accept_offer)(chat, self.profile)
        elif kind == "decline":
            await database_sync_to_async(actions.decline_offer)(chat, self.profile)
        elif kind == "message":
            message = await database_sync_to_async(actions.send_message)(
                chat, Message.Sender.STAFF, content.get("body"), self.profile
            )
            await self.send_json({"type": "sent", "ref": ref, "chat": chat.public_id.hex, "seq": message.seq})
        elif kind == "typing":
            await database_sync_to_async(actions.typing)(chat, Message.Sender.STAFF)
        elif kind == "history":
            after = content.get("after") if isinstance(content.get("after"), int) else 0
            messages = await database_sync_to_async(_messages_after)(chat, after)
            await self.send_json({"type": "history", "chat": chat.public_id.hex, "messages": messages})
        elif kind == "end":
            await database_sync_to_async(actions.end_chat)(chat, by_staff=self.profile)
        elif kind == "transfer":
            target = await database_sync_to_async(_transfer_target)(content.get("to"))
            await database_sync_to_async(actions.transfer_chat)(chat, self.profile, target)
        elif kind == "escalate":
            await database_sync_to_async(actions.escalate)(chat, self.profile, content.get("reason"))
            await self.send_json({"type": "escalated", "chat": chat.public_id.hex, "ref": ref})
        else:
            await self.send_error("unknown_frame", "That could not be understood.", ref=ref)

    async def access_chat(self, public_id: object) -> ChatSession:
        from django.http import Http404

        try:
            return await database_sync_to_async(selectors.access_staff_chat)(
                self.profile, str(public_id), supervisor=self.supervisor
            )
        except Http404:
            raise actions.ChatError("no_chat", "That chat is not open to you.") from None

    # Channel-layer events, forwarded as they are (they hold opaque ids and chat text only).
    async def forward(self, event: dict[str, Any]) -> None:
        frame = dict(event)
        frame["type"] = event["type"].replace(".", "_")
        await self.send_json(frame)

    async def chat_assigned(self, event: dict[str, Any]) -> None:
        group = f"chat.{event['chat']}"
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.append(group)
        await self.forward(event)

    async def chat_removed(self, event: dict[str, Any]) -> None:
        await self.channel_layer.group_discard(f"chat.{event['chat']}", self.channel_name)
        await self.forward(event)

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event["sender"] == Message.Sender.SEEKER:
            await self.forward(event)

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

    async def queue_snapshot(self, event: dict[str, Any]) -> None:
        return None  # staff get the overview instead


def _staff_profile_for(user: Any, session: Any) -> StaffProfile | None:
    """Helpline staff who passed their second factor in this session (as django-otp records it)."""
    if user is None or not selectors.is_helpline_staff(user):
        return None
    device_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    device = Device.from_persistent_id(device_id) if device_id else None
    if device is None or device.user_id != user.id:
        return None
    return StaffProfile.objects.get(user=user)


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
        raise actions.ChatError("bad_transfer", "That colleague could not be found.") from None
