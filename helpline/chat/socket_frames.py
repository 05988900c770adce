"""What every socket of ours shares: JSON frames with size, depth and rate limits, one database call per
frame in the thread pool (run_action), events published from the event loop, and an error frame
(never a closed socket) for a frame the server cannot use."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from asgiref.sync import sync_to_async
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.db import close_old_connections
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from helpline import events
from helpline.errors import Refusal

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
    return await run_action_in(None, func, *args, **kwargs)


async def run_action_in(
    executor: ThreadPoolExecutor | None,
    func: Callable[..., T],
    *args: Any,
    answer_first: Callable[[T], None] | None = None,
    **kwargs: Any,
) -> T:
    """run_action on threads of the caller's own (`executor`), so that what runs there never waits for
    a thread behind other frames' calls; None, or the embedded SQLite site, uses the shared ones.
    `answer_first`, if given, is called with the result before the events are sent: the group commit
    answers its senders as soon as their messages are stored, not after the fan-out."""
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
        if executor is not None and _IN_POOL:
            result = await sync_to_async(collecting, thread_sensitive=False, executor=executor)()
        else:
            result = await sync_to_async(collecting, thread_sensitive=not _IN_POOL)()
        if answer_first is not None:
            answer_first(result)
        return result
    finally:
        await events.send_collected(batch)


class PerEventLoop(Generic[T]):
    """One T per event loop (a server process's, or a test's), made on first use: what a web process's
    sockets share (the group commit, the sign-in watch, the waiting room)."""

    def __init__(self, make: Callable[[], T]) -> None:
        self.make = make
        self.made: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = weakref.WeakKeyDictionary()

    def __call__(self) -> T:
        loop = asyncio.get_running_loop()
        found = self.made.get(loop)
        if found is None:
            found = self.made[loop] = self.make()
        return found


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
SIGNED_OUT = gettext_lazy("You have been signed out. Please sign in again.")


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
        # The language this socket's words are in: a seeker's chat's own (set once it is found); ""
        # leaves the process's default (staff consoles).
        self.language = ""

    def speaking(self) -> contextlib.AbstractContextManager[object]:
        """Words said on this socket, and refusals made for it, in its language."""
        # Most sockets speak the process's own language already: switching costs a context-local write
        # and its undo on every frame, thousands a second under load, so only a different one switches.
        if not self.language or self.language == translation.get_language():
            return contextlib.nullcontext()
        return translation.override(self.language)

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
            # An event of a kind this code does not know: while a new version is rolled out, newer
            # processes send kinds older ones have no handler for. channels would end the socket over it.
            logger.warning("An event of an unknown kind was ignored: %.60s", message.get("type"))
            return
        with self.speaking():
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
            await self.send_error("bad_frame", gettext("That could not be read. Please try again."))
            return
        try:
            content = await self.decode_json(text_data)
        except (ValueError, RecursionError):
            await self.send_error("bad_frame", gettext("That could not be read. Please try again."))
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error("bad_frame", gettext("That could not be read. Please try again."))
            return
        if self.frames.qsize() >= MAX_PENDING_FRAMES:
            await self.send_error(
                "slow_down",
                gettext("That was a lot at once. Please wait a moment and try again."),
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
                    with self.speaking():
                        try:
                            await self.receive_json(content)
                        except Refusal as error:
                            await self.send_error(error.code, error.message, ref=content.get("ref"))
            except Exception as error:
                # Once the browser has gone, or this socket has already been closed (signed out, replaced),
                # a reply failing to send is expected: nobody is there to read it.
                if not self.gone and not sent_after_close(error):
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

    async def send_json(self, content: Any, close: bool = False) -> None:
        try:
            await super().send_json(content, close)
        except OSError:
            # The ASGI server refuses a frame for a connection the browser has closed with an OSError (the
            # spec's rule; uvicorn's ClientDisconnected). Its close can reach the server before the
            # disconnect reaches this consumer: the browser has gone all the same.
            self.gone = True
            raise

    async def send_error(self, code: str, message: str, ref: object = None) -> None:
        await self.send_json({"type": "error", "code": code, "message": message, "ref": ref})


def sent_after_close(error: Exception) -> bool:
    """The ASGI server's refusal of a frame sent after the socket's close (a reply still on its way)."""
    return isinstance(error, RuntimeError) and "after sending 'websocket.close'" in str(error)
