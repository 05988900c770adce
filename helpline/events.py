"""Publishing events to connected browsers over the channel layer.

Only helpline.actions calls `publish`, and always after the database change has committed, so a
browser never hears of something that was rolled back. Events carry opaque ids and chat text only.

Actions run in worker threads (Celery, views, and socket frames' database calls). A socket frame's
call collects its events instead (`collected`), and the consumer sends them from the event loop
once the call returns: sending from the thread would block it on the event loop, which is itself
busy with the frames waiting for that thread. Celery tasks collect theirs too (`sent_together`).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

QUEUE_GROUP = "queue"
STAFF_ALL_GROUP = "staff.all"
SUPERVISORS_GROUP = "supervisors"

Event = tuple[str, dict[str, Any]]
_collected: contextvars.ContextVar[list[Event] | None] = contextvars.ContextVar(
    "events_collected", default=None
)


def staff_group(profile_id: int) -> str:
    return f"staff.{profile_id}"


def send_now(group: str, event: dict[str, Any]) -> None:
    collected = _collected.get()
    if collected is not None:
        collected.append((group, event))
        return
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


def publish(group: str, event_type: str, **payload: Any) -> None:
    """Send `event_type` to everyone in `group` once the current transaction commits."""
    event = {"type": event_type, **payload}
    transaction.on_commit(lambda: send_now(group, event))


@contextmanager
def collected() -> Iterator[list[Event]]:
    """Inside, events sent in this context are appended to the list given rather than sent."""
    batch: list[Event] = []
    token = _collected.set(batch)
    try:
        yield batch
    finally:
        _collected.reset(token)


async def send_collected(events: list[Event]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for group, event in events:
        await layer.group_send(group, event)


@contextmanager
def sent_together() -> Iterator[None]:
    """Collect the events published inside and send them all in one hop to an event loop at the end.

    From plain sync code (a Celery task) each send_now started an event loop, and with it a Redis
    connection, of its own: a routing run offering fifty chats took about a second to tell anyone.
    Inside code that already collects (a socket frame running an eager task) this adds nothing."""
    if _collected.get() is not None:
        yield
        return
    batch: list[Event] = []
    try:
        with collected() as batch:
            yield
    finally:
        if batch:
            async_to_sync(send_collected)(batch)
