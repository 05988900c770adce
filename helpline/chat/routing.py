"""The assignment rule, as a pure function: who gets offered which waiting seeker.

Seekers are taken highest priority first, then longest waiting. Each is offered to a staff member
who is available, speaks the chat's language, has no wrap-up outstanding, is not resting (past the
longest shift, or on a break after a heavy chat) and is below their own maximum of concurrent chats;
among those, the one with the fewest chats, then the one idle longest.
A seeker nobody can take (say, in a language no one on duty speaks) does not hold up the others.

A seeker whose topic needs a skill (WaitingSeeker.skill) is offered only to staff with that skill until
they have waited `skill_wait`; from then on to anyone who speaks their language. Until then a seeker no
skilled person can take waits without holding up those behind them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta


@dataclass(frozen=True)
class WaitingSeeker:
    session_id: int
    priority: int
    queued_at: datetime
    language: str
    skill: str = ""  # "" = anyone who speaks the language will do


@dataclass(frozen=True)
class StaffSlot:
    staff_id: int
    languages: frozenset[str]
    max_chats: int
    open_chats: int
    idle_since: datetime
    available: bool = True
    wrap_up_due: bool = False
    skills: frozenset[str] = frozenset()
    # Past the longest shift, or on a break after a heavy chat (helpline.staff.wellbeing): no new offers,
    # while the chats they have stay with them.
    resting: bool = False

    @property
    def has_free_slot(self) -> bool:
        return (
            self.available and not self.wrap_up_due and not self.resting and self.open_chats < self.max_chats
        )


@dataclass(frozen=True)
class Assignment:
    session_id: int
    staff_id: int


def queue_order(seeker: WaitingSeeker) -> tuple[int, datetime, int]:
    return (-seeker.priority, seeker.queued_at, seeker.session_id)


def can_take(slot: StaffSlot, seeker: WaitingSeeker, now: datetime, skill_wait: timedelta) -> bool:
    if seeker.language not in slot.languages:
        return False
    return not seeker.skill or seeker.skill in slot.skills or now - seeker.queued_at >= skill_wait


def plan_assignments(
    waiting: Iterable[WaitingSeeker],
    staff: Sequence[StaffSlot],
    now: datetime,
    skill_wait: timedelta = timedelta(0),
) -> list[Assignment]:
    """Offers to make now, in queue order. Never exceeds anyone's capacity, one staff per seeker."""
    slots = {slot.staff_id: slot for slot in staff if slot.has_free_slot}
    plan: list[Assignment] = []
    for seeker in sorted(waiting, key=queue_order):
        candidates = [slot for slot in slots.values() if can_take(slot, seeker, now, skill_wait)]
        if not candidates:
            continue
        # Someone trained for the topic first, even past the wait; then the least busy, the longest idle.
        chosen = min(
            candidates,
            key=lambda slot: (
                bool(seeker.skill) and seeker.skill not in slot.skills,
                slot.open_chats,
                slot.idle_since,
                slot.staff_id,
            ),
        )
        plan.append(Assignment(seeker.session_id, chosen.staff_id))
        taken = replace(chosen, open_chats=chosen.open_chats + 1, idle_since=now)
        if taken.has_free_slot:
            slots[chosen.staff_id] = taken
        else:
            del slots[chosen.staff_id]
        if not slots:
            break
    return plan
