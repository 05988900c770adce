"""One web process's seekers' sockets, looked after together so thousands of them stay cheap.

Two jobs that otherwise cost one message or one write per socket:

- **Queue news.** The process subscribes to the queue group once. For each snapshot version it fetches
  and unpacks the snapshot once, and sends a waiting socket here its place only when that is news
  (Seat.worth_telling: every move near the front, a move of 1 % further back, a new estimate). One
  channel-layer delivery per waiting socket per change, each woken and dispatched by channels, was
  most of the web processes' time with 5,000 seekers waiting.
- **Presence.** Batched writes, spread over each round (presence_seconds()), mark every seeker with a
  socket open here as present: an open socket is the sign of life (as for staff consoles), and the
  server's WebSocket pings close one whose browser has gone. A write per seeker ping was 250 writes
  a second at 5,000 waiting; the page's pings are now only answered.

Each event loop has its own room (a test's loop, a server process's loop). Its tasks run while anyone
is in it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from helpline import events
from helpline.chat import queue_news
from helpline.chat.estimates import WaitEstimate
from helpline.chat.queue import QueueKey, QueueSnapshot

logger = logging.getLogger(__name__)
PRESENCE_SECONDS = 20.0  # at most; see presence_seconds()
PRESENCE_SLICES = 20
RETRY_SECONDS = 1.0
SEND_SECONDS = 1.0
SNAPSHOTS_KEPT = 8
TELL_BETWEEN_YIELDS = 50
# Frames sent between short pauses: a routing run's news to 2,500 sockets of a process, sent in one go,
# held every live chat's messages in that process behind it (P2's slow messages bunched at those
# moments). Paced, the news takes a few hundred milliseconds longer to reach the back of the queue.
TELL_BETWEEN_PAUSES = 50
TELL_PAUSE_SECONDS = 0.005
NEAR_FRONT = 100  # places at which every move is told
RETELL_SECONDS = 15.0


class SeekerSocket(Protocol):
    async def send_json(self, content: Any, close: bool = False) -> None: ...


@dataclass
class Seat:
    """Where a waiting seeker's socket stands in the queue, and what it was last told."""

    key: QueueKey
    position: int | None
    estimate: dict[str, object] | None
    language: str = "en"  # the chat's: its place is in this language's queue, its words in this language
    told_at: float = field(default_factory=time.monotonic)

    def worth_telling(self, position: int, estimate: dict[str, object], now: float) -> bool:
        """Every move near the front; further back, a move of at least 1 % of the place (or any move
        after RETELL_SECONDS) and any change of estimate. In a surge every offer moves everyone up
        one place: 4,000th becoming 3,999th is not news, and not telling it spares thousands of frames."""
        if estimate != self.estimate:
            return True
        if self.position is None:
            return True
        moved = self.position - position
        if moved == 0:
            return False
        return position <= NEAR_FRONT or abs(moved) * 100 >= position or now - self.told_at >= RETELL_SECONDS


