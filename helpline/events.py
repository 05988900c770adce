"""Publishing events to connected browsers over the channel layer.

Only the rooms' actions call `publish`, and always after the database change has committed, so a
browser never hears of something that was rolled back. Events carry opaque ids and chat text only.

Actions run in worker threads (Celery, views, and socket frames' database calls). A socket frame's
call collects its events instead (`collected`), and the consumer sends them from the event loop
once the call returns: sending from the thread would block it on the event loop, which is itself
busy with the frames waiting for that thread. Celery tasks collect theirs too (`sent_together`).

The database is the record; an event only says "look, something changed". So a send that fails (the
channel layer's Redis restarting, a failover) is tried again a few times within a few seconds and then
given up, and never raises: the change it tells of has already committed, and the person who made it
must hear that it worked (a staff member told "not confirmed" after their message was stored was left
unsure whether the seeker had it). Every page catches up by itself: it notices a gap in the sequence
numbers, and asks "anything after N?" now and then (static/js/chat.js, static/js/staff-console.js).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

QUEUE_GROUP = "queue"
STAFF_ALL_GROUP = "staff.all"
SUPERVISORS_GROUP = "supervisors"
INBOX_GROUP = "inbox"  # staff sockets join it to hear of inbox changes; its events carry ids only

Event = tuple[str, dict[str, Any]]

# Pauses before each further try of a failed send: a Redis restart takes a second or two. All the sends
# of one batch share PUBLISH_BUDGET_SECONDS, so a Redis that stays down costs a batch a few seconds
# once, not a few seconds per event; once it is spent, each remaining event is tried once.
RETRY_PAUSES = (0.1, 0.25, 0.5, 1.0, 1.5)
PUBLISH_BUDGET_SECONDS = 4.0
# One try of a send that hangs (Redis unreachable rather than refusing) is given up after this long.
ATTEMPT_SECONDS = 1.5
# Worth one try only: stale a moment later, and the next keystroke sends another.
FLEETING = frozenset({"chat.typing"})
_collected: contextvars.ContextVar[list[Event] | None] = contextvars.ContextVar(
    "events_collected", default=None
)


def staff_group(profile_id: int) -> str:
    return f"staff.{profile_id}"


def chat_group(public_hex: str) -> str:
    """The group a chat's seeker socket and its staff member's console hear that chat's events in."""
    return f"chat.{public_hex}"


def send_now(group: str, event: dict[str, Any]) -> None:
    collected = _collected.get()
    if collected is not None:
        collected.append((group, event))
        return
    if get_channel_layer() is not None:
        async_to_sync(send_collected)([(group, event)])


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
    """Send each event in order, trying a failed one again (see RETRY_PAUSES). Never raises."""
    layer = get_channel_layer()
    if layer is None:
        return
    deadline = time.monotonic() + PUBLISH_BUDGET_SECONDS
    send_many = getattr(layer, "group_send_many", None)  # config.channel_layer's, in one round trip
    if send_many is not None and len(events) > 1:
        try:
            async with asyncio.timeout(ATTEMPT_SECONDS):
                await send_many(events)
            return
        except Exception:  # noqa: S110  each is tried again on its own below, with its retries
            # Some may have gone out already and go again, as a retried send always could: pages show
            # a chat message heard twice once, by its sequence number.
            pass
    for group, event in events:
        await _send_retrying(layer, group, event, deadline)


async def _send_retrying(layer: Any, group: str, event: dict[str, Any], deadline: float) -> bool:
    pauses = () if event.get("type") in FLEETING else RETRY_PAUSES
    tries = 0
    while True:
        tries += 1
        try:
            async with asyncio.timeout(ATTEMPT_SECONDS):  # no task per send, as wait_for made
                await layer.group_send(group, event)
            if tries > 1:
                logger.info("An event was published at try %d", tries)
            return True
        except Exception as error:  # whatever the layer raised, the change has committed
            failure = error
        if tries > len(pauses) or time.monotonic() + pauses[tries - 1] > deadline:
            break
        await asyncio.sleep(pauses[tries - 1])
    # The event's type only: its group names a chat or a person by id, and its payload holds chat text.
    logger.warning(
        "A %s event could not be published after %d tries (%s); pages catch up from the database",
        event.get("type"),
        tries,
        type(failure).__name__,
    )
    return False


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
