"""Proposed changes, measurable before anyone adopts them (bench.settings applies them on request).

Each is named in BENCH_PROPOSED (comma-separated; the benchmarks' --proposed flag sets it) and is
written out as a diff in docs/performance.md under "Proposed changes". Nothing here is used unless a
benchmark asks for it, and production never imports this module.

- db-thread-pool: socket consumers run their database work in the thread pool
  (thread_sensitive=False) instead of the one thread that channels' database_sync_to_async uses per
  process, where every frame of every socket in the process (a seeker's ping every 20 s included)
  waited in one line.
- snapshot-by-reference: see below.
- serial-routing: routing runs take a transaction-level advisory lock first, so two runs (two Celery
  processes, a sweep beside a triggered run) never plan side by side with SKIP LOCKED. Side by side,
  each locked part of the staff and of the queue: the second could offer seekers from further back
  while the first left earlier ones waiting (FIFO broken), and a slot freed while the first held its
  staff row was skipped by the second and missed until the next sweep (up to 5 s).
"""

from __future__ import annotations

from typing import Any

# --- snapshot-by-reference ------------------------------------------------------------------------
#
# Today every queue change broadcasts the whole queue (one key per waiting seeker) to every waiting
# seeker's socket, and each socket's consumer decodes all of it (msgpack, then QueueSnapshot.from_event)
# to find its own place: O(waiting²) work per change in the web processes. Proposed: store the snapshot
# once in the cache and broadcast only its version; each web process fetches and parses a version once,
# and each consumer does a bisect (O(log n)) and writes a frame only if its position or estimate moved.

SNAPSHOT_KEY = "helpline:queue-snapshot:{}"
SNAPSHOT_SECONDS = 60


def publish_queue_snapshot() -> None:
    """Replaces helpline.actions.publish_queue_snapshot (runs in the Celery worker)."""
    import secrets

    from django.core.cache import cache

    from helpline import events, selectors

    snapshot = selectors.queue_snapshot()
    version = secrets.token_hex(8)
    cache.set(SNAPSHOT_KEY.format(version), snapshot.as_event(), timeout=SNAPSHOT_SECONDS)
    events.send_now(events.QUEUE_GROUP, {"type": "queue.snapshot", "version": version})
    overview = selectors.queue_overview()
    events.send_now(
        events.STAFF_ALL_GROUP,
        {
            "type": "queue.overview",
            "waiting": overview.waiting,
            "oldest_wait_seconds": overview.oldest_wait_seconds,
        },
    )


_loading: dict[str, Any] = {}  # version -> asyncio.Task[QueueSnapshot | None], a few recent ones


async def _fetch_snapshot(version: str) -> Any:
    from django.core.cache import cache

    from helpline.selectors import QueueSnapshot

    data = await cache.aget(SNAPSHOT_KEY.format(version))
    return QueueSnapshot.from_event(data) if data else None


async def load_snapshot(version: str) -> Any:
    """The snapshot of that version, fetched and parsed once per process however many sockets ask."""
    import asyncio

    task = _loading.get(version)
    if task is None:
        task = _loading[version] = asyncio.ensure_future(_fetch_snapshot(version))
        while len(_loading) > 8:
            _loading.pop(next(iter(_loading)))
    return await task


async def seeker_queue_snapshot(self: Any, event: dict[str, Any]) -> None:
    """Replaces helpline.consumers.SeekerConsumer.queue_snapshot."""
    if self.queue_key is None:
        return
    snapshot = await load_snapshot(event["version"])
    if snapshot is None:
        return
    position = snapshot.position_of(self.queue_key)
    if position is None:
        return
    estimate = snapshot.estimate_for(position).as_event()
    if position == self.last_position and estimate == getattr(self, "last_estimate", None):
        return
    self.last_position, self.last_estimate = position, estimate
    await self.send_json({"type": "queue", "position": position, "estimate": estimate})


ROUTING_LOCK = 0x68656C70  # any constant shared by every routing run


def serial(route: Any) -> Any:
    """route_waiting_seekers behind pg_advisory_xact_lock: runs queue for each other, briefly."""
    import functools

    from django.db import connection, transaction

    @functools.wraps(route)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROUTING_LOCK])
            return route(*args, **kwargs)

    return wrapped


def apply_runtime_patches() -> None:
    """Install the proposed code paths named in BENCH_PROPOSED (web and Celery processes)."""
    import os

    names = set(os.environ.get("BENCH_PROPOSED", "").split(","))
    if "db-thread-pool" in names:
        import functools

        from channels.db import DatabaseSyncToAsync

        from helpline import consumers as socket_consumers

        socket_consumers.database_sync_to_async = functools.partial(
            DatabaseSyncToAsync, thread_sensitive=False
        )
    if "serial-routing" in names:
        from helpline import actions as routing_actions

        routing_actions.route_waiting_seekers = serial(routing_actions.route_waiting_seekers)
    if "snapshot-by-reference" in names:
        from helpline import actions, consumers

        actions.publish_queue_snapshot = publish_queue_snapshot
        consumers.SeekerConsumer.queue_snapshot = seeker_queue_snapshot  # type: ignore[method-assign]
