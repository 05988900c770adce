"""An honest estimate of a seeker's wait, from recent handling times and the capacity on duty.

It is a range, rounded, and it says so plainly when there is no basis for a number: a wrong
promise loses more people than an honest "we cannot estimate yet".
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

MIN_SAMPLES = 3


@dataclass(frozen=True)
class WaitEstimate:
    kind: str  # "soon", "range", "unknown", "nobody_on_duty"
    low_minutes: int = 0
    high_minutes: int = 0

    @property
    def text(self) -> str:
        if self.kind == "soon":
            return "You should be connected in a moment."
        if self.kind == "nobody_on_duty":
            return "Nobody is free to chat just now, so we cannot say how long it will be."
        if self.kind == "unknown":
            return "We cannot estimate the wait yet."
        if self.high_minutes <= 5:
            return "The wait is likely to be under 5 minutes."
        return f"The wait is likely to be about {self.low_minutes} to {self.high_minutes} minutes."

    def as_event(self) -> dict[str, object]:
        return {"kind": self.kind, "low": self.low_minutes, "high": self.high_minutes, "text": self.text}


def _round_up_to(value: float, step: int) -> int:
    return max(step, int(math.ceil(value / step) * step))


def estimate_wait(
    position: int,
    capacity: int,
    free_slots: int,
    handling_seconds: Sequence[float],
    typical: float | None = None,
) -> WaitEstimate:
    """position is 1 for the person at the front; capacity counts chat slots of available staff.
    `typical` is the median of handling_seconds when the caller has it already (a queue snapshot works
    it out once, not once for each of thousands of waiting seekers)."""
    if capacity <= 0:
        return WaitEstimate("nobody_on_duty")
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
