"""What waiting seekers and staff hear of the queue: one stored snapshot per change, its version broadcast."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache

from helpline import events
from helpline.chat import queue

QUEUE_SNAPSHOT_KEY = "helpline:queue-snapshot:{}"
QUEUE_SNAPSHOT_SECONDS = 60
QUEUE_NEWS_RECENT_KEY = "helpline:queue-news-recent"
QUEUE_NEWS_PENDING_KEY = "helpline:queue-news-pending"


def publish_queue_snapshot() -> None:
    """One query, one cache write and one small broadcast, however many people wait.

    The snapshot is stored once and only its version is broadcast: each web process fetches and parses
    a version once (helpline.chat.waiting_room), and each waiting socket bisects it for its own place. Carried
    to every socket, 5,000 waiting seekers each decoding 5,000 places was 25 million per queue change.
    """
    cache.delete(QUEUE_NEWS_PENDING_KEY)
    cache.set(QUEUE_NEWS_RECENT_KEY, 1, timeout=settings.HELPLINE["QUEUE_NEWS_SECONDS"])
    snapshot = queue.queue_snapshot()
    version = secrets.token_hex(8)
    cache.set(QUEUE_SNAPSHOT_KEY.format(version), snapshot.to_bytes(), timeout=QUEUE_SNAPSHOT_SECONDS)
    events.send_now(events.QUEUE_GROUP, {"type": "queue.snapshot", "version": version})
    overview = queue.queue_overview()
    events.send_now(
        events.STAFF_ALL_GROUP,
        {"type": "queue.overview", **overview.as_event()},
    )
