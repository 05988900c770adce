"""The embedded site has no Celery beat: run beat's schedule inside the server process instead.

Only used when Celery runs tasks eagerly (the one-command demo). In production, Celery beat runs
settings.CELERY_BEAT_SCHEDULE and this does nothing. Here the same schedule (the same entries, the
same intervals) runs the same registered tasks. One difference on purpose: each entry also runs once
as the server starts, because a demo server is restarted far more often than hourly, and the
retention purge must still happen there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings

from config.celery import app as celery_app

logger = logging.getLogger(__name__)


class EmbeddedSweep:
    """ASGI wrapper that answers the lifespan protocol and, in embedded mode, runs beat's schedule."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        task: asyncio.Task[None] | None = None
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if settings.CELERY_TASK_ALWAYS_EAGER:
                    task = asyncio.create_task(self.run_schedule())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def run_schedule(self) -> None:
        """Each entry of CELERY_BEAT_SCHEDULE on its own interval, as beat would run it."""
        entries = [
            (str(entry["task"]), float(entry["schedule"]))  # type: ignore[arg-type]
            for entry in settings.CELERY_BEAT_SCHEDULE.values()
        ]
        await asyncio.gather(*(self.every(name, seconds) for name, seconds in entries))

    async def every(self, task_name: str, seconds: float) -> None:
        while True:
            try:
                # Eager: apply() runs the task here, on Django's thread for this process.
                await sync_to_async(celery_app.tasks[task_name].apply, thread_sensitive=True)()
            except Exception:
                logger.exception("embedded run of %s failed", task_name)
            await asyncio.sleep(seconds)
