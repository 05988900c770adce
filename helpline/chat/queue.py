"""Read-only questions about the queue and the people on duty: places, waits, loads. No state changes here."""

from __future__ import annotations

import bisect
import functools
import statistics
import struct
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext

from helpline.chat.estimates import WaitEstimate, estimate_wait
from helpline.models import (
    Availability,
    ChatSession,
    StaffProfile,
)

QueueKey = tuple[int, float, int]


def queue_key(chat: ChatSession) -> QueueKey:
    """Sort key matching ChatQuerySet.in_queue_order."""
    return (-chat.priority, chat.queued_at.timestamp(), chat.id)


@dataclass
class Lane:
    """One language's queue: its waiting people in order, and the chat slots of available staff who
    speak it (each language is answered only by those who speak it, so it waits on them alone)."""

    keys: list[QueueKey] = field(default_factory=list)
    capacity: int = 0
    free_slots: int = 0


@dataclass
class QueueSnapshot:
    """The whole queue in a compact form, computed once and sent to every waiting seeker's socket,
    so a queue change costs one query and one broadcast, not one query per waiting person. A place
    counts only the people ahead in the same language; `on_duty` is everyone's slots, so a language
    nobody on duty speaks can be named as such."""

    lanes: dict[str, Lane] = field(default_factory=dict)
    on_duty: int = 0
    handling_seconds: list[float] = field(default_factory=list)

    def position_of(self, key: QueueKey, language: str) -> int | None:
        keys = self.lanes[language].keys if language in self.lanes else []
        index = bisect.bisect_left(keys, key)
        if index < len(keys) and keys[index] == key:
            return index + 1
        return None

    def estimate_for(self, position: int, language: str) -> WaitEstimate:
        lane = self.lanes.get(language) or Lane()
        return estimate_wait(
            position,
            lane.capacity,
            lane.free_slots,
            self.handling_seconds,
            typical=self.typical_seconds,
            unspoken_language=language if self.on_duty > 0 else "",
        )

    @functools.cached_property
    def typical_seconds(self) -> float | None:
        return statistics.median(self.handling_seconds) if self.handling_seconds else None

    def to_bytes(self) -> bytes:
        """Packed binary: each web process reads a snapshot of 5,000 places in well under a millisecond
        (as pickled lists it took over ten, holding the interpreter lock while live chats waited)."""
        parts = [
            _SNAPSHOT_HEAD.pack(self.on_duty, len(self.handling_seconds), len(self.lanes)),
            struct.pack(f"<{len(self.handling_seconds)}d", *self.handling_seconds),
        ]
        for language, lane in self.lanes.items():
            parts.append(_LANE_HEAD.pack(language.encode(), lane.capacity, lane.free_slots, len(lane.keys)))
            parts.extend(_SNAPSHOT_KEY.pack(*key) for key in lane.keys)
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> QueueSnapshot:
        on_duty, samples, lane_count = _SNAPSHOT_HEAD.unpack_from(data)
        offset = _SNAPSHOT_HEAD.size
        handling = list(struct.unpack_from(f"<{samples}d", data, offset))
        offset += 8 * samples
        lanes: dict[str, Lane] = {}
        for _ in range(lane_count):
            code, capacity, free_slots, count = _LANE_HEAD.unpack_from(data, offset)
            offset += _LANE_HEAD.size
            end = offset + count * _SNAPSHOT_KEY.size
            keys = list(_SNAPSHOT_KEY.iter_unpack(data[offset:end]))
            lanes[code.rstrip(b"\0").decode()] = Lane(keys=keys, capacity=capacity, free_slots=free_slots)
            offset = end
        return cls(lanes=lanes, on_duty=on_duty, handling_seconds=handling)


_SNAPSHOT_HEAD = struct.Struct("<qqq")  # slots on duty, number of handling times, number of lanes
_LANE_HEAD = struct.Struct("<16sqqq")  # language code, its capacity, its free slots, its number of places
_SNAPSHOT_KEY = struct.Struct("<qdq")  # QueueKey: -priority, queued at (epoch seconds), chat id


def recent_handling_seconds() -> list[float]:
    sample = settings.HELPLINE["ESTIMATE_SAMPLE_SIZE"]
    rows = (
        ChatSession.objects.filter(status=ChatSession.Status.ENDED, answered_at__isnull=False)
        .order_by("-ended_at")
        .values_list("answered_at", "ended_at")[:sample]
    )
    return [(ended - answered).total_seconds() for answered, ended in rows if ended and answered]


def capacity_on_duty() -> tuple[int, int]:
    """(total chat slots of available staff, slots free right now), whatever languages they speak."""
    capacity, free, _by_language = _capacities()
    return capacity, free


