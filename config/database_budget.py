"""How many PostgreSQL connections one web process can hold: a fixed number, whatever the traffic
(issue 13, point 4; README "Production" has the budget for the whole service).

Under ASGI a web process reaches the database from three kinds of thread, each with its own connection:

1. HTTP requests. Django runs each request's view and middleware in a thread of its own, made for that
   request (asgiref's ThreadSensitiveContext), so the number of threads, and of connections, grew with
   the number of requests in flight. With persistent connections (CONN_MAX_AGE) each one also stayed
   open after its request, in a thread nobody would use again, until garbage collection: a chat load
   held 30-41 connections and a burst of page views took 95 of PostgreSQL's 100, refusing every
   database on the server. Here at most WEB_REQUEST_THREADS requests per process are inside Django at
   once (the rest wait their turn in the event loop, which costs nothing and answers no 500), and each
   request's connection is closed when its response is ready, before the response is sent.
2. Socket frames (helpline.chat.consumers.run_action, helpline.chat.waiting_room): the event loop's
   default thread pool. Python sizes it by the machine (up to 32 threads), so it is set here to ASGI_THREADS
   (the name daphne reads; uvicorn reads none). These threads live as long as the process and keep their
   connection between frames (DB_CONN_MAX_AGE): opening one costs 4-9 ms and a PostgreSQL process,
   against 0.1 ms for a query on an open one, and a chat message must not pay that.
3. channels' own database thread (a staff socket's sign-in and session, when it opens): one.

So one web process holds at most WEB_REQUEST_THREADS + ASGI_THREADS + MESSAGE_WRITERS + 1 connections
(19 by default).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import AsyncToSync, SyncToAsync, sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.db import connections
from django.http import HttpRequest, HttpResponseBase


def connections_per_web_process() -> int:
    # The message writers' threads (helpline.chat.group_commit) hold one each as well.
    return (
        int(settings.WEB_REQUEST_THREADS)
        + int(settings.ASGI_THREADS)
        + int(settings.HELPLINE["MESSAGE_WRITERS"])
        + 1
    )


class BudgetedASGIHandler(ASGIHandler):
    """Django's ASGI handler with at most WEB_REQUEST_THREADS requests inside Django at once, each of
    which closes its database connection as soon as its response is ready."""

    def __init__(self) -> None:
        super().__init__()
        self._gates: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    def _gate(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        gate = self._gates.get(loop)
        if gate is None:
            gate = self._gates[loop] = asyncio.Semaphore(int(settings.WEB_REQUEST_THREADS))
        return gate

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        async with self._gate():
            try:
                return await super().get_response_async(request)
            finally:
                if in_a_thread_of_its_own():
                    # Run in this request's own thread (the same thread-sensitive context), the only
                    # one that can close its connection: the thread is never used again.
                    await sync_to_async(connections.close_all)()


def in_a_thread_of_its_own() -> bool:
    """Whether this request's sync code ran in a thread made for it (uvicorn), rather than in a caller's
    thread (code that drives the app through async_to_sync, as some tests do: closing that thread's
    connection would close the caller's, mid-transaction). asgiref's names, read not changed."""
    if getattr(AsyncToSync.executors, "current", None) is not None:
        return False
    context = SyncToAsync.thread_sensitive_context.get(None)
    return context is not None and context in SyncToAsync.context_to_thread_executor


class SocketThreadPool:
    """ASGI wrapper: the event loop's default thread pool (socket frames' database work) gets
    ASGI_THREADS threads, set on the first call in each process's loop (lifespan or first request)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._sized: asyncio.AbstractEventLoop | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        loop = asyncio.get_running_loop()
        if self._sized is not loop:
            loop.set_default_executor(
                ThreadPoolExecutor(max_workers=int(settings.ASGI_THREADS), thread_name_prefix="asgi-db")
            )
            self._sized = loop
        await self.app(scope, receive, send)
