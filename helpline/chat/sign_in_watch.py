"""Every open staff console's sign-in, checked again together every few seconds.

A console's socket must stop acting for someone whose sign-in has ended (helpline.staff.socket_access).
Changes a signal announces close the sockets at once; for the rest (a bulk update, an expired session)
each socket used to re-check fully with its first frame after RECHECK_SECONDS: five queries, and the
staff message riding with them written alone, outside the group commit. With fifty consoles in a
process that was ten full checks a second on the busiest path there is. Here one task per web process
checks all its consoles in one database call of a fixed few queries every half RECHECK_SECONDS, so a
console's frames find its sign-in freshly confirmed; a frame still checks for itself only when the
watch has fallen behind (a slow or failing database). A console whose sign-in has ended closes now,
even one that sends nothing.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Coroutine
from typing import Any, Protocol

from helpline.chat.socket_frames import PerEventLoop, run_action
from helpline.staff import socket_access

logger = logging.getLogger(__name__)
# However small RECHECK_SECONDS is set (tests set 0 to check on every frame), the watch rests this long.
SHORTEST_REST_SECONDS = 0.5


class Console(Protocol):
    access: socket_access.Access
    signed_out: bool

    def sign_out(self) -> Coroutine[Any, Any, None]: ...


class SignInWatch:
    """One event loop's (one web process's) open consoles."""

    def __init__(self) -> None:
        self.consoles: set[Console] = set()
        self.watcher: asyncio.Task[None] | None = None
        self.closing: set[asyncio.Task[None]] = set()

    def add(self, console: Console) -> None:
        self.consoles.add(console)
        if self.watcher is None or self.watcher.done():
            # A context of its own: the task outlives the socket that started it.
            self.watcher = asyncio.create_task(self._watch(), context=contextvars.Context())

    def discard(self, console: Console) -> None:
        self.consoles.discard(console)

    async def _watch(self) -> None:
        while self.consoles:
            await asyncio.sleep(max(SHORTEST_REST_SECONDS, socket_access.RECHECK_SECONDS / 2))
            await self.check_all()

    async def check_all(self) -> None:
        consoles = [console for console in self.consoles if not console.signed_out]
        if not consoles:
            return
        started = time.monotonic()
        try:
            holding = await run_action(socket_access.still_holding, [console.access for console in consoles])
        except Exception as error:  # the database is unreachable: each console's frames check for themselves
            # The error's class only: a database error's text can quote the session keys it was given.
            logger.warning(
                "Checking the open consoles' sign-ins failed (%s); trying again shortly", type(error).__name__
            )
            return
        for console, holds in zip(consoles, holding, strict=True):
            if holds:
                console.access.checked_at = max(console.access.checked_at, started)
            elif console in self.consoles:
                # Each closes in a task of its own: one browser slow to take its frames holds up no other.
                closing = asyncio.create_task(console.sign_out())
                self.closing.add(closing)
                closing.add_done_callback(self.closing.discard)


# This event loop's watch, made on first use.
sign_in_watch = PerEventLoop(SignInWatch)
