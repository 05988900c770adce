"""Publishing events to connected browsers over the channel layer.

Only helpline.actions calls `publish`, and always after the database change has committed, so a
browser never hears of something that was rolled back. Events carry opaque ids and chat text only.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

QUEUE_GROUP = "queue"
STAFF_ALL_GROUP = "staff.all"
SUPERVISORS_GROUP = "supervisors"


def staff_group(profile_id: int) -> str:
    return f"staff.{profile_id}"


def send_now(group: str, event: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


def publish(group: str, event_type: str, **payload: Any) -> None:
    """Send `event_type` to everyone in `group` once the current transaction commits."""
    event = {"type": event_type, **payload}
    transaction.on_commit(lambda: send_now(group, event))
