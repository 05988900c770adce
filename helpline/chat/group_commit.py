"""Group commit for chat messages: the messages a web process's sockets receive while its last batch is
being written go to the database together, in one transaction with one durable commit
(`do_send_messages`).

Why: each message was its own transaction, its own pool thread and its own wait for the disk's flush;
at a few hundred messages a second they queued behind one another and the sender's "sent" waited in
that queue (P1's tail, docs/performance.md). Now a process writes at most MESSAGE_WRITERS batches at
a time and whatever arrives meanwhile waits for the next: a quiet chat's message is written at once (a
batch of one), and a busy moment shares one commit among many.

Nobody hears "sent", and nobody receives a message, before its commit: when the write returns, each
sender is answered and the batch's events go out together (run_action_in, events.send_collected).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.utils import translation

from helpline.chat import actions as chat_actions
from helpline.chat.actions.messages import Outgoing
from helpline.chat.socket_frames import PerEventLoop, run_action_in
from helpline.models import ChatSession, Message, StaffProfile

# Messages waiting for a batch, each with its sender's answer to come.
Waiting = list[tuple[Outgoing, asyncio.Future[Message]]]


class GroupCommit:
    """One event loop's (one web process's) messages on their way to the database."""

    def __init__(self) -> None:
        self.waiting: Waiting = []
        self.writers: set[asyncio.Task[None]] = set()
        # Threads of their own (each with its database connection, counted in config/database_budget.py):
        # in the shared pool a batch waited behind whatever else the sockets had asked for, and a burst
        # of consoles' check-ins held every message of the process for a few hundred milliseconds.
        self.threads = ThreadPoolExecutor(
            max_workers=settings.HELPLINE["MESSAGE_WRITERS"], thread_name_prefix="message-writer"
        )

    async def send(
        self,
        chat: ChatSession,
        sender: str,
        body: object,
        staff: StaffProfile | None = None,
        client_ref: object = None,
    ) -> Message:
        """Store the message with the next batch and return it once committed; a Refusal as
        do_send_message gives one, in the language this socket speaks."""
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        outgoing = Outgoing(
            chat, sender, body, staff, client_ref, language=translation.get_language(), over_socket=True
        )
        self.waiting.append((outgoing, future))
        if len(self.writers) < settings.HELPLINE["MESSAGE_WRITERS"]:
            # A context of its own: the writer outlives the socket that started it, and must not carry
            # that socket's language (or anything else of it) into everyone's batches.
            writer = asyncio.create_task(self._write_while_waiting(), context=contextvars.Context())
            self.writers.add(writer)
        return await future

    async def _write_while_waiting(self) -> None:
        writer = asyncio.current_task()
        try:
            while self.waiting:
                window = settings.HELPLINE["MESSAGE_BATCH_WINDOW_MS"] / 1000
                if window > 0:
                    await asyncio.sleep(window)  # gather a little more before writing
                limit = settings.HELPLINE["MESSAGE_BATCH_MAX"]
                batch, self.waiting = self.waiting[:limit], self.waiting[limit:]
                try:
                    # Each sender hears "sent" once the commit is done, while the batch's messages are
                    # being published: the fan-out is not theirs to wait for.
                    await run_action_in(
                        self.threads,
                        chat_actions.do_send_messages,
                        [outgoing for outgoing, _ in batch],
                        answer_first=functools.partial(_answer, batch),
                    )
                except asyncio.CancelledError:
                    unanswered = [(outgoing, future) for outgoing, future in batch if not future.done()]
                    self.waiting = unanswered + self.waiting
                    raise
                except Exception as error:  # the database is down, say: each sender hears of it
                    _answer(batch, [error] * len(batch))
        finally:
            self.writers.discard(writer)
            if not self.writers:
                # Left waiting with no writer only when writers were cancelled (the process stopping):
                # nobody waits forever. A batch cancelled mid-write may still commit; a page resends
                # with the same ref, and it is stored once. (Another writer still running serves them.)
                for _, future in self.waiting:
                    if not future.done():
                        future.cancel()
                self.waiting = []


def _answer(batch: Waiting, answers: list[Message | Exception]) -> None:
    """Each sender's answer: their stored message, or why not."""
    for (_, future), outcome in zip(batch, answers, strict=True):
        if future.done():  # the sender's socket went meanwhile; its message is stored
            continue
        if isinstance(outcome, Exception):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)


# This event loop's group commit, made on first use.
group_commit = PerEventLoop(GroupCommit)
