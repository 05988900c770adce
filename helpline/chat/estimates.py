"""An honest estimate of a seeker's wait, from recent handling times and the capacity on duty.

It is a range, rounded, and it says so plainly when there is no basis for a number: a wrong
promise loses more people than an honest "we cannot estimate yet".
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from helpline.languages import language_name

MIN_SAMPLES = 3


@dataclass(frozen=True)
class WaitEstimate:
    kind: str  # "soon", "range", "unknown", "nobody_on_duty"
    low_minutes: int = 0
    high_minutes: int = 0
    # Set when others are on duty but nobody who speaks this language is: said by its name, because
    # "nobody is free" would be untrue and "a moment" a promise nobody can keep.
    unspoken_language: str = ""

    @property
    def text(self) -> str:
        """In the active language (a seeker's page, or the chat's language for its socket)."""
        if self.kind == "soon":
            return gettext("You should be connected in a moment.")
        if self.kind == "nobody_on_duty":
            if self.unspoken_language:
                return gettext(
                    "Nobody who speaks %(language)s is on duty right now, "
                    "so we cannot say how long it will be."
                ) % {"language": language_name(self.unspoken_language)}
            return gettext("Nobody is free to chat just now, so we cannot say how long it will be.")
        if self.kind == "unknown":
            return gettext("We cannot estimate the wait yet.")
        if self.high_minutes <= 5:
            return gettext("The wait is likely to be under 5 minutes.")
        return gettext("The wait is likely to be about %(low)s to %(high)s minutes.") % {
            "low": self.low_minutes,
            "high": self.high_minutes,
        }

    def as_event(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "low": self.low_minutes,
            "high": self.high_minutes,
            "text": self.text,
        }


def _round_up_to(value: float, step: int) -> int:
    return max(step, int(math.ceil(value / step) * step))


def estimate_wait(
    position: int,
    capacity: int,
    free_slots: int,
    handling_seconds: Sequence[float],
    typical: float | None = None,
    *,
    unspoken_language: str = "",
) -> WaitEstimate:
    """position is 1 for the person at the front; capacity counts chat slots of available staff.
    `typical` is the median of handling_seconds when the caller has it already (a queue snapshot works
    it out once, not once for each of thousands of waiting seekers). `capacity` counts only staff who
    speak the seeker's language; `unspoken_language` names it when others are on duty all the same."""
    if capacity <= 0:
        return WaitEstimate("nobody_on_duty", unspoken_language=unspoken_language)
    if position <= free_slots:
        return WaitEstimate("soon")
    if len(handling_seconds) < MIN_SAMPLES:
        return WaitEstimate("unknown")
    if typical is None:
        typical = statistics.median(handling_seconds)
    # Slots free up at about capacity / typical per second; we need this many of them before our turn.
    slots_needed = position - free_slots
    expected_minutes = slots_needed * typical / capacity / 60
    low = _round_up_to(expected_minutes * 0.7, 5) - 5 if expected_minutes > 5 else 0
    high = _round_up_to(expected_minutes * 1.4, 5)
    return WaitEstimate("range", max(0, low), high)