@dataclass
class Room:
    check_in: Callable[[list[int]], Awaitable[object]]
    # Notes that this process's last socket for a chat has closed (chat_actions.seeker_departed).
    depart: Callable[[int], Awaitable[object]]
    present: dict[SeekerSocket, int] = field(default_factory=dict)  # socket -> chat id
    waiting: dict[SeekerSocket, Seat] = field(default_factory=dict)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    snapshots: dict[str, asyncio.Task[QueueSnapshot | None]] = field(default_factory=dict)
    departures: set[asyncio.Task[None]] = field(default_factory=set)

    def enter(self, socket: SeekerSocket, chat_id: int) -> None:
        self.present[socket] = chat_id
        if not self.tasks or any(task.done() for task in self.tasks):
            for task in self.tasks:
                task.cancel()
            self.tasks = [
                asyncio.create_task(self.tell_queue_news()),
                asyncio.create_task(self.keep_present()),
            ]

    def leave(self, socket: SeekerSocket) -> None:
        chat_id = self.present.pop(socket, None)
        self.waiting.pop(socket, None)
        if chat_id is not None and chat_id not in self.present.values():
            self.note_departure(chat_id)
        if not self.present:
            for task in self.tasks:
                task.cancel()
            self.tasks = []

    def note_departure(self, chat_id: int) -> None:
        """The seeker's last socket here closed: noted at once (off the event loop), so staff hear within
        seconds that an offered chat's seeker has gone instead of after the queue's grace period."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        task = asyncio.create_task(self._note_departure(chat_id))
        self.departures.add(task)
        task.add_done_callback(self.departures.discard)

    async def _note_departure(self, chat_id: int) -> None:
        try:
            await self.depart(chat_id)
        except Exception:  # Redis or the database failing: the seeker then counts as gone only once
            # silent for long, or (if only the telling failed) other tabs check them in at their next round
            logger.warning("A seeker's departure could not be noted or told", exc_info=True)

    def seat(self, socket: SeekerSocket, seat: Seat | None) -> None:
        """The socket waits in the queue at `seat` (None: it no longer waits)."""
        if seat is None:
            self.waiting.pop(socket, None)
        else:
            self.waiting[socket] = seat

    async def tell_queue_news(self) -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        while True:  # a lost Redis connection must not end queue news for the whole process
            try:
                await self.listen_for_news(layer)
            except Exception:
                logger.warning("Queue news stopped; listening again shortly", exc_info=True)
                await asyncio.sleep(RETRY_SECONDS)

    async def listen_for_news(self, layer: Any) -> None:
        channel = await layer.new_channel()
        await layer.group_add(events.QUEUE_GROUP, channel)
        try:
            while True:
                event = await layer.receive(channel)
                if event.get("type") == "queue.snapshot":
                    await self.tell_places(str(event["version"]))
        finally:
            with contextlib.suppress(Exception):
                await layer.group_discard(events.QUEUE_GROUP, channel)

    async def tell_places(self, version: str) -> None:
        snapshot = await self.load_snapshot(version)
        if snapshot is None:
            return
        now = time.monotonic()
        # Estimates repeat (rounded ranges, "nobody on duty"): each is worded once per language.
        worded: dict[tuple[str, WaitEstimate], dict[str, object]] = {}
        sent = 0
        for told, (socket, seat) in enumerate(list(self.waiting.items())):
            if told % TELL_BETWEEN_YIELDS == TELL_BETWEEN_YIELDS - 1:
                # Thousands of frames in one go would hold the event loop, and with it every live
                # chat's messages, for a noticeable moment: let them through every few dozen.
                await asyncio.sleep(0)
            position = snapshot.position_of(seat.key, seat.language)
            if position is None:
                continue
            found = snapshot.estimate_for(position, seat.language)
            estimate = worded.get((seat.language, found))
            if estimate is None:
                with translation.override(seat.language):
                    estimate = worded[seat.language, found] = found.as_event()
            if not seat.worth_telling(position, estimate, now):
                continue
            seat.position, seat.estimate, seat.told_at = position, estimate, now
            frame = {"type": "queue", "position": position, "estimate": estimate}
            sent += 1
            if sent % TELL_BETWEEN_PAUSES == 0:
                await asyncio.sleep(TELL_PAUSE_SECONDS)
            try:
                # Bounded: a browser that does not read must not hold up everyone else's news. A timeout
                # scope, not wait_for: wait_for made a task of each of thousands of sends, and a send
                # that does not have to wait now finishes without a turn of the event loop.
                async with asyncio.timeout(SEND_SECONDS):
                    await socket.send_json(frame)
            except Exception:  # a socket closing or stuck; its consumer leaves the room itself
                logger.debug("queue news not sent to a closing socket")

    async def load_snapshot(self, version: str) -> QueueSnapshot | None:
        task = self.snapshots.get(version)
        if task is None:
            task = self.snapshots[version] = asyncio.create_task(_fetch_snapshot(version))
            while len(self.snapshots) > SNAPSHOTS_KEPT:
                self.snapshots.pop(next(iter(self.snapshots)))
        try:
            snapshot = await task
        except Exception:
            snapshot = None
        if snapshot is None:
            self.snapshots.pop(version, None)  # not remembered: the next news fetches afresh
        return snapshot

    async def keep_present(self) -> None:
        # A slice at a time, so each seeker is checked in once per round: one write of 2,500 keys at
        # once held the process for a third of a second. Sliced by chat id, not by place in a list,
        # so people leaving never shift anyone out of their turn.
        for tick in itertools.count():
            await asyncio.sleep(presence_seconds() / PRESENCE_SLICES)
            chat_ids = self.presence_slice(tick % PRESENCE_SLICES)
            if not chat_ids:
                continue
            try:
                await self.check_in(chat_ids)
            except Exception:  # a Redis blip: those seekers are checked in again next round
                logger.warning("A batched seeker check-in failed", exc_info=True)

    def presence_slice(self, turn: int) -> list[int]:
        return sorted({i for i in self.present.values() if i % PRESENCE_SLICES == turn})


def presence_seconds() -> float:
    """How often each open socket's seeker is checked in: well inside the shortest grace period."""
    return min(PRESENCE_SECONDS, settings.HELPLINE["SEEKER_QUEUE_GRACE_SECONDS"] / 3)


async def _fetch_snapshot(version: str) -> QueueSnapshot | None:
    # Fetched and unpacked in a pool thread, off the event loop. Not cache.aget: that waits for the one
    # thread every thread-sensitive call in the process shares.
    return await sync_to_async(_read_snapshot, thread_sensitive=False)(version)


def _read_snapshot(version: str) -> QueueSnapshot | None:
    data = cache.get(queue_news.QUEUE_SNAPSHOT_KEY.format(version))
    return QueueSnapshot.from_bytes(data) if data else None