def capacity_for(language: str) -> tuple[int, int]:
    """(chat slots of available staff who speak the language, of which free now)."""
    return _capacities()[2].get(language, (0, 0))


def _capacities() -> tuple[int, int, dict[str, tuple[int, int]]]:
    """Slots of available staff, free slots, and both per language they speak: one query for profiles
    and two for their loads, whatever the number of languages."""
    profiles = list(
        StaffProfile.objects.filter(availability=Availability.AVAILABLE).only("id", "max_chats", "languages")
    )
    loads = staff_loads([p.id for p in profiles])
    capacity = free = 0
    by_language: dict[str, tuple[int, int]] = {}
    for profile in profiles:
        mine = max(0, profile.max_chats - loads.get(profile.id, 0))
        capacity += profile.max_chats
        free += mine
        for language in set(profile.languages or []):
            slots, open_now = by_language.get(language, (0, 0))
            by_language[language] = (slots + profile.max_chats, open_now + mine)
    return capacity, free, by_language


def staff_loads(profile_ids: list[int]) -> dict[int, int]:
    """Open chats (offered or active) per staff member."""
    loads: dict[int, int] = {}
    offered = (
        ChatSession.objects.filter(status=ChatSession.Status.OFFERED, offered_to__in=profile_ids)
        .values("offered_to")
        .annotate(n=Count("id"))
    )
    active = (
        ChatSession.objects.filter(status=ChatSession.Status.ACTIVE, staff__in=profile_ids)
        .values("staff")
        .annotate(n=Count("id"))
    )
    for offered_row in offered:
        loads[offered_row["offered_to"]] = loads.get(offered_row["offered_to"], 0) + offered_row["n"]
    for active_row in active:
        loads[active_row["staff"]] = loads.get(active_row["staff"], 0) + active_row["n"]
    return loads


def staff_with_wrap_up_due(profile_ids: list[int]) -> set[int]:
    return set(
        ChatSession.objects.wrap_up_due().filter(staff__in=profile_ids).values_list("staff", flat=True)
    )


def queue_snapshot() -> QueueSnapshot:
    rows = (
        ChatSession.objects.waiting().in_queue_order().values_list("priority", "queued_at", "id", "language")
    )
    on_duty, _free, by_language = _capacities()
    lanes: dict[str, Lane] = {}
    for priority, queued_at, pk, language in rows:
        lane = lanes.get(language)
        if lane is None:
            capacity, free = by_language.get(language, (0, 0))
            lane = lanes[language] = Lane(capacity=capacity, free_slots=free)
        lane.keys.append((-priority, queued_at.timestamp(), pk))
    return QueueSnapshot(lanes=lanes, on_duty=on_duty, handling_seconds=recent_handling_seconds())


def queue_position(chat: ChatSession) -> int:
    """1 for the front. Only people waiting in the same language are ahead: they wait for other staff."""
    return ChatSession.objects.ahead_of(chat).filter(language=chat.language).count() + 1


def wait_estimate(chat: ChatSession) -> WaitEstimate:
    """From the staff on duty who speak the chat's language; if nobody does, said by the language's name."""
    on_duty, _free, by_language = _capacities()
    capacity, free = by_language.get(chat.language, (0, 0))
    return estimate_wait(
        queue_position(chat),
        capacity,
        free,
        recent_handling_seconds(),
        unspoken_language=chat.language if on_duty > 0 else "",
    )


@dataclass(frozen=True)
class QueueOverview:
    waiting: int
    oldest_wait_seconds: int | None

    def as_event(self) -> dict[str, int | str | None]:
        """What every staff page's header shows of the queue, in the one shape scripts read (the words
        come from here, so the page and its scripts say a wait the same way)."""
        return {
            "waiting": self.waiting,
            "oldest_wait_seconds": self.oldest_wait_seconds,
            "oldest_wait_words": longest_wait_words(self.oldest_wait_seconds),
        }


def longest_wait_words(seconds: int | None) -> str:
    """How long the longest-waiting person has waited, as staff read it in the header: "2 min 05 s"."""
    if seconds is None:
        return gettext("nobody waiting")
    minutes, secs = divmod(max(0, seconds), 60)
    if minutes:
        return gettext("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": f"{secs:02d}"}
    return gettext("%(seconds)s s") % {"seconds": secs}


def queue_overview(now: datetime | None = None) -> QueueOverview:
    now = now or timezone.now()
    summary = ChatSession.objects.waiting().aggregate(n=Count("id"), oldest=Min("queued_at"))
    oldest = summary["oldest"]
    return QueueOverview(summary["n"], int((now - oldest).total_seconds()) if oldest else None)
