"""Who is still there, kept in the cache (Redis in production) rather than the database.

Seekers with an open socket are checked in by their web process in batches (helpline.waiting_room),
JavaScript-off pages on each refresh, staff consoles by a server-side heartbeat; writing each
check-in to PostgreSQL would cost thousands of writes a minute in a busy queue. A key that expires
is all we need: its absence after the grace period means the person has gone. The keys hold only
opaque ids.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache


def _seeker_key(chat_id: int) -> str:
    return f"presence:seeker:{chat_id}"


def _staff_key(profile_id: int) -> str:
    return f"presence:staff:{profile_id}"


def _longest_grace() -> int:
    rules = settings.HELPLINE
    return max(
        rules["SEEKER_QUEUE_GRACE_SECONDS"], rules["SEEKER_CHAT_GRACE_SECONDS"], rules["STAFF_GRACE_SECONDS"]
    )


def touch_seeker(chat_id: int, now: float) -> None:
    cache.set(_seeker_key(chat_id), now, timeout=_longest_grace() * 2)


def touch_seekers(chat_ids: Iterable[int], now: float) -> None:
    """Many at once, in one round trip (the cache pipelines set_many)."""
    cache.set_many({_seeker_key(i): now for i in chat_ids}, timeout=_longest_grace() * 2)


def touch_staff(profile_id: int, now: float) -> None:
    cache.set(_staff_key(profile_id), now, timeout=_longest_grace() * 2)


def seekers_last_seen(chat_ids: Iterable[int]) -> dict[int, float]:
    ids = list(chat_ids)
    found = cache.get_many([_seeker_key(i) for i in ids])
    return {i: float(found[_seeker_key(i)]) for i in ids if _seeker_key(i) in found}


def staff_last_seen(profile_ids: Iterable[int]) -> dict[int, float]:
    ids = list(profile_ids)
    found = cache.get_many([_staff_key(i) for i in ids])
    return {i: float(found[_staff_key(i)]) for i in ids if _staff_key(i) in found}


def forget_seeker(chat_id: int) -> None:
    cache.delete(_seeker_key(chat_id))
