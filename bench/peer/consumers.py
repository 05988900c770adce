"""The tutorial's room consumer (channels "Tutorial Part 3"), with each message saved through the ORM."""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from bench.peer.models import Message


@database_sync_to_async
def save_message(room: str, sender: str, body: str) -> Message:
    return Message.objects.create(room=room, sender=sender, body=body)


class ChatConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        kwargs = self.scope["url_route"]["kwargs"]
        self.room_name = kwargs["room_name"]
        # Who is speaking: in a real app `self.scope["user"]`; here the URL names the side (seeker or
        # staff), so the load generator can tell the other party's messages from its own echo.
        self.sender = kwargs["sender"]
        self.room_group_name = f"chat_{self.room_name}"
        await self.channel_layer.group_add(self.room_group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.room_group_name, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        body = json.loads(text_data or "{}")["body"]
        message = await save_message(self.room_name, self.sender, body)
        await self.channel_layer.group_send(
            self.room_group_name,
            {
                "type": "chat.message",
                "id": message.id,
                "sender": message.sender,
                "body": message.body,
                "created_at": message.created_at.isoformat(),
            },
        )

    async def chat_message(self, event: dict[str, Any]) -> None:
        """Every socket in the room gets the message, the sender's own included (its echo)."""
        await self.send(
            text_data=json.dumps({key: event[key] for key in ("id", "sender", "body", "created_at")})
        )
