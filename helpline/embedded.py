"""The embedded site has no Celery beat: run the periodic sweep inside the server process instead.

Only used when Celery runs tasks eagerly (the one-command demo). In production, Celery beat
schedules `helpline.tasks.sweep` and this does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings

logger = logging.getLogger(__name__)
PURGE_EVERY_SECONDS = 60 * 60


class EmbeddedSweep:
    """ASGI wrapper that answers the lifespan protocol and, in embedded mode, sweeps every few seconds."""

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
                    task = asyncio.create_task(self.sweep_forever())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def sweep_forever(self) -> None:
        from helpline import retention
        from helpline.chat import actions as chat_actions

        last_purge = 0.0
        while True:
            await asyncio.sleep(settings.HELPLINE["SWEEP_SECONDS"])
            try:
                await sync_to_async(chat_actions.sweep, thread_sensitive=True)()
                # Retention holds in the demo too: purge about once an hour, as beat does in production.
                now = asyncio.get_running_loop().time()
                if now - last_purge >= PURGE_EVERY_SECONDS:
                    last_purge = now
                    await sync_to_async(retention.purge_expired, thread_sensitive=True)()
            except Exception:
                logger.exception("embedded sweep failed")
