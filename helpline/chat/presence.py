"""Who is still there, kept in the cache (Redis in production) rather than the database.

Seekers with an open socket are checked in by their web process in batches (helpline.chat.waiting_room),
JavaScript-off pages on each refresh, staff by any staff page they have open (the page shell's pulse,
its no-JavaScript frame, every staff page load, and the console's socket); writing each check-in to
PostgreSQL would cost thousands of writes a minute in a busy queue. The keys hold only opaque ids.

When a seeker's last socket closes, that moment is noted too, so staff learn within seconds, not
minutes, that an offered chat's seeker has gone (a reload reconnects long before it counts).
A key that is missing says nothing: it means "not known" (Redis restarted, say), never "gone".
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext

from config.cache import CACHE_DOWN

# A seeker's socket checks in every 20 s (waiting_room.presence_seconds) and a JavaScript-off frame
# every few seconds: silent for longer than this, they are no longer on the page.
SEEKER_HERE_SECONDS = 30
# A closed socket counts as leaving only if no new one opened within this time (reload, a new tab).
SEEKER_DEPARTURE_SECONDS = 12
# Silent this long (and not merely between two check-ins), a seeker has gone.
SEEKER_GONE_SECONDS = 90


def _seeker_key(chat_id: int) -> str:
    return f"presence:seeker:{chat_id}"


def _departed_key(chat_id: int) -> str:
    return f"presence:seeker-left:{chat_id}"


def _staff_key(profile_id: int) -> str:
    return f"presence:staff:{profile_id}"


def _longest_grace() -> int:
    rules = settings.HELPLINE
    return max(
        rules["SEEKER_QUEUE_GRACE_SECONDS"], rules["SEEKER_CHAT_GRACE_SECONDS"], rules["STAFF_GRACE_SECONDS"]
    )


def touch_seeker(chat_id: int, now: float) -> None:
    # Pages check seekers in as they load: while Redis is down the page must still load, and the lost
    # check-in reads as "not known" (never "gone").
    with contextlib.suppress(*CACHE_DOWN):
        cache.set(_seeker_key(chat_id), now, timeout=_longest_grace() * 2)


def touch_seekers(chat_ids: Iterable[int], now: float) -> None:
    """Many at once, in one round trip (the cache pipelines set_many)."""
    cache.set_many({_seeker_key(i): now for i in chat_ids}, timeout=_longest_grace() * 2)


def seeker_departed(chat_id: int, now: float) -> None:
    """The seeker's last open socket for this chat closed (tab closed, browser gone, or a reload)."""
    cache.set(_departed_key(chat_id), now, timeout=_longest_grace() * 2)


def touch_staff(profile_id: int, now: float) -> None:
    # Every staff page checks its person in: while Redis is down the page must still load (issue 13,
    # point 5). The lost check-in reads as "not known", never "gone", and the next one after Redis is
    # back counts.
    with contextlib.suppress(*CACHE_DOWN):
        cache.set(_staff_key(profile_id), now, timeout=_longest_grace() * 2)


def _last_seen(key: Callable[[int], str], ids: list[int]) -> dict[int, float]:
    found = cache.get_many([key(i) for i in ids])
    return {i: float(found[key(i)]) for i in ids if key(i) in found}


def seekers_last_seen(chat_ids: Iterable[int]) -> dict[int, float]:
    return _last_seen(_seeker_key, list(chat_ids))


def staff_last_seen(profile_ids: Iterable[int]) -> dict[int, float]:
    return _last_seen(_staff_key, list(profile_ids))


def _last_seen_or_now(key: Callable[[int], str], ids: list[int], now: float) -> dict[int, float]:
    """Last check-ins, for judging who has gone: someone with no record at all (Redis restarted or lost
    the key) is not known to be gone, so their grace starts now. Their pages and sockets check in again
    long before it ends; only someone truly gone is judged so, one grace period later."""
    seen = _last_seen(key, ids)
    missing = [i for i in ids if i not in seen]
    for i in missing:
        cache.add(key(i), now, timeout=_longest_grace() * 2)  # add: a check-in just now wins
    if missing:
        seen.update(_last_seen(key, missing))
    return seen


def staff_last_seen_or_now(profile_ids: Iterable[int], now: float) -> dict[int, float]:
    return _last_seen_or_now(_staff_key, list(profile_ids), now)


def seekers_last_seen_or_now(chat_ids: Iterable[int], now: float) -> dict[int, float]:
    return _last_seen_or_now(_seeker_key, list(chat_ids), now)


def forget_seeker(chat_id: int) -> None:
    # Called after a chat has ended and committed; a record left behind by a Redis blip expires.
    with contextlib.suppress(*CACHE_DOWN):
        cache.delete_many([_seeker_key(chat_id), _departed_key(chat_id)])


class SeekerState(enum.Enum):
    """What staff see beside an offer or a chat."""

    HERE = "here"
    AWAY = "away"
    GONE = "gone"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        # Read when drawn, so each member of staff sees it in their own interface language.
        return {
            "here": gettext("Seeker here"),
            "away": gettext("Seeker away"),
            "gone": gettext("Seeker has left"),
            "unknown": gettext("Seeker: checking"),
        }[self.value]


@dataclass(frozen=True)
class SeekerPresence:
    state: SeekerState
    silent_seconds: int | None  # since the page last checked in; None when not known

    def as_event(self) -> dict[str, object]:
        return {"state": self.state.value, "label": self.state.label}


def seeker_presence(chat_ids: Iterable[int], now: float) -> dict[int, SeekerPresence]:
    """Here, away or gone for each chat, from two cache reads in one round trip.

    Here: checked in lately and not left since. Away: the socket closed moments ago (it may be a
    reload), or silent past a check-in or two (a phone asleep, a frame that missed a refresh).
    Gone: left and not back, or silent far longer than any check-in takes. Unknown: nothing recorded
    (after a Redis restart, say), which is never taken to mean gone."""
    ids = list(chat_ids)
    keys = [_seeker_key(i) for i in ids] + [_departed_key(i) for i in ids]
    try:
        found = cache.get_many(keys)
    except CACHE_DOWN:
        found = {}  # Redis cannot be reached: nothing is known, and staff pages still load
    result: dict[int, SeekerPresence] = {}
    for i in ids:
        seen = found.get(_seeker_key(i))
        left = found.get(_departed_key(i))
        last = float(seen) if seen is not None else None
        silent = int(now - last) if last is not None else None
        if left is not None and (last is None or float(left) >= last):
            state = SeekerState.GONE if now - float(left) > SEEKER_DEPARTURE_SECONDS else SeekerState.AWAY
        elif last is None:
            state = SeekerState.UNKNOWN
        elif now - last <= SEEKER_HERE_SECONDS:
            state = SeekerState.HERE
        elif now - last <= SEEKER_GONE_SECONDS:
            state = SeekerState.AWAY
        else:
            state = SeekerState.GONE
        result[i] = SeekerPresence(state, silent)
    return result


NOT_KNOWN = SeekerPresence(SeekerState.UNKNOWN, None)
